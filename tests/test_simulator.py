"""The simulator itself: signatures, the XML checker, whole calls against in-test servers, the CLI's verdicts and\nexit codes, and the pytest plugin."""

from __future__ import annotations

import json
import os
import random
import socket
import string
import subprocess
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from plivo.utils.signature_v3 import validate_v3_signature as sdk_validate_v3_signature

from dialsim import Expect, Signing, Simulator, base_string, check_xml, compute_signature, validate_signature
from dialsim import plivo_data as pd
from dialsim.cli import main as cli_main
from dialsim.transport import form_encode, send

# --- V3 signatures --------------------------------------------------------


@pytest.mark.parametrize(
    "vector", pd.SIGNATURE_VECTORS, ids=lambda v: f"{v.method}-{'query' if '?' in v.url else 'plain'}"
)
def test_plivo_published_signature_vectors(vector):
    signature = compute_signature(
        pd.SIGNATURE_VECTOR_AUTH_TOKEN, vector.method, vector.url, pd.SIGNATURE_VECTOR_NONCE, pd.SIGNATURE_VECTOR_PARAMS
    )
    assert signature == vector.signature


def test_post_base_string_puts_query_then_dot_then_body():
    assert (
        base_string("POST", "https://h.example/p?b=2&a=1", {"Z": "1", "A": "x y"})
        == "https://h.example/p?a=1&b=2.Ax yZ1"
    )
    assert base_string("POST", "https://h.example/p", {}) == "https://h.example/p"
    assert base_string("POST", "https://h.example/p", {"A": "1"}) == "https://h.example/p?A1"
    assert base_string("GET", "https://h.example/p?b=2", {"A": "1"}) == "https://h.example/p?A=1&b=2"
    assert base_string("GET", "https://h.example/p", {}) == "https://h.example/p"


def test_base_string_refuses_what_plivo_never_signs():
    with pytest.raises(ValueError):
        base_string("PUT", "https://h.example/p")
    with pytest.raises(ValueError):
        base_string("POST", "/relative/path")


def _random_params(rng: random.Random) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + " -_.:;<>+/="
    keys = {"".join(rng.choices(string.ascii_letters, k=rng.randint(1, 12))) for _ in range(rng.randint(0, 8))}
    return {k: "".join(rng.choices(alphabet, k=rng.randint(0, 20))) for k in keys}


@pytest.mark.parametrize("seed", range(40))
def test_plivo_python_sdk_accepts_our_signatures(seed):
    """Cross-check with the SDK's own validate_v3_signature, on POST and GET, with and without a query."""
    rng = random.Random(seed)
    token = "".join(rng.choices(string.ascii_letters + string.digits, k=40))
    nonce = "".join(rng.choices(string.digits, k=20))
    method = rng.choice(["GET", "POST"])
    query = rng.choice(["", "?a=b&c=d", "?x=1"])
    port = rng.choice(["", ":8443"])
    url = f"https://calls.example.test{port}/dialstatus/action/{query}"
    params = _random_params(rng)
    signature = compute_signature(token, method, url, nonce, params)
    if method == "GET":
        # The SDK reads a GET's parameters from the URL it was given.
        called = url + (("&" if query else "?") + urlencode(params) if params else "")
        assert sdk_validate_v3_signature(method, called, nonce, token, signature, {})
    else:
        assert sdk_validate_v3_signature(method, url, nonce, token, signature, dict(params))
    assert not sdk_validate_v3_signature(
        method, url.replace("/action/", "/other/"), nonce, token, signature, dict(params) if method == "POST" else {}
    )


def test_validate_signature_takes_any_of_a_comma_list_without_trimming():
    url, nonce, token = "https://h.example/p", "123", "tok"
    good = compute_signature(token, "POST", url, nonce, {"A": "1"})
    assert validate_signature(token, "POST", url, nonce, f"bogus,{good}", {"A": "1"})
    assert not validate_signature(token, "POST", url, nonce, f"bogus, {good}", {"A": "1"})
    assert not validate_signature(token, "POST", url, nonce, good, {"A": "2"})


# --- the XML checker -------------------------------------------------------

GOOD_DIAL = (
    '<Response><Dial action="https://h.example/dialstatus/action/" method="POST" redirect="true">'
    "<Number>+15555550100</Number></Dial></Response>"
)


def test_good_dial_passes():
    report = check_xml(GOOD_DIAL)
    assert report.ok, report.problems
    (dial,) = report.dials()
    assert (dial.action, dial.method, dial.redirect, dial.targets) == (
        "https://h.example/dialstatus/action/",
        "POST",
        True,
        ("+15555550100",),
    )


@pytest.mark.parametrize(
    ("document", "where", "says"),
    [
        ("", "document", "empty body"),
        ("Status : busy", "document", "not well-formed"),
        ("<Reply/>", "Reply", "root element must be <Response>"),
        ("<Response><Dail/></Response>", "Response/Dail[1]", "not allowed in <Response>"),
        (
            '<Response><Dial method="PUT"><Number>1</Number></Dial></Response>',
            "Response/Dial[1]@method",
            "'GET' or 'POST'",
        ),
        (
            '<Response><Dial redirect="yes"><Number>1</Number></Dial></Response>',
            "Response/Dial[1]@redirect",
            "'true' or 'false'",
        ),
        (
            '<Response><Dial callerID="1"><Number>1</Number></Dial></Response>',
            "Response/Dial[1]@callerID",
            "did you mean 'callerId'",
        ),
        (
            '<Response><Dial timeout="0"><Number>1</Number></Dial></Response>',
            "Response/Dial[1]@timeout",
            "positive integer",
        ),
        (
            '<Response><Dial action="/relative"><Number>1</Number></Dial></Response>',
            "Response/Dial[1]@action",
            "absolute http(s) URL",
        ),
        ("<Response><Dial></Dial></Response>", "Response/Dial[1]", "at least one <Number> or <User>"),
        ("<Response><Dial><Number></Number></Dial></Response>", "Response/Dial[1]/Number[1]", "must have text"),
        (
            "<Response><Dial><Speak>hi</Speak><Number>1</Number></Dial></Response>",
            "Response/Dial[1]/Speak[1]",
            "not allowed in <Dial>",
        ),
        ("<Response><Speak></Speak></Response>", "Response/Speak[1]", "must have text"),
    ],
)
def test_xml_problems_name_the_element_and_attribute(document, where, says):
    report = check_xml(document)
    assert not report.ok
    assert any(p.where == where and says in p.message for p in report.problems), report.problems


def test_oversized_xml_is_a_problem():
    report = check_xml("<Response>" + "<Wait/>" * 20000 + "</Response>")
    assert [p.where for p in report.problems] == ["document"]


# --- small servers that each test shapes -------------------------------------

TOKEN = "MTsimulatorselftest0000000000000000000"
XML = "application/xml"
ANSWER_XML = (
    '<Response><Dial action="{base}/dialstatus/action/" method="POST"><Number>+15555550100</Number></Dial></Response>'
)
APOLOGY_XML = "<Response><Speak>Sorry, the person you are calling could not be reached. Goodbye.</Speak></Response>"


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    params: dict[str, str]


def _default_answer(seen: Seen):
    if seen.params.get("CallStatus") == "completed":
        return (200, XML, "<Response/>")  # the hangup request: the call is over
    return (200, XML, ANSWER_XML)


def _answering(document: str):
    """An answer URL route that starts a call with ``document`` and takes the hangup request."""

    def route(seen: Seen):
        if seen.params.get("CallStatus") == "completed":
            return (200, XML, "<Response/>")
        return (200, XML, document)

    return route


class Toy:
    """What the in-test server replies, per path, and what it was sent."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.answer_url = f"{self.base}/dialstatus/"
        self.routes: dict[str, object] = {
            "/dialstatus/": _default_answer,
            "/dialstatus/action/": (200, XML, "<Response/>"),
        }
        self.seen: list[Seen] = []
        self.check_signatures = False  # refuse with 403 what is not signed with TOKEN

    def signed_by_plivo(self, seen: Seen, raw_path: str) -> bool:
        nonce = seen.headers.get(pd.NONCE_HEADER)
        signature = seen.headers.get(pd.SIGNATURE_HEADER)
        if not nonce or not signature:
            return False
        params = seen.params if seen.method == "POST" else {}
        return validate_signature(TOKEN, seen.method, self.base + raw_path, nonce, signature, params)

    def steps(self) -> list[tuple[str, str]]:
        return [(s.method, s.path) for s in self.seen]


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass

    def _handle(self):
        toy: Toy = self.server.toy
        parts = urlsplit(self.path)
        if self.command == "POST":
            length = int(self.headers.get("Content-Length", 0))
            params = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        else:
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
        seen = Seen(self.command, parts.path, parts.query, dict(self.headers), params)
        toy.seen.append(seen)
        if toy.check_signatures and not toy.signed_by_plivo(seen, self.path):
            reply = (403, "text/plain", "forbidden")
        else:
            route = toy.routes.get(parts.path, (404, "text/plain", "no such page"))
            reply = route(seen) if callable(route) else route
        status, content_type, body, *extra = reply
        data = body.replace("{base}", toy.base).encode() if isinstance(body, str) else body
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (extra[0] if extra else {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the simulator stopped reading, as it should for a huge reply

    do_GET = do_POST = _handle


@pytest.fixture
def toy():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.toy = Toy(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd.toy
    httpd.shutdown()
    httpd.server_close()


def _sim(toy: Toy, **options) -> Simulator:
    return Simulator(toy.answer_url, TOKEN, seed=7, **options)


def _cli(capsys, *args):
    try:
        code = cli_main(list(args))
    except SystemExit as raised:
        code = raised.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _call(toy: Toy, capsys, *extra):
    return _cli(capsys, "call", toy.answer_url, "--auth-token", TOKEN, "--seed", "7", *extra)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the whole call ---------------------------------------------------------------


def test_a_call_is_answer_action_hangup(toy):
    report = _sim(toy).call("busy")
    assert report.ok, report.problems
    assert [e.step for e in report.exchanges] == ["answer", "action", "hangup"]
    assert toy.steps() == [("POST", "/dialstatus/"), ("POST", "/dialstatus/action/"), ("POST", "/dialstatus/")]
    assert report.action is report.exchanges[1] and report.hangup is report.exchanges[2]
    answer, action, hangup = (s.params for s in toy.seen)
    assert action["DialStatus"] == "busy" and action["DialALegUUID"] == answer["CallUUID"]
    assert hangup["CallUUID"] == answer["CallUUID"] and hangup["From"] == answer["From"]
    assert hangup["CallStatus"] == "completed" and hangup["Event"] == "Hangup"
    assert hangup["HangupCause"] and hangup["Duration"].isdigit() and hangup["BillDuration"].isdigit()
    assert int(hangup["BillDuration"]) >= int(hangup["Duration"])
    assert set(hangup) == {p.name for p in pd.HANGUP_PARAMETERS if p.simulated}
    assert report.ended == "end" and hangup["HangupCauseCode"] == "4010"


def test_every_request_is_signed_for_its_own_url(toy):
    toy.check_signatures = True
    toy.routes["/dialstatus/"] = _answering(
        '<Response><Dial action="{base}/dialstatus/action/?try=1" method="GET" callbackUrl="{base}/events/">'
        "<Number>+15555550100</Number></Dial></Response>"
    )
    toy.routes["/events/"] = (200, "text/plain", "")
    report = _sim(toy, hangup_method="GET").call("completed")
    assert report.ok, report.problems
    assert [s.method for s in toy.seen] == ["POST", "POST", "POST", "POST", "GET", "GET"]
    assert all(e.status == 200 for e in report.exchanges)


def test_hangup_goes_to_the_hangup_url(toy):
    toy.routes["/hangup/"] = (200, "text/plain", "")
    report = _sim(toy, hangup_url=toy.base + "/hangup/").call("completed")
    assert report.ok, report.problems
    assert toy.steps()[-1] == ("POST", "/hangup/")
    with pytest.raises(ValueError, match="not on the server under test"):
        _sim(toy, hangup_url="https://elsewhere.example.test/hangup/")


def test_hangup_reply_needs_only_a_2xx(toy):
    toy.routes["/hangup/"] = (204, "text/plain", "")
    assert _sim(toy, hangup_url=toy.base + "/hangup/").call("busy").ok
    toy.routes["/hangup/"] = (500, "text/plain", "oops")
    report = _sim(toy, hangup_url=toy.base + "/hangup/").call("busy")
    assert [p.exchange for p in report.problems] == [2]
    assert "HTTP 500" in str(report.problems[0]) and "2xx" in str(report.problems[0])


def test_a_dial_in_the_hangup_reply_is_a_problem(toy):
    toy.routes["/dialstatus/"] = (200, XML, ANSWER_XML)  # answers the hangup request like a new call
    report = _sim(toy).call("completed")
    assert not report.ok
    (problem,) = report.problems
    assert problem.exchange == 2 and "the call is over" in problem.message


def test_callback_events_in_order_then_the_action(toy):
    toy.routes["/dialstatus/"] = _answering(
        '<Response><Dial action="{base}/dialstatus/action/" callbackUrl="{base}/events/" '
        'callbackMethod="GET"><Number>+15555550100</Number></Dial></Response>'
    )
    toy.routes["/events/"] = (200, "text/plain", "")
    report = _sim(toy).call("completed")
    assert report.ok, report.problems
    assert [e.step for e in report.exchanges] == ["answer", "callback", "callback", "callback", "action", "hangup"]
    events = [s for s in toy.seen if s.path == "/events/"]
    assert [e.method for e in events] == ["GET"] * 3
    assert [e.params["DialAction"] for e in events] == ["answer", "connected", "hangup"]
    action = toy.seen[4].params
    assert {e.params["DialBLegUUID"] for e in events} == {action["DialBLegUUID"]}
    assert events[-1].params["DialBLegHangupCause"] == "NORMAL_CLEARING"
    wanted = next(e for e in pd.DIAL_CALLBACK_EVENTS if e.action == "hangup").parameters
    assert tuple(events[-1].params) == wanted

    toy.seen.clear()
    report = _sim(toy).call("busy")
    assert [s.params.get("DialAction") for s in toy.seen if s.path == "/events/"] == ["hangup"]
    assert report.action.params[-1] == ("DialBLegUUID", "")  # nobody answered


def test_a_failing_callback_is_a_problem_but_the_call_goes_on(toy):
    toy.routes["/dialstatus/"] = _answering(
        '<Response><Dial action="{base}/dialstatus/action/" callbackUrl="{base}/events/">'
        "<Number>1</Number></Dial></Response>"
    )
    toy.routes["/events/"] = (500, "text/plain", "oops")
    report = _sim(toy).call("busy")
    assert [e.step for e in report.exchanges] == ["answer", "callback", "action", "hangup"]
    assert [p.exchange for p in report.problems] == [1]


def test_a_second_dial_plays_the_next_outcome(toy):
    second = (
        '<Response><Dial action="{base}/dialstatus/action/"><Number>+15555550111</Number></Dial>'
        "<Speak>never reached</Speak></Response>"
    )
    toy.routes["/dialstatus/action/"] = lambda seen: (
        (200, XML, second) if seen.params["DialStatus"] == "busy" else (200, XML, APOLOGY_XML)
    )
    report = _sim(toy).call(["busy", "no-answer"])
    assert report.ok, report.problems
    assert report.outcomes == ["busy", "no-answer"]
    assert [e.step for e in report.exchanges] == ["answer", "action", "action", "hangup"]
    assert [s.params.get("DialStatus") for s in toy.seen] == [None, "busy", "no-answer", None]
    assert report.action is report.exchanges[2]
    assert report.action.played == ["<Speak> Sorry, the person you are calling could not be reached. Goodbye."]
    assert report.exchanges[1].played == []  # the second document replaced the first: its Speak never ran


def test_a_document_seen_before_is_not_parsed_again_but_judged_again(toy, monkeypatch):
    import dialsim.simulator

    parsed = []
    monkeypatch.setattr(dialsim.simulator, "check_xml", lambda body: parsed.append(body) or check_xml(body))
    sim = _sim(toy)
    toy.routes["/dialstatus/action/"] = (200, XML, "<Response><Speek>Hi</Speek></Response>")
    for _ in range(2):  # the same bad document: a problem on every call
        report = sim.call("busy")
        assert [p.where for p in report.problems] == ["action URL (DialStatus=busy) Response/Speek[1]"], report.problems
    toy.routes["/dialstatus/action/"] = (200, XML, "<Response/>")
    assert sim.call("busy").ok  # another document is judged on its own
    # the answer, the bad action reply, and <Response/> (the hangup reply, then the action reply too)
    assert len(parsed) == 3, parsed


def test_xml_that_loops_is_stopped_and_named(toy):
    toy.routes["/dialstatus/action/"] = (200, XML, ANSWER_XML)  # dial again, forever
    report = _sim(toy).call("busy")
    assert not report.ok
    (problem,) = report.problems
    assert problem.exchange is None and "more than 10 steps" in problem.message and "loop" in problem.message
    assert [e.step for e in report.exchanges] == ["answer"] + ["action"] * 9 + ["hangup"]
    assert report.outcomes == ["busy"] * 10  # the last outcome is used again


def test_max_steps_is_configurable(toy):
    toy.routes["/dialstatus/action/"] = (200, XML, ANSWER_XML)
    report = _sim(toy, max_steps=3).call("busy")
    assert len(report.exchanges) == 4


def test_redirect_is_followed_and_hangup_ends_the_call(toy):
    toy.routes["/dialstatus/action/"] = (200, XML, "<Response><Redirect>{base}/next/?from=action</Redirect></Response>")
    toy.routes["/next/"] = (
        200,
        XML,
        (
            '<Response><Speak>One moment</Speak><Wait length="2"/><Play>https://cdn.example.test/a.mp3</Play>'
            "<Hangup/><Speak>not played</Speak></Response>"
        ),
    )
    report = _sim(toy).call("failed")
    assert report.ok, report.problems
    assert [e.step for e in report.exchanges] == ["answer", "action", "redirect", "hangup"]
    redirect = toy.seen[2]
    assert (redirect.method, redirect.query) == ("POST", "from=action")
    assert redirect.params["Event"] == "Redirect" and redirect.params["CallUUID"] == toy.seen[0].params["CallUUID"]
    assert report.exchanges[2].played == [
        "<Speak> One moment",
        "<Wait>",
        "<Play> https://cdn.example.test/a.mp3",
        "<Hangup>",
    ]
    assert report.ended == "hangup" and toy.seen[3].params["HangupCauseCode"] == "4000"
    assert len(toy.seen) == 4  # playing makes no request, not even for the <Play> URL


def test_redirect_false_ignores_the_reply_and_goes_on(toy):
    toy.routes["/dialstatus/"] = _answering(
        '<Response><Dial action="{base}/dialstatus/action/" redirect="false"><Number>1</Number></Dial>'
        "<Speak>After the dial</Speak></Response>"
    )
    toy.routes["/dialstatus/action/"] = (200, "text/plain", "whatever, it is ignored")
    report = _sim(toy).call("busy")
    assert report.ok, report.problems
    assert report.exchanges[0].played == ["<Speak> After the dial"]


# --- bad input from the server: a named problem and exit 1, never a traceback ------


@pytest.mark.parametrize(
    ("route", "reply", "problem"),
    [
        ("/dialstatus/", (200, "text/plain", "Status : busy"), "not well-formed XML"),
        ("/dialstatus/action/", (200, "text/plain", "Status : busy"), "not well-formed XML"),
        ("/dialstatus/action/", (200, "text/html", "<Response/>"), "Content-Type: must be application/xml or text/xml"),
        ("/dialstatus/action/", (500, "text/plain", "oops"), "HTTP 500"),
        ("/dialstatus/action/", (200, XML, "<Response><Dial/></Response>"), "at least one <Number> or <User>"),
        ("/dialstatus/action/", (200, XML, "<Response><Shout>hi</Shout></Response>"), "<Shout> is not allowed"),
        (
            "/dialstatus/action/",
            (200, XML, "<Response><Redirect>https://elsewhere.example.test/x</Redirect></Response>"),
            "not under the public URL",
        ),
        (
            "/dialstatus/action/",
            (302, "text/plain", "", {"Location": "https://elsewhere.example.test/"}),
            "HTTP 302 Found to https://elsewhere.example.test/: a redirect is a failure",
        ),
        ("/dialstatus/action/", (200, XML, b"<Response>" + b" " * (10 * 1024 * 1024) + b"</Response>"), "longer than"),
        ("/dialstatus/", (200, XML, "<Response><Speak>no dial</Speak></Response>"), "no <Dial>"),
    ],
    ids=[
        "answer-not-xml",
        "action-not-xml",
        "html-content-type",
        "http-500",
        "empty-dial",
        "unknown-verb",
        "redirect-elsewhere",
        "http-302",
        "10-MB-reply",
        "answer-without-dial",
    ],
)
def test_bad_replies_are_named_problems_and_exit_1(toy, capsys, route, reply, problem):
    toy.routes[route] = reply
    code, out, err = _call(toy, capsys, "--outcome", "busy")
    assert code == 1, out + err
    assert "problem: " in out and problem in out
    assert "Traceback" not in out + err
    assert out.rstrip().endswith("verdict: FAILED, 0 of 1 calls behaved as Plivo requires")
    assert all(s.path in ("/dialstatus/", "/dialstatus/action/") for s in toy.seen)  # nothing followed elsewhere
    assert toy.seen[-1].params.get("CallStatus") == "completed"  # the call still ends with the hangup request


def test_a_slow_reply_is_bounded(toy, capsys):
    def slow(seen):
        time.sleep(8)
        return (200, XML, "<Response/>")

    toy.routes["/dialstatus/action/"] = slow
    started = time.monotonic()
    code, out, _ = _call(toy, capsys, "--outcome", "busy", "--timeout", "0.5")
    assert time.monotonic() - started < 5
    assert code == 1, out  # the server is there, it is just too slow: it misbehaved
    assert "no reply within 0.5 s" in out


def test_a_trickled_reply_is_bounded_too():
    httpd_socket = socket.socket()
    httpd_socket.bind(("127.0.0.1", 0))
    httpd_socket.listen()
    port = httpd_socket.getsockname()[1]

    def serve():
        connection, _ = httpd_socket.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\n\r\n")
            for _ in range(100):  # 10 s of a byte at a time
                try:
                    connection.sendall(b" ")
                except OSError:
                    return
                time.sleep(0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    started = time.monotonic()
    report = Simulator(f"http://127.0.0.1:{port}/dialstatus/", TOKEN, timeout=0.8).call("busy")
    assert time.monotonic() - started < 5  # the answer's 0.8 s, and the hangup request's, which nobody serves
    assert "no reply within 0.8 s" in str(report.problems[0])
    httpd_socket.close()


def test_the_simulator_only_calls_the_server_under_test(toy):
    toy.routes["/dialstatus/"] = _answering(
        '<Response><Dial action="https://elsewhere.example.test/dialstatus/action/" '
        'callbackUrl="https://elsewhere.example.test/events/"><Number>1</Number></Dial></Response>'
    )
    report = _sim(toy).call("busy")
    assert not report.ok
    assert [p.where for p in report.problems] == [
        "answer URL Response/Dial@callbackUrl",
        "answer URL Response/Dial@action",
    ]
    assert all(e.url.startswith(toy.base + "/") for e in report.exchanges)
    assert [e.step for e in report.exchanges] == ["answer", "hangup"]


# --- HTTP on the wire: what is sent, and every way a reply can be framed ------------


def _one_reply(pieces: list[bytes]):
    """A server for one request: it answers with ``pieces`` (written one by one) and closes; what it received."""
    listener = socket.create_server(("127.0.0.1", 0))
    received = []

    def serve():
        connection, _ = listener.accept()
        with connection:
            connection.settimeout(5)
            data = b""
            while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < int(
                dict(line.lower().split(b": ", 1) for line in data.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]).get(
                    b"content-length", b"0"
                )
            ):
                piece = connection.recv(65536)
                if not piece:
                    break
                data += piece
            received.append(data)
            for piece in pieces:
                connection.sendall(piece)
                time.sleep(0.01)  # separate reads on the simulator's side

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", received, thread, listener


def test_the_request_on_the_wire_is_one_plain_http_1_1_request():
    base, received, thread, listener = _one_reply([b"HTTP/1.1 204 No Content\r\n\r\n"])
    reply = send("POST", f"{base}/dialstatus/?x=1", params=[("A", "b c"), ("D", "+1")], headers={"X-Test": "yes"})
    thread.join(5)
    listener.close()
    head, _, body = received[0].partition(b"\r\n\r\n")
    port = base.rsplit(":", 1)[1]
    assert head.split(b"\r\n") == [
        b"POST /dialstatus/?x=1 HTTP/1.1",
        f"Host: 127.0.0.1:{port}".encode(),
        b"X-Test: yes",
        b"Content-Type: application/x-www-form-urlencoded",
        b"Content-Length: 12",
        b"User-Agent: dialsim (Plivo call simulator)",
    ]
    assert body == b"A=b+c&D=%2B1"
    assert (reply.status, reply.body, reply.error) == (204, b"", None)


@pytest.mark.parametrize(
    "headers, path",
    [({"X-Test": "a\r\nX-Smuggled: 1"}, "/"), ({"X-Te st": "a"}, "/"), ({"X-Test:": "a"}, "/"), ({}, "/caf\u00e9/")],
    ids=["line-break-in-value", "space-in-name", "colon-in-name", "unescaped-url"],
)
def test_a_request_that_would_break_is_not_sent(headers, path):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        reply = send("POST", f"http://127.0.0.1:{listener.getsockname()[1]}{path}", body=b"", headers=headers)
        listener.settimeout(0.2)
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing was even connected
    assert reply.status is None and "cannot send this request" in reply.error


def test_form_encoding_matches_urlencode():
    rng = random.Random(3)
    alphabet = "aZ09 +&=%~_.-/?#\u00e9\u2028\x00\n"
    for _ in range(2000):
        pairs = [
            (
                "".join(rng.choice(alphabet) for _ in range(rng.randrange(6))),
                "".join(rng.choice(alphabet) for _ in range(rng.randrange(9))),
            )
            for _ in range(3)
        ]
        assert form_encode(pairs) == urlencode(pairs), pairs


def test_a_seed_gives_the_ids_it_always_gave():
    """The guide's transcripts show seeded call IDs: nonces are drawn as random.choice draws digits."""
    sim, rng = Simulator("http://127.0.0.1:1/", TOKEN, seed=11), random.Random(11)
    for _ in range(50):
        assert sim.new_nonce() == "".join(rng.choice(string.digits) for _ in range(20))
        assert sim.new_uuid() == str(uuid.UUID(int=rng.getrandbits(128), version=4))


_DOC = b"<Response/>"


@pytest.mark.parametrize(
    "pieces, status, body, truncated, error",
    [
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", _DOC], 200, _DOC, False, None),
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n" + _DOC + b"junk after"], 200, _DOC, False, None),
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n" + _DOC], 200, _DOC, False, None),
        ([b"HTTP/1.1 200 OK\nContent-Length: 11\n\n" + _DOC], 200, _DOC, False, None),
        ([b"HTTP/1.0 200 OK\r\n\r\n", _DOC[:5], _DOC[5:]], 200, _DOC, False, None),
        (
            [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<Resp\r\n", b"6;x=y\r\nonse/>\r\n0\r\n\r\n"],
            200,
            _DOC,
            False,
            None,
        ),
        (
            [b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n" + _DOC],
            200,
            _DOC,
            False,
            None,
        ),
        ([b"HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n" + b"x" * 30], 200, b"x" * 20, True, None),
        (
            [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1e\r\n" + b"x" * 30 + b"\r\n0\r\n\r\n"],
            200,
            b"x" * 20,
            True,
            None,
        ),
        ([b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 30], 200, b"x" * 20, True, None),
        ([], None, b"", False, "closed the connection without a reply"),
        ([b"<Response/>\r\n"], None, b"", False, "not an HTTP status line"),
        ([b"HTTP/1.1 200 OK\r\nContent-Le"], None, b"", False, "in the middle of the reply's headers"),
        ([b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"], 200, b"", False, "not a chunk size"),
        (
            [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort"],
            200,
            b"",
            False,
            "in the middle of a chunk",
        ),
        ([b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n"], None, b"", False, "longer than 65536 bytes"),
    ],
    ids=[
        "content-length",
        "extra-bytes-ignored",
        "cut-short-by-close",
        "bare-lf",
        "until-close",
        "chunked",
        "100-continue",
        "over-limit",
        "chunked-over-limit",
        "until-close-over-limit",
        "no-reply",
        "no-status-line",
        "cut-in-headers",
        "bad-chunk",
        "cut-in-chunk",
        "huge-header",
    ],
)
def test_every_framing_of_a_reply_is_read_or_named(pieces, status, body, truncated, error):
    base, _, thread, listener = _one_reply(pieces)
    reply = send("POST", f"{base}/", params=[("A", "b")], max_reply_bytes=20, timeout=5)
    thread.join(5)
    listener.close()
    assert (reply.status, reply.body, reply.truncated) == (status, body, truncated), reply.error
    if error is None:
        assert reply.error is None
    else:
        assert error in (reply.error or ""), reply.error
        assert not reply.unreachable


# --- exit codes, --expect refused, --json, --junit ---------------------------------


def test_exit_0_when_the_server_behaves(toy, capsys):
    code, out, _ = _call(toy, capsys, "--outcome", "completed")
    assert code == 0, out
    assert "  the call ends: the XML has no more instructions\n  > POST" in out
    assert out.rstrip().endswith("verdict: ok, 1 of 1 calls behaved as Plivo requires")


def test_exit_0_for_all_outcomes_and_a_list(toy, capsys):
    code, out, _ = _call(toy, capsys)
    assert code == 0 and "call 5 of 5" in out
    code, out, _ = _call(toy, capsys, "--outcome", "busy,completed")
    assert code == 0 and "the dial ends with DialStatus=busy" in out  # one Dial played: one outcome used


def test_exit_3_when_nothing_listens(capsys):
    url = f"http://127.0.0.1:{_free_port()}/dialstatus/"
    code, out, _ = _cli(capsys, "call", url, "--auth-token", TOKEN, "--outcome", "busy")
    assert code == 3, out
    assert "problem: answer URL: no reply: cannot connect" in out and "could not be reached" in out
    assert "verdict: FAILED, 0 of 1 calls" in out
    report = Simulator(url, TOKEN).call("busy")
    assert not report.ok and report.unreachable and len(report.exchanges) == 1
    code, out, _ = _cli(capsys, "call", url, "--auth-token", TOKEN, "--unsigned", "--expect", "refused")
    assert code == 3, out


@pytest.mark.parametrize(
    "args",
    [
        ["--outcome", "engaged"],
        ["--outcome", "busy,"],
        ["--expect", "refused"],  # validly signed requests must be accepted: nothing to refuse
        ["--unsigned", "--forged"],
        ["--hangup-url", "https://elsewhere.example.test/hangup/"],
        ["--timeout", "0"],
    ],
    ids=[
        "unknown-outcome",
        "empty-outcome",
        "refused-but-signed",
        "unsigned-and-forged",
        "hangup-elsewhere",
        "timeout-0",
    ],
)
def test_exit_2_for_usage_errors(toy, capsys, args):
    code, _, err = _call(toy, capsys, *args)
    assert code == 2
    assert "usage:" in err and "Traceback" not in err
    assert toy.seen == []


@pytest.mark.parametrize("where", ["answer", "public"])
def test_exit_2_for_a_port_out_of_range(capsys, where):
    answer_url = "http://127.0.0.1:99999/dialstatus/" if where == "answer" else "http://127.0.0.1:8083/dialstatus/"
    extra = ["--public-url", "https://tunnel.example.test:70000"] if where == "public" else []
    code, _, err = _cli(capsys, "call", answer_url, "--auth-token", TOKEN, *extra)
    assert code == 2, err
    assert f"the {where} URL's port is not a port number" in err and "Traceback" not in err


def test_exit_2_without_a_token(capsys, monkeypatch):
    monkeypatch.delenv("PLIVO_AUTH_TOKEN", raising=False)
    code, _, err = _cli(capsys, "call", "http://127.0.0.1:9/dialstatus/")
    assert code == 2
    assert "PLIVO_AUTH_TOKEN" in err


@pytest.mark.parametrize("flag", ["--unsigned", "--forged"])
def test_expect_refused_passes_when_every_request_gets_403(toy, capsys, flag):
    toy.check_signatures = True
    code, out, _ = _call(toy, capsys, "--outcome", "busy", flag, "--expect", "refused")
    assert code == 0, out
    assert [e.step for e in _sim(toy).call("busy", signing=Signing.NONE, expect=Expect.REFUSED).exchanges] == [
        "answer",
        "hangup",
    ]
    assert out.rstrip().endswith("verdict: ok, 1 of 1 calls had every request refused with 403")
    # the same flag without --expect refused: the refusals are failures
    code, out, _ = _call(toy, capsys, "--outcome", "busy", flag)
    assert code == 1 and "HTTP 403" in out


def test_expect_refused_fails_a_server_that_accepts_anything(toy, capsys):
    code, out, _ = _call(toy, capsys, "--outcome", "busy", "--unsigned", "--expect", "refused")
    assert code == 1, out
    assert out.count("must be refused with 403") == 3  # answer, action and hangup all accepted


def test_expect_refused_fails_when_only_some_requests_are_refused(toy, capsys):
    toy.routes["/dialstatus/action/"] = (403, "text/plain", "no")
    code, out, _ = _call(toy, capsys, "--outcome", "busy", "--forged", "--expect", "refused")
    assert code == 1
    assert out.count("must be refused with 403") == 2  # answer and hangup


def test_json_shows_every_step(toy, capsys):
    code, out, _ = _call(toy, capsys, "--outcome", "no-answer", "-d", "From=+441234567890", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True and report["exit_status"] == 0
    (call,) = report["calls"]
    assert [e["step"] for e in call["exchanges"]] == ["answer", "action", "hangup"]
    assert call["ended"] == "end" and call["outcomes"] == ["no-answer"]
    answer, action, hangup = toy.seen
    assert answer.params["From"] == hangup.params["From"] == "+441234567890"
    assert "From" not in action.params  # an override goes where Plivo sends that parameter
    assert action.params["DialStatus"] == "no-answer" and action.params["DialBLegUUID"] == ""
    assert validate_signature(
        TOKEN,
        "POST",
        toy.base + "/dialstatus/action/",
        action.headers[pd.NONCE_HEADER],
        action.headers[pd.SIGNATURE_HEADER],
        action.params,
    )


def test_junit_has_one_case_per_request(toy, capsys, tmp_path):
    toy.routes["/dialstatus/action/"] = (500, "text/plain", "oops")
    junit = tmp_path / "dialsim.xml"
    code, _, _ = _call(toy, capsys, "--outcome", "busy", "--junit", str(junit))
    assert code == 1
    suites = ET.parse(junit).getroot()
    (suite,) = suites.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "01 answer POST /dialstatus/",
        "02 action POST /dialstatus/action/",
        "03 hangup POST /dialstatus/",
    ]
    assert [c.find("failure") is not None for c in cases] == [False, True, False]
    assert "HTTP 500" in cases[1].find("failure").get("message")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "0")


def test_junit_marks_an_unreachable_server_as_an_error(capsys, tmp_path):
    junit = tmp_path / "dialsim.xml"
    url = f"http://127.0.0.1:{_free_port()}/dialstatus/"
    code, _, _ = _cli(capsys, "call", url, "--auth-token", TOKEN, "--outcome", "busy", "--junit", str(junit))
    assert code == 3
    suites = ET.parse(junit).getroot()
    (case,) = suites.iter("testcase")
    assert case.find("error") is not None


# --- the pytest plugin ----------------------------------------------------------------

USER_TEST = """
def test_busy_callee_hears_the_apology(dialsim):
    report = dialsim.call("busy")
    assert report.ok and "Sorry" in report.action.text, report.problems
"""


def _pytest_with_plugin(tmp_path, env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_user.py").write_text(USER_TEST)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIALSIM_", "PYTEST_"))}
    # Load the plugin by module, whether or not this environment registered its entry point.
    env.update(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PLIVO_AUTH_TOKEN=TOKEN, **env_extra)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "dialsim.pytest_plugin", "-q", "-p", "no:cacheprovider", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_plugin_fixture_plays_a_call_in_a_users_test(toy, tmp_path):
    toy.routes["/dialstatus/action/"] = (200, XML, APOLOGY_XML)
    done = _pytest_with_plugin(tmp_path, {"DIALSIM_URL": toy.answer_url})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert [s.path for s in toy.seen] == ["/dialstatus/", "/dialstatus/action/", "/dialstatus/"]


def test_plugin_test_fails_when_the_server_misbehaves(toy, tmp_path):
    toy.routes["/dialstatus/action/"] = (200, "text/plain", "Status : busy")
    done = _pytest_with_plugin(tmp_path, {}, "--dialsim-url", toy.answer_url)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not well-formed XML" in done.stdout


def test_plugin_says_what_is_missing(tmp_path):
    done = _pytest_with_plugin(tmp_path, {})
    assert done.returncode == 1
    assert "--dialsim-url" in done.stdout and "DIALSIM_URL" in done.stdout


def test_quiet_prints_only_problems_and_the_verdict(toy, capsys):
    code, out, _ = _call(toy, capsys, "--quiet")
    assert (code, out) == (0, "verdict: ok, 5 of 5 calls behaved as Plivo requires\n")
    toy.routes["/dialstatus/action/"] = (500, "text/plain", "oops")
    code, out, _ = _call(toy, capsys, "--quiet", "--outcome", "busy")
    assert code == 1
    assert out.splitlines() == [
        (
            "call 1 of 1 (DialStatus=busy): problem: action URL (DialStatus=busy): HTTP 500 Internal Server Error; "
            "Plivo needs 200"
        ),
        "verdict: FAILED, 0 of 1 calls behaved as Plivo requires",
    ]


def test_callbacks_count_as_steps_too(toy):
    dial = '<Dial callbackUrl="{base}/events/"><Number>1</Number></Dial>'  # no action: the document goes on
    toy.routes["/dialstatus/"] = _answering("<Response>" + dial * 50 + "</Response>")
    toy.routes["/events/"] = (200, "text/plain", "")
    report = _sim(toy).call("busy")
    assert [e.step for e in report.exchanges] == ["answer"] + ["callback"] * 9 + ["hangup"]
    assert "more than 10 steps" in str(report.problems[-1])


def test_a_server_that_goes_away_mid_call_is_unreachable(capsys):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"

    def answer_once_then_stop():
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            listener.close()  # before the reply, so the next request surely finds nothing listening
            body = ANSWER_XML.replace("{base}", base).encode()
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
            )

    thread = threading.Thread(target=answer_once_then_stop, daemon=True)
    thread.start()
    code, out, _ = _cli(capsys, "call", f"{base}/dialstatus/", "--auth-token", TOKEN, "--outcome", "busy", "--quiet")
    thread.join(5)
    assert code == 3, out
    assert "problem: action URL (DialStatus=busy): no reply: cannot connect" in out
    assert out.count("problem:") == 1  # and no hangup request to a server that is gone


def test_a_junit_file_that_cannot_be_written_is_exit_2(toy, capsys, tmp_path):
    code, out, err = _call(toy, capsys, "--outcome", "busy", "--junit", str(tmp_path / "missing" / "dialsim.xml"))
    assert code == 2
    assert "verdict: ok" in out and "cannot write" in err and "Traceback" not in err
