"""Speed figures for every example on its production server, printed, never asserted.

    nox -s benchmarks                          # every example that runs here
    python benchmarks/examples.py go python    # some of them
    python benchmarks/examples.py --requests 500

For each example: start-up time (process start to the first 200), then
signed Dial action callbacks (new connection each, as Plivo makes them) at
concurrency 1, 50 and 200: requests per second and p50/p99 latency. The goals
are printed beside the figures; compare examples measured in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from harness.examples import load_examples, prepare  # noqa: E402
from harness.server import ExampleServer  # noqa: E402

from dialsim import DIAL_STATUSES, Simulator  # noqa: E402
from dialsim.simulator import dial_action_params  # noqa: E402

TOKEN = "MTbenchmark0000000000000000000000000000"
LEVELS = (1, 50, 200)
GOAL_RATE = 500  # requests/s at concurrency 50
GOAL_P99_MS = 250  # at concurrency 200
START_TIMEOUT = 120.0


def signed_requests(server: ExampleServer, count: int) -> list[bytes]:
    """``count`` signed action POSTs, each a whole HTTP/1.1 request on its own connection."""
    sim = Simulator(server.answer_url, TOKEN, seed=1)
    requests = []
    for index in range(count):
        params = dial_action_params(DIAL_STATUSES[index % len(DIAL_STATUSES)], f"bench-{index}", sim.new_uuid)
        headers = sim.signature_headers("POST", sim.public_for(server.action_url), params)
        body = "&".join(f"{k}={v}" for k, v in params).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        requests.append(
            b"POST /dialstatus/action/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + head.encode()
            + b"Content-Length: %d\r\n\r\n" % len(body)
            + body
        )
    return requests


async def _one(port: int, request: bytes) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request)
        reply = await reader.read()  # Connection: close, so until EOF
        writer.close()
        ok = reply.startswith(b"HTTP/1.1 200") or reply.startswith(b"HTTP/1.0 200")
    except OSError:
        ok = False
    return time.perf_counter() - started, ok


async def _level(port: int, requests: list[bytes], concurrency: int) -> tuple[float, list[float], int]:
    queue = list(reversed(requests))
    latencies: list[float] = []
    failures = 0

    async def worker() -> None:
        nonlocal failures
        while queue:
            seconds, ok = await _one(port, queue.pop())
            latencies.append(seconds)
            failures += not ok

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, latencies, failures


def startup_seconds(server: ExampleServer, tmp: Path) -> float | None:
    """Process start to the first 200 on a signed answer request."""
    sim = Simulator(server.answer_url, TOKEN)
    started = time.perf_counter()
    server.start(tmp)
    while time.perf_counter() - started < START_TIMEOUT:
        if not server.alive():
            return None
        reply = sim.request("POST", server.answer_url, sim.answer_params(sim.new_uuid()), label="start-up")
        if reply.status == 200:
            return time.perf_counter() - started
        time.sleep(0.02)
    return None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def measure(example, requests_per_level: int, tmp: Path) -> None:
    readiness = prepare(example)
    if not readiness.runnable:
        print(f"{example.label:8} not measured: {readiness.skip_reason or readiness.setup_error.splitlines()[0]}")
        return
    server = ExampleServer(readiness, auth_token=TOKEN)
    try:
        startup = startup_seconds(server, tmp)
        if startup is None:
            print(f"{example.label:8} did not answer within {START_TIMEOUT:g} s of starting\n{server.output()}")
            return
        print(f"{example.label:8} on {example.server} ({readiness.sdk}): start-up {startup:.2f} s")
        for concurrency in LEVELS:
            count = requests_per_level if concurrency > 1 else max(1, requests_per_level // 4)
            requests = signed_requests(server, count)
            seconds, latencies, failures = asyncio.run(_level(server.port, requests, concurrency))
            rate = count / seconds
            p50, p99 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.99) * 1000
            goal = ""
            if concurrency == 50:
                goal = f"goal >= {GOAL_RATE} req/s: {'met' if rate >= GOAL_RATE else 'NOT MET'}"
            elif concurrency == 200:
                goal = f"goal p99 <= {GOAL_P99_MS} ms: {'met' if p99 <= GOAL_P99_MS else 'NOT MET'}"
            failed = f", {failures} not 200" if failures else ""
            print(
                f"{'':8} c={concurrency:<4} {count:5} requests {rate:8,.0f} req/s   "
                f"p50 {p50:7.1f} ms   p99 {p99:7.1f} ms{failed}   {goal}"
            )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("keys", nargs="*", help="examples to measure (folder names under examples/); default all")
    parser.add_argument("--requests", type=int, default=2000, help="requests per concurrency level (c=1: a quarter)")
    args = parser.parse_args()
    examples = [e for e in load_examples() if not args.keys or e.key in args.keys]
    print(f"goals: >= {GOAL_RATE} req/s at c=50, p99 <= {GOAL_P99_MS} ms at c=200 (signed action callbacks, loopback)")
    with tempfile.TemporaryDirectory() as tmp:
        for example in examples:
            measure(example, args.requests, Path(tmp))


if __name__ == "__main__":
    main()
