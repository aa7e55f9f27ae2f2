"""Speed figures for the simulator, printed, never asserted.

    nox -s benchmarks                 # signing, XML checking, calls against the Python example
    nox -s benchmarks -- --calls 500  # more calls

The call figures are for one client thread pinned to one core, calling the
Python example one call after another. Goals, printed beside the figures:
a whole call (answer, action, the returned XML played, hangup) at 300 calls/s
or more; signing and checking far below a millisecond.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from harness.examples import load_examples, prepare
from harness.server import ServerPool

from dialsim import Simulator, check_xml, compute_signature
from dialsim import plivo_data as pd

TOKEN = "MTbenchmark0000000000000000000000000000"
WHOLE_CALL_GOAL = 300  # calls/s


def per_second(label: str, count: int, work: Callable[[], object]) -> None:
    started = time.perf_counter()
    for _ in range(count):
        work()
    seconds = time.perf_counter() - started
    print(f"{label:52} {count / seconds:12,.0f} /s   ({seconds / count * 1e6:8.1f} µs each)")


def _timed(count: int, call: Callable[[int], bool]) -> list[float] | None:
    timings = []
    for index in range(count):
        started = time.perf_counter()
        if not call(index):
            return None
        timings.append(time.perf_counter() - started)
    return sorted(timings)


def _line(label: str, timings: list[float], goal: str = "") -> None:
    rate = len(timings) / sum(timings)
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    print(
        f"{label:52} {rate:12,.1f} /s   median {statistics.median(timings) * 1000:.2f} ms, "
        f"p95 {p95 * 1000:.2f} ms{goal}"
    )


def _pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        print(f"the simulator runs on core {core} only; the example server in its own processes")


def calls(count: int) -> None:
    example = next(e for e in load_examples() if e.key == "python")
    readiness = prepare(example)
    if not readiness.runnable:
        print(f"calls against the Python example: not measured ({readiness.skip_reason or readiness.setup_error})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pool = ServerPool(Path(tmp))
        try:
            server = pool.get(readiness, auth_token=TOKEN)
            _pin_to_one_core()  # after the start, so the server is not pinned with the client
            sim = Simulator(server.answer_url, TOKEN, seed=1)

            def two_steps(index: int) -> bool:
                """Answer and action only, each reply checked: what a call was before the hangup request."""
                outcome = pd.DIAL_STATUSES[index % len(pd.DIAL_STATUSES)]
                call_uuid = sim.new_uuid()
                answer = sim.request("POST", server.answer_url, sim.answer_params(call_uuid))
                (dial,) = check_xml(answer.body).dials()
                action = sim.request(dial.method, sim.local_for(dial.action), sim.action_params(outcome, call_uuid))
                return answer.status == action.status == 200 and check_xml(action.body).ok

            shapes: list[str] = []
            waiting: list[float] = []

            def whole_call(index: int) -> bool:
                report = sim.call(pd.DIAL_STATUSES[index % len(pd.DIAL_STATUSES)])
                waiting.append(sum(e.seconds for e in report.exchanges))
                if not report.ok:
                    print(f"call {index} failed: {[str(p) for p in report.problems]}")
                    return False
                if len(shapes) < len(pd.DIAL_STATUSES):
                    played = sum(len(e.played) for e in report.exchanges)
                    steps = " + ".join(e.step for e in report.exchanges)
                    shapes.append(f"{steps} ({played} verb{'s' * (played != 1)} played)")
                return True

            two = _timed(count, two_steps)
            whole = _timed(count, whole_call)
        finally:
            pool.stop_all()
    if two is None or whole is None:
        print("calls against the Python example: not measured, a call failed")
        return
    _line("two-step call (answer + action) vs Python example", two)
    _line(
        "whole call vs Python example",
        whole,
        f"   goal >= {WHOLE_CALL_GOAL} /s: {'met' if len(whole) / sum(whole) >= WHOLE_CALL_GOAL else 'NOT MET'}",
    )
    own = (sum(whole) - sum(waiting)) / len(whole)
    print(
        f"{'':4}of each whole call, {statistics.median(waiting) * 1000:.2f} ms (median) is the server's: from "
        f"connecting to the last byte of its replies; the simulator's own work is {own * 1000:.2f} ms on average"
    )
    for shape in sorted(set(shapes)):
        print(f"{'':4}a whole call here is: {shape}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300)
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
