"""MkDocs hook: render the guide's Plivo tables from ``dialsim.plivo_data``.

A page asks for a table (or a single value) with a placeholder::

    <!-- plivo: call-statuses -->

and this hook replaces it with a Markdown table built from the data module, so
a value is typed once, in ``src/dialsim/plivo_data.py``. The worked signature
example is computed by the simulator's own signing code. An unknown
placeholder fails the build.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

# Import the data from this checkout, not from whatever dialsim is installed.
_SRC = Path(__file__).resolve().parents[2] / "src"
if str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

from dialsim import plivo_data as pd
from dialsim.signature import base_string, compute_signature

PLACEHOLDER = re.compile(r"<!--\s*plivo:\s*(?P<name>[a-z0-9-]+)\s*-->")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _code(text: object) -> str:
    return f"`{text}`" if str(text) else "*(empty)*"


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
        rang = _code(str(o.rang).lower()) + mark
        cause = _code(o.hangup_cause) + mark
        rows.append((_code(o.status), rang, cause, "a UUID" if o.answered else "*(empty)*"))
    return table(("`DialStatus`", "`DialRingStatus`", "`DialHangupCause`", "`DialBLegUUID`"), rows)


def _parameters(params: Sequence[pd.Parameter]) -> str:
    return table(("Parameter", "Meaning"), ((_code(p.name), p.meaning) for p in params))


def _attributes(attributes: Sequence[pd.Attribute]) -> str:
    return table(
        ("Attribute", "Values", "Default", "Meaning"),
        (
            (
                _code(a.name),
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


def _callback_default(key: str) -> Callable[[], str]:
    def render() -> str:
        for setting in pd.CALLBACK_SETTINGS:
            if setting.key == key:
                return _code(setting.default)
        raise KeyError(f"no callback setting {key!r}")

    return render


def _signature_vectors() -> str:
    return table(
        ("URL", "Method", "Expected `X-Plivo-Signature-V3`"),
        ((_code(v.url), v.method, _code(v.signature)) for v in pd.SIGNATURE_VECTORS),
    )


def _vector_params() -> str:
    return table(("Parameter", "Value"), ((_code(k), _code(v)) for k, v in pd.SIGNATURE_VECTOR_PARAMS.items()))


def _worked_example(vector: pd.SignatureVector) -> str:
    """Steps of the signature for one published vector, computed by dialsim."""
    params = pd.SIGNATURE_VECTOR_PARAMS
    nonce = pd.SIGNATURE_VECTOR_NONCE
    base = base_string(vector.method, vector.url, params)
    signature = compute_signature(pd.SIGNATURE_VECTOR_AUTH_TOKEN, vector.method, vector.url, nonce, params)
    if signature != vector.signature:
        # The page would teach a wrong algorithm: stop the build.
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


def _vector(method: str, with_query: bool) -> pd.SignatureVector:
    for v in pd.SIGNATURE_VECTORS:
        if v.method == method and ("?" in v.url) == with_query:
            return v
    raise KeyError(f"no published {method} vector {'with' if with_query else 'without'} a query string")


def _vector_inline(field: str) -> Callable[[], str]:
    return lambda: _code(getattr(pd, field))


RENDERERS: dict[str, Callable[[], str]] = {
    "call-statuses": _call_statuses,
    "dial-statuses": _dial_statuses,
    "simulated-outcomes": _simulated_outcomes,
    "action-parameters": lambda: _parameters(pd.DIAL_ACTION_PARAMETERS),
    "answer-parameters": lambda: _parameters(pd.ANSWER_PARAMETERS),
    "dial-attributes": lambda: _attributes(pd.DIAL_ATTRIBUTES),
    "number-attributes": lambda: _attributes(pd.NUMBER_ATTRIBUTES),
    "user-attributes": lambda: _attributes(pd.USER_ATTRIBUTES),
    "hangup-causes": _hangup_causes,
    "callback-settings": _callback_settings,
    **{f"callback-default-{s.key}": _callback_default(s.key) for s in pd.CALLBACK_SETTINGS},
    "signature-vectors": _signature_vectors,
    "signature-vector-params": _vector_params,
    "signature-vector-token": _vector_inline("SIGNATURE_VECTOR_AUTH_TOKEN"),
    "signature-vector-nonce": _vector_inline("SIGNATURE_VECTOR_NONCE"),
    "signature-example-post": lambda: _worked_example(_vector("POST", with_query=False)),
    "signature-example-post-query": lambda: _worked_example(_vector("POST", with_query=True)),
    "signature-example-get": lambda: _worked_example(_vector("GET", with_query=False)),
    "signature-example-get-query": lambda: _worked_example(_vector("GET", with_query=True)),
}


def render(markdown: str, where: str = "page") -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in RENDERERS:
            raise KeyError(f"{where}: unknown placeholder <!-- plivo: {name} -->; known: {', '.join(RENDERERS)}")
        # A placeholder inside an indented block (a tab, an admonition) keeps
        # every line of its table inside that block.
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        before = markdown[line_start : match.start()]
        indent = before if not before.strip() else ""
        first, *rest = RENDERERS[name]().splitlines()
        return first + "".join("\n" + (indent + line if line else line) for line in rest)

    return PLACEHOLDER.sub(replace, markdown)


def on_page_markdown(markdown: str, page, config, files) -> str:
    return render(markdown, page.file.src_uri)
