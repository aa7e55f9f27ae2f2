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
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import tomllib

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
    verify_file: str | None = None  # where the `verify` section is, when not in `main`
    caveat: str = ""  # shown at the top of every tab of this language
    tested: str = "tested"  # how far our tests run it, for the overview table
    install_note: str = ""  # how a reader installs what the tests cannot
    has_notes: bool = True  # False while the example's README has no `notes` section

    @property
    def directory(self) -> str:
        return f"examples/{self.key}"

    def file_of(self, section: str | None) -> str:
        if section == "verify" and self.verify_file:
            return self.verify_file
        return self.main


def _stand_in(*, sdk: str, registry: str, manifest: str, tool: str, command: str, debian: str) -> dict[str, str]:
    """What a language that our tests run on a stand-in for its SDK says about it."""
    return {
        "caveat": (
            f'!!! info "Tested with a stand-in for the {sdk}"\n'
            f"    Our test machines cannot download packages from {registry}, so the tests run this example\n"
            f"    with a small stand-in for the {sdk} that implements only the calls the example makes\n"
            "    (it lives under `tests/`, never in the example). With the real SDK installed, the code\n"
            "    is the same."
        ),
        "tested": "tested, with a stand-in for the SDK",
        "install_note": (
            f"Install the packages listed in `{manifest}` with {tool}:\n\n"
            f"```console\n$ {command}\n```\n\n"
            f"Our tests cannot run this step (no access to {registry}): they use {debian}\n"
            f"and the stand-in for the {sdk} instead."
        ),
    }


LANGUAGES: tuple[Language, ...] = (
    Language("node", "Node", "js", "Express 5", "server.js", written=True),
    Language(
        "ruby",
        "Ruby",
        "ruby",
        "Rails",
        "app/controllers/dial_status_controller.rb",
        written=True,
        **_stand_in(
            sdk="`plivo` gem",
            registry="RubyGems",
            manifest="Gemfile",
            tool="Bundler",
            command="bundle install",
            debian="Debian's Rails 6.1 packages",
        ),
    ),
    Language("python", "Python", "python", "Flask 3", "app.py", written=True),
    Language(
        "php",
        "PHP",
        "php",
        "Laravel",
        "app/Http/Controllers/DialStatusController.php",
        written=True,
        verify_file="app/Http/Middleware/VerifyPlivoSignature.php",
        **_stand_in(
            sdk="`plivo/php-sdk` package",
            registry="Packagist",
            manifest="composer.json",
            tool="Composer",
            command="composer install",
            debian="Debian's Laravel packages",
        ),
    ),
    Language(
        "dotnet",
        ".NET",
        "csharp",
        "ASP.NET Core",
        "Controllers/DialStatusController.cs",
        written=True,
        caveat=(
            '!!! warning "Not compiled or run by our tests"\n'
            "    This example is written to the documented API of Plivo's NuGet package, but there is\n"
            "    no .NET SDK on our test machines: unlike the other examples, it is never compiled\n"
            "    or run in our CI."
        ),
        tested="not compiled or run by our tests",
    ),
    Language(
        "java", "Java", "java", "Javalin 7", "src/main/java/com/example/dialstatus/DialStatusApp.java", written=True
    ),
    Language("go", "Go", "go", "net/http", "main.go", written=True),
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
    """The language's entry in the index of the examples, tests/examples.toml."""
    index = tomllib.loads((ROOT / "tests" / "examples.toml").read_text())
    for entry in index["example"]:
        if entry["key"] == lang.key:
            if entry["label"] != lang.label:
                raise ValueError(f"tests/examples.toml: label {entry['label']!r}, but the guide's tab is {lang.label!r}")
            return {"setup": entry.get("install", []), **entry}
    raise KeyError(f"tests/examples.toml has no entry for {lang.key!r}")


def _snippet(lang: Language, section: str | None, title: str | None = None) -> str:
    path = f"{lang.directory}/{lang.file_of(section)}"
    target = f"{path}:{section}" if section else path
    title = title or path
    return f'``` {lang.fence} title="{title}"\n--8<-- "{target}"\n```'


def _commands(commands: list[list[str]]) -> str:
    return "```console\n" + "\n".join("$ " + shlex.join(words) for words in commands) + "\n```"


def _section(section: str) -> Callable[[Language], str]:
    return lambda lang: _snippet(lang, section)


def _install(lang: Language) -> str:
    setup = _example_toml(lang).get("setup", [])
    parts = [f"The {lang.label} example uses {lang.framework}."]
    if setup:
        parts.append(f"In `{lang.directory}/`, the tests install it with:\n\n{_commands(setup)}")
    if lang.install_note:
        parts.append(lang.install_note)
    if len(parts) == 1:
        parts.append("There is nothing to install.")
    return "\n\n".join(parts)


def _run(lang: Language) -> str:
    toml = _example_toml(lang)
    return (
        f"In `{lang.directory}/`, with the dependencies installed, this listens on "
        f"`127.0.0.1:{toml['port']}`:\n\n" + _commands([["export", f"PLIVO_AUTH_TOKEN={LOCAL_TOKEN}"], toml["run"]])
    )


def _notes(lang: Language) -> str:
    notes = (
        f'--8<-- "{lang.directory}/README.md:notes"'
        if lang.has_notes
        else f"The {lang.label} example's README has no notes yet."
    )
    return notes + f'\n\n??? example "The whole `{lang.main}`"\n\n' + _indent(_snippet(lang, None))


def overview() -> str:
    """A table of the examples (not tabs: it compares them)."""
    rows = ["| Language | Framework | Folder | Default port | Status |", "|---|---|---|---|---|"]
    for lang in LANGUAGES:
        port = f"`{_example_toml(lang)['port']}`" if lang.written else "–"
        rows.append(
            f"| {lang.label} | {lang.framework} | `{lang.directory}/` | {port} | {lang.tested if lang.written else 'not written yet'} |"
        )
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


# Tab groups that repeat a language's caveat: the first ones a reader meets
# on each page, not every code group.
WITH_CAVEAT = {"install", "answer", "run", "notes"}


def tabs(kind: str) -> str:
    render = KINDS[kind]
    parts = []
    for lang in LANGUAGES:
        body = render(lang) if lang.written else _missing(lang)
        if lang.caveat and lang.written and kind in WITH_CAVEAT:
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


class _HeadingsInTabs(HTMLParser):
    """Collects the ids of headings that sit inside a tab's content."""

    def __init__(self) -> None:
        super().__init__()
        self.div_depth = 0
        self.tab_depths: list[int] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "div":
            self.div_depth += 1
            if "tabbed-block" in (attributes.get("class") or "").split():
                self.tab_depths.append(self.div_depth)
        elif re.fullmatch(r"h[1-6]", tag) and self.tab_depths and attributes.get("id"):
            self.ids.add(attributes["id"])

    def handle_endtag(self, tag):
        if tag == "div":
            if self.tab_depths and self.tab_depths[-1] == self.div_depth:
                self.tab_depths.pop()
            self.div_depth -= 1


def _prune(items, hidden: set[str]) -> list:
    kept = []
    for item in items:
        if item.id in hidden:
            continue
        item.children = _prune(item.children, hidden)
        kept.append(item)
    return kept


def on_page_content(html: str, page, config, files) -> str:
    # A heading inside one language's tab (from an example's README) is not
    # a section of the page: keep it out of the table of contents.
    finder = _HeadingsInTabs()
    finder.feed(html)
    if finder.ids:
        page.toc.items[:] = _prune(page.toc.items, finder.ids)
    return html


def on_page_markdown(markdown: str, page, config, files) -> str:
    return render(markdown, page.file.src_uri)
