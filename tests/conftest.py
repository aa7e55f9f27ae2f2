"""Fixtures that run the examples in examples/ as real servers."""

from __future__ import annotations

import os
import secrets

import pytest
from harness.examples import load_examples
from harness.readiness_cache import prepared, readiness_of
from harness.server import ExampleServer, ServerPool

from dialsim import Simulator

#: Shaped like a Plivo auth token; new every session so nothing depends on it.
AUTH_TOKEN = "MT" + secrets.token_hex(19)

#: A PUBLIC_URL as a reverse proxy or tunnel gives it: an explicit port (which
#: some SDKs drop when they check signatures) and a path prefix with "&" (which
#: the XML must escape).
PROXIED_PUBLIC_URL = "https://tunnel.example.test:8443/hooks&co"

EXAMPLES = load_examples()

#: In CI, the examples that may be skipped (e.g. "dotnet"); any other skip fails.
ALLOWED_SKIPS = os.environ.get("DIALSIM_ALLOWED_SKIPS")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "example" in metafunc.fixturenames:
        metafunc.parametrize("example", EXAMPLES, ids=[e.key for e in EXAMPLES], scope="session")


@pytest.fixture(scope="session")
def server_pool(tmp_path_factory) -> ServerPool:
    pool = ServerPool(tmp_path_factory.mktemp("servers"))
    yield pool
    pool.stop_all()


@pytest.fixture(scope="session")
def ready(example):
    readiness = readiness_of(example)
    if readiness.skip_reason:
        if ALLOWED_SKIPS is not None and example.key not in ALLOWED_SKIPS.split(","):
            pytest.fail(
                f"{readiness.skip_reason} (DIALSIM_ALLOWED_SKIPS={ALLOWED_SKIPS!r} does not allow it)", pytrace=False
            )
        pytest.skip(readiness.skip_reason)
    if readiness.setup_error:
        pytest.fail(readiness.setup_error, pytrace=False)
    return readiness


def _running(pool: ServerPool, readiness, **config) -> ExampleServer:
    try:
        server = pool.get(readiness, auth_token=AUTH_TOKEN, **config)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    # Whatever a test sent, the server must still be serving afterwards.
    if not server.alive():
        pytest.fail(
            f"{server.example.label}: the server died during this test (exit {server.process.returncode})\n{server.output()}",
            pytrace=False,
        )


@pytest.fixture
def server(server_pool, ready):
    """The example with the default configuration (PUBLIC_URL = its local address)."""
    yield from _running(server_pool, ready)


@pytest.fixture
def proxied_server(server_pool, ready):
    """The example configured as if reached through a tunnel at PROXIED_PUBLIC_URL."""
    yield from _running(server_pool, ready, public_url=PROXIED_PUBLIC_URL)


@pytest.fixture
def sim(server) -> Simulator:
    return Simulator(server.answer_url, AUTH_TOKEN, public_url=server.public_url)


@pytest.fixture
def proxied_sim(proxied_server) -> Simulator:
    return Simulator(proxied_server.answer_url, AUTH_TOKEN, public_url=proxied_server.public_url)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say, per language, what it ran on or why it did not run."""
    if not prepared():
        return
    terminalreporter.section("example servers")
    for readiness in prepared():
        label = readiness.example.label
        if readiness.skip_reason:
            terminalreporter.write_line(f"{label:8} SKIPPED: {readiness.skip_reason}")
        elif readiness.setup_error:
            terminalreporter.write_line(f"{label:8} SETUP FAILED (see errors above)")
        else:
            terminalreporter.write_line(f"{label:8} ran on {readiness.sdk}")
