"""The built guide: its HTML, and the site in a real browser (headless Chromium through Playwright).

The site is built with ``mkdocs build --strict`` into a temporary directory,
completed with ``docs/generate.py --site`` (plain .md copies, llms.txt), and
served on 127.0.0.1 by a small server that gzips what it sends, as a web host
does, and counts the bytes it puts on the wire. Any request to another host is
blocked and fails the test: the guide must work with no outside request at all.

Goals checked on every page: at most 250 KB transferred, no outside request,
no horizontal overflow at a phone's 390 px (tables may scroll inside their own
wrapper), code highlighted in every language; the diagram's labels at least
11 CSS px at 390 px, legible in light and dark.
"""

from __future__ import annotations

import gzip
import http.server
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from harness.skips import skip_unless_allowed

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
MAX_PAGE_BYTES = 250 * 1024
PHONE = {"width": 390, "height": 844}
MIN_LABEL_PX = 11
MIN_CONTRAST = 4.5
COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt", ".md", ".map")


def _missing(reason: str, name: str = "chromium"):
    skip_unless_allowed(name, reason)


def build_site(out: Path, env: dict[str, str] | None = None) -> None:
    """mkdocs build --strict into ``out``, then the plain-text extras; fails the test on any error."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    for command in (
        [sys.executable, "docs/generate.py", "--check"],
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", "mkdocs.yml", "--site-dir", str(out)],
        [sys.executable, "docs/generate.py", "--site", str(out)],
    ):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, f"{' '.join(command[1:])} failed:\n{done.stdout}\n{done.stderr}"


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site, gzipped when the client accepts it, and counts bytes sent per path."""

    sent: dict[str, int]

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(unquote(urlsplit(self.path).path)))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                self.send_response(301)
                self.send_header("Location", self.path.split("?")[0] + "/")
                self.end_headers()
                return
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in COMPRESSIBLE
        if gzipped:
            body = gzip.compress(body, compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        self.wfile.write(body)
        self.sent[self.path] = self.sent.get(self.path, 0) + len(body)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site, served on 127.0.0.1; yields (directory, base URL, bytes sent per path)."""
    out = tmp_path_factory.mktemp("site")
    build_site(out)
    sent: dict[str, int] = {}
    handler = type("Handler", (_GzipHandler,), {"sent": sent})

    def make(*args, **kwargs):
        return handler(*args, directory=str(out), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield out, f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()


def _pages(out: Path) -> list[str]:
    return sorted(
        str(p.relative_to(out).parent).replace("\\", "/") + "/" if p.parent != out else ""
        for p in out.rglob("index.html")
    )


# --------------------------------------------------------------------------
# The built HTML, no browser needed
# --------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text of a page's article, without scripts and styles."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


LEFTOVERS = {
    "an unexpanded include": re.compile(r"--8<--|-8<-"),
    "a languages placeholder": re.compile(r"<!--\s*languages:"),
    "a plivo placeholder": re.compile(r"<!--\s*plivo:"),
    "a Mermaid block": re.compile(r'class="mermaid"|mermaid(\.min)?\.js'),
    "an empty inline value": re.compile(r"<code>\s*</code>"),
}
# A unit straight after a word: a figure that came out blank ("gives your server  ms").
BLANK_FIGURE = re.compile(r"[A-Za-z]\s+(ms|KB|KiB|time\(s\))(?![\w-])")


def test_no_placeholder_or_unexpanded_include_survives_on_any_page(site):
    out, _, _ = site
    pages = _pages(out)
    assert len(pages) >= 10, pages
    for path in pages:
        html = (out / path / "index.html").read_text()
        for what, pattern in LEFTOVERS.items():
            match = pattern.search(html)
            assert not match, f"/{path}: {what}: ...{html[max(match.start() - 80, 0) : match.end() + 80]}..."
        parser = _Text()
        parser.feed(html)
        text = " ".join("".join(parser.parts).split())
        assert text, f"/{path}: no article text"
        match = BLANK_FIGURE.search(text)
        assert not match, f"/{path}: a figure is blank: ...{text[max(match.start() - 60, 0) : match.end()]}..."
    # The checks can fail: the figure sentence of how-it-works must carry its numbers.
    text = (out / "how-it-works" / "index.html").read_text()
    assert re.search(r"gives your server\s*<code>\d+</code>\s*ms", text), "the timeout figures are missing"


def test_blank_figure_check_catches_a_missing_number():
    assert BLANK_FIGURE.search("Plivo gives your server  ms to accept")
    assert not BLANK_FIGURE.search("Plivo gives your server 2000 ms to accept")


def test_reference_tables_have_row_anchors_and_examples(site):
    out, _, _ = site
    attributes = (out / "reference" / "dial-attributes" / "index.html").read_text()
    for name in ("action", "callbackUrl", "redirect"):
        assert f'id="attr-{name}"' in attributes, f"no #attr-{name} anchor on the Dial attributes page"
    parameters = (out / "reference" / "action-parameters" / "index.html").read_text()
    assert 'id="param-DialStatus"' in parameters
    assert re.search(r"<th[^>]*>Example</th>", parameters), "the parameter tables have no Example column"
    assert (
        "X-Plivo-Signature-V3:" in parameters
        or "X-Plivo-Signature-V3:" in attributes
        or any("X-Plivo-Signature-V3: " in (out / p / "index.html").read_text() for p in _pages(out))
    ), "no raw example request with its signature headers on any page"


def test_example_request_signature_is_real():
    """The raw request on the page verifies with dialsim's own check."""
    sys.path.insert(0, str(ROOT / "src"))
    from dialsim.signature import validate_signature

    partial = (ROOT / "docs" / "_generated" / "plivo" / "request-action.md").read_text()
    lines = partial.split("\n")[1:-2]
    method, path, _ = lines[0].split(" ")
    headers = dict(line.split(": ", 1) for line in lines[1 : lines.index("")])
    body = lines[lines.index("") + 1]
    from urllib.parse import parse_qsl

    url = f"https://{headers['Host']}{path}"
    params = parse_qsl(body, keep_blank_values=True)
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate  # its dataclasses look their module up there
    spec.loader.exec_module(generate)
    assert validate_signature(
        generate.LOCAL_TOKEN,
        method,
        url,
        headers["X-Plivo-Signature-V3-Nonce"],
        headers["X-Plivo-Signature-V3"],
        params,
    )
    assert not validate_signature(
        "another-token", method, url, headers["X-Plivo-Signature-V3-Nonce"], headers["X-Plivo-Signature-V3"], params
    )


def test_plain_markdown_copies_and_llms_txt(site):
    out, _, _ = site
    llms = (out / "llms.txt").read_text()
    assert llms.startswith("# Dial status reporting with Plivo\n"), llms[:200]
    links = re.findall(r"\]\(([^)]+\.md)\)", llms)
    assert len(links) >= 10, llms
    for link in links:
        copy = out / link
        assert copy.is_file(), f"llms.txt links {link}, which the site does not have"
        text = copy.read_text()
        assert text.lstrip().startswith("# "), f"{link} does not start with its title"
        assert "--8<--" not in text and "<!-- plivo:" not in text, f"{link} has an unexpanded include"
    build = (out / "build.md").read_text()
    assert 'title="examples/go/main.go"' in build and "func " in build, "build.md lacks the Go example's code"


def test_no_canonical_link_without_a_site_url(site):
    out, _, _ = site
    assert 'rel="canonical"' not in (out / "index.html").read_text(), "a canonical link to a URL nobody configured"


def test_site_and_repository_urls_come_from_the_environment(tmp_path):
    out = tmp_path / "site"
    build_site(out, {"DOCS_SITE_URL": "https://guide.example.org/", "DOCS_REPO_URL": "https://git.example.org/dial"})
    index = (out / "index.html").read_text()
    assert 'rel="canonical" href="https://guide.example.org/"' in index
    assert 'href="https://git.example.org/dial"' in index, "no repository link in the header"


# --------------------------------------------------------------------------
# In the browser
# --------------------------------------------------------------------------


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
        # Routing every request also turns the HTTP cache off: each page load
        # fetches everything again, as a first visit does.
        context.route("**/*", route)
        context.requests, context.outside, context.base = requests, outside, base
        try:
            yield context
        finally:
            context.close()


def _open(context, path: str, viewport=None, scheme: str | None = None):
    page = context.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    if scheme:
        # Material keeps the reader's palette choice here.
        page.add_init_script(
            f"localStorage.setItem('{urlsplit(context.base).path}.__palette', "
            f"JSON.stringify({{index: {0 if scheme == 'default' else 1}, color: {{scheme: '{scheme}'}}}}))"
        )
    page.goto(context.base + path, wait_until="load")
    return page, errors


def test_every_page_is_light_and_makes_no_outside_request(site, browser):
    out, _, sent = site
    weights = {}
    for path in _pages(out):
        sent.clear()
        page, errors = _open(browser, path)
        page.wait_for_load_state("networkidle")
        assert not browser.outside, f"/{path}: requests that left 127.0.0.1:\n" + "\n".join(browser.outside)
        assert page.locator("article h1").count() == 1, f"/{path}: no page title"
        assert not errors, f"/{path}: " + "\n".join(errors)
        weights[path] = sum(sent.values())
        page.close()
    print("\nbytes transferred (gzip) per page:")
    for path, size in weights.items():
        print(f"  /{path:<34} {size:>8} B  ({size / 1024:.0f} KB)")
    heavy = {p: s for p, s in weights.items() if s > MAX_PAGE_BYTES}
    assert not heavy, f"pages over {MAX_PAGE_BYTES} B transferred: {heavy}"
    assert min(weights.values()) > 10_000, f"implausibly light pages, is the count broken? {weights}"


OVERFLOW = """() => {
    const root = document.scrollingElement;
    const problems = [];
    if (root.scrollWidth > root.clientWidth + 1) problems.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    const viewport = document.documentElement.clientWidth;
    for (const bar of document.querySelectorAll('.tabbed-labels')) {
        if (!bar.offsetParent) continue;
        if (bar.scrollWidth > bar.clientWidth + 1) problems.push(`a tab bar hides labels: ${bar.innerText.replace(/\\s+/g, ' ')}`);
        for (const label of bar.querySelectorAll('label')) {
            const r = label.getBoundingClientRect();
            if (r.right > viewport + 1 || r.left < -1) problems.push(`tab ${label.innerText} is off screen`);
        }
    }
    // A table wider than the screen must scroll inside its own wrapper (at
    // most two levels up), and that wrapper must fit: else the theme's
    // containers clip it and the reader cannot see its last columns.
    for (const table of document.querySelectorAll('article table')) {
        if (!table.offsetParent) continue;
        if (table.getBoundingClientRect().right <= viewport + 1) continue;
        let box = table.parentElement, ok = false;
        for (let up = 0; box && up < 2; up++, box = box.parentElement) {
            if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
                ok = box.getBoundingClientRect().right <= viewport + 1;
                break;
            }
        }
        if (!ok) problems.push(`a table is cut off: ${table.innerText.slice(0, 60)}`);
    }
    return problems;
}"""


def test_nothing_overflows_on_a_phone(site, browser):
    out, _, _ = site
    checked = 0
    for path in _pages(out):
        page, _ = _open(browser, path, viewport=PHONE)
        problems = page.evaluate(OVERFLOW)
        assert not problems, f"/{path} at 390 px:\n" + "\n".join(problems)
        checked += page.locator(".tabbed-labels").count() + page.locator("article table").count()
        page.close()
    assert checked > 20, "no tables or tab bars were checked"


def test_the_overflow_check_sees_a_wide_table(site, browser):
    page, _ = _open(browser, "", viewport=PHONE)
    page.evaluate(
        "() => { const t = document.createElement('table'); t.style.display = 'table'; t.innerHTML = '<tr><td style=\"white-space:nowrap\">'"
        " + 'x'.repeat(300) + '</td></tr>'; document.querySelector('article').appendChild(t); }"
    )  # outside Material's scroll wrapper, as a table in raw HTML would be
    assert page.evaluate(OVERFLOW), "a 300-character unbreakable table cell went unnoticed"
    page.close()


DIAGRAM = """() => {
    function rgb(c) { const m = c.match(/[\\d.]+/g).map(Number); return m.slice(0, 3); }
    function lum(c) { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; }
    function background(el) {
        while (el) { const c = getComputedStyle(el).backgroundColor; if (c && !/rgba\\(.*, 0\\)$/.test(c) && c !== 'transparent') return c; el = el.parentElement; }
        return 'rgb(255, 255, 255)';
    }
    const svg = document.querySelector('figure.sequence-diagram svg');
    if (!svg) return null;
    const bg = background(svg.parentElement);
    return [...svg.querySelectorAll('text')].map(t => {
        const size = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
        const fill = getComputedStyle(t).fill;
        const [a, b] = [lum(fill), lum(bg)].sort((x, y) => y - x);
        return {text: t.textContent, px: size, contrast: (a + 0.05) / (b + 0.05)};
    });
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_diagram_is_readable_on_a_phone(browser, scheme):
    page, errors = _open(browser, "how-it-works/", viewport=PHONE, scheme=scheme)
    assert page.get_attribute("body", "data-md-color-scheme") == scheme
    labels = page.evaluate(DIAGRAM)
    assert labels and len(labels) >= 15, f"no diagram with its labels on how-it-works/: {labels}"
    small = [label for label in labels if label["px"] < MIN_LABEL_PX]
    assert not small, f"labels under {MIN_LABEL_PX} px at 390 px ({scheme}): {small[:5]}"
    faint = [label for label in labels if label["contrast"] < MIN_CONTRAST]
    assert not faint, f"labels with contrast under {MIN_CONTRAST} ({scheme}): {faint[:5]}"
    print(
        f"\ndiagram at 390 px, {scheme}: labels {min(x['px'] for x in labels):.1f} px or more, "
        f"contrast {min(x['contrast'] for x in labels):.1f} or more"
    )
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth + 1")
    assert not errors, "\n".join(errors)
    page.close()


def test_code_is_highlighted_in_every_language(browser):
    page, errors = _open(browser, "build/")
    found = page.evaluate(
        """() => [...document.querySelectorAll('.tabbed-set')].flatMap(set => {
            const labels = [...set.querySelectorAll(':scope > .tabbed-labels > label')].map(l => l.innerText.trim());
            return [...set.querySelectorAll(':scope > .tabbed-content > .tabbed-block')].map((block, i) => {
                const code = block.querySelector(':scope > .highlight:has(> .filename) code');
                if (!code) return null;
                const keywords = code.querySelectorAll('.k, .kd, .kn, .kr, .kt, .kc, .kp').length;
                return [labels[i], keywords];
            }).filter(Boolean);
        })"""
    )
    per_language: dict[str, list[int]] = {}
    for label, keywords in found:
        per_language.setdefault(label, []).append(keywords)
    assert set(per_language) == set(LANGUAGES), f"code blocks found for {sorted(per_language)}"
    plain = {label: counts for label, counts in per_language.items() if min(counts) == 0}
    assert not plain, f"code blocks without highlighted keywords: {plain}"
    assert not errors, "\n".join(errors)
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


def test_headings_inside_tabs_stay_out_of_the_table_of_contents(site, browser):
    out, _, _ = site
    assert 'id="notes-for-go"' in (out / "build" / "index.html").read_text(), "the Go notes lost their heading"
    page, errors = _open(browser, "build/")
    toc = page.eval_on_selector_all(".md-nav--secondary a.md-nav__link", "links => links.map(l => l.hash)")
    assert "#framework-notes" in toc, toc
    assert not [hash_ for hash_ in toc if hash_.startswith("#notes-for-")], f"tab headings in the contents: {toc}"
    assert not errors, "\n".join(errors)
    page.close()


@pytest.mark.parametrize(("query", "label"), [("go", "Go"), ("dotnet", ".NET"), ("PHP", "PHP")])
def test_a_lang_query_selects_that_language_everywhere(browser, query, label):
    page, errors = _open(browser, f"build/?lang={query}")
    page.wait_for_function("document.querySelectorAll('.tabbed-set').length > 0")
    checked = _checked_labels(page)
    assert len(checked) >= 4 and set(checked) == {label}, f"?lang={query}: {checked}"
    assert not errors, "\n".join(errors)
    page.close()


def test_example_folders_link_to_the_repository_when_there_is_one(tmp_path, browser):
    page, errors = _open(browser, "build/")
    folders = page.locator("code.example-folder")
    assert folders.count() >= 7
    assert page.locator("a > code.example-folder").count() == 0, "a folder links somewhere without a repository URL"
    # With a repository link in the header, as the theme renders it when repo_url is set.
    page.evaluate(
        "() => { const a = document.createElement('a'); a.className = 'md-source'; a.href = 'https://git.example.org/dial/';"
        " document.body.appendChild(a); }"
    )
    page.add_script_tag(url=browser.base + "assets/javascripts/guide.js")
    href = page.locator("a:has(> code.example-folder[data-path='examples/go/'])").first.get_attribute("href")
    assert href == "https://git.example.org/dial/tree/HEAD/examples/go/", href
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
