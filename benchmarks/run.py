"""Speed figures for the simulator, printed, never asserted.

    nox -s benchmarks                 # signing, XML checking, calls against the Python example
    nox -s benchmarks -- --calls 200  # more calls

Targets (read them off the output): signing and checking stay far below a
millisecond, and a whole simulated call against a local example stays well
under Plivo's 2 s guidance for a fast reply.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from harness.examples import Example, prepare
from harness.server import ServerPool

from dialsim import Simulator, check_xml, compute_signature
from dialsim import plivo_data as pd

TOKEN = "MTbenchmark0000000000000000000000000000"


def per_second(label: str, count: int, work) -> None:
    started = time.perf_counter()
    for _ in range(count):
        work()
    seconds = time.perf_counter() - started
    print(f"{label:44} {count / seconds:12,.0f} /s   ({seconds / count * 1e6:8.1f} µs each)")


def calls(count: int) -> None:
    example = Example.load(ROOT / "examples" / "python")
    readiness = prepare(example)
    if not readiness.runnable:
        print(f"calls against the Python example: not measured ({readiness.skip_reason or readiness.setup_error})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pool = ServerPool(Path(tmp))
        try:
            server = pool.get(readiness, auth_token=TOKEN)
            sim = Simulator(server.answer_url, TOKEN, seed=1)
            timings = []
            for index in range(count):
                outcome = pd.DIAL_STATUSES[index % len(pd.DIAL_STATUSES)]
                started = time.perf_counter()
                report = sim.call(outcome)
                timings.append(time.perf_counter() - started)
                if not report.ok:
                    print(f"call {index} failed: {report.problems}")
                    return
        finally:
            pool.stop_all()
    timings.sort()
    print(
        f"{'simulated calls vs Python example':44} {count / sum(timings):12,.1f} /s   "
        f"median {statistics.median(timings) * 1000:.1f} ms, p95 {timings[int(len(timings) * 0.95) - 1] * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    vector = pd.SIGNATURE_VECTORS[0]
    per_second(
        "V3 signature (13 params)",
        20000,
        lambda: compute_signature(TOKEN, "POST", vector.url, "1234", pd.SIGNATURE_VECTOR_PARAMS),
    )
    document = (
        '<Response><Dial action="https://h.example/dialstatus/action/" method="POST" redirect="true">'
        "<Number>+15555550100</Number></Dial></Response>"
    )
    per_second("Plivo XML check (answer document)", 20000, lambda: check_xml(document))
    calls(args.calls)


if __name__ == "__main__":
    main()
