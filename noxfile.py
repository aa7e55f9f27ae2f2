"""Sessions: `nox -s tests` (everything), `nox -s examples -- go` (one language),
`nox -s docs` (serve the site), `nox -s benchmarks` (print speed figures)."""

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
# Sessions run on the Python that runs nox (3.10 or newer), so the quick start
# works wherever `python3 -m nox` does.

# Material prints a banner about MkDocs 2 on every build; it says nothing about this site.
QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1"}


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite: simulator, every example as a server, the docs' code blocks, the site in a browser."""
    session.install("-e", ".[test,docs]")
    session.run("pytest", *session.posargs, env=QUIET_MKDOCS)


@nox.session
def examples(session: nox.Session) -> None:
    """The contract scenarios for the languages named after `--` (all when none)."""
    session.install("-e", ".[test]")
    selection = " or ".join(session.posargs)
    session.run("pytest", "tests/test_examples.py", *(["-k", selection] if selection else []))


@nox.session
def docs(session: nox.Session) -> None:
    """Serve the guide at http://127.0.0.1:8000 with live reload."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "serve", "--strict", "-a", "127.0.0.1:8000", env=QUIET_MKDOCS)


@nox.session(name="docs-build")
def docs_build(session: nox.Session) -> None:
    """Build the site in strict mode into site/."""
    session.install("-e", ".[docs]")
    session.run("mkdocs", "build", "--strict", env=QUIET_MKDOCS)


@nox.session
def benchmarks(session: nox.Session) -> None:
    """Print speed figures: signing, XML checking, calls, and every example under load."""
    session.install("-e", ".[test]")
    session.run("python", "benchmarks/run.py", *session.posargs)
    session.run("python", "benchmarks/examples.py")
