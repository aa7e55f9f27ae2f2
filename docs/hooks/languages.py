"""MkDocs hook: the guide's language tabs, built from one list.

A page asks for a group of language tabs with a placeholder::

    <!-- languages: answer -->

and gets one tab per language, always labelled ``Node``, ``Ruby``, ``Python``,
``PHP``, ``.NET``, ``Java``, ``Go`` in that order, so Material's linked tabs
switch every group at once. Code is never copied here: a tab only holds
``pymdownx.snippets`` includes of the example's own files (named sections, or
the commands in its ``example.toml``), and the snippets extension runs with
``check_paths`` so a missing file or section fails the build. A language whose
example is not written yet says so in its tab instead.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Environment the examples read; the values are the ones the test page uses.
LOCAL_TOKEN = "dialsim-local-token"


@dataclass(frozen=True)
class Language:
    key: str  # directory under examples/
    label: str  # tab label, also example.toml's label
    fence: str  # code fence language for Pygments
    framework: str
    main: str  # the source file with the snippet sections, relative to examples/<key>/
    written: bool  # False until the example exists: its tabs then say so
    caveat: str = ""  # shown at the top of every tab of this language
    tested: str = "tested"  # how far our tests run it, for the overview table

    @property
    def directory(self) -> str:
        return f"examples/{self.key}"


STAND_IN = (
    '!!! info "Tested with a stand-in for the {sdk}"\n'
    "    Our test machines cannot download packages from {registry}, so the tests run this example\n"
    "    with a small stand-in for the {sdk} that implements only the calls the example makes\n"
    "    (it lives under `tests/`, never in the example). Installed as described in the\n"
    "    example's README, the real SDK runs the same code."
)

LANGUAGES: tuple[Language, ...] = (
    Language("node", "Node", "js", "Express 5", "server.js", True),
    Language(
        "ruby",
        "Ruby",
        "ruby",
        "Rails",
        "app/controllers/dial_status_controller.rb",
        False,
        STAND_IN.format(sdk="`plivo` gem", registry="RubyGems"),
        "tested, with a stand-in for the SDK",
    ),
    Language("python", "Python", "python", "Flask 3", "app.py", False),
    Language(
        "php",
        "PHP",
        "php",
        "Laravel",
        "app/Http/Controllers/DialStatusController.php",
        False,
        STAND_IN.format(sdk="`plivo/php-sdk` package", registry="Packagist"),
        "tested, with a stand-in for the SDK",
    ),
    Language(
        "dotnet",
        ".NET",
        "csharp",
        "ASP.NET Core",
        "Controllers/DialStatusController.cs",
        False,
        '!!! warning "Not compiled or run by our tests"\n'
        "    This example is written to the documented API of Plivo's NuGet package, but there is\n"
        "    no .NET SDK on our test machines: unlike the other examples, it is never compiled\n"
        "    or run in our CI.",
        "not compiled or run by our tests",
    ),
    Language("java", "Java", "java", "Javalin", "src/main/java/com/example/dialstatus/DialStatusApp.java", False),
    Language("go", "Go", "go", "net/http", "main.go", True),
)


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def _missing(lang: Language) -> str:
    return (
        f'!!! warning "No {lang.label} example yet"\n'
        f"    The {lang.label} example ({lang.framework}) has not been written yet, so there is\n"
        f"    no {lang.label} code to show here. Pick another language tab in the meantime."
    )


def _example_toml(lang: Language) -> dict:
    path = ROOT / lang.directory / "example.toml"
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: the {lang.label} example is listed as written but has no example.toml")


def _snippet(lang: Language, section: str | None, title: str | None = None) -> str:
    path = f"{lang.directory}/{lang.main}"
    target = f"{path}:{section}" if section else path
    title = title or path
    return f'``` {lang.fence} title="{title}"\n--8<-- "{target}"\n```'


def _commands(commands: list[list[str]]) -> str:
    return "```console\n" + "\n".join("$ " + shlex.join(words) for words in commands) + "\n```"


def _section(section: str) -> Callable[[Language], str]:
    return lambda lang: _snippet(lang, section)


def _install(lang: Language) -> str:
    toml = _example_toml(lang)
    setup = toml.get("setup", [])
    text = f"The {lang.label} example uses {lang.framework}. In `{lang.directory}/`:\n\n"
    if not setup:
        return text + "Nothing to install."
    return text + _commands(setup)


def _run(lang: Language) -> str:
    toml = _example_toml(lang)
    return (
        f"In `{lang.directory}/`, with the dependencies installed, this listens on "
        f"`127.0.0.1:{toml['port']}`:\n\n"
        + _commands([["export", f"PLIVO_AUTH_TOKEN={LOCAL_TOKEN}"], toml["run"]])
    )


def _notes(lang: Language) -> str:
    return (
        f'--8<-- "{lang.directory}/README.md:notes"\n\n'
        f'??? example "The whole `{lang.main}`"\n\n' + _indent(_snippet(lang, None))
    )


def overview() -> str:
    """A table of the examples (not tabs: it compares them)."""
    rows = ["| Language | Framework | Folder | Default port | Status |", "|---|---|---|---|---|"]
    for lang in LANGUAGES:
        port = f"`{_example_toml(lang)['port']}`" if lang.written else "–"
        rows.append(f"| {lang.label} | {lang.framework} | `{lang.directory}/` | {port} | {lang.tested if lang.written else 'not written yet'} |")
    return "\n".join(rows)


KINDS: dict[str, Callable[[Language], str]] = {
    "install": _install,
    "answer": _section("answer"),
    "action": _section("action"),
    "verify": _section("verify"),
    "run": _run,
    "notes": _notes,
}

PLACEHOLDER = re.compile(r"^<!--\s*languages:\s*(?P<kind>[a-z-]+)\s*-->[ \t]*$", re.MULTILINE)


def tabs(kind: str) -> str:
    render = KINDS[kind]
    parts = []
    for lang in LANGUAGES:
        body = render(lang) if lang.written else _missing(lang)
        if lang.caveat and lang.written:
            body = lang.caveat + "\n\n" + body
        parts.append(f'=== "{lang.label}"\n\n{_indent(body)}\n')
    return "\n".join(parts)


def render(markdown: str, where: str = "page") -> str:
    def replace(match: re.Match[str]) -> str:
        kind = match.group("kind")
        if kind == "overview":
            return overview()
        if kind not in KINDS:
            raise KeyError(f"{where}: unknown placeholder <!-- languages: {kind} -->; known: {', '.join(KINDS)}")
        return tabs(kind)

    return PLACEHOLDER.sub(replace, markdown)


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ARG001 (MkDocs hook signature)
    return render(markdown, page.file.src_uri)
