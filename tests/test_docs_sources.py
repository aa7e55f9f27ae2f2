"""The guide's sources: no pasted program code, includes that resolve, generated files up to date.

A fenced block in a page may be a terminal session or plain text; a block in a
programming language would be a pasted copy that no test runs. Program code
reaches the pages only through the generated tabs in docs/_generated/, whose
code blocks hold nothing but a snippet include of a file under examples/.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from harness.examples import EXAMPLES_DIR, ROOT

DOCS = ROOT / "docs"
GENERATED = DOCS / "_generated"
ALLOWED_FENCES = {"console", "text"}
FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*\{?\s*\.?([A-Za-z0-9_+-]*)", re.MULTILINE)
SNIPPET = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$', re.MULTILINE)


def generator():
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if not p.is_relative_to(GENERATED))


def partials() -> list[Path]:
    return sorted(GENERATED.rglob("*.md"))


def _blocks(text: str):
    """(language, body) of every fenced block."""
    matches = list(FENCE.finditer(text))
    for opening, closing in zip(matches[::2], matches[1::2]):
        yield opening.group(2), text[opening.end() : closing.start()]


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_no_pasted_program_code(page):
    for language, _ in _blocks(page.read_text()):
        assert language in ALLOWED_FENCES, (
            f"{page.relative_to(ROOT)}: a ```{language} block; program code must come from examples/ "
            "through the generated tabs"
        )


def test_generated_code_blocks_only_include_example_files():
    checked = 0
    for partial in partials():
        for language, body in _blocks(partial.read_text()):
            if language in ALLOWED_FENCES:
                continue
            body = body.split("\n", 1)[1]  # past the fence's options (title=...)
            includes = SNIPPET.findall(body)
            assert len(includes) == 1 and body.strip().startswith("--8<--"), (
                f"{partial.relative_to(ROOT)}: a ```{language} block that is not one include: {body[:200]!r}"
            )
            assert (ROOT / includes[0].split(":")[0]).resolve().is_relative_to(EXAMPLES_DIR), includes[0]
            checked += 1
    assert checked >= 20, f"only {checked} code blocks in the generated tabs: the tabs lost their code"


def test_every_include_exists_and_stays_in_its_place():
    """Pages include only generated partials; partials include only files under examples/."""
    included = 0
    for source, allowed in [(p, GENERATED) for p in pages()] + [(p, EXAMPLES_DIR) for p in partials()]:
        for target in SNIPPET.findall(source.read_text()):
            file = (ROOT / target.split(":")[0]).resolve()
            assert file.is_relative_to(allowed), f"{source.relative_to(ROOT)} includes {target}, outside {allowed}"
            assert file.is_file(), f"{source.relative_to(ROOT)} includes {target}, which does not exist"
            included += 1
    assert included >= 40, f"only {included} includes: pages lost their generated content"


def test_no_page_uses_the_old_placeholders():
    for page in pages():
        text = page.read_text()
        for old in ("<!-- languages:", "<!-- plivo:", "```mermaid"):
            assert old not in text, f"{page.relative_to(ROOT)} still has {old!r}, which nothing expands any more"


def test_generated_files_are_up_to_date():
    problems = generator().stale()
    assert not problems, "\n".join(problems) + "\nrun: python docs/generate.py"


def test_the_staleness_check_sees_a_changed_partial():
    gen = generator()
    files = gen.outputs()
    path = GENERATED / "plivo" / "call-statuses.md"
    files[path] = files[path] + "| `extra` | a row the sources do not have |\n"
    assert any("call-statuses.md is out of date" in p for p in gen.stale(files))
