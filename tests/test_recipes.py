"""Recipes beside the Python example, each run by its README command on waitress
and played end to end through the simulator; and the Python example's own
correction of the SDK's signature helper.
"""

from __future__ import annotations

import shlex
import xml.etree.ElementTree as ET

import pytest
from harness.examples import load_examples
from harness.lines import APOLOGY
from harness.server import AUTH_TOKEN, HANGUP_PREFIX, LOG_PREFIX, REFUSED_PREFIX, ExampleServer
from harness.skips import require_ready

from dialsim import Signing, Simulator

pytestmark = pytest.mark.example

PYTHON = next(example for example in load_examples() if example.key == "python")
#: The recipe's start command, as its section of the README gives it.
SECOND_NUMBER_RUN = (".venv/bin/python", "second_number.py")
SECOND_NUMBER = "+14155550177"


@pytest.fixture(scope="module")
def python_ready():
    return require_ready(PYTHON)


def started(readiness, tmp_path_factory, **config) -> ExampleServer:
    server = ExampleServer(readiness, auth_token=AUTH_TOKEN, **config)
    server.start(tmp_path_factory.mktemp("recipes"))
    try:
        server.wait_until_listening()
    except RuntimeError as error:
        server.stop()
        pytest.fail(str(error), pytrace=False)
    return server


@pytest.fixture(scope="module")
def recipe(python_ready, tmp_path_factory):
    server = started(python_ready, tmp_path_factory, command=SECOND_NUMBER_RUN, env={"SECOND_NUMBER": SECOND_NUMBER})
    yield server
    try:
        assert server.problem_after_use() is None, server.problem_after_use()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def main_app(python_ready, tmp_path_factory):
    server = started(python_ready, tmp_path_factory)
    yield server
    try:
        assert server.problem_after_use() is None, server.problem_after_use()
    finally:
        server.stop()


def test_readme_gives_the_recipe_command():
    readme = (PYTHON.directory / "README.md").read_text()
    assert shlex.join(SECOND_NUMBER_RUN) in readme, "README.md should start the recipe as the test does"


def action_replies(report) -> list[ET.Element]:
    return [ET.fromstring(e.body) for e in report.exchanges if e.step == "action"]


def dialled(root: ET.Element) -> list[tuple[str, str]]:
    """(number, action URL) of each <Dial> in a reply."""
    return [(dial.findtext("Number"), dial.get("action")) for dial in root.iter("Dial")]


def lines(server, since: int, prefix: str) -> list[str]:
    return server.log.status_lines(since, prefix=prefix)


def wait_for_hangup_line(server, since: int) -> None:
    line = server.log.wait_for(lambda _: True, since, prefix=HANGUP_PREFIX)
    assert line is not None, f"no call-hangup line:\n{server.output()}"


@pytest.mark.parametrize(
    ("outcomes", "last_reply"),
    [(["busy", "completed"], "ends"), (["no-answer", "busy"], "apology"), (["busy", "no-answer"], "apology")],
)
def test_second_number_is_tried_when_the_first_fails(recipe, outcomes, last_reply):
    since = recipe.log.mark()
    sim = Simulator(recipe.answer_url, AUTH_TOKEN, public_url=recipe.public_url)
    report = sim.call(outcomes)
    assert report.ok, [str(p) for p in report.problems]
    assert [e.step for e in report.exchanges] == ["answer", "action", "action", "hangup"], report.exchanges
    first, second = action_replies(report)
    assert dialled(first) == [(SECOND_NUMBER, f"{recipe.public_url}/dialstatus/second/")]
    if last_reply == "ends":
        assert [child.tag for child in second] in ([], ["Hangup"])
    else:
        assert [child.text for child in second.iter("Speak")] == [APOLOGY]
    wait_for_hangup_line(recipe, since)
    logged = [line.split()[1] for line in lines(recipe, since, LOG_PREFIX)]
    assert logged == [f"status={outcome}" for outcome in outcomes]
    assert len(lines(recipe, since, HANGUP_PREFIX)) == 1


@pytest.mark.parametrize("outcome", ["completed", "failed", "timeout"])
def test_other_outcomes_end_as_in_the_main_example(recipe, outcome):
    since = recipe.log.mark()
    sim = Simulator(recipe.answer_url, AUTH_TOKEN, public_url=recipe.public_url)
    report = sim.call(outcome)
    assert report.ok, [str(p) for p in report.problems]
    (reply,) = action_replies(report)
    assert dialled(reply) == []
    speaks = [child.text for child in reply.iter("Speak")]
    assert speaks == ([] if outcome == "completed" else [APOLOGY])
    wait_for_hangup_line(recipe, since)
    assert [line.split()[1] for line in lines(recipe, since, LOG_PREFIX)] == [f"status={outcome}"]


def test_recipe_refuses_unsigned_requests(recipe):
    sim = Simulator(recipe.answer_url, AUTH_TOKEN, public_url=recipe.public_url)
    since = recipe.log.mark()
    for path in ("/dialstatus/", "/dialstatus/action/", "/dialstatus/second/"):
        reply = sim.request("POST", recipe.base_url + path, [("DialStatus", "busy")], signing=Signing.NONE)
        assert reply.status == 403, f"{path}: {reply.status}"
    assert lines(recipe, since, LOG_PREFIX) == []
    assert len(lines(recipe, since, REFUSED_PREFIX + "reason=no-signature ")) == 3, recipe.output()


def test_get_with_non_ascii_values_is_accepted(main_app):
    """plivo 4.63 raises on a non-ASCII escape in a URL's query; the example gives it a GET's query decoded."""
    since = main_app.log.mark()
    sim = Simulator(main_app.answer_url, AUTH_TOKEN, public_url=main_app.public_url)
    params = [("DialStatus", "busy"), ("DialALegUUID", "aleg-zoë"), ("DialHangupCause", "USER_BUSY\u2028x")]
    reply = sim.request("GET", main_app.action_url, params)
    assert reply.status == 200, f"GET with non-ASCII values: {reply.status} {reply.text[:200]}"
    line = main_app.log.wait_for(lambda text: "aleg-zoë" in text, since)
    assert line == "dial-status status=busy aleg=aleg-zoë bleg= hangup_cause=USER_BUSY_x rang=", line
