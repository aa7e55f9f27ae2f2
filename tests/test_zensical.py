"""The guide builds the same with Zensical, Material's successor, as with MkDocs.

Both builds run (docs/compare_builds.py); every page must have the same
headings, tab labels, code blocks, tables and diagram text. Zensical is
installed by the `zensical` extra (pinned in pyproject.toml to the newest
release that installs from PyPI here).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from harness.skips import skip_unless_allowed

ROOT = Path(__file__).resolve().parents[1]


def _compare():
    spec = importlib.util.spec_from_file_location("compare_builds", ROOT / "docs" / "compare_builds.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    compare = _compare()
    if compare.zensical_command() is None:
        skip_unless_allowed("zensical", "Zensical is not installed (pip install -e '.[zensical]')")
    return compare, *compare.build_both(tmp_path_factory.mktemp("builds"))


def test_zensical_builds_the_same_content_on_every_page(builds):
    compare, mkdocs_site, zensical_site = builds
    assert len(compare.pages(mkdocs_site)) >= 10
    problems = compare.differences(mkdocs_site, zensical_site)
    assert not problems, "\n\n".join(problems)


def test_the_comparison_sees_a_lost_table_row_and_a_lost_tab(builds, tmp_path):
    compare, mkdocs_site, zensical_site = builds
    page = zensical_site / "reference" / "dial-attributes" / "index.html"
    html = page.read_text()
    start = html.index('<tr>\n<td><a id="attr-callbackUrl"')
    broken = html[:start] + html[html.index("</tr>", start) + 5 :]
    build = (zensical_site / "build" / "index.html").read_text()
    assert ">Go</label>" in build
    copy = tmp_path / "zensical"
    import shutil

    shutil.copytree(zensical_site, copy)
    (copy / "reference" / "dial-attributes" / "index.html").write_text(broken)
    (copy / "build" / "index.html").write_text(build.replace(">Go</label>", "></label>", 1))
    problems = "\n".join(compare.differences(mkdocs_site, copy))
    assert "/reference/dial-attributes/: tables differ" in problems and "callbackUrl" in problems, problems
    assert "/build/: tab labels differ" in problems, problems
