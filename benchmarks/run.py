"""Speed figures for the simulator, printed, never asserted.

    nox -s benchmarks                              # signing, XML checking, calls
    nox -s benchmarks -- --calls 1000 --in-flight 8

"On one core" here means: the simulator's process, every thread of it, is
pinned to one CPU core (``os.sched_setaffinity``) and the server under test
to another, so the figures say what one core of a CI runner playing calls
can drive. A CI job plays several calls at once, so besides one call after
another, calls are also played ``--in-flight`` at a
time from that one process, each on a new connection per request, as Plivo
makes them. Every call is played and checked in full, as ``sim.call`` always
does.

The calls: the old two-step call (answer and action), the whole call
(answer, action, the returned XML played, hangup) and the five-step call of
the Python example's second-number recipe (answer, action, the second Dial
played, its action, hangup). Each is measured against the Python example and
its recipe, and the five-step call also against canned replies from a tiny
server written for this benchmark, which shows what the simulator itself can
drive when the server costs next to nothing. Beside each call figure: the
CPU time per call of the simulator's process (which also reads the servers'
log lines) and of the server, from the kernel's accounting, and the rate one
core could give at that cost, so a rate below the goal says whose time it
was. Other work on the machine takes from both cores: the load average is
printed first. Goals, printed beside the figures: whole calls at 300 calls/s
or more; signing and checking far below a millisecond.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import threading
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

#: The Python example's recipe that dials a second number when the first is
#: busy: its calls have two Dials, so they are the five-step kind.
RECIPE_RUN = (".venv/bin/python", "second_number.py")
RECIPE_ENV = {"SECOND_NUMBER": "+14155550177"}


def per_second(label: str, count: int, work: Callable[[], object]) -> None:
    started = time.perf_counter()
    for _ in range(count):
        work()
    seconds = time.perf_counter() - started
    print(f"{label:60} {count / seconds:8,.0f} /s   ({seconds / count * 1e6:.1f} µs each)")


# -- cores and CPU time --------------------------------------------------------


def _tasks(pid: int) -> list[int]:
    """Every thread of process ``pid``: affinity is per thread, so each is pinned."""
    try:
        return [int(task.name) for task in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return [pid]


def pin(pids: list[int], core: int) -> None:
    for pid in pids:
        for task in _tasks(pid):
            try:
                os.sched_setaffinity(task, {core})
            except OSError:
                pass  # the thread ended meanwhile


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time used so far by the processes ``pids`` (all their threads)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat
    return total / os.sysconf("SC_CLK_TCK")


def cores() -> tuple[int, int] | None:
    """The simulator's core and the server's core, or None where there are not two."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    available = sorted(os.sched_getaffinity(0))
    return (available[0], available[1]) if len(available) >= 2 else None


# -- calls -------------------------------------------------------------------


class Calls:
    """Whole simulated calls, ``in_flight`` at a time, and what they were made of."""

    def __init__(self, make_sim: Callable[[], Simulator], outcomes: Callable[[int], list[str]]) -> None:
        self.make_sim = make_sim
        self.outcomes = outcomes
        self.shapes: set[str] = set()
        self.failure: str | None = None

    def play(self, sim: Simulator, index: int) -> float | None:
        started = time.perf_counter()
        report = sim.call(self.outcomes(index))
        seconds = time.perf_counter() - started
        if not report.ok:
            self.failure = f"call {index} failed: {[str(p) for p in report.problems]}"
            return None
        played = sum(len(e.played) for e in report.exchanges)
        steps = " + ".join(e.step for e in report.exchanges)
        self.shapes.add(f"{steps}, {played} verb{'s' * (played != 1)} played")
        return seconds

    def run(self, count: int, in_flight: int) -> tuple[float, list[float]] | None:
        """(wall seconds, sorted per-call seconds) for ``count`` calls, or None if one failed."""
        timings: list[float] = []
        next_index = iter(range(count))
        lock = threading.Lock()

        def worker() -> None:
            sim = self.make_sim()  # one per thread: its seeded IDs are its own
            while self.failure is None:
                with lock:
                    index = next(next_index, None)
                if index is None:
                    return
                seconds = self.play(sim, index)
                if seconds is not None:
                    timings.append(seconds)

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(in_flight)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        return None if self.failure else (wall, sorted(timings))


def measure(
    label: str, calls: Calls, count: int, in_flight: int, server_pids: list[int], goal: bool = True
) -> float | None:
    """Play the calls, print one figure line; the rate, or None when a call failed."""
    calls.run(min(20, count), in_flight)  # warm-up: imports, caches, the server's first requests
    own_before, server_before = cpu_seconds([os.getpid()]), cpu_seconds(server_pids)
    result = calls.run(count, in_flight)
    own, server = cpu_seconds([os.getpid()]) - own_before, cpu_seconds(server_pids) - server_before
    if result is None:
        print(f"{label:60} not measured: {calls.failure}")
        return None
    wall, timings = result
    rate = count / wall
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    verdict = f"   goal >= {WHOLE_CALL_GOAL} /s: {'met' if rate >= WHOLE_CALL_GOAL else 'NOT MET'}" if goal else ""
    print(
        f"{label:60} {rate:8,.1f} /s   median {statistics.median(timings) * 1000:.2f} ms, "
        f"p95 {p95 * 1000:.2f} ms{verdict}"
    )
    print(f"{'':4}CPU per call: simulator {_cpu_share(own, count)}, server {_cpu_share(server, count)}")
    return rate


def _cpu_share(seconds: float, count: int) -> str:
    """CPU time per call, and the rate one core could give at that cost."""
    if seconds <= 0:
        return "too little to measure"
    return f"{seconds / count * 1000:.2f} ms (one core: at most {count / seconds:,.0f} calls/s)"


def _whole_outcomes(index: int) -> list[str]:
    return [pd.DIAL_STATUSES[index % len(pd.DIAL_STATUSES)]]


def _second_number_outcomes(index: int) -> list[str]:
    return ["busy", ("completed", "no-answer")[index % 2]]


class TwoStepCalls(Calls):
    """Answer and action only, each reply checked: what a call was before the hangup request."""

    def __init__(self, answer_url: str) -> None:
        super().__init__(lambda: Simulator(answer_url, TOKEN, seed=1), _whole_outcomes)
        self.answer_url = answer_url

    def play(self, sim: Simulator, index: int) -> float | None:
        started = time.perf_counter()
        call_uuid = sim.new_uuid()
        answer = sim.request("POST", self.answer_url, sim.answer_params(call_uuid))
        dials = check_xml(answer.body).dials()
        action_url = sim.local_for(dials[0].action) if len(dials) == 1 else None
        if action_url is None:
            self.failure = f"call {index} failed: the answer is not one Dial with a local action URL"
            return None
        outcome = self.outcomes(index)[0]
        action = sim.request(dials[0].method, action_url, sim.action_params(outcome, call_uuid))
        if not (answer.status == action.status == 200 and check_xml(action.body).ok):
            self.failure = f"call {index} failed: HTTP {answer.status}, {action.status}"
            return None
        self.shapes.add("answer + action")
        return time.perf_counter() - started


# -- canned replies ------------------------------------------------------------

#: What the canned server answers, by path: the documents of a second-number
#: call, so the simulator plays the same five steps as against the recipe.
CANNED = {
    b"/answer": b'<Response><Dial action="{base}/first/" method="POST" redirect="true">'
    b"<Number>+15555550100</Number></Dial></Response>",
    b"/first/": b'<Response><Dial action="{base}/second/" method="POST" redirect="true">'
    b"<Number>+15555550177</Number></Dial></Response>",
    b"/second/": b"<Response><Speak>Sorry, nobody could be reached.</Speak></Response>",
    b"/hangup": b"<Response/>",
}


def serve_canned(listener: socket.socket) -> None:
    """Answer each request with its canned document; one request per connection."""
    base = f"http://127.0.0.1:{listener.getsockname()[1]}".encode()
    replies = {path: body.replace(b"{base}", base) for path, body in CANNED.items()}

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *headers = head.split(b"\r\n")
            for header in headers:
                name, _, value = header.partition(b":")
                if name.lower() == b"content-length" and value.strip():
                    await reader.readexactly(int(value))
            body = replies.get(request_line.split(b" ")[1].split(b"?")[0], b"<Response/>")
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nConnection: close\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, IndexError, ValueError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(answer, sock=listener)
        await server.serve_forever()

    asyncio.run(main())


def figures(label: str, calls: Calls, count: int, in_flight: int, server_pids: list[int], goal: bool = True) -> None:
    """The calls one at a time, then ``in_flight`` at a time; what a call was made of."""
    for flight in sorted({1, in_flight}):
        if measure(f"{label}, {flight} in flight", calls, count, flight, server_pids, goal) is None:
            return
    for shape in sorted(calls.shapes):
        print(f"{'':4}a call here is: {shape}")


def example_calls(count: int, in_flight: int, pair: tuple[int, int] | None) -> None:
    readiness = prepare(next(e for e in load_examples() if e.key == "python"))
    if not readiness.runnable:
        print(f"calls against the Python example: not measured ({readiness.skip_reason or readiness.setup_error})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pool = ServerPool(Path(tmp))
        try:
            server = pool.get(readiness, auth_token=TOKEN)
            recipe = pool.get(readiness, auth_token=TOKEN, command=RECIPE_RUN, env=RECIPE_ENV)
            server_pids, recipe_pids = server.group_pids(), recipe.group_pids()
            if pair is not None:
                pin([os.getpid()], pair[0])
                pin(server_pids + recipe_pids, pair[1])
                print(f"the simulator runs on core {pair[0]} only; the servers under test on core {pair[1]}")
            two_steps = TwoStepCalls(server.answer_url)
            whole = Calls(lambda: Simulator(server.answer_url, TOKEN, seed=1), _whole_outcomes)
            second = Calls(lambda: Simulator(recipe.answer_url, TOKEN, seed=1), _second_number_outcomes)
            figures(
                "two-step call (answer + action) vs Python example", two_steps, count, in_flight, server_pids, False
            )
            figures("whole call vs Python example", whole, count, in_flight, server_pids)
            figures("five-step call vs its second-number recipe", second, count, in_flight, recipe_pids)
        finally:
            pool.stop_all()


def canned_calls(count: int, in_flight: int, pair: tuple[int, int] | None) -> None:
    listener = socket.create_server(("127.0.0.1", 0), backlog=512)
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    process = multiprocessing.get_context("fork").Process(target=serve_canned, args=(listener,), daemon=True)
    process.start()
    listener.close()
    try:
        if pair is not None:
            pin([os.getpid()], pair[0])
            pin([process.pid], pair[1])
        calls = Calls(
            lambda: Simulator(f"{base}/answer", TOKEN, hangup_url=f"{base}/hangup", seed=1), _second_number_outcomes
        )
        figures("five-step call vs canned replies", calls, count, in_flight, [process.pid])
    finally:
        process.terminate()
        process.join(5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=300, help="calls per figure")
    parser.add_argument("--in-flight", type=int, default=4, help="calls played at once")
    args = parser.parse_args()
    if args.calls < 1 or args.in_flight < 1:
        parser.error("--calls and --in-flight must be positive")
    print(
        f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine slows every figure)"
    )
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
    pair = cores()
    if pair is None:
        print("fewer than two cores here: the simulator and the servers share them")
    example_calls(args.calls, args.in_flight, pair)
    canned_calls(args.calls, args.in_flight, pair)


if __name__ == "__main__":
    main()
