"""Write the guide's generated Markdown: language tabs, Plivo tables, figures, the diagram.

Pages include the results with ``pymdownx.snippets`` (``--8<-- "docs/_generated/..."``),
so any site generator that reads ``mkdocs.yml`` builds the same pages; no build hook
is involved. The sources are the index of the examples (``tests/examples.toml``),
``dialsim.plivo_data`` and the diagram descriptions in ``docs/diagrams/``. The same
index also fills the tables between markers in ``README.md`` and ``examples/README.md``.

    python docs/generate.py            write every generated file
    python docs/generate.py --check    exit 1, naming them, if any file is stale
    python docs/generate.py --site DIR after a build: plain .md copies and llms.txt in DIR
    python docs/generate.py --serve [mkdocs serve options]
                                       regenerate whenever a source changes, under mkdocs serve
"""

from __future__ import annotations

import argparse
import html
import re
import shlex
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "docs" / "_generated"
INDEX = ROOT / "tests" / "examples.toml"
DIAGRAMS = ROOT / "docs" / "diagrams"

# Import the data from this checkout, not from whatever dialsim is installed;
# the index of the examples is read by the harness's own loader.
for _path in (ROOT / "src", ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from harness.examples import Example, load_examples

from dialsim import plivo_data as pd
from dialsim.signature import base_string, compute_signature
from dialsim.simulator import Simulator

#: The auth token the testing page exports; the example requests are signed with it.
LOCAL_TOKEN = "dialsim-local-token"
#: Where the example requests pretend the server is published.
EXAMPLE_PUBLIC_URL = "https://example.com"


# --------------------------------------------------------------------------
# The index of the examples
# --------------------------------------------------------------------------


def _folder_of(example: Example) -> str:
    return f"examples/{example.key}"


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())


def _commands(commands: Iterable[Sequence[str]]) -> str:
    return "```console\n" + "\n".join("$ " + shlex.join(words) for words in commands) + "\n```"


def _snippet(example: Example, file: str, section: str | None) -> str:
    path = f"{_folder_of(example)}/{file}"
    target = f"{path}:{section}" if section else path
    return f'``` {example.fence} title="{path}"\n--8<-- "{target}"\n```'


def _in_ci(example: Example) -> str:
    """What CI runs an example on, in the words of the overview tables."""
    return {
        "real SDK": "tested with the real SDK",
        "stand-in": "tested with a stand-in for the SDK",
        "not run": "not compiled or run",
    }[example.runs]


def _caveat(example: Example) -> str:
    sdk, registry = f"`{example.sdk_name}`", example.sdk_registry
    if example.runs == "stand-in":
        return (
            f'!!! info "Tested with a stand-in for {sdk}"\n'
            f"    Our CI cannot download packages from {registry}, so it runs this example with a small\n"
            f"    stand-in for {sdk} that implements only the calls the example makes (it lives under\n"
            "    `tests/`, never in the example). With the real SDK installed, the code is the same."
        )
    if example.runs == "not run":
        return (
            '!!! warning "Not compiled or run by our CI"\n'
            f"    This example is written to the documented API of {sdk} from {registry}, but our CI has\n"
            f"    no {example.label} toolchain: unlike the other examples, it is never compiled or run there."
        )
    return ""


def _folder(example: Example) -> str:
    # guide.js turns the path into a link when the site has a repository URL.
    return f'Folder: <code class="example-folder" data-path="{_folder_of(example)}/">{_folder_of(example)}/</code>'


def _install(example: Example) -> str:
    parts = [f"The {example.label} example uses {example.framework}, served by {example.server}."]
    if example.install:
        parts.append(f"In `{_folder_of(example)}/`, install its dependencies once:\n\n{_commands(example.install)}")
    else:
        parts.append("There is nothing to install.")
    return "\n\n".join(parts)


def _run(example: Example) -> str:
    return (
        f"In `{_folder_of(example)}/`, with the dependencies installed, this listens on "
        f"`127.0.0.1:{example.port}`:\n\n" + _commands([["export", f"PLIVO_AUTH_TOKEN={LOCAL_TOKEN}"], example.run])
    )


def _notes(example: Example) -> str:
    whole = _snippet(example, example.main, None)
    return f'--8<-- "{_folder_of(example)}/README.md:notes"\n\n??? example "The whole `{example.main}`"\n\n' + _indent(
        whole
    )


TAB_KINDS: dict[str, Callable[[Example], str]] = {
    "install": _install,
    "answer": lambda e: _snippet(e, e.main, "answer"),
    "action": lambda e: _snippet(e, e.main, "action"),
    "verify": lambda e: _snippet(e, e.verify, "verify"),
    "run": _run,
    "notes": _notes,
}
# The groups that repeat a language's caveat and folder: the first ones a
# reader meets on each page, not every code group.
WITH_CAVEAT = {"install", "run", "notes"}


def tabs(kind: str) -> str:
    parts = []
    for example in load_examples():
        body = TAB_KINDS[kind](example)
        if kind in WITH_CAVEAT:
            body = "\n\n".join(filter(None, (_caveat(example), _folder(example), body)))
        parts.append(f'=== "{example.label}"\n\n{_indent(body)}\n')
    return "\n".join(parts)


def overview() -> str:
    return table(
        ("Language", "Framework", "Folder", "Default port", "In CI"),
        ((e.label, e.framework, f"`{_folder_of(e)}/`", f"`{e.port}`", _in_ci(e)) for e in load_examples()),
    )


def examples_readme_table() -> str:
    return table(
        ("folder", "framework", "served by", "default port", "in our CI"),
        ((f"`{e.key}/`", e.framework, e.server, e.port, e.runs) for e in load_examples()),
    )


def root_readme_table() -> str:
    def sdk(e: Example) -> str:
        name, registry = f"`{e.sdk_name}`", e.sdk_registry
        if e.runs == "real SDK":
            return f"{name} from {registry}"
        if e.runs == "stand-in":
            return f"stand-in under `tests/standins/{e.key}` ({registry} is not reachable from CI)"
        return f"not run: CI has no {e.label} toolchain (the skip says so)"

    return table(
        ("language", "framework", "served by", "Plivo SDK in CI"),
        ((e.label, e.framework, e.server, sdk(e)) for e in load_examples()),
    )


# --------------------------------------------------------------------------
# Plivo tables, from dialsim.plivo_data
# --------------------------------------------------------------------------


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _code(text: object) -> str:
    return f"`{text}`" if str(text) else "*(empty)*"


def _anchored(prefix: str, name: str) -> str:
    """A table cell with an id, so that ``#attr-callbackUrl`` links to its row."""
    ident = f"{prefix}-{name}"
    return f'<a id="{ident}" href="#{ident}" class="row-anchor"><code>{html.escape(name)}</code></a>'


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _call_statuses() -> str:
    return table(("`CallStatus`", "Meaning"), ((_code(s.value), s.meaning) for s in pd.CALL_STATUSES))


def _dial_statuses() -> str:
    return table(("`DialStatus`", "Meaning"), ((_code(o.status), o.meaning) for o in pd.DIAL_OUTCOMES))


def _simulated_outcomes() -> str:
    rows = []
    for o in pd.DIAL_OUTCOMES:
        mark = "" if o.pairing_confirmed else " ¹"
        rows.append(
            (
                _code(o.status),
                _code(str(o.rang).lower()) + mark,
                _code(o.hangup_cause) + mark,
                "a UUID" if o.answered else "*(empty)*",
            )
        )
    return table(("`DialStatus`", "`DialRingStatus`", "`DialHangupCause`", "`DialBLegUUID`"), rows)


def _parameters(params: Sequence[pd.Parameter], prefix: str) -> str:
    return table(
        ("Parameter", "Meaning", "Example"),
        (
            (
                _anchored(prefix, p.name),
                p.meaning
                + ("" if p.confirmed else f" *Not confirmed for this request ([where it comes from]({p.source})).*"),
                _code(p.example) if p.example else "",
            )
            for p in params
        ),
    )


def _attributes(attributes: Sequence[pd.Attribute], prefix: str) -> str:
    return table(
        ("Attribute", "Values", "Default", "Meaning"),
        (
            (
                _anchored(prefix, a.name),
                a.kind,
                a.default,
                a.meaning + (f" *Unconfirmed: {a.unconfirmed}.*" if a.unconfirmed else ""),
            )
            for a in attributes
        ),
    )


def _hangup_causes() -> str:
    return table(("Code", "Name", "Group"), ((c.code, c.name, c.group) for c in pd.HANGUP_CAUSES))


def _callback_settings() -> str:
    return table(
        ("Key", "Meaning", "Range", "Default"),
        ((_code(s.key), s.meaning, s.range, _code(s.default)) for s in pd.CALLBACK_SETTINGS),
    )


def _callback_default(key: str) -> str:
    for setting in pd.CALLBACK_SETTINGS:
        if setting.key == key:
            return _code(setting.default)
    raise KeyError(f"no callback setting {key!r}")


def _signature_vectors() -> str:
    return table(
        ("URL", "Method", "Expected `X-Plivo-Signature-V3`"),
        ((_code(v.url), v.method, _code(v.signature)) for v in pd.SIGNATURE_VECTORS),
    )


def _vector_params() -> str:
    return table(("Parameter", "Value"), ((_code(k), _code(v)) for k, v in pd.SIGNATURE_VECTOR_PARAMS.items()))


def _worked_example(method: str, with_query: bool) -> str:
    """Steps of the signature for one published vector, computed by dialsim."""
    vector = next(v for v in pd.SIGNATURE_VECTORS if v.method == method and ("?" in v.url) == with_query)
    params = pd.SIGNATURE_VECTOR_PARAMS
    nonce = pd.SIGNATURE_VECTOR_NONCE
    base = base_string(vector.method, vector.url, params)
    signature = compute_signature(pd.SIGNATURE_VECTOR_AUTH_TOKEN, vector.method, vector.url, nonce, params)
    if signature != vector.signature:
        # The page would teach a wrong algorithm: stop.
        raise ValueError(f"dialsim signs {vector.method} {vector.url} as {signature}, Plivo expects {vector.signature}")
    return "\n".join(
        (
            f"Request: `{vector.method} {vector.url}`",
            "",
            "String to sign (base string, a `.`, the nonce):",
            "",
            "``` { .text .wrap }",
            f"{base}.{nonce}",
            "```",
            "",
            "`X-Plivo-Signature-V3` = Base64(HMAC-SHA256(auth token, that string)):",
            "",
            "```text",
            signature,
            "```",
        )
    )


def _raw_request(step: str) -> str:
    """A request as the simulator sends it, signed for real with the testing page's token."""
    sim = Simulator("http://127.0.0.1:8083/dialstatus/", LOCAL_TOKEN, public_url=EXAMPLE_PUBLIC_URL, seed=1)
    call_uuid = sim.new_uuid()
    if step == "answer":
        path, params = "/dialstatus/", sim.answer_params(call_uuid)
    else:
        path, params = "/dialstatus/action/", sim.action_params("busy", call_uuid)
    body = urlencode(params)
    headers = {
        "Host": EXAMPLE_PUBLIC_URL.split("://", 1)[1],
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(body)),
        **sim.signature_headers("POST", EXAMPLE_PUBLIC_URL + path, params),
    }
    lines = [f"POST {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()), "", body]
    return '``` { .text .wrap title="POST ' + path + '" }\n' + "\n".join(lines) + "\n```"


PLIVO: dict[str, Callable[[], str]] = {
    "call-statuses": _call_statuses,
    "dial-statuses": _dial_statuses,
    "simulated-outcomes": _simulated_outcomes,
    "action-parameters": lambda: _parameters(pd.DIAL_ACTION_PARAMETERS, "param"),
    "answer-parameters": lambda: _parameters(pd.ANSWER_PARAMETERS, "answer-param"),
    "dial-attributes": lambda: _attributes(pd.DIAL_ATTRIBUTES, "attr"),
    "number-attributes": lambda: _attributes(pd.NUMBER_ATTRIBUTES, "number-attr"),
    "user-attributes": lambda: _attributes(pd.USER_ATTRIBUTES, "user-attr"),
    "hangup-causes": _hangup_causes,
    "callback-settings": _callback_settings,
    **{f"callback-default-{s.key}": (lambda key=s.key: _callback_default(key)) for s in pd.CALLBACK_SETTINGS},
    "signature-vectors": _signature_vectors,
    "signature-vector-params": _vector_params,
    "signature-vector-token": lambda: _code(pd.SIGNATURE_VECTOR_AUTH_TOKEN),
    "signature-vector-nonce": lambda: _code(pd.SIGNATURE_VECTOR_NONCE),
    "signature-example-post": lambda: _worked_example("POST", with_query=False),
    "signature-example-post-query": lambda: _worked_example("POST", with_query=True),
    "signature-example-get": lambda: _worked_example("GET", with_query=False),
    "signature-example-get-query": lambda: _worked_example("GET", with_query=True),
    "hangup-parameters": lambda: _parameters(pd.HANGUP_PARAMETERS, "hangup-param"),
    "callback-parameters": lambda: _parameters(pd.DIAL_CALLBACK_PARAMETERS, "callback-param"),
    "request-answer": lambda: _raw_request("answer"),
    "request-action": lambda: _raw_request("action"),
}
#: The partials that are a value inside a sentence, not a block.
INLINE = {
    name for name in PLIVO if name.startswith(("callback-default-", "signature-vector-token", "signature-vector-nonce"))
}


# --------------------------------------------------------------------------
# Sequence diagrams: a small text description drawn as an SVG in currentColor
# --------------------------------------------------------------------------

FONT = 13  # CSS px at the diagram's natural width
LINE = 16
WIDTH = 360
MARGIN = 6
CHAR = 6.9  # a generous average glyph width at FONT, for wrapping


@dataclass
class _Message:
    source: str
    target: str
    text: str
    dashed: bool


def _wrap(text: str, width: float) -> list[str]:
    limit = max(int(width / CHAR), 8)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def sequence_svg(source: str, title: str) -> str:
    """Draw a Mermaid-style sequence description (participants, ->> and -->>, alt/else/end)."""
    participants: dict[str, str] = {}
    events: list[tuple[str, object]] = []
    numbered = False
    for raw in source.splitlines():
        line = raw.strip()
        if not line or line.startswith("%%") or line == "sequenceDiagram":
            continue
        if line == "autonumber":
            numbered = True
        elif m := re.fullmatch(r"(participant|actor)\s+(\S+)(?:\s+as\s+(.+))?", line):
            participants[m[2]] = m[3] or m[2]
        elif m := re.fullmatch(r"(\S+?)(-->>|->>)(\S+?)\s*:\s*(.+)", line):
            for name in (m[1], m[3]):
                if name not in participants:
                    raise ValueError(f"{title}: {name!r} is used before it is declared")
            events.append(("message", _Message(m[1], m[3], m[4], m[2] == "-->>")))
        elif m := re.fullmatch(r"(alt|else)\s+(.+)", line):
            events.append((m[1], m[2]))
        elif line == "end":
            events.append(("end", None))
        else:
            raise ValueError(f"{title}: cannot draw {line!r}")

    column = (WIDTH - 2 * MARGIN) / len(participants)
    x = {name: MARGIN + column * (i + 0.5) for i, name in enumerate(participants)}
    out: list[str] = []

    def text(cx: float, top: float, lines: list[str], anchor: str = "middle", bold: bool = False) -> None:
        weight = ' font-weight="bold"' if bold else ""
        for i, line in enumerate(lines):
            out.append(
                f'<text x="{cx:.1f}" y="{top + i * LINE + FONT:.1f}" text-anchor="{anchor}"{weight}>{html.escape(line)}</text>'
            )

    # Participant boxes.
    heads = {name: _wrap(label, column - 10) for name, label in participants.items()}
    head_height = max(len(v) for v in heads.values()) * LINE + 10
    for name, lines in heads.items():
        out.append(
            f'<rect x="{x[name] - column / 2 + 4:.1f}" y="{MARGIN}" width="{column - 8:.1f}" height="{head_height}" rx="4" '
            'fill="none" stroke="currentColor"/>'
        )
        text(x[name], MARGIN + 5, lines, bold=True)
    y = MARGIN + head_height + 12
    lifeline_top = MARGIN + head_height

    frames: list[dict] = []
    number = 0
    body: list[str] = []
    for kind, value in events:
        if kind == "message":
            message = value
            number += 1
            label = f"{number}. {message.text}" if numbered else message.text
            x1, x2 = x[message.source], x[message.target]
            lines = _wrap(label, WIDTH - 2 * MARGIN - 24)
            width = max(len(line) for line in lines) * CHAR + 8
            mid = min(max((x1 + x2) / 2, MARGIN + 12 + width / 2), WIDTH - MARGIN - 12 - width / 2)
            height = len(lines) * LINE
            body.append(
                f'<rect x="{mid - width / 2:.1f}" y="{y - 2:.1f}" width="{width:.1f}" height="{height + 2}" class="label-bg"/>'
            )
            out_len = len(out)
            text(mid, y - 1, lines)
            body.extend(out[out_len:])
            del out[out_len:]
            y += height + 5
            end = x2 - 6 if x2 > x1 else x2 + 6
            dash = ' stroke-dasharray="5 4"' if message.dashed else ""
            body.append(
                f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{end:.1f}" y2="{y:.1f}" stroke="currentColor" stroke-width="1.4"{dash} '
                'marker-end="url(#arrow)"/>'
            )
            y += 14
            for frame in frames:
                frame["xs"] += [x1, x2]
        elif kind == "alt":
            frames.append({"top": y, "label": value, "xs": [], "elses": []})
            y += LINE + 8
        elif kind == "else":
            frames[-1]["elses"].append((y, value))
            y += LINE + 8
        else:
            frame = frames.pop()
            left = max(min(frame["xs"]) - column / 2 + 2, MARGIN / 2)
            right = min(max(frame["xs"]) + column / 2 - 2, WIDTH - MARGIN / 2)
            body.append(
                f'<rect x="{left:.1f}" y="{frame["top"]:.1f}" width="{right - left:.1f}" height="{y - frame["top"] + 2:.1f}" '
                'fill="none" stroke="currentColor" stroke-width="1"/>'
            )
            for label_y, label in [(frame["top"], f"alt: {frame['label']}")] + [
                (ey, f"else: {text_}") for ey, text_ in frame["elses"]
            ]:
                if label_y != frame["top"]:
                    body.append(
                        f'<line x1="{left:.1f}" y1="{label_y:.1f}" x2="{right:.1f}" y2="{label_y:.1f}" '
                        'stroke="currentColor" stroke-dasharray="3 3"/>'
                    )
                out_len = len(out)
                text(left + 6, label_y + 3, [label], anchor="start")
                body.extend(element.replace("<text ", '<text font-style="italic" ') for element in out[out_len:])
                del out[out_len:]
            y += 10
    height = y + 6
    lifelines = [
        f'<line x1="{x[name]:.1f}" y1="{lifeline_top}" x2="{x[name]:.1f}" y2="{height - MARGIN}" stroke="currentColor" '
        'stroke-opacity="0.5" stroke-dasharray="2 3"/>'
        for name in participants
    ]
    description = html.escape(" ".join(line.strip() for line in source.strip().splitlines()))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{title}-title {title}-desc" font-size="{FONT}" fill="currentColor">'
        f'<title id="{title}-title">{html.escape(title.replace("-", " "))}</title>'
        f'<desc id="{title}-desc">{description}</desc>'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>\n'
        + "\n".join(lifelines + out + body)
        + "\n</svg>"
    )


def diagram(path: Path) -> str:
    # One raw HTML block without blank lines, which every Markdown parser keeps as it is.
    svg = sequence_svg(path.read_text(), path.stem)
    return f'<figure class="sequence-diagram">\n{svg}\n</figure>'


# --------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------


def switching_to_zensical() -> str:
    """How to build with Zensical, with the version the project pins."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    (pin,) = extras["zensical"]
    return "\n".join(
        (
            f"To build the site with Zensical instead, install the `zensical` extra ({pin.replace('==', ' ')},",
            "the newest release that installs from PyPI; 0.1.x also needs `zensical-ui`, which PyPI",
            "does not serve) and run it in the repository root, where it reads `mkdocs.yml` as it is:",
            "",
            "```console",
            "$ python -m pip install -e '.[zensical]'",
            "$ python docs/generate.py",
            "$ zensical build --strict",
            "```",
            "",
            "`nox -s docs-zensical` builds the site with both and prints every difference in headings,",
            "tab labels, code blocks, tables and diagram text; CI runs the same comparison",
            "(`tests/test_zensical.py`) and fails on any. `nox -s docs` stays on MkDocs until a",
            "Zensical 0.1 or later installs and passes that comparison. Either way, the plain `.md`",
            "copies and `llms.txt` come from `python docs/generate.py --site DIR` after the build",
            "(`nox -s docs-build` does all three steps).",
        )
    )


MARKED_TABLES: dict[Path, tuple[str, Callable[[], str]]] = {
    ROOT / "examples" / "README.md": ("table", examples_readme_table),
    ROOT / "README.md": ("languages", root_readme_table),
}
#: Generated blocks in the root README besides its table.
MARKED_SECTIONS: dict[str, Callable[[], str]] = {"zensical": switching_to_zensical}


def _replace_marked(text: str, name: str, content: str, where: Path) -> str:
    pattern = re.compile(rf"(<!-- --8<-- \[start:{name}\] -->\n).*?(<!-- --8<-- \[end:{name}\] -->)", re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{where.relative_to(ROOT)} has no [start:{name}]/[end:{name}] markers")
    return pattern.sub(lambda m: m[1] + content + "\n" + m[2], text, count=1)


def outputs() -> dict[Path, str]:
    """Every generated file and its content, computed from the sources."""
    files: dict[Path, str] = {}
    for kind in TAB_KINDS:
        files[GENERATED / "tabs" / f"{kind}.md"] = tabs(kind) + "\n"
    files[GENERATED / "tabs" / "overview.md"] = overview() + "\n"
    files[GENERATED / "build" / "zensical.md"] = switching_to_zensical() + "\n"
    for name, render in PLIVO.items():
        # A value inside a sentence must not bring a blank line, which would end the paragraph.
        files[GENERATED / "plivo" / f"{name}.md"] = render() + ("" if name in INLINE else "\n")
    for source in sorted(DIAGRAMS.glob("*.txt")):
        files[GENERATED / "diagrams" / f"{source.stem}.md"] = diagram(source) + "\n"
    for path, (name, render) in MARKED_TABLES.items():
        files[path] = _replace_marked(files.get(path, path.read_text()), name, render(), path)
    readme = ROOT / "README.md"
    for name, render in MARKED_SECTIONS.items():
        files[readme] = _replace_marked(files[readme], name, render(), readme)
    return files


def stale(files: dict[Path, str] | None = None) -> list[str]:
    """Generated files whose content differs from the sources, and leftovers."""
    files = outputs() if files is None else files
    problems = [
        f"{path.relative_to(ROOT)} is out of date"
        for path, content in files.items()
        if not path.is_file() or path.read_text() != content
    ]
    problems += [
        f"{path.relative_to(ROOT)} is not generated any more"
        for path in sorted(GENERATED.rglob("*"))
        if path.is_file() and path not in files
    ]
    return problems


def write() -> list[Path]:
    files = outputs()
    changed = [path for path, content in files.items() if not path.is_file() or path.read_text() != content]
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path])
    for path in GENERATED.rglob("*"):
        if path.is_file() and path not in files:
            path.unlink()
            changed.append(path)
    return changed


# --------------------------------------------------------------------------
# After a build: plain Markdown copies and llms.txt
# --------------------------------------------------------------------------


class _Loader:
    """Reads mkdocs.yml, ignoring the tags that only MkDocs resolves."""

    @staticmethod
    def load(text: str) -> dict:
        import yaml

        class Loader(yaml.SafeLoader):
            pass

        Loader.add_multi_constructor("", lambda loader, suffix, node: None)
        return yaml.load(text, Loader=Loader)


def expanded(page: Path) -> str:
    """A page's Markdown with every snippet include resolved, as the build sees it."""
    import markdown

    config = _Loader.load((ROOT / "mkdocs.yml").read_text())
    options = next(
        e["pymdownx.snippets"]
        for e in config["markdown_extensions"]
        if isinstance(e, dict) and "pymdownx.snippets" in e
    )
    options = {**options, "base_path": [str(ROOT)]}
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": options})
    return "\n".join(md.preprocessors["snippet"].run(page.read_text().split("\n")))


def _nav_pages(nav: list, section: str = "") -> list[tuple[str, str, str]]:
    """(section, title, source path) for every page in the nav, in order."""
    pages = []
    for item in nav:
        if isinstance(item, str):
            pages.append((section, "", item))
            continue
        ((title, value),) = item.items()
        if isinstance(value, list):
            pages += _nav_pages(value, title)
        else:
            pages.append((section, title, value))
    return pages


def _title(markdown_text: str) -> str:
    match = re.search(r"^# (.+)$", markdown_text, re.MULTILINE)
    return match[1].strip() if match else ""


def write_site_extras(site: Path, site_url: str | None = None) -> list[Path]:
    """Write a plain .md copy beside every built page and an llms.txt index."""
    config = _Loader.load((ROOT / "mkdocs.yml").read_text())
    docs = ROOT / config.get("docs_dir", "docs")
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    written = []
    sections: dict[str, list[str]] = {}
    for section, title, source in _nav_pages(config["nav"]):
        text = expanded(docs / source)
        target = site / source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        written.append(target)
        sections.setdefault(section or "Pages", []).append(f"- [{title or _title(text)}]({base}{source})")
    lines = [f"# {config['site_name']}", "", f"> {' '.join(config.get('site_description', '').split())}", ""]
    lines.append("Each link is the page's Markdown, with the examples' code included.")
    for section, links in sections.items():
        lines += ["", f"## {section}", "", *links]
    (site / "llms.txt").write_text("\n".join(lines) + "\n")
    written.append(site / "llms.txt")
    return written


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def _sources() -> list[Path]:
    return [INDEX, *sorted((ROOT / "src" / "dialsim").rglob("*.py")), *sorted(DIAGRAMS.glob("*.txt"))]


def _mtimes() -> dict[Path, float]:
    return {p: p.stat().st_mtime for p in _sources() if p.exists()}


def serve(mkdocs_args: list[str]) -> int:
    """mkdocs serve, with the generated files rewritten whenever one of their sources changes.

    mkdocs serve rebuilds when docs/ changes, so a rewritten partial reloads the page.
    Each regeneration runs in a fresh interpreter, which imports the edited data.
    """
    write()
    # Stopped by a signal, stop mkdocs serve too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *mkdocs_args], cwd=ROOT)
    seen = _mtimes()
    try:
        while server.poll() is None:
            time.sleep(1)
            if (now := _mtimes()) != seen:
                seen = now
                # A failure (a half-saved source) is printed; the server keeps the last good pages.
                subprocess.run([sys.executable, str(Path(__file__).resolve())], cwd=ROOT, check=False)
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.terminate()
    return server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="fail if a generated file is out of date")
    group.add_argument("--site", type=Path, help="a built site: add plain .md copies and llms.txt to it")
    group.add_argument("--serve", action="store_true", help="run mkdocs serve with the remaining arguments")
    parser.add_argument("--site-url", default=None, help="the published URL, for llms.txt (default: $DOCS_SITE_URL)")
    args, rest = parser.parse_known_args(argv)
    if args.serve:
        return serve(rest)
    if rest:
        parser.error(f"unknown arguments: {' '.join(rest)}")
    if args.check:
        problems = stale()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: python docs/generate.py", file=sys.stderr)
        return 1 if problems else 0
    if args.site:
        import os

        write_site_extras(args.site, args.site_url or os.environ.get("DOCS_SITE_URL") or None)
        return 0
    for path in write():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
