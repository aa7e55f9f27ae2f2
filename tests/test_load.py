"""Many of Plivo's callbacks at once, on loopback: each is answered 200 and logged exactly once, whole.

The bound is on the whole run (a hung server fails the test rather than the
suite); how fast an example is belongs to `nox -s benchmarks`.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from harness.lines import expected_status_line, shape_problem

from dialsim import DIAL_STATUSES, send
from dialsim.simulator import dial_action_params

pytestmark = pytest.mark.example

REQUESTS = 500
CONCURRENCY = 100
REQUEST_TIMEOUT = 30.0
LOG_WAIT = 20.0  # for the last lines to reach stdout after the last reply


def test_signed_callbacks_under_load(example, server, sim):
    run = secrets.token_hex(4)
    requests = []
    for index in range(REQUESTS):
        status = DIAL_STATUSES[index % len(DIAL_STATUSES)]
        params = dial_action_params(status, f"load-{run}-{index:04d}", lambda index=index: f"bleg-{run}-{index:04d}")
        headers = sim.signature_headers("POST", sim.public_for(server.action_url), params)
        requests.append((params, headers))
    expected = Counter(expected_status_line(params) for params, _ in requests)
    assert len(expected) == REQUESTS  # one distinct line per request: a unique A-leg each

    since = server.log.mark()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        replies = list(
            pool.map(
                lambda request: send(
                    "POST", server.action_url, params=request[0], headers=request[1], timeout=REQUEST_TIMEOUT
                ),
                requests,
            )
        )
    failed = Counter(reply.error or f"HTTP {reply.status}" for reply in replies if reply.status != 200)
    assert not failed, (
        f"{example.label}: of {REQUESTS} signed callbacks at concurrency {CONCURRENCY}, not 200: {failed}"
    )

    deadline = time.monotonic() + LOG_WAIT
    while len(server.log.status_lines(since)) < REQUESTS and time.monotonic() < deadline:
        time.sleep(0.1)
    lines = [line for line in server.log.status_lines(since) if f"-{run}-" in line]
    broken = [(line, shape_problem(line)) for line in lines if shape_problem(line)]
    assert not broken, f"{example.label}: {len(broken)} merged or cut lines under load, e.g. {broken[:3]}"
    logged = Counter(lines)
    missing = expected - logged
    extra = logged - expected
    assert not missing and not extra, (
        f"{example.label}: under load, {sum(missing.values())} of {REQUESTS} lines missing or altered "
        f"(e.g. {list(missing)[:2]}), {sum(extra.values())} unexpected or repeated (e.g. {list(extra)[:2]})"
    )
