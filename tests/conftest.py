"""Fixtures that run the examples in examples/ as real servers."""

from __future__ import annotations


import pytest
from harness.examples import load_examples
from harness.readiness_cache import prepared
from harness.server import AUTH_TOKEN, ExampleServer, ServerPool
from harness.skips import require_ready

from dialsim import Simulator

#: PUBLIC_URLs as users type them for a tunnel, a reverse proxy or a domain.
#: An explicit port is one that some SDKs drop when they check signatures; a
#: path holds "&" (which the XML must escape) and "+" (which a query decoder
#: would turn into a space); a trailing "/" is to be dropped.
PUBLIC_URLS = {
    "trailing-slash": "https://calls.example.test/",
    "explicit-port": "https://tunnel.example.test:8443",
    "path": "https://proxy.example.test/hooks&co/a+b",
    "https-domain": "https://calls.example.test",
}

EXAMPLES = load_examples()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--example",
        action="append",
        default=[],
        metavar="KEY",
        help="run the example tests for this language only (its folder under examples/); repeatable",
    )


def selected_examples(config: pytest.Config) -> list:
    chosen = config.getoption("--example")
    unknown = sorted(set(chosen) - {e.key for e in EXAMPLES})
    if unknown:
        raise pytest.UsageError(
            f"--example {', '.join(unknown)}: no such example; the index has {', '.join(e.key for e in EXAMPLES)}"
        )
    return [e for e in EXAMPLES if not chosen or e.key in chosen]


def pytest_configure(config: pytest.Config) -> None:
    selected_examples(config)  # an unknown key is a usage error before anything runs


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "example" in metafunc.fixturenames:
        examples = selected_examples(metafunc.config)
        metafunc.parametrize("example", examples, ids=[e.key for e in examples], scope="session")


@pytest.fixture(scope="session")
def server_pool(tmp_path_factory) -> ServerPool:
    pool = ServerPool(tmp_path_factory.mktemp("servers"))
    yield pool
    pool.stop_all()


@pytest.fixture(scope="session")
def ready(example):
    return require_ready(example)


def _running(pool: ServerPool, readiness, **config) -> ExampleServer:
    try:
        server = pool.get(readiness, auth_token=AUTH_TOKEN, **config)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    check_after_use(server)


def check_after_use(server: ExampleServer) -> None:
    """Whatever a test sent, the server is still serving and wrote no stack trace."""
    problem = server.problem_after_use()
    if problem:
        pytest.fail(problem, pytrace=False)


@pytest.fixture
def server(server_pool, ready):
    """The example with its defaults: no PUBLIC_URL (so its local address), no HOST."""
    yield from _running(server_pool, ready)


@pytest.fixture(params=list(PUBLIC_URLS), ids=list(PUBLIC_URLS))
def public_url_server(request, server_pool, ready):
    """The example started with one of PUBLIC_URLS, exactly as typed."""
    yield from _running(server_pool, ready, public_url=PUBLIC_URLS[request.param])


@pytest.fixture
def tunnel_server(server_pool, ready):
    """The example behind the "explicit-port" PUBLIC_URL only."""
    yield from _running(server_pool, ready, public_url=PUBLIC_URLS["explicit-port"])


@pytest.fixture
def sim(server) -> Simulator:
    return Simulator(server.answer_url, AUTH_TOKEN, public_url=server.public_url)


@pytest.fixture
def public_url_sim(public_url_server) -> Simulator:
    return Simulator(public_url_server.answer_url, AUTH_TOKEN, public_url=public_url_server.public_url)


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
            example = readiness.example
            terminalreporter.write_line(
                f"{label:8} ran on {readiness.sdk}, served by {example.server}: {' '.join(example.run)}"
            )
