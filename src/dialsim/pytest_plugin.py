"""pytest plugin: the ``dialsim`` fixture, for tests of your own server.

Installed with the package and registered as a ``pytest11`` entry point, so
pytest loads it by itself. It starts nothing: point it at a server that is
already running, with ``--dialsim-url`` (or ``DIALSIM_URL``); the auth token
comes from ``PLIVO_AUTH_TOKEN``. A test then reads::

    def test_busy_callee_hears_the_apology(dialsim):
        report = dialsim.call("busy")
        assert report.ok and "Sorry" in report.action.text, report.problems
"""

from __future__ import annotations

import os

import pytest

from .simulator import Simulator


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dialsim", "Plivo call simulator")
    group.addoption(
        "--dialsim-url",
        metavar="ANSWER_URL",
        help="answer URL of the server the dialsim fixture calls (default: $DIALSIM_URL)",
    )
    group.addoption(
        "--dialsim-public-url",
        metavar="URL",
        help="the server's PUBLIC_URL, when it differs from the answer URL's base (default: $DIALSIM_PUBLIC_URL)",
    )
    group.addoption(
        "--dialsim-hangup-url",
        metavar="URL",
        help="the application's hangup URL (default: $DIALSIM_HANGUP_URL, else the answer URL)",
    )


def _setting(config: pytest.Config, option: str, variable: str) -> str | None:
    return config.getoption(option) or os.environ.get(variable) or None


@pytest.fixture
def dialsim(request: pytest.FixtureRequest) -> Simulator:
    """A :class:`dialsim.Simulator` aimed at the server under test."""
    config = request.config
    answer_url = _setting(config, "dialsim_url", "DIALSIM_URL")
    if not answer_url:
        pytest.fail("dialsim: no server to call: pass --dialsim-url ANSWER_URL or set DIALSIM_URL", pytrace=False)
    token = os.environ.get("PLIVO_AUTH_TOKEN")
    if not token:
        pytest.fail("dialsim: set PLIVO_AUTH_TOKEN to the token your server checks signatures with", pytrace=False)
    try:
        return Simulator(
            answer_url,
            token,
            public_url=_setting(config, "dialsim_public_url", "DIALSIM_PUBLIC_URL"),
            hangup_url=_setting(config, "dialsim_hangup_url", "DIALSIM_HANGUP_URL"),
        )
    except ValueError as error:
        pytest.fail(f"dialsim: {error}", pytrace=False)
