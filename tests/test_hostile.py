"""The hostile-input corpus (tests/hostile_cases.py), sent as raw bytes to every example.

After each case: the server is up, a signed follow-up request from Plivo is
answered and logged, no line was logged that the case should not have caused,
every line is whole, and no stack trace reached stderr (the ``server``
fixture checks the last two). No reply may be a 5xx from the application. A
501 (method not implemented) or 505 (version not supported) is what an HTTP
server itself says about a protocol violation, and the contract never asks an
application for either, so those two are allowed and every other 5xx fails.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from urllib.parse import parse_qsl

import pytest
from harness import rawhttp
from harness.lines import shape_problem
from harness.server import AUTH_TOKEN, HANGUP_PREFIX
from hostile_cases import CASES, Case

from dialsim import compute_signature
from dialsim import plivo_data as pd
from dialsim.simulator import dial_action_params

pytestmark = pytest.mark.example

PATHS = {"answer": "/dialstatus/", "action": "/dialstatus/action/"}
SERVER_STATUSES = (501, 505)
SLOW_SECONDS = 2.5
IDLE_CONNECTIONS = 20
LARGE_REQUEST = 64 * 1024
OPTIONAL_REPLY_WAIT = 1.5

VARIANTS = [
    pytest.param(case, which, signed, id=f"{which}-{'signed' if signed else 'unsigned'}-{case.name}")
    for case in CASES
    for which in PATHS
    for signed in ((False, True) if case.signable else (False,))
]


def lenient_text(data: bytes) -> str:
    """What a lenient parser reads: UTF-8 where the bytes are UTF-8, else one character per byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def build_request(case: Case, path: str, public_url: str, signed: bool, last: bool = True) -> bytes:
    """The bytes of one request of ``case`` to ``path``."""
    if case.raw is not None:
        return case.raw.replace(b"{path}", path.encode())
    target = path.encode() + case.query
    head = [f"{case.method} ".encode() + target + b" HTTP/1.1", b"Host: 127.0.0.1"]
    if last:
        head.append(b"Connection: close")
    lowered = case.headers.lower()
    if case.body and b"content-length:" not in lowered and b"transfer-encoding:" not in lowered:
        head.append(b"Content-Length: %d" % len(case.body))
    if signed:
        nonce = "".join(secrets.choice("0123456789") for _ in range(20))
        # Signed over what a lenient parser reads, so that only the input's shape is wrong.
        params = parse_qsl(lenient_text(case.body), keep_blank_values=True) if case.method == "POST" else []
        url = public_url + lenient_text(target)
        head.append(f"{pd.SIGNATURE_HEADER}: {compute_signature(AUTH_TOKEN, case.method, url, nonce, params)}".encode())
        head.append(f"{pd.NONCE_HEADER}: {nonce}".encode())
    return b"\r\n".join(head) + b"\r\n" + case.headers + b"\r\n" + case.body


def assert_whole_line(example, what: str, line: str) -> None:
    problem = shape_problem(line)
    assert problem is None, f"{example.label}: {what}: a malformed, merged or unsafe log line ({problem}): {line!r}"


def follow_up(example, server, sim) -> None:
    """Plivo's next request is answered and logged."""
    sentinel = f"sentinel-{secrets.token_hex(6)}"
    since = server.log.mark()
    params = dict(dial_action_params("completed", sentinel, lambda: "bleg-follow-up"))
    reply = sim.request("POST", server.action_url, list(params.items()), label="follow-up", signed_url=None)
    assert reply.status == 200, (
        f"{example.label}: the signed follow-up got {reply.error or reply.status} {reply.text[:200]!r}, not 200"
    )
    line = server.log.wait_for(lambda text: f" aleg={sentinel} " in text, since)
    assert line is not None, f"{example.label}: the follow-up request was not logged; stdout:\n{server.output()}"


def run_case(example, server, sim, case: Case, path: str, signed: bool) -> list[rawhttp.RawReply]:
    """Send ``case``; for the modes that hold connections open, the follow-up runs meanwhile."""
    if case.mode == "idle":
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(IDLE_CONNECTIONS)]
        try:
            follow_up(example, server, sim)
        finally:
            for connection in idle:
                connection.close()
        return []
    if case.mode == "slow":
        request = build_request(case, path, server.public_url, signed)
        pieces = [request[i : i + 4] for i in range(0, len(request), 4)]
        replies: list[rawhttp.RawReply] = []
        pause = SLOW_SECONDS / len(pieces)
        trickle = threading.Thread(
            target=lambda: replies.append(
                rawhttp.exchange(server.port, pieces, pause=pause, timeout=SLOW_SECONDS + OPTIONAL_REPLY_WAIT)
            )
        )
        trickle.start()
        time.sleep(0.5)
        follow_up(example, server, sim)
        trickle.join(SLOW_SECONDS + 5)
        return replies
    if case.mode == "pipeline":
        data = build_request(case, path, server.public_url, signed, last=False) + build_request(
            case, path, server.public_url, signed
        )
        return [rawhttp.exchange(server.port, [data], responses=2)]
    if case.mode == "close":
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
            connection.sendall(build_request(case, path, server.public_url, signed))
        return []
    # A server that waits for bytes a broken request promised is right to; its own
    # answers to protocol violations come at once, so a short wait hears them.
    timeout = 10.0 if case.reply == "required" else OPTIONAL_REPLY_WAIT
    return [rawhttp.exchange(server.port, [build_request(case, path, server.public_url, signed)], timeout=timeout)]


@pytest.mark.parametrize(("case", "which", "signed"), VARIANTS)
def test_hostile_input(request, example, server, sim, case, which, signed):
    fault = example.server_faults.get(case.name)
    if fault:
        # Strict: the day the server is fixed, this case passes and the entry must go.
        request.applymarker(pytest.mark.xfail(reason=f"{example.label}: {fault}", strict=True))
    since = server.log.mark()
    replies = run_case(example, server, sim, case, PATHS[which], signed)
    what = f"{case.name} ({'signed' if signed else 'unsigned'}) to the {which} URL"
    statuses = [status for reply in replies for status in reply.statuses]
    if case.reply == "required":
        # A server may refuse a request larger than it reads at once by closing or
        # resetting the connection (a reset can also discard an answer it sent first).
        reset_early = any((reply.error or reply.closed) and reply.size > LARGE_REQUEST for reply in replies)
        assert statuses or reset_early, f"{example.label}: {what}: no HTTP reply: {[r.describe() for r in replies]}"
    if case.mode == "pipeline":
        assert len(statuses) == 2, (
            f"{example.label}: {what}: expected two replies, got {[r.describe() for r in replies]}"
        )
    server_errors = [status for status in statuses if status >= 500 and status not in SERVER_STATUSES]
    assert not server_errors, f"{example.label}: {what}: a 5xx from the application: {[r.describe() for r in replies]}"

    for line in server.log.since(since):
        assert_whole_line(example, what, line)
    if case.mode not in ("idle", "slow"):
        follow_up(example, server, sim)
    logged = [line for line in server.log.status_lines(since) if " aleg=sentinel-" not in line]
    hangups = server.log.status_lines(since, prefix=HANGUP_PREFIX)
    if not signed:
        assert not logged and not hangups, f"{example.label}: {what}: unsigned, yet logged {logged + hangups!r}"
    else:
        answered = statuses.count(200)
        allowed_status = answered if which == "action" else 0
        allowed_hangup = answered if which == "answer" else 0
        assert len(logged) <= allowed_status, (
            f"{example.label}: {what}: {len(logged)} dial-status lines for {answered} answered requests: {logged!r}"
        )
        assert len(hangups) <= allowed_hangup, f"{example.label}: {what}: call-hangup lines {hangups!r}"
