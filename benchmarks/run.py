"""Speed figures for the simulator, printed, never asserted.

    nox -s benchmarks                 # signing, XML checking, calls against the Python example
    nox -s benchmarks -- --calls 500  # more calls

The call figures are for one client thread pinned to one core, calling the
Python example one call after another: the old two-step call (answer and
action), the whole call (answer, action, the returned XML played, hangup),
and the five-step call of its second-number recipe (answer, action, the
second Dial played, its action, hangup). Goals, printed beside the figures:
whole calls at 300 calls/s or more; signing and checking far below a
millisecond.
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


#: The Python example's recipe that dials a second number when the first is
#: busy: its calls have two Dials, so they are the five-step kind.
RECIPE_RUN = (".venv/bin/python", "second_number.py")
RECIPE_ENV = {"SECOND_NUMBER": "+14155550177"}


class WholeCalls:
    """Whole simulated calls, one after another, and what they were made of."""

    def __init__(self, sim: Simulator, outcomes: Callable[[int], list[str]]) -> None:
        self.sim = sim
        self.outcomes = outcomes
        self.waiting: list[float] = []
        self.shapes: set[str] = set()

    def __call__(self, index: int) -> bool:
        report = self.sim.call(self.outcomes(index))
        self.waiting.append(sum(e.seconds for e in report.exchanges))
        if not report.ok:
            print(f"call {index} failed: {[str(p) for p in report.problems]}")
            return False
        played = sum(len(e.played) for e in report.exchanges)
        steps = " + ".join(e.step for e in report.exchanges)
        self.shapes.add(f"{steps}, {played} verb{'s' * (played != 1)} played")
        return True

    def report(self, label: str, timings: list[float]) -> None:
        met = "met" if len(timings) / sum(timings) >= WHOLE_CALL_GOAL else "NOT MET"
        _line(label, timings, f"   goal >= {WHOLE_CALL_GOAL} /s: {met}")
        own = (sum(timings) - sum(self.waiting)) / len(timings)
        print(
            f"{'':4}of each call, {statistics.median(self.waiting) * 1000:.2f} ms (median) is the server's, from "
            f"connecting to the last byte of its replies; the simulator's own work is {own * 1000:.2f} ms on average"
        )
        for shape in sorted(self.shapes):
            print(f"{'':4}a call here is: {shape}")


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
            recipe = pool.get(readiness, auth_token=TOKEN, command=RECIPE_RUN, env=RECIPE_ENV)
            _pin_to_one_core()  # after the starts, so the servers are not pinned with the client
            sim = Simulator(server.answer_url, TOKEN, seed=1)

            def two_steps(index: int) -> bool:
                """Answer and action only, each reply checked: what a call was before the hangup request."""
                outcome = pd.DIAL_STATUSES[index % len(pd.DIAL_STATUSES)]
                call_uuid = sim.new_uuid()
                answer = sim.request("POST", server.answer_url, sim.answer_params(call_uuid))
                (dial,) = check_xml(answer.body).dials()
                action = sim.request(dial.method, sim.local_for(dial.action), sim.action_params(outcome, call_uuid))
                return answer.status == action.status == 200 and check_xml(action.body).ok

            whole = WholeCalls(sim, lambda index: [pd.DIAL_STATUSES[index % len(pd.DIAL_STATUSES)]])
            second = WholeCalls(
                Simulator(recipe.answer_url, TOKEN, seed=1),
                lambda index: ["busy", ("completed", "no-answer")[index % 2]],
            )
            timings = [_timed(count, two_steps), _timed(count, whole), _timed(count, second)]
        finally:
            pool.stop_all()
    if None in timings:
        print("calls against the Python example: not measured, a call failed")
        return
    _line("two-step call (answer + action) vs Python example", timings[0])
    whole.report("whole call vs Python example", timings[1])
    second.report("five-step call vs its second-number recipe", timings[2])


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
