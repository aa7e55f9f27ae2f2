"""The built guide in a real browser: headless Chromium through Playwright.

The site is built with ``mkdocs build --strict`` into a temporary directory
and served on 127.0.0.1. Every request the browser makes is recorded, and any
request to another host is blocked and fails the test: the guide must work
with no outside request at all (no CDN, no web fonts).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LANGUAGES = ["Node", "Ruby", "Python", "PHP", ".NET", "Java", "Go"]


def _missing(reason: str):
    """Skip, unless this run (CI) said which skips it allows and this is not one."""
    allowed = os.environ.get("DIALSIM_ALLOWED_SKIPS")
    if allowed is not None and "chromium" not in allowed.replace(",", " ").split():
        pytest.fail(
            f"{reason} (DIALSIM_ALLOWED_SKIPS={allowed!r} does not allow skipping the browser test)", pytrace=False
        )
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site, served on 127.0.0.1; yields its base URL."""
    out = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert built.returncode == 0, f"mkdocs build --strict failed:\n{built.stdout}\n{built.stderr}"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield out, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(site, tmp_path_factory):
    """A fresh Chromium profile that records every request and blocks outside ones."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        _missing(f"Chromium is not installed at {CHROMIUM} (Debian package `chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the Python package `playwright` is not installed")
    base = site[1]
    origin = urlsplit(base).netloc
    requests: list[str] = []
    outside: list[str] = []

    def route(route_):
        url = route_.request.url
        requests.append(url)
        if urlsplit(url).netloc == origin:
            route_.continue_()
        else:
            outside.append(url)
            route_.abort()

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            service_workers="block",  # so that every request goes through route()
        )
        context.route("**/*", route)
        context.requests, context.outside, context.base = requests, outside, base
        try:
            yield context
        finally:
            context.close()


def _pages(out: Path) -> list[str]:
    return sorted(
        str(p.relative_to(out).parent).replace("\\", "/") + "/" if p.parent != out else ""
        for p in out.rglob("index.html")
    )


def _open(context, path: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.goto(context.base + path, wait_until="load")
    return page, errors


def test_every_page_renders_without_errors_or_outside_requests(site, browser):
    out, _ = site
    pages = _pages(out)
    assert len(pages) >= 10, pages
    for path in pages:
        page, errors = _open(browser, path)
        assert not browser.outside, f"/{path}: requests that left 127.0.0.1:\n" + "\n".join(browser.outside)
        assert page.locator("article h1").count() == 1, f"/{path}: no page title"
        assert not errors, f"/{path}: " + "\n".join(errors)
        page.close()
    assert any(r.endswith("mermaid.min.js") for r in browser.requests), "the local Mermaid was never loaded"


def test_sequence_diagram_is_drawn_from_the_local_mermaid(browser):
    page, errors = _open(browser, "how-it-works/")
    page.wait_for_selector("div.mermaid", timeout=15000)
    assert page.locator("pre.mermaid").count() == 0, "the diagram was left as source text"
    box = page.locator("div.mermaid").first.bounding_box()
    assert box and box["height"] > 200, f"the diagram has no size: {box}"
    assert not errors, "\n".join(errors)
    assert not browser.outside, "\n".join(browser.outside)
    page.close()


def _checked_labels(page) -> list[str]:
    return page.eval_on_selector_all(
        ".tabbed-set",
        """sets => sets.map(set => {
            const input = [...set.querySelectorAll(':scope > input')].find(i => i.checked);
            return input ? set.querySelector(`label[for="${input.id}"]`).innerText.trim() : null;
        })""",
    )


def test_language_tabs_are_linked_across_the_page_and_the_site(browser):
    page, errors = _open(browser, "build/")
    labels = page.eval_on_selector_all(
        ".tabbed-set",
        "sets => sets.map(s => [...s.querySelectorAll(':scope > .tabbed-labels > label')].map(l => l.innerText.trim()))",
    )
    language_sets = [s for s in labels if s == LANGUAGES]
    assert len(language_sets) >= 4, f"expected several language tab groups labelled {LANGUAGES}, got {labels}"
    assert all(s == LANGUAGES for s in labels), f"every tab group on this page is a language group in order: {labels}"

    page.locator(".tabbed-set").first.locator(".tabbed-labels > label", has_text="Go").click()
    assert set(_checked_labels(page)) == {"Go"}, _checked_labels(page)
    page.locator(".tabbed-set").nth(2).locator(".tabbed-labels > label", has_text="Python").click()
    assert set(_checked_labels(page)) == {"Python"}, _checked_labels(page)
    assert not errors, "\n".join(errors)
    page.close()

    # The choice follows the reader to the next page.
    page, errors = _open(browser, "test-locally/")
    assert _checked_labels(page) and set(_checked_labels(page)) == {"Python"}, _checked_labels(page)
    assert not errors, "\n".join(errors)
    page.close()


def test_code_blocks_have_a_copy_button_that_leaves_prompts_out(browser):
    browser.grant_permissions(["clipboard-read", "clipboard-write"], origin=browser.base.rstrip("/"))
    page, errors = _open(browser, "test-locally/")
    block = page.locator(".highlight:visible", has_text="dialsim call").first
    button = block.locator('button[data-md-type="copy"], button.md-clipboard').first
    assert button.count() == 1, "no copy button on a code block"
    block.hover()
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("export PLIVO_AUTH_TOKEN="), copied[:200]
    assert "dialsim call" in copied, copied[:300]
    assert "$ " not in copied and "verdict:" not in copied, f"prompts or output were copied: {copied[:300]!r}"
    assert not errors, "\n".join(errors)
    page.close()


def test_search_and_dark_mode_work_offline(browser):
    page, errors = _open(browser, "")
    page.locator("input.md-search__input").click()
    page.keyboard.type("DialBLegUUID")  # Material searches on key events, not on fill()
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.keyboard.press("Escape")
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    after = page.get_attribute("body", "data-md-color-scheme")
    assert {before, after} == {"default", "slate"}, (before, after)
    assert not errors, "\n".join(errors)
    assert not browser.outside, "\n".join(browser.outside)
    page.close()
