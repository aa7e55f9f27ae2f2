"""The simulator itself: signatures, the XML checker, and the CLI's verdicts."""

from __future__ import annotations

import json
import random
import string
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode

import pytest
from plivo.utils.signature_v3 import validate_v3_signature as sdk_validate_v3_signature

from dialsim import Simulator, base_string, check_xml, compute_signature, validate_signature
from dialsim import plivo_data as pd
from dialsim.cli import main as cli_main

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


# --- the CLI against servers that break the contract ---------------------------

TOKEN = "MTsimulatorselftest0000000000000000000"


class _Server(BaseHTTPRequestHandler):
    """A minimal server whose behaviour each test chooses."""

    action_reply: tuple[int, str, str] = (200, "application/xml", "<Response/>")
    action_base: str | None = None  # where the Dial's action points; None: this server
    requests: list = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def _reply(self, status, content_type, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        base = type(self).action_base or f"http://127.0.0.1:{self.server.server_address[1]}"
        type(self).requests.append((self.path, dict(self.headers), form))
        if self.path == "/dialstatus/":
            self._reply(
                200,
                "application/xml",
                f'<Response><Dial action="{base}/dialstatus/action/" method="POST">'
                "<Number>+15555550100</Number></Dial></Response>",
            )
        else:
            self._reply(*type(self).action_reply)


@pytest.fixture
def toy_server():
    _Server.requests = []
    _Server.action_base = None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _cli(toy_server, capsys, *extra):
    url = f"http://127.0.0.1:{toy_server.server_address[1]}/dialstatus/"
    code = cli_main(["call", url, "--auth-token", TOKEN, "--seed", "7", *extra])
    return code, capsys.readouterr().out


def test_cli_passes_a_server_that_behaves(toy_server, capsys):
    _Server.action_reply = (200, "application/xml", "<Response/>")
    code, out = _cli(toy_server, capsys, "--outcome", "completed")
    assert code == 0, out
    assert out.rstrip().endswith("verdict: ok, 1 of 1 calls behaved as Plivo requires")


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        ((200, "text/plain", "Status : busy"), "not well-formed XML"),
        ((200, "text/html", "<Response/>"), "Content-Type: must be application/xml or text/xml"),
        ((500, "text/plain", "oops"), "HTTP 500"),
        ((200, "application/xml", "<Response><Dial/></Response>"), "at least one <Number> or <User>"),
    ],
)
def test_cli_fails_a_server_that_breaks_the_contract(toy_server, capsys, reply, problem):
    _Server.action_reply = reply
    code, out = _cli(toy_server, capsys, "--outcome", "busy")
    assert code == 1, out
    assert problem in out
    assert "verdict: FAILED, 0 of 1 calls behaved as Plivo requires" in out


def test_cli_sends_plivo_parameters_signed(toy_server, capsys):
    _Server.action_reply = (200, "application/xml", "<Response><Speak>Sorry</Speak></Response>")
    code, out = _cli(toy_server, capsys, "--outcome", "no-answer", "-d", "From=+441234567890", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    (answer_path, _answer_headers, answer_form), (_action_path, action_headers, action_form) = _Server.requests
    assert answer_path == "/dialstatus/" and answer_form["From"] == "+441234567890"
    assert answer_form["Event"] == "StartApp" and answer_form["Direction"] == "inbound"
    assert action_form["DialStatus"] == "no-answer" and action_form["DialBLegUUID"] == ""
    assert action_form["DialALegUUID"] == answer_form["CallUUID"]
    assert "From" not in action_form  # an override goes where Plivo sends that parameter
    port = toy_server.server_address[1]
    assert validate_signature(
        TOKEN,
        "POST",
        f"http://127.0.0.1:{port}/dialstatus/action/",
        action_headers[pd.NONCE_HEADER],
        action_headers[pd.SIGNATURE_HEADER],
        action_form,
    )


def test_simulator_never_calls_a_host_outside_the_public_url(toy_server):
    # The answer names an action URL on another host: reported, not requested.
    _Server.action_base = "https://elsewhere.example.test"
    sim = Simulator(f"http://127.0.0.1:{toy_server.server_address[1]}/dialstatus/", TOKEN)
    report = sim.call("busy")
    assert not report.ok
    assert "not under the public URL" in str(report.problems[-1])
    assert len(report.exchanges) == 1


def test_cli_reports_an_unreachable_server(capsys):
    code = cli_main(
        ["call", "http://127.0.0.1:9/dialstatus/", "--auth-token", TOKEN, "--outcome", "busy", "--timeout", "2"]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "no reply" in out


def test_cli_usage_errors_exit_2(capsys, monkeypatch):
    monkeypatch.delenv("PLIVO_AUTH_TOKEN", raising=False)
    with pytest.raises(SystemExit) as raised:
        cli_main(["call", "http://127.0.0.1:9/dialstatus/"])
    assert raised.value.code == 2
    assert "PLIVO_AUTH_TOKEN" in capsys.readouterr().err
