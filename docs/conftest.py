"""Run the terminal sessions of the testing page against a real example server.

Sybil collects every ```` ```console ```` block of ``test-locally.md``. Each
``$`` line is a command; the lines after it, up to the next ``$`` line, are
the output the page promises. Two kinds of command are allowed:

* ``export NAME=VALUE`` sets a variable for the commands that follow;
* ``dialsim ...`` runs the simulator (``python -m dialsim``), without a shell;
* ``pytest ...`` runs pytest (``python -m pytest``), with dialsim's plugin;
* ``echo $?`` prints the exit status of the command before.

Anything else fails the test, so the page cannot show a command nobody runs.
Commands run in a scratch directory of the page's own. A block titled with a
Python file name (```` ```text title="test_dial_status.py" ````) is written
there, for the commands after it to use. pytest's timing ("in 0.15s") is not
compared.

A block titled ``Server output`` (```` ```text title="Server output" ````) is
the example server's log lines (``dial-status``, ``call-hangup`` and
``request-refused``, in the order printed) since the previous such block.

The commands target the Python example, started through the test harness on
a free port; the page shows the example's default port, and the two are
swapped in commands and output.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
import shlex
import subprocess
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer

ROOT = Path(__file__).resolve().parents[1]
# The harness lives in tests/; make it importable when only docs/ is collected.
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))


def _load_generator():
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


from harness.examples import load_examples
from harness.server import HANGUP_PREFIX, LOG_PREFIX, REFUSED_PREFIX, ExampleServer
from harness.skips import require_ready

PAGE_EXAMPLE = "python"
# The token the page's tabs tell the reader to start the example with.
PAGE_TOKEN = _load_generator().LOCAL_TOKEN
# The example's default DIAL_NUMBER, which the page's output shows.
PAGE_DIAL_NUMBER = "+15555550100"
COMMAND_TIMEOUT = 60
# The lines of the contract's log; the server's other output (its start-up
# banner, for one) is not part of what the page promises.
SERVER_LOG_PREFIXES = (LOG_PREFIX, HANGUP_PREFIX, REFUSED_PREFIX)


class PageSession:
    """The example server and the shell state shared by one page's blocks."""

    def __init__(self, server: ExampleServer, page_port: int, workdir: Path) -> None:
        self.server = server
        self.page_host = f"127.0.0.1:{page_port}"
        self.real_host = f"127.0.0.1:{server.port}"
        self.env: dict[str, str] = {}
        self.log_mark = 0
        self.workdir = workdir
        self.last_status = 0

    def to_real(self, text: str) -> str:
        return text.replace(self.page_host, self.real_host)

    def to_page(self, text: str) -> str:
        return text.replace(self.real_host, self.page_host)

    def run(self, command: str) -> str:
        words = shlex.split(command)
        if words and words[0] == "export" and len(words) == 2 and "=" in words[1]:
            name, _, value = words[1].partition("=")
            self.env[name] = value
            return ""
        if words == ["echo", "$?"]:
            return f"{self.last_status}\n"
        if not words or words[0] not in ("dialsim", "pytest"):
            raise AssertionError(f"this page may only run `dialsim`, `pytest`, `echo $?` and `export`, not: {command}")
        env = {k: v for k, v in os.environ.items() if k != "PLIVO_AUTH_TOKEN" and not k.startswith("PYTEST_")}
        env.update(self.env)
        env = {k: self.to_real(v) for k, v in env.items()}
        extra = _pytest_plugin_args() if words[0] == "pytest" else []
        env["COLUMNS"] = "80"  # pytest's progress line is as wide as the page shows it
        done = subprocess.run(
            [sys.executable, "-m", words[0], *extra, *(self.to_real(w) for w in words[1:])],
            cwd=self.workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        self.last_status = done.returncode
        return self.to_page(done.stdout + done.stderr)

    def new_log_lines(self, expected: int) -> list[str]:
        # The server prints before it replies, but its output is read by a
        # thread: give it a moment to catch up.
        deadline = time.monotonic() + 5
        while True:
            lines = [line for line in self.server.log.since(self.log_mark) if line.startswith(SERVER_LOG_PREFIXES)]
            if len(lines) >= expected or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.log_mark = self.server.log.mark()
        return [self.to_page(line) for line in lines]


def _pytest_plugin_args() -> list[str]:
    """Load dialsim's plugin by name in an environment installed before it had its entry point."""
    registered = any(ep.value == "dialsim.pytest_plugin" for ep in entry_points(group="pytest11"))
    return [] if registered else ["-p", "dialsim.pytest_plugin"]


_PYTEST_TIMING = re.compile(r" in [0-9.]+s\b")


def _normalise(text: str) -> list[str]:
    lines = [_PYTEST_TIMING.sub(" in (time)", line.rstrip()) for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _compare(what: str, expected: str, actual: str) -> None:
    want, got = _normalise(expected), _normalise(actual)
    if want != got:
        diff = "\n".join(difflib.unified_diff(want, got, "the page", "the real output", lineterm=""))
        raise AssertionError(f"{what}: the page and the real output differ\n{diff}")


def _session(example) -> PageSession:
    session = example.namespace.get("page_session")
    if session is None:
        raise AssertionError("no example server: the page_session fixture did not run")
    return session


def evaluate_console(example) -> None:
    session = _session(example)
    command, output = None, []

    def finish() -> None:
        if command is not None:
            _compare(f"$ {command}", "\n".join(output), session.run(command))

    for line in str(example.parsed).splitlines():
        if line.startswith("$ "):
            finish()
            command, output = line[2:], []
        elif command is None:
            if line.strip():
                raise AssertionError(f"output before any command: {line!r}")
        else:
            output.append(line)
    finish()


def write_file(example) -> None:
    session = _session(example)
    (session.workdir / example.region.lexemes["path"]).write_text(str(example.parsed))


def evaluate_server_output(example) -> None:
    session = _session(example)
    expected = _normalise(str(example.parsed))
    _compare("the example server's output", "\n".join(expected), "\n".join(session.new_log_lines(len(expected))))


class _Blocks:
    """Sybil parser for fenced blocks whose info string matches ``info``."""

    def __init__(self, info: str, evaluator) -> None:
        self.lexer = RawFencedCodeBlockLexer(info_pattern=re.compile(info + r"[ \t]*$\n", re.MULTILINE))
        self.evaluator = evaluator

    def __call__(self, document):
        for region in self.lexer(document):
            region.parsed = region.lexemes["source"]
            region.evaluator = self.evaluator
            yield region


@pytest.fixture(scope="module")
def page_session(tmp_path_factory):
    example = next(example for example in load_examples() if example.key == PAGE_EXAMPLE)
    readiness = require_ready(example)
    server = ExampleServer(readiness, auth_token=PAGE_TOKEN, dial_number=PAGE_DIAL_NUMBER)
    server.start(tmp_path_factory.mktemp("docs-server"))
    try:
        server.wait_until_listening()
        yield PageSession(server, example.port, tmp_path_factory.mktemp("page-files"))
    finally:
        server.stop()


pytest_collect_file = Sybil(
    parsers=[
        _Blocks(r"console", evaluate_console),
        _Blocks(r'text[ \t]+title="Server output"', evaluate_server_output),
        _Blocks(r'text[ \t]+title="(?P<path>[A-Za-z0-9_]+\.py)"', write_file),
    ],
    patterns=["test-locally.md", "test-in-ci.md"],
    fixtures=["page_session"],
).pytest()
