"""Fixtures that run the examples in examples/ as real servers."""

from __future__ import annotations

import os

import pytest
from harness.examples import load_examples
from harness.readiness_cache import prepared, readiness_of
from harness.server import AUTH_TOKEN, ExampleServer, ServerPool

from dialsim import Simulator


#: PUBLIC_URLs as a tunnel or reverse proxy gives them. "port-and-path" has an
#: explicit port (which some SDKs drop when they check signatures) and a path
#: prefix with "&" (which the XML must escape); "https-domain" is the plain
#: case, where those SDKs' own helpers are used as they are.
PROXIED_PUBLIC_URLS = {
    "port-and-path": "https://tunnel.example.test:8443/hooks&co",
    "https-domain": "https://calls.example.test",
}

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


@pytest.fixture(params=list(PROXIED_PUBLIC_URLS), ids=list(PROXIED_PUBLIC_URLS))
def proxied_server(request, server_pool, ready):
    """The example configured as if reached through a tunnel at one of PROXIED_PUBLIC_URLS."""
    yield from _running(server_pool, ready, public_url=PROXIED_PUBLIC_URLS[request.param])


@pytest.fixture
def tunnel_server(server_pool, ready):
    """The example behind the "port-and-path" PUBLIC_URL only."""
    yield from _running(server_pool, ready, public_url=PROXIED_PUBLIC_URLS["port-and-path"])


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
