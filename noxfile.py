"""Sessions: `nox -s tests` (everything), `nox -s examples -- go` (one language),
`nox -s docs` (serve the site), `nox -s benchmarks` (print speed figures)."""

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
# Sessions run on the Python that runs nox (3.11 or newer), so the quick start
# works wherever `python3 -m nox` does.

# Material for MkDocs 9.7+ prints, on every build, that it reaches end of life
# (May 2027) and that Zensical is its successor; the variable is named after
# MkDocs 2 but silences that notice. The About page (docs/about.md) says what it means
# for this site, and `nox -s docs-zensical` checks the successor builds it.
QUIET_MKDOCS = {"NO_MKDOCS_2_WARNING": "1"}


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite: simulator, every example as a server, the docs' code blocks, the site in a browser."""
    session.install("-e", ".[test,docs,zensical]")
    session.run("pytest", *session.posargs, env=QUIET_MKDOCS)


#: Every test that runs the examples as servers: the contract, the hostile corpus, the load.
EXAMPLE_TESTS = ["tests/test_examples.py", "tests/test_hostile.py", "tests/test_load.py"]


@nox.session
def examples(session: nox.Session) -> None:
    """The example servers' tests for the languages named after `--` (all when none), e.g. `-- go php`."""
    session.install("-e", ".[test]")
    chosen = [f"--example={key}" for key in session.posargs]
    session.run("pytest", *EXAMPLE_TESTS, *chosen)


@nox.session
def docs(session: nox.Session) -> None:
    """Serve the guide at http://127.0.0.1:8000 (or `-- -a HOST:PORT`), reloading on any source change.

    docs/generate.py rewrites the generated pages when the index, the Plivo data
    or a diagram changes; mkdocs serve reloads on those, on docs/ and on examples/.
    """
    session.install("-e", ".[docs]")
    chosen = any(arg in ("-a", "--dev-addr") or arg.startswith("--dev-addr=") for arg in session.posargs)
    address = [] if chosen else ["-a", "127.0.0.1:8000"]
    watched = ["-w", "examples", "-w", "tests/examples.toml", "-w", "src/dialsim"]
    session.run(
        "python", "docs/generate.py", "--serve", "--strict", *address, *watched, *session.posargs, env=QUIET_MKDOCS
    )


@nox.session(name="docs-build")
def docs_build(session: nox.Session) -> None:
    """Regenerate, build the site in strict mode into site/, add its .md copies and llms.txt."""
    session.install("-e", ".[docs]")
    session.run("python", "docs/generate.py")
    session.run("mkdocs", "build", "--strict", "--site-dir", "site", env=QUIET_MKDOCS)
    session.run("python", "docs/generate.py", "--site", "site")


@nox.session(name="docs-zensical")
def docs_zensical(session: nox.Session) -> None:
    """Build with Zensical and with MkDocs, compare every page's content, print the differences."""
    session.install("-e", ".[docs,zensical]")
    session.run("python", "docs/generate.py", "--check")
    session.run("python", "docs/compare_builds.py", *session.posargs, env=QUIET_MKDOCS)


@nox.session
def benchmarks(session: nox.Session) -> None:
    """Print speed figures: signing, XML checking, calls, and every example under load."""
    session.install("-e", ".[test]")
    session.run("python", "benchmarks/run.py", *session.posargs)
    session.run("python", "benchmarks/examples.py")
