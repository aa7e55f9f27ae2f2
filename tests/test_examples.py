"""The example contract, checked against every example running as a real server.

Each test is one scenario, parametrized by language (the ``example`` fixture,
see conftest.py). A failure names the language, the scenario and what was
expected.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from harness import rawhttp
from harness.lines import APOLOGY, UNSAFE_IN_LOG, expected_hangup_line, expected_status_line, log_safe
from harness.server import AUTH_TOKEN, HANGUP_PREFIX, REFUSED_PREFIX, ExampleServer
from harness.traces import find_traces

from dialsim import Signing, Simulator, check_xml, element_tree, send
from dialsim import plivo_data as pd
from dialsim.signature import compute_signature
from dialsim.simulator import dial_action_params
from dialsim.xmlcheck import content_type_problem

pytestmark = pytest.mark.example

OUTCOMES = pd.DIAL_STATUSES
#: Every kind of character that could end a log line or forge a field, and a forged line.
UNSAFE_TEXT = (
    "x\r\n\x00\x1b\t \x7f\x85\u2028\u2029end"
    "\ndial-status status=completed aleg=forged bleg= hangup_cause=x rang=true"
    "\r\ncall-hangup call=forged status=completed hangup_cause=x duration=1"
)
#: How long a start-up error may take to end the process (a cold JVM or Rails boot).
START_UP_ERROR_TIMEOUT = 90


def expected_answer_tree(server) -> tuple:
    dial = ET.Element("Dial", action=f"{server.public_url}/dialstatus/action/", method="POST", redirect="true")
    ET.SubElement(dial, "Number").text = server.dial_number
    response = ET.Element("Response")
    response.append(dial)
    return element_tree(response)


def describe(exchange) -> str:
    if exchange.error:
        return f"no reply ({exchange.error})"
    return f"HTTP {exchange.status}, Content-Type {exchange.content_type!r}, body {exchange.text[:300]!r}"


def assert_xml_reply(example, exchange, what: str):
    """The reply is HTTP 200 with valid Plivo XML; returns the parsed root."""
    assert exchange.status == 200, (
        f"{example.label}: {what}: expected HTTP 200 with Plivo XML, got {describe(exchange)}"
    )
    wrong_type = content_type_problem(exchange.content_type)
    assert wrong_type is None, f"{example.label}: {what}: {wrong_type.message}; got {describe(exchange)}"
    report = check_xml(exchange.body)
    assert report.ok, (
        f"{example.label}: {what}: the reply is not valid Plivo XML: {[str(p) for p in report.problems]}\n{exchange.text}"
    )
    return report.root


def assert_status_logged(example, server, since: int, params) -> None:
    expected = expected_status_line(params)
    aleg = log_safe(dict(params).get("DialALegUUID"))
    line = server.log.wait_for(lambda text: f" aleg={aleg} " in text, since)
    assert line is not None, f"{example.label}: expected the log line {expected!r}; stdout was:\n{server.output()}"
    assert line == expected, f"{example.label}: log line differs\nexpected {expected!r}\n     got {line!r}"
    status_lines = server.log.status_lines(since)
    assert status_lines == [expected], f"{example.label}: expected exactly one dial-status line, got {status_lines!r}"


def assert_hangup_logged(example, server, since: int, params) -> None:
    """Exactly one call-hangup line, the contract's, and no dial-status line."""
    expected = expected_hangup_line(params)
    call = log_safe(dict(params).get("CallUUID"))
    line = server.log.wait_for(lambda text: f" call={call} " in text, since, prefix=HANGUP_PREFIX)
    assert line is not None, f"{example.label}: expected the log line {expected!r}; stdout was:\n{server.output()}"
    assert line == expected, f"{example.label}: call-hangup line differs\nexpected {expected!r}\n     got {line!r}"
    hangup_lines = server.log.status_lines(since, prefix=HANGUP_PREFIX)
    assert hangup_lines == [expected], f"{example.label}: expected exactly one call-hangup line, got {hangup_lines!r}"


def assert_nothing_logged(example, server, sim, since: int) -> None:
    """No dial-status line since ``since``: proven by a sentinel request logged after it."""
    sentinel = f"sentinel-{secrets.token_hex(6)}"
    params = action_params("completed", a_leg=sentinel)
    reply = sim.request("POST", server.action_url, params, label="sentinel")
    assert reply.status == 200, f"{example.label}: the sentinel request after the scenario failed: {describe(reply)}"
    line = server.log.wait_for(lambda text: sentinel in text, since)
    assert line is not None, f"{example.label}: the sentinel was not logged; stdout:\n{server.output()}"
    before = server.log.status_lines(since)
    before = before[: before.index(line)]
    assert before == [], f"{example.label}: expected nothing logged for a rejected request, got {before!r}"
    hangups = server.log.status_lines(since, prefix=HANGUP_PREFIX)
    assert hangups == [], f"{example.label}: expected no call-hangup line for a rejected request, got {hangups!r}"


def action_params(status: str | None, *, a_leg: str | None = None, **overrides: str) -> list[tuple[str, str]]:
    """Dial action parameters as Plivo sends them for ``status`` (None: no DialStatus at all)."""
    a_leg = a_leg or f"aleg-{secrets.token_hex(8)}"
    params = dict(dial_action_params(status or "", a_leg, lambda: f"bleg-{secrets.token_hex(8)}"))
    if status is None:
        del params["DialStatus"]
    params.update(overrides)
    return list(params.items())


def assert_dial_reply(example, root, status: str, what: str) -> None:
    children = [child.tag for child in root]
    if status == "completed":
        assert children in ([], ["Hangup"]), (
            f"{example.label}: {what}: 'completed' should end the call with <Response/>, got {children}"
        )
    else:
        spoken = [child.text for child in root if child.tag == "Speak"]
        assert spoken == [APOLOGY], (
            f"{example.label}: {what}: a failed dial should <Speak> {APOLOGY!r} once, got {spoken!r} in {children}"
        )
        assert children in (["Speak"], ["Speak", "Hangup"]), (
            f"{example.label}: {what}: expected <Speak> (and an optional <Hangup/>), got {children}"
        )


# --- the answer URL ---------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_answer_returns_the_dial(example, server, sim, method):
    reply = sim.request(method, server.answer_url, sim.answer_params(sim.new_uuid()), label="answer URL")
    root = assert_xml_reply(example, reply, f"{method} to the answer URL")
    assert element_tree(root) == expected_answer_tree(server), (
        f"{example.label}: the answer XML differs from the contract's tree\n"
        f"expected {expected_answer_tree(server)}\n     got {element_tree(root)}"
    )


# --- the whole call, as Plivo plays it --------------------------------------


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_simulated_call(example, server, sim, outcome):
    since = server.log.mark()
    report = sim.call(outcome)
    assert report.ok, f"{example.label}: simulated call ending {outcome!r} failed: {[str(p) for p in report.problems]}"
    action = report.action
    assert_dial_reply(example, check_xml(action.body).root, outcome, f"action reply for {outcome!r}")
    assert_status_logged(example, server, since, action.params)
    assert report.hangup is not None, f"{example.label}: the simulated call ended without its hangup request"
    assert_hangup_logged(example, server, since, report.hangup.params)


def assert_action_accepted(example, server, sim, status: str, what: str, *, method="POST", query="") -> None:
    """A signed action request for ``status`` gets the right XML and exactly one log line."""
    since = server.log.mark()
    params = action_params(status)
    reply = sim.request(method, server.action_url + query, params, label="action URL")
    root = assert_xml_reply(example, reply, what)
    assert_dial_reply(example, root, status, what)
    assert_status_logged(example, server, since, params)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_action_url_by_get(example, server, sim, outcome):
    assert_action_accepted(
        example, server, sim, outcome, f"GET to the action URL with DialStatus={outcome}", method="GET"
    )


def test_unknown_dial_status_is_a_failed_dial(example, server, sim):
    assert_action_accepted(example, server, sim, "rejected-by-carrier", "an unknown DialStatus")


def test_action_url_with_its_own_query_string(example, server, sim):
    """Plivo signs the query of the action URL too (POST: query, '.', then the body)."""
    assert_action_accepted(
        example, server, sim, "busy", "POST to an action URL with a query string", query="?attempt=1&source=dialsim"
    )


def test_one_of_several_signatures_is_enough(example, server, sim):
    """During a key rotation Plivo may send several comma-separated signatures."""
    since = server.log.mark()
    params = action_params("no-answer")
    headers = sim.signature_headers("POST", sim.public_for(server.action_url), params)
    headers[pd.SIGNATURE_HEADER] = "c29tZXRoaW5nIGVsc2U=," + headers[pd.SIGNATURE_HEADER]
    reply = send("POST", server.action_url, params=params, headers=headers, label="action URL")
    assert_xml_reply(example, reply, "a signature list with one valid signature")
    assert_status_logged(example, server, since, params)


# --- signatures --------------------------------------------------------------

BOTH_URLS = ["answer", "action"]


def _url(server, which: str) -> str:
    return server.answer_url if which == "answer" else server.action_url


@pytest.mark.parametrize("which", BOTH_URLS)
@pytest.mark.parametrize("signing", [Signing.NONE, Signing.FORGED], ids=["unsigned", "forged"])
def test_rejects_bad_signatures(example, server, sim, which, signing):
    since = server.log.mark()
    reply = sim.request("POST", _url(server, which), action_params("completed"), signing=signing)
    assert reply.status == 403, (
        f"{example.label}: {signing.value} request to the {which} URL: expected 403, got {describe(reply)}"
    )
    assert_nothing_logged(example, server, sim, since)


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_rejects_signature_for_another_url(example, server, sim, method):
    since = server.log.mark()
    reply = sim.request(
        method, server.action_url, action_params("busy"), signed_url=server.public_url + "/somewhere/else/"
    )
    assert reply.status == 403, f"{example.label}: {method} signed for another URL: expected 403, got {describe(reply)}"
    assert_nothing_logged(example, server, sim, since)


def test_rejects_tampered_parameter(example, server, sim):
    since = server.log.mark()
    signed = action_params("busy")
    headers = sim.signature_headers("POST", sim.public_for(server.action_url), signed)
    tampered = [(k, "completed" if k == "DialStatus" else v) for k, v in signed]
    reply = send("POST", server.action_url, params=tampered, headers=headers)
    assert reply.status == 403, (
        f"{example.label}: DialStatus changed after signing: expected 403, got {describe(reply)}"
    )
    assert_nothing_logged(example, server, sim, since)


def test_rejects_signature_with_another_nonce(example, server, sim):
    since = server.log.mark()
    params = action_params("busy")
    headers = sim.signature_headers("POST", sim.public_for(server.action_url), params)
    headers[pd.NONCE_HEADER] = sim.new_nonce()
    reply = send("POST", server.action_url, params=params, headers=headers)
    assert reply.status == 403, f"{example.label}: signature from another nonce: expected 403, got {describe(reply)}"
    assert_nothing_logged(example, server, sim, since)


def test_signature_covers_query_on_post(example, server, sim):
    """Moving a query parameter of the signed URL into the delivered one must not pass."""
    since = server.log.mark()
    params = action_params("busy")
    headers = sim.signature_headers("POST", sim.public_for(server.action_url) + "?attempt=1", params)
    reply = send("POST", server.action_url + "?attempt=2", params=params, headers=headers)
    assert reply.status == 403, f"{example.label}: query changed after signing: expected 403, got {describe(reply)}"
    assert_nothing_logged(example, server, sim, since)


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize("status", [None, ""], ids=["absent", "empty"])
def test_missing_dial_status_is_400(example, server, sim, status):
    since = server.log.mark()
    reply = sim.request("POST", server.action_url, action_params(status))
    assert reply.status == 400, (
        f"{example.label}: signed action with DialStatus {status!r}: expected 400, got {describe(reply)}"
    )
    assert len(reply.body) < 1024, f"{example.label}: the 400 should carry a short message, got {len(reply.body)} bytes"
    assert_nothing_logged(example, server, sim, since)


def test_log_line_cannot_be_forged(example, server, sim):
    since = server.log.mark()
    params = action_params(
        "busy",
        DialHangupCause="USER_BUSY\r\ndial-status status=completed aleg=forged bleg= hangup_cause=x rang=true",
        DialBLegUUID="\x1b[2J\tbleg\x00\x7f\x85end",
        DialRingStatus="true rang=false",
    )
    reply = sim.request("POST", server.action_url, params)
    assert_xml_reply(example, reply, "values with control characters")
    assert_status_logged(example, server, since, params)


@pytest.mark.parametrize("which", BOTH_URLS)
@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_methods_are_405(example, server, sim, which, method):
    reply = send(method, _url(server, which), params=action_params("completed"))
    assert reply.status == 405, f"{example.label}: {method} to the {which} URL: expected 405, got {describe(reply)}"


def test_oversized_body_is_refused(example, server, sim):
    since = server.log.mark()
    params = action_params("busy", Padding="x" * (2 * 1024 * 1024))
    reply = sim.request("POST", server.action_url, params)
    assert reply.status in (413, 400), f"{example.label}: 2 MiB body: expected 413 (or 400), got {describe(reply)}"
    assert_nothing_logged(example, server, sim, since)


MALFORMED_BODIES = {
    "bad-percent-escape": ("application/x-www-form-urlencoded", b"DialStatus=busy&DialALegUUID=%zz%&DialBLegUUID=%"),
    "invalid-utf8": ("application/x-www-form-urlencoded", b"DialStatus=busy%ff%fe&DialALegUUID=\xff\xfe"),
    "json-body": ("application/json", b'{"DialStatus": "busy"}'),
    "no-content-type": (None, b"DialStatus=busy"),
}


@pytest.mark.parametrize("kind", MALFORMED_BODIES)
def test_malformed_body_is_a_client_error(example, server, sim, kind):
    since = server.log.mark()
    content_type, body = MALFORMED_BODIES[kind]
    public = sim.public_for(server.action_url)
    nonce = sim.new_nonce()
    # Signed over what a lenient parser would read, so that only the body's form is wrong.
    headers = {
        pd.SIGNATURE_HEADER: compute_signature(sim.auth_token, "POST", public, nonce, [("DialStatus", "busy")]),
        pd.NONCE_HEADER: nonce,
    }
    if content_type:
        headers["Content-Type"] = content_type
    reply = send("POST", server.action_url, body=body, headers=headers)
    assert reply.status in (400, 403, 415), (
        f"{example.label}: {kind} body: expected 400, 403 or 415, got {describe(reply)}"
    )
    assert_nothing_logged(example, server, sim, since)


# --- PUBLIC_URL as users type it: trailing "/", a port, a path, a plain domain --------


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_public_url_answer_xml(example, public_url_server, public_url_sim, method):
    server, sim = public_url_server, public_url_sim
    reply = sim.request(method, server.answer_url, sim.answer_params(sim.new_uuid()))
    root = assert_xml_reply(example, reply, f"{method} answer with PUBLIC_URL={server.public_url_as_typed}")
    assert element_tree(root) == expected_answer_tree(server), (
        f"{example.label}: with PUBLIC_URL={server.public_url_as_typed} the answer XML differs\n"
        f"expected {expected_answer_tree(server)}\n     got {element_tree(root)}"
    )


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_public_url_action(example, public_url_server, public_url_sim, method):
    assert_action_accepted(
        example,
        public_url_server,
        public_url_sim,
        "busy",
        f"{method} to the action URL with PUBLIC_URL={public_url_server.public_url_as_typed}",
        method=method,
    )


@pytest.mark.parametrize("outcome", ["completed", "busy"])
def test_public_url_simulated_call(example, public_url_server, public_url_sim, outcome):
    server = public_url_server
    since = server.log.mark()
    report = public_url_sim.call(outcome)
    assert report.ok, (
        f"{example.label}: call through PUBLIC_URL={server.public_url_as_typed} failed: "
        f"{[str(p) for p in report.problems]}"
    )
    assert_status_logged(example, server, since, report.action.params)
    assert report.hangup is not None, f"{example.label}: the simulated call ended without its hangup request"
    assert_hangup_logged(example, server, since, report.hangup.params)


def test_tunnel_rejects_port_less_signature(example, tunnel_server):
    """Plivo signs the port; a signature over the URL without it is not Plivo's."""
    sim = Simulator(tunnel_server.answer_url, AUTH_TOKEN, public_url=tunnel_server.public_url)
    signed_url = tunnel_server.public_url.replace(":8443", "") + "/dialstatus/action/"
    reply = sim.request("POST", tunnel_server.action_url, action_params("busy"), signed_url=signed_url)
    assert reply.status == 403, f"{example.label}: signature without the port: expected 403, got {describe(reply)}"


# --- configuration -------------------------------------------------------------


def assert_start_up_error(example, server: ExampleServer, names: tuple[str, ...], what: str) -> None:
    """The process ends non-zero within a bound, with a plain message on stderr naming the problem."""
    code = server.wait_for_exit(START_UP_ERROR_TIMEOUT)
    assert code is not None, f"{example.label}: still running {START_UP_ERROR_TIMEOUT} s after start with {what}"
    assert code != 0, f"{example.label}: exited 0 with {what}; expected a non-zero exit"
    stderr = server.stderr_text()
    assert stderr.strip(), f"{example.label}: nothing on stderr with {what}; stdout was:\n{server.log.text()}"
    assert any(name in stderr for name in names), (
        f"{example.label}: the message for {what} should name {' or '.join(names)}; stderr:\n{stderr[-2000:]}"
    )
    traces = find_traces(stderr)
    assert not traces, f"{example.label}: {what} gives a stack trace, not a message:\n" + "\n".join(traces)


def test_refuses_to_start_without_auth_token(example, ready, tmp_path):
    server = ExampleServer(ready, auth_token=None)
    server.start(tmp_path)
    try:
        assert_start_up_error(example, server, ("PLIVO_AUTH_TOKEN",), "no PLIVO_AUTH_TOKEN")
    finally:
        server.stop()


def test_refuses_to_start_without_auth_token_whatever_starts_it(example, ready, tmp_path):
    """The token is checked where the app is created, so a process manager's start command refuses too."""
    if not example.also_started_by:
        pytest.skip(f"{example.label}: the index names no other start command than `run` (also_started_by)")
    for command in example.also_started_by:
        server = ExampleServer(ready, auth_token=None, command=tuple(command))
        server.start(tmp_path)
        try:
            assert_start_up_error(
                example, server, ("PLIVO_AUTH_TOKEN",), f"no PLIVO_AUTH_TOKEN under {' '.join(command)}"
            )
        finally:
            server.stop()


def test_port_that_is_not_a_number(example, ready, tmp_path):
    # With PUBLIC_URL set, as the README has it, so that only PORT is wrong.
    server = ExampleServer(ready, auth_token=AUTH_TOKEN, public_url="https://calls.example.test", env={"PORT": "abc"})
    server.start(tmp_path)
    try:
        assert_start_up_error(example, server, ("PORT", "abc"), "PORT=abc")
    finally:
        server.stop()


def test_port_that_is_taken(example, ready, tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        server = ExampleServer(ready, auth_token=AUTH_TOKEN, port=port)
        server.start(tmp_path)
        try:
            assert_start_up_error(example, server, (str(port),), f"PORT={port} already taken")
        finally:
            server.stop()


def test_default_bind_is_loopback_only(example, server):
    """With no HOST, every socket the server's processes listen on is on 127.0.0.1 or ::1."""
    listening = server.listening_addresses()
    assert any(port == server.port for _, port in listening), (
        f"{example.label}: no process of the server's group listens on port {server.port}; found {listening}"
    )
    beyond = [(address, port) for address, port in listening if address not in ("127.0.0.1", "::1", "::ffff:127.0.0.1")]
    assert not beyond, f"{example.label}: with no HOST set, the server listens beyond loopback on {beyond}"


# --- the CLI, as a reader runs it -------------------------------------------------


@pytest.mark.parametrize("answer_method", ["POST", "GET"])
def test_cli_transcript_is_clean(example, server, answer_method):
    done = subprocess.run(
        [sys.executable, "-m", "dialsim", "call", server.answer_url, "--answer-method", answer_method],
        env={**os.environ, "PLIVO_AUTH_TOKEN": AUTH_TOKEN},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{example.label}: dialsim call exited {done.returncode}:\n{done.stdout}{done.stderr}"
    assert "problem:" not in done.stdout
    assert done.stdout.rstrip().endswith("verdict: ok, 5 of 5 calls behaved as Plivo requires"), done.stdout


def test_stalled_client_does_not_block_others(example, server, sim):
    """A stranger who opens connections and stops mid-request must not hold up Plivo's requests."""
    stalled = []
    try:
        for _ in range(3):
            connection = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            connection.sendall(
                b"POST /dialstatus/action/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nDial"
            )
            stalled.append(connection)
        since = server.log.mark()
        report = sim.call("busy")
        assert report.ok, f"{example.label}: with 3 stalled connections open, a call failed: {report.problems}"
        assert_status_logged(example, server, since, report.action.params)
    finally:
        for connection in stalled:
            connection.close()


# --- the hangup request at the answer URL ------------------------------------------


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_hangup_request(example, server, sim, method):
    since = server.log.mark()
    params = sim.hangup_params(sim.new_uuid())
    reply = sim.request(method, server.answer_url, params, label="hangup request")
    root = assert_xml_reply(example, reply, f"{method} hangup request (CallStatus=completed) to the answer URL")
    assert [child.tag for child in root] == [], (
        f"{example.label}: the call is over; the hangup reply should be an empty <Response/>, got {reply.text!r}"
    )
    assert_hangup_logged(example, server, since, params)
    assert server.log.status_lines(since) == [], f"{example.label}: a hangup request logged a dial-status line"


# --- refusals say why -------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize("which", BOTH_URLS)
@pytest.mark.parametrize(
    ("signing", "reason"),
    [(Signing.NONE, "no-signature"), (Signing.FORGED, "bad-signature")],
    ids=["unsigned", "forged"],
)
def test_refusal_is_logged(example, server, sim, which, signing, reason, method):
    since = server.log.mark()
    reply = sim.request(method, _url(server, which), action_params("completed"), signing=signing)
    assert reply.status == 403, f"{example.label}: {signing.value} {method} to the {which} URL: got {describe(reply)}"
    expected = f"request-refused reason={reason} url={log_safe(sim.public_for(reply.url))}"
    line = server.log.wait_for(lambda text: True, since, prefix=REFUSED_PREFIX)
    assert line == expected, f"{example.label}: refusal line differs\nexpected {expected!r}\n     got {line!r}"
    assert_nothing_logged(example, server, sim, since)
    refused = server.log.status_lines(since, prefix=REFUSED_PREFIX)
    assert refused == [expected], f"{example.label}: expected exactly one request-refused line, got {refused!r}"
    secrets_sent = [AUTH_TOKEN, *reply_signatures(reply)]
    assert not any(secret in line for secret in secrets_sent), f"{example.label}: the refusal line leaks a secret"


def reply_signatures(exchange) -> list[str]:
    value = exchange.request_headers.get(pd.SIGNATURE_HEADER, "")
    return [part for part in value.split(",") if part]


# --- unsafe characters in every logged field ----------------------------------------

DIAL_STATUS_FIELDS = ["DialStatus", "DialALegUUID", "DialBLegUUID", "DialHangupCause", "DialRingStatus"]
HANGUP_FIELDS = ["CallUUID", "CallStatus", "HangupCause", "Duration"]


@pytest.mark.parametrize("field", DIAL_STATUS_FIELDS)
def test_unsafe_characters_in_dial_status_field(example, server, sim, field):
    since = server.log.mark()
    params = action_params("busy")
    params = [(k, v + UNSAFE_TEXT if k == field else v) for k, v in params]
    reply = sim.request("POST", server.action_url, params)
    root = assert_xml_reply(example, reply, f"{field} with control characters and a forged line")
    assert_dial_reply(example, root, dict(params)["DialStatus"], f"{field} with unsafe characters")
    assert_status_logged(example, server, since, params)
    assert server.log.status_lines(since, prefix=HANGUP_PREFIX) == [], f"{example.label}: a forged call-hangup line"


@pytest.mark.parametrize("field", HANGUP_FIELDS)
def test_unsafe_characters_in_hangup_field(example, server, sim, field):
    since = server.log.mark()
    params = [(k, v + UNSAFE_TEXT if k == field else v) for k, v in sim.hangup_params(sim.new_uuid())]
    reply = sim.request("POST", server.answer_url, params, label="hangup request")
    assert_xml_reply(example, reply, f"hangup request with unsafe characters in {field}")
    assert_hangup_logged(example, server, since, params)
    assert server.log.status_lines(since) == [], f"{example.label}: a forged dial-status line got through"


#: Query strings for a refused request: percent-escaped (a decoder would make them
#: unsafe) and raw bytes on the request line (ESC, DEL, NEL, U+2028, U+2029 in UTF-8).
REFUSED_QUERIES = {
    "escaped": b"note=%0D%0Adial-status%20status=completed%00%1B%09%7F%C2%85%E2%80%A8%E2%80%A9%20x",
    "raw": b"note=a\x1bb\x7fc\xc2\x85d\xe2\x80\xa8e\xe2\x80\xa9f",
}


@pytest.mark.parametrize("kind", REFUSED_QUERIES)
def test_unsafe_characters_in_refused_url(example, server, sim, kind):
    since = server.log.mark()
    request = (
        b"POST /dialstatus/action/?" + REFUSED_QUERIES[kind] + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 15\r\nConnection: close\r\n\r\n"
        b"DialStatus=busy"
    )
    reply = rawhttp.exchange(server.port, [request])
    assert reply.statuses and reply.statuses[0] in (400, 403, 414), (
        f"{example.label}: unsigned request with a {kind} unsafe query: expected 403 (or 400), got {reply.describe()}"
    )
    assert_nothing_logged(example, server, sim, since)
    refused = server.log.status_lines(since, prefix=REFUSED_PREFIX)
    if reply.statuses[0] == 403:
        assert len(refused) == 1, f"{example.label}: expected one request-refused line, got {refused!r}"
        line = refused[0]
        shape = re.fullmatch(r"request-refused reason=no-signature url=(\S+)", line)
        assert shape and not UNSAFE_IN_LOG.search(shape.group(1)), (
            f"{example.label}: the refused URL is not log_safe: {line!r}"
        )
        if kind == "escaped":  # the URL the check used holds the query as it was sent
            expected = f"{server.public_url}/dialstatus/action/?{REFUSED_QUERIES[kind].decode()}"
            assert line == f"request-refused reason=no-signature url={expected}", (
                f"{example.label}: refused URL differs: {line!r}"
            )
    forged = [
        line for line in server.log.since(since) if "forged" in line or line.startswith("dial-status status=completed%")
    ]
    assert not forged, f"{example.label}: a forged line: {forged!r}"


# --- the body limit, at its edge, and queries Plivo really sends ---------------------

BODY_LIMIT = 65536


def params_with_body_size(size: int) -> list[tuple[str, str]]:
    params = action_params("busy") + [("Padding", "")]
    padding = size - len(urlencode(params))
    return params[:-1] + [("Padding", "x" * padding)]


def test_body_just_under_the_limit_is_accepted(example, server, sim):
    since = server.log.mark()
    params = params_with_body_size(BODY_LIMIT - 8)
    assert len(urlencode(params)) == BODY_LIMIT - 8
    reply = sim.request("POST", server.action_url, params)
    assert_xml_reply(example, reply, f"a signed body of {BODY_LIMIT - 8} bytes")
    assert_status_logged(example, server, since, params)


def test_body_just_over_the_limit_is_refused(example, server, sim):
    since = server.log.mark()
    params = params_with_body_size(BODY_LIMIT + 8)
    reply = sim.request("POST", server.action_url, params)
    assert reply.status in (413, 400), (
        f"{example.label}: a signed body of {BODY_LIMIT + 8} bytes: expected 413 (or 400), got {describe(reply)}"
    )
    assert_nothing_logged(example, server, sim, since)


#: Queries an action URL may be written with; Plivo signs them decoded, every value of a repeated key.
ACTION_URL_QUERIES = {
    "escaped-delimiters-and-repeated-key": "?next=a%26b%3Dc&tag=1&tag=2",
    "percent-encoded-utf8": "?caller=Jos%C3%A9+M%C3%BCller+%E6%9D%8E&tag=%E6%9D%8E",
}


@pytest.mark.parametrize("kind", ACTION_URL_QUERIES)
@pytest.mark.parametrize("method", ["POST", "GET"])
def test_action_query_as_written_in_the_dial(example, server, sim, method, kind):
    """Plivo signs the action URL as written in the Dial (by GET, its own parameters join that query)."""
    assert_action_accepted(
        example,
        server,
        sim,
        "no-answer",
        f"{method} to an action URL whose query is {kind} ({ACTION_URL_QUERIES[kind]})",
        method=method,
        query=ACTION_URL_QUERIES[kind],
    )


def test_repeated_field_in_signed_body(example, server, sim):
    """Plivo signs every value of a repeated body field (sorted); a check that keeps one of them fails."""
    since = server.log.mark()
    params = action_params("busy") + [("Tag", "zeta"), ("Tag", "alpha"), ("Tag", "")]
    reply = sim.request("POST", server.action_url, params, label="action URL")
    root = assert_xml_reply(example, reply, "a signed POST whose body repeats a field name")
    assert_dial_reply(example, root, "busy", "a body with a repeated field")
    assert_status_logged(example, server, since, params)


# --- non-ASCII values, percent-encoded UTF-8 as Plivo sends them ---------------------

#: A caller name with accents, a CJK character and spaces (sent as %C3%A9, ..., "+").
NON_ASCII_NAME = "José Müller 李"


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_non_ascii_values_in_action_request(example, server, sim, method):
    """Accepted (the signature is over the decoded UTF-8), and logged as UTF-8 with spaces made safe."""
    params = action_params(
        "busy", DialBLegUUID=f"bleg-{NON_ASCII_NAME}", DialHangupCause=f"USER_BUSY {NON_ASCII_NAME}"
    ) + [("CallerName", NON_ASCII_NAME)]
    since = server.log.mark()
    reply = sim.request(method, server.action_url, params, label="action URL")
    root = assert_xml_reply(example, reply, f"a signed {method} with non-ASCII values")
    assert_dial_reply(example, root, "busy", f"a signed {method} with non-ASCII values")
    assert_status_logged(example, server, since, params)


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_non_ascii_values_in_hangup_request(example, server, sim, method):
    call = sim.new_uuid()
    params = [(k, f"{v} {NON_ASCII_NAME}" if k == "HangupCause" else v) for k, v in sim.hangup_params(call)]
    params.append(("CallerName", NON_ASCII_NAME))
    since = server.log.mark()
    reply = sim.request(method, server.answer_url, params, label="hangup request")
    assert_xml_reply(example, reply, f"a signed {method} hangup request with non-ASCII values")
    assert_hangup_logged(example, server, since, params)
