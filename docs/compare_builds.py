"""Build the guide with MkDocs and with Zensical and compare the content of every page.

Compared per page, inside the article: the headings, the tab labels of each tab
group, the text of each code block, the cells of each table, and the text of
each diagram. Theme markup
around the article may differ. Prints every difference; exits 1 if there is one.

    python docs/compare_builds.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Zensical wants its site directory inside the project; it keeps its cache in .cache/ already.
ZENSICAL_SITE = ROOT / ".cache" / "zensical-compare"
ZENSICAL_CONFIG = ROOT / ".zensical-compare.yml"


class Content(HTMLParser):
    """What a reader gets from a page's article, as comparable lists of strings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_article = 0
        self.skip = 0  # inside a permalink or a script: not content
        self.capture: list[tuple[str, list[str]]] = []
        self.headings: list[str] = []
        self.tab_labels: list[str] = []
        self.code_blocks: list[str] = []
        self.tables: list[str] = []
        self.diagrams: list[str] = []
        self.row: list[str] = []
        self.table_rows: list[str] = []

    def _start(self, kind: str) -> None:
        self.capture.append((kind, []))

    def _text(self) -> str:
        _, parts = self.capture.pop()
        return "".join(parts)

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article":
            self.in_article += 1
        if not self.in_article:
            return
        if tag == "script" or (tag == "a" and "headerlink" in classes) or (tag == "button"):
            self.skip += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._start(tag)
        elif tag == "label" and self.capture == [] and self._in_tabs:
            self._start("label")
        elif tag == "pre":
            self._start("pre")
        elif tag == "svg":
            self._start("svg")
        elif tag == "table":
            self.table_rows = []
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self._start("cell")
        if tag == "div" and "tabbed-labels" in classes:
            self._in_tabs = True
            self.tab_labels.append("--")

    _in_tabs = False

    def handle_endtag(self, tag):
        if not self.in_article:
            return
        if tag == "article":
            self.in_article -= 1
        elif self.skip and tag in ("script", "a", "button"):
            self.skip -= 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self.capture and self.capture[-1][0] == tag:
            self.headings.append(f"{tag}: {' '.join(self._text().split())}")
        elif tag == "label" and self.capture and self.capture[-1][0] == "label":
            self.tab_labels.append(self._text().strip())
        elif tag == "div" and self._in_tabs:
            self._in_tabs = False
        elif tag == "pre" and self.capture and self.capture[-1][0] == "pre":
            self.code_blocks.append(self._text().strip("\n"))
        elif tag == "svg" and self.capture and self.capture[-1][0] == "svg":
            self.diagrams.append(" ".join(self._text().split()))
        elif tag in ("td", "th") and self.capture and self.capture[-1][0] == "cell":
            self.row.append(" ".join(self._text().split()))
        elif tag == "tr":
            self.table_rows.append(" | ".join(self.row))
        elif tag == "table":
            self.tables.append("\n".join(self.table_rows))

    def handle_data(self, data):
        if self.in_article and not self.skip:
            for _, parts in self.capture:
                parts.append(data)


def content(html: str) -> dict[str, list[str]]:
    parser = Content()
    parser.feed(html)
    return {
        "headings": parser.headings,
        "tab labels": parser.tab_labels,
        "code blocks": parser.code_blocks,
        "tables": parser.tables,
        "diagrams": parser.diagrams,
    }


def pages(site: Path) -> dict[str, Path]:
    return {str(p.parent.relative_to(site)): p for p in sorted(site.rglob("index.html"))}


def differences(mkdocs_site: Path, zensical_site: Path) -> list[str]:
    """Every content difference between two builds, as readable paragraphs."""
    problems = []
    left, right = pages(mkdocs_site), pages(zensical_site)
    for missing in sorted(set(left) ^ set(right)):
        problems.append(f"/{missing}/: only in the {'MkDocs' if missing in left else 'Zensical'} build")
    for page in sorted(set(left) & set(right)):
        a, b = content(left[page].read_text()), content(right[page].read_text())
        for part in a:
            if a[part] != b[part]:
                diff = difflib.unified_diff(
                    "\n".join(a[part]).splitlines(),
                    "\n".join(b[part]).splitlines(),
                    "mkdocs",
                    "zensical",
                    lineterm="",
                    n=1,
                )
                problems.append(f"/{page}/: {part} differ\n" + "\n".join(list(diff)[:40]))
        if not a["headings"]:
            problems.append(f"/{page}/: no headings in the MkDocs build: is the article found?")
    return problems


def _run(command: list[str]) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    if "zensical" in command[0] and "No issues found" not in done.stdout + done.stderr:
        raise RuntimeError(f"Zensical reported issues:\n{done.stdout}\n{done.stderr}")


def zensical_command() -> list[str] | None:
    """How to run Zensical from this interpreter's environment, or None when it is not installed."""
    executable = Path(sys.executable).parent / "zensical"
    if executable.exists():
        return [str(executable)]
    found = shutil.which("zensical")
    return [found] if found else None


def build_both(out: Path) -> tuple[Path, Path]:
    """Build with MkDocs into out/mkdocs and with Zensical into out/zensical."""
    zensical = zensical_command()
    if zensical is None:
        raise FileNotFoundError("Zensical is not installed (pip install -e '.[zensical]')")
    mkdocs_site, zensical_site = out / "mkdocs", out / "zensical"
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(mkdocs_site)])
    ZENSICAL_CONFIG.write_text(f"INHERIT: mkdocs.yml\nsite_dir: {ZENSICAL_SITE.relative_to(ROOT)}\n")
    try:
        _run([*zensical, "build", "--strict", "--clean", "--config-file", ZENSICAL_CONFIG.name])
        shutil.rmtree(zensical_site, ignore_errors=True)
        shutil.move(str(ZENSICAL_SITE), zensical_site)
    finally:
        ZENSICAL_CONFIG.unlink(missing_ok=True)
        shutil.rmtree(ZENSICAL_SITE, ignore_errors=True)
    return mkdocs_site, zensical_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build into this directory and keep both sites")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        out = args.keep or Path(temporary)
        mkdocs_site, zensical_site = build_both(out)
        problems = differences(mkdocs_site, zensical_site)
        count = len(pages(mkdocs_site))
    for problem in problems:
        print(problem, end="\n\n")
    print(f"{count} pages compared: {len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
