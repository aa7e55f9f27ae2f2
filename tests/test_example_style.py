"""Each example is formatted by its language's own standard tool and passes its linter.

A tool that is not installed skips its check, naming the tool.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from harness.examples import EXAMPLES_DIR, ROOT


def run(command: list[str], cwd) -> subprocess.CompletedProcess:
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed here")
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def test_python_sources_are_ruff_formatted():
    paths = ["src", "tests/harness", "tests/conftest.py", "tests/test_examples.py", "tests/test_simulator.py"]
    paths += [
        "tests/test_example_style.py",
        "tests/test_site.py",
        "tests/test_dotnet_static.py",
        "tests/test_docs_sources.py",
    ]
    paths += ["examples/python", "benchmarks", "noxfile.py", "docs"]
    done = run(["ruff", "format", "--check", *paths], ROOT)
    assert done.returncode == 0, f"ruff format would change:\n{done.stdout}{done.stderr}"


def test_python_example_is_ruff_clean():
    # The example's own ruff.toml, as in a copied folder, where app.py is a first-party import.
    directory = EXAMPLES_DIR / "python"
    lint = run(["ruff", "check", "."], directory)
    assert lint.returncode == 0, f"ruff check:\n{lint.stdout}{lint.stderr}"
    formatted = run(["ruff", "format", "--check", ".", str(ROOT / "tests" / "test_recipes.py")], directory)
    assert formatted.returncode == 0, f"ruff format would change:\n{formatted.stdout}{formatted.stderr}"


def test_go_example_is_gofmt_clean_and_vets():
    directory = EXAMPLES_DIR / "go"
    unformatted = run(["gofmt", "-l", "."], directory)
    assert unformatted.stdout.strip() == "", f"gofmt would change: {unformatted.stdout}"
    vet = run(["go", "vet", "./..."], directory)
    assert vet.returncode == 0, f"go vet:\n{vet.stdout}{vet.stderr}"
    unit = run(["go", "test", "./..."], directory)
    assert unit.returncode == 0, f"go test:\n{unit.stdout}{unit.stderr}"


def test_node_example_is_prettier_clean():
    # Pinned and fetched by npx, so the example itself carries no formatter dependency.
    done = run(["npx", "--yes", "prettier@3.10.1", "--check", "."], EXAMPLES_DIR / "node")
    assert done.returncode == 0, f"prettier --check:\n{done.stdout}{done.stderr}"


def _sources(language: str, suffix: str) -> list[str]:
    return sorted(str(p) for p in (EXAMPLES_DIR / language).rglob(f"*{suffix}") if "vendor" not in p.parts)


def test_ruby_example_parses_without_warnings():
    for source in _sources("ruby", ".rb"):
        done = run(["ruby", "-wc", source], ROOT)
        assert done.returncode == 0 and "warning" not in done.stderr, f"ruby -wc {source}:\n{done.stdout}{done.stderr}"


def test_ruby_example_passes_rubocop():
    # Debian's rubocop 1.39, with the example's own .rubocop.yml.
    done = run(["rubocop", "--format", "simple"], EXAMPLES_DIR / "ruby")
    assert done.returncode == 0, f"rubocop:\n{done.stdout}{done.stderr}"


def test_php_example_lints():
    for source in _sources("php", ".php"):
        done = run(["php", "-l", source], ROOT)
        assert done.returncode == 0, f"php -l {source}:\n{done.stdout}{done.stderr}"


def test_php_example_is_phpcs_clean():
    # PHP_CodeSniffer from Debian (php-codesniffer), with the example's own phpcs.xml.
    done = run(["phpcs", "-s", "--report-width=120"], EXAMPLES_DIR / "php")
    assert done.returncode == 0, f"phpcs (phpcbf fixes most):\n{done.stdout}{done.stderr}"


def test_php_deploy_script_parses():
    done = run(["bash", "-n", "deploy/serve"], EXAMPLES_DIR / "php")
    assert done.returncode == 0, f"bash -n deploy/serve:\n{done.stdout}{done.stderr}"


GOOGLE_JAVA_FORMAT = "com.google.googlejavaformat:google-java-format:1.28.0:jar:all-deps"
# google-java-format reaches into javac's internals, which Java 17 only opens on request.
JAVAC_EXPORTS = [
    f"--add-exports=jdk.compiler/com.sun.tools.javac.{package}=ALL-UNNAMED"
    for package in ("api", "code", "file", "parser", "tree", "util")
]


def test_java_example_is_google_java_format_clean(tmp_path):
    fetched = run(
        ["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={GOOGLE_JAVA_FORMAT}", f"-DoutputDirectory={tmp_path}"],
        ROOT,
    )
    assert fetched.returncode == 0, f"fetching google-java-format:\n{fetched.stdout}{fetched.stderr}"
    (jar,) = tmp_path.glob("google-java-format-*.jar")
    sources = _sources("java", ".java")
    assert sources, "examples/java has no Java sources"
    done = run(["java", *JAVAC_EXPORTS, "-jar", str(jar), "--dry-run", *sources], ROOT)
    assert done.returncode == 0 and done.stdout.strip() == "", (
        f"google-java-format would change:\n{done.stdout}{done.stderr}"
    )
