"""The guide shows program code only through snippets of files under examples/.

A fenced block in docs/ may be a terminal session, plain text or a diagram;
a block in a programming language would be a pasted copy that no test runs.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from harness.examples import EXAMPLES_DIR, ROOT

DOCS = ROOT / "docs"
ALLOWED_FENCES = {"console", "text", "mermaid"}
FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*\{?\s*\.?([A-Za-z0-9_+-]*)", re.MULTILINE)
SNIPPET = re.compile(r'--8<--\s+"([^"]+)"')


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_no_pasted_program_code(page):
    text = page.read_text()
    opened = False
    for match in FENCE.finditer(text):
        opened = not opened
        if opened:
            language = match.group(2)
            assert language in ALLOWED_FENCES, (
                f"{page.relative_to(ROOT)}: a ```{language} block; program code must come from examples/ via snippets"
            )


def _languages_hook():
    spec = importlib.util.spec_from_file_location("languages_hook", DOCS / "hooks" / "languages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_included_file_is_under_examples():
    """Follow the language tabs as the build expands them, and check what they include."""
    hook = _languages_hook()
    included = []
    for page in pages():
        expanded = hook.render(page.read_text(), str(page))
        included += [(page, path) for path in SNIPPET.findall(expanded)]
    assert included, "no page includes any example file: the tabs lost their code"
    for page, path in included:
        file = (ROOT / path.split(":")[0]).resolve()
        assert file.is_relative_to(EXAMPLES_DIR), f"{page.relative_to(ROOT)} includes {path}, outside examples/"
        assert file.is_file(), f"{page.relative_to(ROOT)} includes {path}, which does not exist"
