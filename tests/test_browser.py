"""Real headless Chromium against the built site, over HTTP and from the offline bundle.

One session build, in a temporary copy of the project (the working tree's docs/
and site/ are never touched): `build-corpus build`, `mkdocs build --strict`,
then `make_bundle` and unzip. The same tests then run against

- `http`: the site served by Python's http.server on 127.0.0.1, and
- `file`: the unzipped bundle opened from file://, as a reader would.

Every tab records its requests and console errors; a test ends by asserting
that nothing went outside the target (for the bundle: nothing but file:, data:
and blob:) and that no console error was logged. Requests outside the target
are also aborted, so a regression is reported, never sent.

Chromium is Debian's (/usr/bin/chromium); Playwright drives it and downloads no
browser. When it is missing the tests fail, saying how to install it.

test_search_precision runs the site's search on every glossary term, prints
precision@5, and requires it to be at least 0.9 with no empty result.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from project_copy import copy_project

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
BUNDLE_NAME = "gov-work-reports"
# The repository the session's site is built for (build_corpus/publishing.py): a project site.
PUBLISHED_AS = {"SITE_REPOSITORY": "example/gov-work-reports", "SITE_URL": ""}
SITE_URL = "https://example.github.io/gov-work-reports/"
PROJECT_PATH = "/gov-work-reports/"

# A report of the bundled sources with a two-level heading tree and both kinds of term link.
REPORT = "puyuanzhen-2018"
REPORT_PLACE, REPORT_YEAR = "濮院镇", "2018"
SEARCH_TERM = "五水共治"
PAGES_TO_VISIT = ("index.html", "places.html", "years.html", "terms/index.html", "terms/wu-shui-gong-zhi.html",
                  f"reports/{REPORT}.html", "downloads/index.html", "skipped.html")

# Quotes and the zero-width spaces of search segmentation do not count when
# matching a term: the glossary has 1+3+1+X产业 where the text says “1+3+1+X”产业.
_IGNORED = re.compile(r"[“”‘’\"'「」『』\u200b\s]")
_ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)
_TAG = re.compile(r"<[^>]+>")


def normalise(text: str) -> str:
    return _IGNORED.sub("", text).casefold()


# --- build once ------------------------------------------------------------

@dataclass
class Built:
    project: Path      # the temporary copy the commands ran in
    site: Path         # its site/
    zip_path: Path
    zip_files: int
    bundle: Path       # the unzipped <name>-offline/ folder


def _copy_project(project: Path) -> Path:
    """The hand-written inputs of a build, copied into a scratch folder."""
    return copy_project(project)


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300,
                            env=None if env is None else {**os.environ, **env})
    if result.returncode:
        pytest.fail(f"`{' '.join(cmd[1:])}` failed in {cwd} (exit {result.returncode}):\n"
                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}", pytrace=False)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    from build_corpus.renderer.bundle import BundleError, make_bundle

    project = _copy_project(tmp_path_factory.mktemp("browser-project"))
    # Built as CI builds it for GitHub Pages: the site's address is a project path, /<repo>/.
    _run([sys.executable, "-m", "build_corpus", "build"], project, PUBLISHED_AS)
    _run([sys.executable, "-m", "mkdocs", "build", "--strict"], project, PUBLISHED_AS)
    try:
        zip_path, count = make_bundle(project / "site", project / "dist", BUNDLE_NAME)
    except BundleError as err:
        pytest.fail(f"the site built from mkdocs.yml cannot be bundled for offline use:\n{err}", pytrace=False)
    unzipped = project / "unzipped"
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(unzipped)
    return Built(project, project / "site", zip_path, count, unzipped / f"{BUNDLE_NAME}-offline")


@pytest.fixture(scope="session")
def page_texts(built) -> dict[str, str]:
    """Each page's article text (site path -> normalised text), to judge search results."""
    texts = {}
    for path in built.site.rglob("*.html"):
        match = _ARTICLE.search(path.read_text(encoding="utf-8"))
        if match:
            texts[path.relative_to(built.site).as_posix()] = normalise(html.unescape(_TAG.sub("", match[1])))
    return texts


@pytest.fixture(scope="session")
def glossary(built) -> list[dict]:
    import gzip
    import json
    return json.loads(gzip.decompress((built.site / "downloads" / "glossary.json.gz").read_bytes()))


# --- serve and browse -------------------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):   # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def http_base(built):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(built.site)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@dataclass
class Target:
    """Where the site is opened from: `base` + a site path is a page's URL."""
    kind: str       # "http" | "file"
    base: str
    root: Path      # the files behind `base`

    def url(self, path: str) -> str:
        return self.base + quote(path)

    def allows(self, url: str) -> bool:
        scheme = urlsplit(url).scheme
        if scheme in ("data", "blob"):
            return True
        return url.startswith(self.base) if self.kind == "http" else scheme == "file"

    def site_path(self, url: str) -> str:
        """The site path of a URL of this target, without query or fragment."""
        parts = urlsplit(url)
        base = urlsplit(self.base).path
        return unquote(parts.path)[len(unquote(base)):] if unquote(parts.path).startswith(unquote(base)) else url


@pytest.fixture(scope="session", params=["http", "file"])
def target(request, built) -> Target:
    if request.param == "http":
        return Target("http", request.getfixturevalue("http_base"), built.site)
    return Target("file", built.bundle.as_uri() + "/", built.bundle)


@dataclass
class Tab:
    """One browser tab on a target, recording what a test must not see."""
    page: object
    target: Target
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        path, hash_mark, fragment = path.partition("#")   # a fragment is no part of the path to quote
        self.page.goto(self.target.url(path) + hash_mark + fragment, wait_until="load")

    def offsite_requests(self) -> list[str]:
        return [url for url in self.requests if not self.target.allows(url)]

    def assert_clean(self) -> None:
        offsite = self.offsite_requests()
        if offsite:
            print(f"\nrequests outside the {self.target.kind} site:", *offsite, sep="\n  ")
        assert not offsite, (f"{len(offsite)} request(s) outside the {self.target.kind} site "
                             f"({'only file:, data:, blob: allowed' if self.target.kind == 'file' else self.target.base}):\n"
                             + "\n".join(offsite))
        assert not self.console_errors, "console errors:\n" + "\n".join(self.console_errors)


def _open_tab(browser, target: Target, **options) -> tuple[object, Tab]:
    """A tab on a desktop-sized window; `options` go to Playwright's new_context (phone size, scheme …)."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN", **options})
    page = context.new_page()
    tab = Tab(page, target)
    context.on("request", lambda r: tab.requests.append(r.url))
    # Record, then refuse: the tests must never reach the network.
    context.route(lambda url: not target.allows(url), lambda route: route.abort())
    page.on("console", lambda m: m.type == "error" and tab.console_errors.append(
        f"{m.text} (at {m.location.get('url', '?')}, page {page.url})"))
    page.on("pageerror", lambda err: tab.console_errors.append(f"uncaught {err} (page {page.url})"))
    page.set_default_timeout(10_000)
    return context, tab


@pytest.fixture
def tab(browser, target):
    context, tab = _open_tab(browser, target)
    yield tab
    context.close()


# --- Material's search, through its own search box --------------------------

class SiteSearch:
    """Types into Material's search box and reads the result list, as a reader would."""

    def __init__(self, tab: Tab):
        self.tab = tab
        self.page = tab.page
        self.box = self.page.locator("input.md-search__input")
        self.box.click()
        # What the result header says for an empty query once the index is loaded.
        self.placeholder = self.page.evaluate(
            "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']")

    def _type(self, text: str) -> None:
        self.box.fill(text)
        self.box.press("End")   # Material reads the box on keyup

    def query(self, text: str) -> list[str]:
        """Site paths of the result pages, best first."""
        self._type("")
        self.page.wait_for_function(   # the first time, this waits for the index to load
            "p => document.querySelector('.md-search-result__meta').textContent.trim() === p"
            " && !document.querySelector('.md-search-result__list').children.length", arg=self.placeholder,
            timeout=30_000)
        self._type(text)
        self.page.wait_for_function(
            "p => document.querySelector('.md-search-result__meta').textContent.trim() !== p", arg=self.placeholder)
        hrefs = self.page.eval_on_selector_all(
            ".md-search-result__list > li.md-search-result__item",
            "items => items.map(li => li.querySelector('a[href]')).filter(Boolean).map(a => a.href)")
        return [self.tab.target.site_path(href) for href in hrefs]


# --- the tests --------------------------------------------------------------

def test_report_page_renders_its_heading_tree(tab):
    tab.goto(f"reports/{REPORT}.html")
    title = tab.page.title()
    assert REPORT_PLACE in title and REPORT_YEAR in title, title
    headings = tab.page.eval_on_selector_all(
        "article h2, article h3", "hs => hs.map(h => [h.tagName, h.textContent.replace('¶', '').trim()])")
    h2 = [text for tag, text in headings if tag == "H2"]
    h3 = [text for tag, text in headings if tag == "H3"]
    assert any(t.startswith("一、") for t in h2), f"no h2 “一、…” in {h2}"
    assert any(t.startswith("（一）") for t in h3), f"no h3 “（一）…” in {h3}"
    # （一） sits under a numbered part, not before the first one.
    first_h3 = next(i for i, (tag, t) in enumerate(headings) if tag == "H3" and t.startswith("（一）"))
    assert any(tag == "H2" and re.match(r"[一二三四五六七八九十]+、", t) for tag, t in headings[:first_h3])
    # The 目录 block is drawn from these headings (readers.js), a （一） nested under its part; the
    # page's own apparatus (本报告使用的名词, 来源与清理记录…) is not in it.
    outline = tab.page.eval_on_selector_all(
        "details.report-outline a", "as => as.map(a => [a.getAttribute('href'), a.textContent,"
        " a.closest('li').parentElement.closest('li') !== null])")
    report_headings = tab.page.eval_on_selector_all(
        "article :is(h2, h3, h4)[id]", "hs => hs.filter(h => /^(sec|appendix)-|^glossary$/.test(h.id))"
        ".map(h => ['#' + h.id, h.tagName])")
    assert [href for href, _, _ in outline] == [href for href, _ in report_headings]
    assert all(nested == (tag != "H2") for (_, _, nested), (_, tag) in zip(outline, report_headings))
    assert h2[0].startswith(outline[0][1]) and outline[0][1].startswith("一、")   # h2 also holds its 引用 button
    tab.assert_clean()


def _definitions(glossary: list[dict]) -> dict[str, set[str]]:
    """Per term page, the tooltips a link to it may show: `地区 年份：释义` (whose definition it is)."""
    return {entry["slug"]: {f"{d['place']} {d['year']}：{d['definition']}".strip() for d in entry["definitions"]}
            for entry in glossary}


def test_hovering_a_term_shows_its_definition(tab, glossary, built):
    tab.goto(f"reports/{REPORT}.html")
    definitions = _definitions(glossary)
    page_html = (built.site / "reports" / f"{REPORT}.html").read_text(encoding="utf-8")
    # Handles, not locators: Material removes the title on hover, and `a[title]` would then match the next link.
    links = {
        "term page": tab.page.locator('article p a[title][href*="terms/"]').first.element_handle(),
        "glossary anchor": tab.page.locator('article p a[title][href^="#gloss-"]:not(.para-link)').first.element_handle(),
    }
    for kind, link in links.items():
        # Material moves it into the tooltip on hover, as HTML: the attribute holds the text escaped once more.
        title = html.unescape(link.get_attribute("title"))
        href = link.get_attribute("href")
        assert title and title.strip(), f"{kind} link {href} has no title"
        if kind == "term page":
            slug = href.rsplit("/", 1)[-1].split("#")[0].removesuffix(".html")
            assert title.strip() in definitions[slug], f"title of {href} is not one of the term's definitions: {title}"
        else:   # no title in the HTML (pages/links.py): readers.js reads the entry's definition on the page
            entry = re.search(rf'<p id="{href[1:]}">[^<]*<strong>.*?</strong>：(.*?)(?: <small| <span class="gloss-back"| <a class="gloss-back"|</p>)',
                              page_html, re.S)
            assert entry and title.strip() == html.unescape(entry.group(1)).strip(), (href, title)
        link.scroll_into_view_if_needed()
        link.hover()
        tab.page.wait_for_function("a => a.hasAttribute('aria-describedby')", arg=link)
        tooltip = tab.page.locator("#" + link.get_attribute("aria-describedby"))
        tooltip.wait_for(state="visible")
        assert tooltip.inner_text().strip() == title.strip(), f"{kind} link {href}"
        tab.page.mouse.move(0, 0)
    tab.assert_clean()


def test_a_definition_linked_again_shows_the_same_tooltip(tab, built):
    """A page writes a definition's tooltip once, on its first link (pages/links.py); readers.js gives the
    later links to it that title, and Material's tooltip shows it on hover as on the first."""
    page_html = (built.site / "reports" / f"{REPORT}.html").read_text(encoding="utf-8")
    term_link = r'<a href="((?:#gloss-|[^"]*terms/)[^"]+)"'
    first = re.findall(term_link + r' title="([^"]*)">', page_html)
    titled = dict(first)
    assert len(titled) == len(first), "a definition's tooltip written twice"
    again = [href for href in re.findall(term_link + ' class="term-link">', page_html) if href in titled]
    assert again, "no definition is linked twice on the page"
    tab.goto(f"reports/{REPORT}.html")
    link = tab.page.locator(f'article p a.term-link[href="{again[0]}"]').nth(1).element_handle()
    link.scroll_into_view_if_needed()
    link.hover()
    tab.page.wait_for_function("a => a.hasAttribute('aria-describedby')", arg=link)
    tooltip = tab.page.locator("#" + link.get_attribute("aria-describedby"))
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().strip() == html.unescape(html.unescape(titled[again[0]])).strip()
    tab.assert_clean()


def test_term_links_lead_to_the_term(tab, glossary):
    terms = {entry["slug"]: entry["term"] for entry in glossary}
    tab.goto(f"reports/{REPORT}.html")
    page = tab.page

    # An anchor into the report's own 名词解释 lands on the entry that explains the term.
    gloss = page.locator('article p a[href^="#gloss-"]').first
    word, anchor = gloss.inner_text(), gloss.get_attribute("href")
    gloss.click()
    # Scrolled to the entry. (Not location.hash: Material's navigation.tracking rewrites it to
    # the enclosing heading's anchor, #glossary, as soon as the scroll settles.)
    page.wait_for_function(
        "id => { const r = document.getElementById(id).getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
        arg=anchor[1:])
    entry = page.locator(f'[id="{anchor[1:]}"]')
    assert entry.count() == 1, f"no element with id {anchor[1:]}"
    explained = entry.evaluate("e => (e.closest('p, li, dd') || e.parentElement).textContent")
    assert normalise(word) in normalise(explained), f"{anchor} explains “{explained[:60]}”, not “{word}”"

    # A link to a term page opens that term's page, which links back to the report.
    link = page.locator('article p a[href*="terms/"]').first
    href = link.get_attribute("href")
    slug = href.rsplit("/", 1)[-1].split("#")[0].removesuffix(".html")
    link.click()
    page.wait_for_url(re.compile(rf"/terms/{re.escape(quote(slug))}\.html(#[a-z0-9-]+)?$"))
    assert page.locator("article h1").inner_text().replace("¶", "").strip() == terms[slug]
    assert page.locator(f'article a[href*="reports/{REPORT}.html"]').count() > 0, "the term page does not cite the report"
    tab.assert_clean()


def test_search_finds_a_term(tab, page_texts):
    tab.goto("index.html")
    results = SiteSearch(tab).query(SEARCH_TERM)
    assert results, f"searching {SEARCH_TERM} found nothing"
    hits = [p for p in results if p.startswith(("reports/", "terms/")) and normalise(SEARCH_TERM) in page_texts.get(p, "")]
    assert hits, f"no report or term page containing {SEARCH_TERM} among the results {results[:10]}"
    tab.assert_clean()


def test_pages_log_no_console_errors(tab):
    for path in PAGES_TO_VISIT:
        tab.goto(path)
        # Let the page's scripts finish starting (search worker, tooltips).
        tab.page.wait_for_timeout(300)
    tab.assert_clean()


# --- the offline bundle -----------------------------------------------------

def test_bundle_opens_and_works_without_network(browser, built, page_texts):
    """A reader's visit from file://: 打开我.html, the navigation, a report, a tooltip, a search."""
    target = Target("file", built.bundle.as_uri() + "/", built.bundle)
    context, tab = _open_tab(browser, target)
    try:
        page = tab.page
        tab.goto("打开我.html")
        page.wait_for_url(re.compile(r"/index\.html$"))
        page.locator(".md-nav__link", has_text="按地区").first.click()
        page.wait_for_url(re.compile(r"/places\.html$"))
        page.locator(f'article a[href*="reports/{REPORT}.html"]').first.click()
        page.wait_for_url(re.compile(rf"/reports/{REPORT}\.html$"))
        link = page.locator('article p a[title][href*="terms/"]').first.element_handle()
        title = html.unescape(link.get_attribute("title"))   # read as HTML by Material's tooltip
        link.hover()
        page.wait_for_function("a => a.hasAttribute('aria-describedby')", arg=link)
        assert page.locator("#" + link.get_attribute("aria-describedby")).inner_text().strip() == title.strip()
        results = SiteSearch(tab).query(SEARCH_TERM)
        assert any(normalise(SEARCH_TERM) in page_texts.get(p, "") for p in results), results[:10]
        file_requests = [u for u in tab.requests if u.startswith("file:")]
        assert any(u.endswith("search/search_index.js") for u in file_requests), "the search settings were not loaded"
        shards = [u for u in file_requests if re.search(r"/search/idx-[0-9a-f]+/[bd]\d+\.js$", u)]
        assert shards, "no index shard was loaded: the sharded search did not run from file://"
        tab.assert_clean()
    finally:
        context.close()


def test_bundle_layout_and_reproducibility(built, tmp_path):
    from build_corpus.renderer.bundle import make_bundle

    folder = f"{BUNDLE_NAME}-offline/"
    with zipfile.ZipFile(built.zip_path) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert re.fullmatch(rf"{BUNDLE_NAME}-offline-\d{{4}}-\d{{2}}-\d{{2}}\.zip", built.zip_path.name)
    assert all(n.startswith(folder) for n in names), [n for n in names if not n.startswith(folder)][:5]
    for needed in ("打开我.html", "README.txt", "index.html", f"reports/{REPORT}.html", "search/search_index.js",
                   "assets/javascripts/iframe-worker-shim.js"):
        assert folder + needed in names, f"{needed} missing from the bundle"
    assert not [n for n in names if n.endswith(".map")], "source maps belong to DevTools, not the bundle"
    assert folder + "404.html" not in names, "404.html has absolute links, which break from file://"
    assert names == sorted(names) and len(names) == built.zip_files
    assert {i.date_time for i in infos} == {infos[0].date_time}

    again, _ = make_bundle(built.site, tmp_path, BUNDLE_NAME)
    assert again.read_bytes() == built.zip_path.read_bytes(), "the same site must give the same zip"

    with pytest.raises(FileNotFoundError) as err:
        make_bundle(tmp_path / "no-site", tmp_path, BUNDLE_NAME)
    assert err.value.filename == str(tmp_path / "no-site")


def test_vendored_shim_is_the_pinned_package(tmp_path):
    """docs/assets' iframe-worker shim is exactly what tools/offline-shim pins (regenerate: make offline-shim)."""
    import json

    shim_dir = ROOT / "tools" / "offline-shim"
    vendored = ROOT / "docs" / "assets" / "javascripts" / "iframe-worker-shim.js"
    assert vendored.is_file(), f"{vendored} is missing: run `make offline-shim`"
    lock = json.loads((shim_dir / "package-lock.json").read_text(encoding="utf-8"))
    version = lock["packages"]["node_modules/iframe-worker"]["version"]
    assert f"iframe-worker {version} " in vendored.read_text(encoding="utf-8").splitlines()[0], (
        f"{vendored} is not iframe-worker {version} (pinned in package-lock.json): run `make offline-shim`")
    if not shutil.which("node"):
        pytest.fail("node is not on PATH; tools/offline-shim/vendor.mjs runs under Node.js", pytrace=False)
    if not (shim_dir / "node_modules" / "iframe-worker").is_dir():
        pytest.fail("iframe-worker is not installed: run `make test`, or `npm ci --prefix tools/offline-shim`",
                    pytrace=False)
    fresh = tmp_path / "shim.js"
    subprocess.run(["node", str(shim_dir / "vendor.mjs"), str(fresh)], check=True, capture_output=True, timeout=60)
    assert fresh.read_bytes() == vendored.read_bytes(), f"{vendored} differs from the pinned package: run `make offline-shim`"


# --- targets, term timelines, compare pages ------------------------------------------

SIZES = ("desktop", "phone")      # 1280×900 (_open_tab's) and PHONE's 390×844
INDICATOR_PAGE = "indicators/gdp.html"
TIMELINE_PAGE = "terms/wu-shui-gong-zhi.html"
COMPARE_PAGE = "compare/index.html#a=tongxiangshi-2018&b=tongxiangshi-2023"   # a place's consecutive reports
SCREENSHOTS = ROOT / "test-results" / "screenshots"


def _sized_tab(browser, target: Target, size: str, **options) -> tuple[object, Tab]:
    return _open_tab(browser, target, **(PHONE if size == "phone" else {}), **options)


def _axe_violations(page, preload: bool = False) -> list[str]:
    """axe-core's violations on the page (all its default rules: WCAG 2.1 A/AA and best practices), once
    every transition has ended: a fading overlay blends its colours, and a slow machine catches it
    half-way (4.3:1 where the finished page has 7:1). preload=False works from file:// too: axe's preload
    would fetch the stylesheets again by XHR, which file:// refuses (a console error)."""
    if not AXE_JS.is_file():
        pytest.fail("axe-core is not installed: run `make test`, or `npm ci --prefix tools/axe`", pytrace=False)
    page.evaluate(SETTLED)
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(f"axe.run(document, {{resultTypes: ['violations'], preload: {str(preload).lower()}}})")
    return [f"{v['id']} ({v['impact']}): {n['target']} — {n['failureSummary'].splitlines()[-1].strip()}"
            for v in result["violations"] for n in v["nodes"]]


# Resolves when every finite CSS transition and animation on the page has run its course.
SETTLED = """Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null)))"""


def _screenshot(tab: Tab, name: str, size: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}-{tab.target.kind}.png"), full_page=True)


def _reader_checks(tab, name: str, size: str) -> None:
    """What every new page must pass at every size: no sideways scroll, axe clean, nothing off-site."""
    _no_page_overflow(tab)
    _screenshot(tab, name, size)
    violations = _axe_violations(tab.page)
    assert not violations, "\n".join(violations)
    tab.assert_clean()


def _body_cells(table) -> list[list[str]]:
    """The text of every cell of a table's body, row by row."""
    return table.evaluate("t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent.trim()))")


def _no_page_overflow(tab: Tab) -> None:
    """Wide tables scroll inside their own box; the page itself never scrolls sideways."""
    wider = tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 1, f"{tab.page.url} is {wider}px wider than the window"


def _charts(tab: Tab) -> list[dict]:
    return tab.page.eval_on_selector_all("article figure.chart-figure svg[role=img]", """svgs => svgs.map(s => ({
        title: s.querySelector('title').textContent, desc: s.querySelector('desc').textContent,
        labelled: s.getAttribute('aria-labelledby').split(' ').every(id => document.getElementById(id)),
        width: s.getBoundingClientRect().width, table: !!s.closest('figure').nextElementSibling}))""")


@pytest.mark.parametrize("size", SIZES)
def test_indicator_page(browser, target, size):
    """The GDP page: a chart per year with its numbers beside it, the right values, a table that sorts."""
    context, tab = _sized_tab(browser, target, size)
    try:
        page = tab.page
        tab.goto(INDICATOR_PAGE)
        charts = _charts(tab)
        assert any(c["title"].startswith("2026 年生产总值预期目标") for c in charts), [c["title"] for c in charts]
        # A place's series on a true-to-scale year axis: 2017, 2018 and 2023 as far apart as those years.
        centres = page.evaluate("""() => [...document.querySelectorAll('#chart-gdp-place-tongxiangshi text')]
            .filter(t => /^20\\d\\d$/.test(t.textContent)).map(t => [+t.textContent, t.getBBox().x + t.getBBox().width / 2])""")
        (y0, x0), (y1, x1) = centres[0], centres[-1]
        per_year = (x1 - x0) / (y1 - y0)
        assert all(abs(x - (x0 + (y - y0) * per_year)) < 1 for y, x in centres), centres
        for chart in charts:
            assert chart["title"] and chart["desc"] and chart["labelled"], chart
            assert 0 < chart["width"] <= page.viewport_size["width"], chart
        year_table = page.locator("#year-2026 ~ div.sortable-table table").first
        rows = {r[0]: r[1] for r in _body_cells(year_table)}
        assert rows["四川省"] == "5.5%左右", rows
        # The table of every record sorts by a column, both ways, and says so.
        table = page.locator("#records ~ div.sortable-table table").first
        header = table.locator("thead th").nth(1)        # 年份
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "ascending"
        years = [int(y) for y in table.evaluate("t => [...t.tBodies[0].rows].map(r => r.cells[1].textContent.trim())")]
        assert years == sorted(years) and years[0] < years[-1]
        header.locator("button").click()
        assert header.get_attribute("aria-sort") == "descending"
        _reader_checks(tab, "indicator-gdp", size)
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_term_timeline(browser, target, size):
    """五水共治's page: reports using it per year against the year's reports, first and last appearance."""
    context, tab = _sized_tab(browser, target, size)
    try:
        page = tab.page
        tab.goto(TIMELINE_PAGE)
        block = page.locator("#timeline")
        assert block.count() == 1
        assert "首次出现" in page.locator("#timeline + p").inner_text()
        [chart] = [c for c in _charts(tab) if "历年使用情况" in c["title"]]
        assert chart["labelled"] and chart["table"] and "比例" in chart["desc"]
        table = page.locator("#timeline ~ div.md-typeset__scrollwrap table, #timeline ~ table").first
        cells = _body_cells(table)
        years = [int(r[0]) for r in cells]
        shares = [[int(n) for n in r[1].split("/")] for r in cells]
        assert years == sorted(years) and all(0 <= n <= total for n, total in shares), cells
        using = sum(n for n, _ in shares)
        # The reports listed as using it under a definition that applies (not the same-wording list).
        listed = page.evaluate("""() => {
            const h2 = [...document.querySelectorAll('article h2')].find(h => h.textContent.includes('在报告正文中的使用'));
            const reports = new Set();
            for (let el = h2.nextElementSibling; el && el.tagName !== 'H2' && el.id !== 'same-wording';
                 el = el.nextElementSibling) {
                if (el.tagName !== 'UL') continue;
                // grouped by place, then one item per report (its sentences below it)
                for (const li of el.querySelectorAll(':scope > li.use-place > ul > li')) {
                    const a = li.querySelector('a[href*="reports/"]');
                    if (a) reports.add(a.getAttribute('href').split('#')[0]);
                }
            }
            return reports.size; }""")
        assert using == listed, f"the timeline counts {using} reports, the list of uses {listed}"
        _reader_checks(tab, "term-timeline", size)
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_compare_view(browser, target, size):
    """桐乡市 2018 ↔ 2023, reached from the 2023 report: outlines, terms, targets and paragraphs, drawn in the
    browser from the data scripts; then two provinces of 2026 chosen with the picker."""
    context, tab = _sized_tab(browser, target, size)
    try:
        page = tab.page
        tab.goto("reports/tongxiangshi-2023.html")
        page.locator(".compare-link a", has_text="2018 ↔ 2023").click()
        page.wait_for_url(re.compile(r"/compare/index\.html#a=tongxiangshi-2018&b=tongxiangshi-2023$"))
        page.wait_for_selector(".compare-counts")
        outline = page.locator("#compare-outline-h ~ .compare-table table").first
        rows = _body_cells(outline)
        assert any(left.endswith("2017年工作回顾") and how == "相同" and right.endswith("2022年工作回顾")
                   for left, how, right in rows), rows[:5]
        assert outline.locator("tbody td:first-child a[href*='reports/tongxiangshi-2018.html#sec-']").count() >= 5
        targets = page.locator("#compare-targets-h ~ .compare-table table").first
        gdp = targets.locator("tbody tr", has_text="地区生产总值").first.inner_text()
        assert "7%左右" in gdp and "6%左右" in gdp and "下调" in gdp, gdp
        assert page.locator(".compare-terms a[href*='terms/']").count() > 0
        counts = page.locator(".compare-counts").inner_text()
        assert re.search(r"改写 [1-9]\d* 段", counts) and re.search(r"新增 [1-9]\d* 段", counts), counts
        assert page.locator(".compare-row--reworded ins").count() > 0 and page.locator(".compare-row--reworded del").count() > 0
        if page.locator("details.compare-kept").count():   # kept paragraphs unfold on demand
            page.locator("details.compare-kept summary").first.click()
            page.wait_for_selector("details.compare-kept[open] .compare-row--kept")   # filled on its toggle event
        _reader_checks(tab, "compare-tongxiang", size)

        # Any two reports, with the picker: two provinces of one year.
        page.select_option("#compare-a", "sichuansheng-2026")
        page.select_option("#compare-b", "zhejiangsheng-2026")
        page.locator(".compare-picker button[type=submit]").click()
        page.wait_for_function("() => document.querySelector('.compare-status').textContent.includes('四川省')")
        assert page.evaluate("location.hash") == "#a=sichuansheng-2026&b=zhejiangsheng-2026"
        row = page.locator("#compare-targets-h ~ .compare-table table tbody tr", has_text="生产总值").first.inner_text()
        assert "5.5%左右" in row and "5%—5.5%" in row, row
        page.locator("#compare-paragraphs-h ~ button", has_text="仍然逐段比较").click()
        page.wait_for_selector("#compare-paragraphs-h ~ .compare-counts")
        # Two whole provinces paragraph by paragraph: too tall for a full-page screenshot in time.
        _no_page_overflow(tab)
        tab.page.screenshot(path=str(SCREENSHOTS / f"compare-picker-{size}-{tab.target.kind}.png"))
        violations = _axe_violations(tab.page)
        assert not violations, "\n".join(violations)
        tab.assert_clean()
    finally:
        context.close()


# --- search quality ----------------------------------------------------------

def test_search_precision(browser, http_base, built, glossary, page_texts):
    """Every glossary term through the site's search: precision@5 and empty results, printed.

    precision@5 = share of the top-5 result pages whose text contains the term
    (quotes ignored). Most terms occur on only a few pages (the term page, the
    term index, one report), so the best possible figure is printed beside it.
    """
    target = Target("http", http_base, built.site)
    context, tab = _open_tab(browser, target)
    started = time.monotonic()
    relevant = returned = best = own_page_in_top5 = 0
    empty: list[str] = []
    try:
        tab.goto("index.html")
        search = SiteSearch(tab)
        for entry in glossary:
            term = normalise(entry["term"])
            pages_with_term = {path for path, text in page_texts.items() if term in text}
            top5 = search.query(entry["term"])[:5]
            relevant += sum(path in pages_with_term for path in top5)
            returned += len(top5)
            best += min(len(top5), len(pages_with_term))
            if not top5 and pages_with_term:
                empty.append(entry["term"])
            own_page_in_top5 += f"terms/{entry['slug']}.html" in top5
        tab.assert_clean()
    finally:
        context.close()
    n = len(glossary)
    precision = relevant / returned if returned else 0.0
    print(f"\nsearch precision@5 = {precision:.3f} ({relevant}/{returned} top-5 results contain the term; "
          f"at best {best / returned if returned else 0:.3f}, as most terms are on fewer than 5 pages) "
          f"over {n} glossary terms")
    print(f"search zero-result queries = {len(empty)} of {n} (all with the term in the site)"
          + (": " + "、".join(empty[:20]) + (" …" if len(empty) > 20 else "") if empty else ""))
    print(f"search term's own page in top 5 = {own_page_in_top5}/{n}; {time.monotonic() - started:.1f} s")
    assert precision >= 0.9, f"search precision@5 {precision:.3f} < 0.9"
    assert empty == [], f"queries with the term in the site but no result: {empty}"
    assert n > 0 and returned + len(empty) > 0


# --- readers: citations, definitions on a phone, GitHub Pages, accessibility, print ------------

AXE_JS = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
CITED_PARAGRAPH = "sec-1-p2"      # the second paragraph of the report's first part


def _cite_data(page) -> dict:
    import json
    return json.loads(page.locator("#__readers").text_content())["cite"]


def test_copying_a_paragraph_citation(browser, http_base, built):
    """Hover a paragraph: its ¶ shows the anchor; 引用 copies a GB/T 7714-like reference with section,
    paragraph, access date and the published URL of the paragraph."""
    import datetime as dt
    target = Target("http", http_base, built.site)
    context, tab = _open_tab(browser, target, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = tab.page
        tab.goto(f"reports/{REPORT}.html")
        paragraph = page.locator(f"article p#{CITED_PARAGRAPH}")
        link = paragraph.locator("a.para-link")
        assert link.get_attribute("href") == f"#{CITED_PARAGRAPH}"
        assert link.evaluate("a => getComputedStyle(a.parentElement).opacity") == "0", "tools show before any hover"
        paragraph.hover()
        page.wait_for_function("a => getComputedStyle(a.parentElement).opacity === '1'", arg=link.element_handle())
        assert link.inner_text().replace("¶", "").strip() == CITED_PARAGRAPH, "the anchor is not shown on hover"
        page.mouse.move(0, 0)
        # Keyboard users reach the same tools.
        link.focus()
        page.wait_for_function("a => getComputedStyle(a.parentElement).opacity === '1'", arg=link.element_handle())

        paragraph.locator("button.para-cite").click()
        page.locator(".readers-status", has_text="已复制引文").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        cite = _cite_data(page)
        section = page.locator(f"[id='{CITED_PARAGRAPH.rsplit('-p', 1)[0]}']").evaluate(
            "h => h.firstChild.textContent.trim()")
        expected = (f"{cite['reference']}: {section}第2段[{dt.date.today().isoformat()}]. "
                    f"{SITE_URL}reports/{REPORT}.html#{CITED_PARAGRAPH}.")
        assert copied == expected, f"copied:   {copied}\nexpected: {expected}"
        assert f"{REPORT_PLACE}人民政府. " in copied and "[R/OL]" in copied and REPORT_YEAR in copied

        # The contribution link opens the annotation form with the anchor and the paragraph's words.
        suggest = paragraph.locator("a.para-suggest").get_attribute("href")
        assert suggest.startswith("https://github.com/example/gov-work-reports/issues/new?template=annotation.yml")
        assert f"anchor={CITED_PARAGRAPH}" in suggest and f"report={REPORT}" in suggest and "quote=" in suggest
        form = ROOT / ".github" / "ISSUE_TEMPLATE" / "annotation.yml"
        import yaml
        fields = {item.get("id") for item in yaml.safe_load(form.read_text(encoding="utf-8"))["body"]}
        assert {"report", "anchor", "quote"} <= fields, "the link pre-fills fields the form does not have"
        tab.assert_clean()
    finally:
        context.close()


def test_citation_downloads_and_structured_data(built):
    """BibTeX and CSL-JSON per report with the published URL; JSON-LD in the page parses and is safe."""
    import json
    bib = (built.site / "downloads" / "cite" / f"{REPORT}.bib").read_text(encoding="utf-8")
    assert bib.startswith(f"@report{{{REPORT},") and f"url = {{{SITE_URL}reports/{REPORT}.html}}" in bib
    assert bib.count("{") == bib.count("}")
    csl = json.loads((built.site / "downloads" / "cite" / f"{REPORT}.json").read_text(encoding="utf-8"))
    assert csl[0]["type"] == "report" and csl[0]["author"] == [{"literal": f"{REPORT_PLACE}人民政府"}]
    page = (built.site / "reports" / f"{REPORT}.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "Report" and data["spatialCoverage"]["name"] == REPORT_PLACE
    assert data["author"] == {"@type": "GovernmentOrganization", "name": f"{REPORT_PLACE}人民政府"}
    assert data["url"] == f"{SITE_URL}reports/{REPORT}.html"
    term = (built.site / "terms" / "wu-shui-gong-zhi.html").read_text(encoding="utf-8")
    term_data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', term, re.S)[1])
    assert term_data["@type"] == "DefinedTerm" and term_data["name"] == SEARCH_TERM and term_data["description"]
    for html_page in (page, term):
        assert f'<link rel="canonical" href="{SITE_URL}' in html_page and '<meta property="og:title"' in html_page
    descriptions = {re.search(r'<meta name="description" content="([^"]*)"', (built.site / p).read_text(encoding="utf-8"))[1]
                    for p in PAGES_TO_VISIT}
    assert len(descriptions) == len(PAGES_TO_VISIT), "pages share a description"
    assert not (built.site / "overrides").exists(), "the template overrides were published as files"
    sitemap = (built.site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") > 100 and f"<loc>{SITE_URL}reports/{REPORT}.html</loc>" in sitemap


def test_tap_to_read_a_definition_on_a_phone(browser, target, glossary):
    """At 390×844 a tap on a term opens its definition in place (offline too), with a link to its page."""
    definitions = _definitions(glossary)
    context, tab = _open_tab(browser, target, **PHONE)
    try:
        page = tab.page
        tab.goto(f"reports/{REPORT}.html")
        link = page.locator("article p a.term-link[href*='terms/']").first
        href = link.get_attribute("href")
        slug = href.rsplit("/", 1)[-1].split("#")[0].removesuffix(".html")
        link.scroll_into_view_if_needed()
        before = page.url
        link.tap()
        popover = page.locator(".def-popover")
        popover.wait_for(state="visible")
        # (Material's navigation.tracking may rewrite the fragment as the link scrolls into view.)
        assert page.url.split("#")[0] == before.split("#")[0], "the tap left the page"
        text = popover.locator(".def-popover__text").inner_text().strip()
        assert text in definitions[slug], f"the sheet shows “{text[:40]}”, not a definition of {slug}"
        assert popover.get_attribute("role") == "dialog" and popover.get_attribute("aria-label")
        box = popover.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
        popover.locator(".def-popover__close").tap()
        popover.wait_for(state="detached")
        link.tap()
        page.locator(".def-popover__more").tap()
        page.wait_for_url(re.compile(rf"/terms/{re.escape(quote(slug))}\.html(#[a-z0-9-]+)?$"))
        tab.assert_clean()
    finally:
        context.close()


class _ProjectSiteHandler(SimpleHTTPRequestHandler):
    """GitHub Pages for a project site: the site under /<repo>/, its 404.html for anything unknown."""

    def log_message(self, format, *args):   # noqa: A002 - the base class's name
        pass

    def translate_path(self, path):
        path = urlsplit(path).path
        inner = path[len(PROJECT_PATH):] if path.startswith(PROJECT_PATH) else "\0missing"
        return str(Path(self.directory) / unquote(inner))

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_404_page_under_a_project_path(browser, built):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_ProjectSiteHandler, directory=str(built.site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}{PROJECT_PATH}"
    context, tab = _open_tab(browser, Target("http", base, built.site))
    try:
        page = tab.page
        response = page.goto(base + "reports/no-such-report.html")
        assert response.status == 404
        assert "找不到" in page.locator("article h1").inner_text() and "找不到" in page.title()
        # Styled: Material's stylesheet came from the project path and applies.
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert any(u.startswith(base + "assets/stylesheets/main.") for u in tab.requests), tab.requests
        page.locator("article a", has_text="名词索引").click()
        page.wait_for_url(base + "terms/index.html")
        assert page.locator("article h1").inner_text().replace("¶", "").strip() == "名词索引"
        # The one expected error: Chromium logs the missing page's own 404 status.
        tab.console_errors = [e for e in tab.console_errors if not ("status of 404" in e and "no-such-report" in e)]
        tab.assert_clean()
    finally:
        context.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(browser, http_base, built, scheme):
    target = Target("http", http_base, built.site)
    context, tab = _open_tab(browser, target, color_scheme=scheme)
    found = {}
    try:
        page = tab.page
        for path in ("index.html", f"reports/{REPORT}.html", "terms/wu-shui-gong-zhi.html", "terms/index.html",
                     INDICATOR_PAGE, "indicators/index.html", COMPARE_PAGE, "terms/trends.html"):
            tab.goto(path)
            expected = "slate" if scheme == "dark" else "default"
            assert page.evaluate("document.body.dataset.mdColorScheme") == expected
            found[path] = _axe_violations(page, preload=True)
        tab.goto("index.html")
        search = SiteSearch(tab)
        assert search.query(SEARCH_TERM), "no search results to check"
        found["search overlay"] = _axe_violations(page, preload=True)
        tab.assert_clean()
    finally:
        context.close()
    failing = {path: v for path, v in found.items() if v}
    assert not failing, "\n".join(f"{path}: {len(v)} violation(s)\n  " + "\n  ".join(v[:15]) for path, v in failing.items())


def test_print_shows_the_url_and_citation(browser, http_base, built):
    target = Target("http", http_base, built.site)
    context, tab = _open_tab(browser, target)
    try:
        page = tab.page
        tab.goto(f"reports/{REPORT}.html")
        printed = page.locator(".print-cite")
        assert not printed.is_visible(), "the print block shows on screen"
        collapsed = page.locator("article details:not([open])").first
        hidden_text = collapsed.locator(":scope > :not(summary)").first
        assert not hidden_text.is_visible()
        page.emulate_media(media="print")
        assert printed.is_visible()
        text = printed.inner_text()
        assert f"{SITE_URL}reports/{REPORT}.html" in text and "[R/OL]" in text, text
        assert hidden_text.is_visible(), "a collapsed block stays closed in print"
        assert not page.locator(".para-tools").first.is_visible()
        tab.assert_clean()
    finally:
        context.close()


def test_report_level_search_result_highlights_the_query(tab):
    """Every result group's heading opens its page with the query to highlight (?h=…)."""
    tab.goto("index.html")
    SiteSearch(tab).query(SEARCH_TERM)
    heads = tab.page.eval_on_selector_all(
        ".md-search-result__list > li.md-search-result__item > a:first-child", "as => as.map(a => a.href)")
    assert heads
    for href in heads:
        assert "h=" in href and unquote(href.split("h=", 1)[1].split("#")[0]).strip(), f"no highlight in {href}"
    tab.page.goto(heads[-1])
    tab.page.locator("article mark").first.wait_for()
    tab.assert_clean()


def test_pinyin_typed_without_spaces_finds_the_term(tab):
    """wushui → 五水共治: term pages carry their pinyin, and the worker cuts a word into syllables."""
    tab.goto("index.html")
    search = SiteSearch(tab)
    for typed, slug in (("wushui", "wu-shui-gong-zhi"), ("sangaiyichai", "san-gai-yi-chai")):
        results = search.query(typed)
        assert f"terms/{slug}.html" in results[:3], f"{typed}: {results[:5]}"
    tab.assert_clean()


# --- a corpus in sub-sites ------------------------------------------------------------

@pytest.fixture(scope="session")
def split_target(split_site):
    """conftest's split corpus (four provinces' sub-sites beside the main site), served over http: the only
    way it is read (its search and compare view read report pages with fetch)."""
    site = split_site / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, name="split-site-server", daemon=True)
    thread.start()
    yield Target("http", f"http://127.0.0.1:{server.server_port}/", site)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.mark.parametrize("size", SIZES)
def test_a_link_and_a_search_across_sub_sites(browser, split_target, size):
    """From a report in Zhejiang's sub-site: the main site's nav to 按地区, a link from there into Hainan's
    sub-site, then a search there that finds Zhejiang's reports (their text read from their pages) and
    opens one; a report's old address still leads to it, its paragraph anchor kept."""
    context, tab = _sized_tab(browser, split_target, size)
    try:
        page = tab.page
        tab.goto("zhejiangsheng/reports/tongxiangshi-2023.html")
        assert "2023年桐乡市" in page.title()
        if size == "desktop":
            _reader_checks(tab, "split-report", size)
        else:   # axe on a report page on a phone: readers.js's 引用 buttons (label-content-name-mismatch), not this test's
            _no_page_overflow(tab)
            _screenshot(tab, "split-report", size)
        if size == "phone":   # the nav is in the drawer
            page.locator("label.md-header__button[for=__drawer]").click()
        page.locator("nav.md-nav--primary a.md-nav__link", has_text="按地区").first.click()
        page.wait_for_url(re.compile(r"/places\.html$"))
        page.locator("article a[href$='hainansheng/reports/hainansheng-2026.html']").first.click()
        page.wait_for_url(re.compile(r"/hainansheng/reports/hainansheng-2026\.html$"))
        if size == "phone":   # the search box opens from the header's icon
            page.locator("label.md-header__button[for=__search]").click()
        search = SiteSearch(tab)
        found = search.query("五水共治")
        assert found and found[0] == "terms/wu-shui-gong-zhi.html", found[:5]   # the term's page, in the main site
        in_zhejiang = [p for p in found if p.startswith("zhejiangsheng/reports/")]
        assert in_zhejiang, found
        snippet = page.locator(".md-search-result__item", has=page.locator(f"a[href*='{in_zhejiang[0]}']")).first
        assert "五水共治" in snippet.inner_text()   # read from the report's own page
        page.screenshot(path=str(SCREENSHOTS / f"split-search-{size}-http.png"))   # the overlay: the window is enough
        if size == "desktop":
            assert not _axe_violations(page)
        page.locator(f".md-search-result__list a[href*='{in_zhejiang[0]}']").first.click()
        page.wait_for_url(re.compile(re.escape(in_zhejiang[0])))
        tab.goto("reports/tongxiangshi-2023.html#sec-1-p2")   # the address it had in a single site
        page.wait_for_url(re.compile(r"/zhejiangsheng/reports/tongxiangshi-2023\.html#sec-1-p2$"))
        tab.assert_clean()
    finally:
        context.close()


def test_the_full_results_and_compare_views_of_a_split_site_read_the_report_pages(browser, split_target):
    """search.html (the main site's) finds every sub-site's report holding a word, their text read from
    their pages, and opens one; the compare view reads the two reports' pages for their paragraphs."""
    context, tab = _sized_tab(browser, split_target, "desktop")
    try:
        site = split_target.root
        truth = set()
        for page in site.glob("*/reports/*.html"):
            html = page.read_text(encoding="utf-8")
            article = html[html.index("<article"):html.rindex("</article>")]
            if "五水共治" in re.sub(r"<[^>]+>|[“”\s]", "", article):
                truth.add(page.relative_to(site).as_posix())
        assert len(truth) > 1
        summary, pages = _full_search(tab, "五水共治")
        assert {p for p in pages if "/reports/" in p} == truth, (summary, pages)
        assert f"{len(truth)} 份报告" in summary, summary
        tab.page.locator(".search-page__group:has(.search-page__report a[href*='sheng/reports/']) .search-page__sections a").first.click()
        tab.page.wait_for_url(re.compile(r"/[a-z]+sheng/reports/.+\?h="))
        tab.page.locator("article mark").first.wait_for()
        tab.goto("compare/index.html#a=tongxiangshi-2018&b=tongxiangshi-2023")
        tab.page.wait_for_selector(".compare-counts")
        counts = tab.page.locator(".compare-counts").inner_text()
        assert re.search(r"改写 [1-9]\d* 段", counts) and re.search(r"新增 [1-9]\d* 段", counts), counts
        assert any("zhejiangsheng/reports/tongxiangshi-2023.html" in url for url in tab.requests)
        tab.assert_clean()
    finally:
        context.close()


# --- readers, round two (#25): search that finds everything, places, words in context, citing a
# selection, annotations, the pages that explain the site, and the reader's walk on a phone ---------

FULL_SEARCH = "search.html"
# Select a few words of a paragraph's text, as a reader's drag would (the first text long enough).
_SELECT_WORDS = """p => {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode()) && (node.textContent.trim().length < 10 || node.parentElement.closest(".para-tools")));
  const r = document.createRange(); r.setStart(node, 1); r.setEnd(node, 9);
  getSelection().removeAllRanges(); getSelection().addRange(r); }"""


def _reports_holding(reports: dict, phrase: str, tier: str | None = None) -> set[str]:
    """Report pages whose own text (title, headings, paragraphs, 名词解释) holds the phrase, quotes aside."""
    from build_corpus.corpus.places import place_info

    def comparable(text: str) -> str:
        return re.sub(r"[“”‘’\"'「」『』\s]", "", text)
    found = set()
    for doc in reports.values():
        if tier and place_info(doc.meta.place, doc.meta.parent, doc.meta.level).tier != tier:
            continue
        parts = [doc.title, *(s.number + s.title for s in doc.all_sections()), *(p.text for p in doc.all_paragraphs()),
                 *(e.term + e.definition for e in doc.glossary)]
        if any(comparable(phrase) in comparable(part) for part in parts):
            found.add(f"reports/{doc.id}.html")
    return found


def _full_search(tab: Tab, query: str, **filters) -> tuple[str, list[str]]:
    """search.html with a query (and filters) in its address: the final summary and the result reports' pages."""
    params = "&".join(f"{k}={quote(str(v))}" for k, v in {"query": query, **filters}.items())
    tab.page.goto(tab.target.url(FULL_SEARCH) + "?" + params, wait_until="load")
    summary = tab.page.locator(".search-page__summary")
    tab.page.wait_for_function("s => s.textContent && !/正在|已核对/.test(s.textContent)", arg=summary.element_handle(),
                               timeout=30_000)
    while tab.page.locator(".search-page__more:not([hidden])").count():
        tab.page.locator(".search-page__more").click()
    pages = tab.page.eval_on_selector_all(".search-page__report > a", "as => as.map(a => a.href)")
    return summary.inner_text(), [tab.target.site_path(href) for href in pages]


@pytest.mark.parametrize("size", SIZES)
def test_full_search_finds_every_report_and_counts_truly(browser, target, reports, size):
    """营商环境 is in most reports: the page lists every one (the list that said 11 is gone), with the
    true counts; filters narrow it; an exact phrase in quotes; a result opens with the words marked."""
    context, tab = _sized_tab(browser, target, size)
    try:
        truth = _reports_holding(reports, "营商环境")
        summary, pages = _full_search(tab, "营商环境")
        report_pages = {p for p in pages if p.startswith("reports/")}
        assert report_pages == truth, (sorted(truth - report_pages), sorted(report_pages - truth))
        assert f"{len(truth)} 份报告" in summary, summary
        sections = tab.page.locator(".search-page__sections > li").count()
        assert f"{sections} 个章节" in summary and re.search(r"共 \d+ 处", summary), summary
        assert tab.page.locator(".search-page__context mark").first.inner_text() == "营商环境"
        _no_page_overflow(tab)
        tab.page.screenshot(path=str(SCREENSHOTS / f"search-page-{size}-{target.kind}.png"))   # the first screen
        violations = _axe_violations(tab.page)
        assert not violations, "\n".join(violations)

        city = _reports_holding(reports, "营商环境", "市级")
        summary, pages = _full_search(tab, "营商环境", level="市级")
        assert {p for p in pages if p.startswith("reports/")} == city and f"{len(city)} 份报告" in summary, summary
        from build_corpus.corpus.places import place_info
        summary, pages = _full_search(tab, "营商环境", place="浙江省", sort="year")
        zhejiang = {p for p in truth if place_info(reports[p[8:-5]].meta.place).province == "浙江省"}
        assert set(pages) == zhejiang and len(zhejiang) > 1, pages
        years = [reports[p[8:-5]].meta.year for p in pages]
        assert years == sorted(years, reverse=True), "sorted by year"

        summary, pages = _full_search(tab, "“两重”")
        assert {p for p in pages if p.startswith("reports/")} == _reports_holding(reports, "两重")

        first = tab.page.locator(".search-page__group:has(.search-page__report a[href*='reports/']) .search-page__sections a").first
        href = first.get_attribute("href")
        assert "?h=" in href
        first.click()
        tab.page.locator("article mark").first.wait_for()
        tab.assert_clean()
    finally:
        context.close()


def test_search_box_says_when_its_list_is_partial(tab):
    """Material's list checks what a first query may download; for a word in nearly every section its
    count says the list is partial, and the link above it opens the full results page with the query.
    A rare term's list is complete and its count is Material's own."""
    tab.goto("index.html")
    search = SiteSearch(tab)
    results = search.query("发展")
    assert results and not any(r.startswith(FULL_SEARCH) for r in results), "the list holds only results"
    meta = tab.page.locator(".md-search-result__meta")
    tab.page.wait_for_function("m => m.textContent.startsWith('先列出')", arg=meta.element_handle())
    assert "未核对" in meta.inner_text()
    link = tab.page.locator("[data-search-all]")
    assert "query=%E5%8F%91%E5%B1%95" in link.get_attribute("href")
    results = search.query("一降三减")
    assert "reports/hainansheng-2026.html" in results and not meta.inner_text().startswith("先列出")
    link.click()
    tab.page.wait_for_url(re.compile(r"search\.html\?query="))
    tab.page.wait_for_function("() => /份报告/.test(document.querySelector('.search-page__summary').textContent)")
    tab.assert_clean()


@pytest.mark.parametrize("size", SIZES)
def test_a_page_per_place_and_the_places_tree(browser, target, size):
    context, tab = _sized_tab(browser, target, size)
    try:
        tab.goto("places.html")
        tab.page.locator("article a", has_text="桐乡市").first.click()
        tab.page.wait_for_url(re.compile(r"places/tongxiangshi\.html$"))
        crumbs = tab.page.locator("nav.breadcrumbs").inner_text().replace("\n", "")
        assert crumbs == "全国 › 浙江省 › 嘉兴市 › 桐乡市", crumbs
        text = tab.page.locator("article").inner_text()
        assert "层级：县级市" in text and "上级：嘉兴市" in text and "桐乡市2023年政府工作报告" in text
        assert "主要预期目标" in text and "解释过的名词" in text
        _reader_checks(tab, "place", size)
        tab.page.locator("nav.breadcrumbs a", has_text="浙江省").click()
        tab.page.wait_for_url(re.compile(r"places/zhejiangsheng\.html$"))
        assert "下辖地区的报告" in tab.page.locator("article").inner_text()
        tab.goto("reports/hainansheng-2026.html")
        box = tab.page.locator("article .admonition.info").inner_text()
        assert "上级：中华人民共和国" in box and "未知" not in box and "层级：省级" in box, box
        tab.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_term_page_shows_each_use_in_its_sentence(browser, target, size):
    context, tab = _sized_tab(browser, target, size)
    try:
        tab.goto(TIMELINE_PAGE)
        definition = tab.page.locator("article p.term-definition").first
        assert definition.is_visible() and float(definition.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")) >= 15
        assert not tab.page.locator("article blockquote").count(), "the definition is a grey quotation again"
        sentence = tab.page.locator(".use-sentence").first
        assert sentence.locator("mark").inner_text() == SEARCH_TERM and len(sentence.inner_text()) <= 122
        link = sentence.locator("xpath=following-sibling::small/a")
        target_id = link.get_attribute("href").split("#")[1]
        link.click()
        tab.page.wait_for_url(re.compile(rf"#{target_id}$"))
        assert SEARCH_TERM in tab.page.locator(f"p#{target_id}").inner_text().replace("“", "").replace("”", "")
        tab.goto(TIMELINE_PAGE)
        _reader_checks(tab, "term-in-context", size)
    finally:
        context.close()


def test_a_glossary_entry_leads_back_to_its_uses(tab):
    tab.goto("reports/hainansheng-2026.html")
    entry = tab.page.locator("p#gloss-2")
    term = entry.locator("strong").first.inner_text()
    back = entry.locator(".gloss-back a").first
    anchor = back.get_attribute("href")[1:]
    back.click()
    tab.page.wait_for_url(re.compile(rf"#{anchor}$"))
    assert term in tab.page.locator(f"p#{anchor}").inner_text().replace("“", "").replace("”", "")
    assert not entry.locator("a.para-suggest").count(), "a 名词解释 entry offers a note on the report's own note"
    tab.assert_clean()


@pytest.mark.parametrize("size", SIZES)
def test_cite_what_you_select(browser, http_base, built, size):
    """Select words in a long paragraph: 引用所选 copies the quotation, the paragraph's anchor and the reference."""
    target = Target("http", http_base, built.site)
    context, tab = _sized_tab(browser, target, size, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = tab.page
        tab.goto(f"reports/{REPORT}.html")
        page.locator(f"article p#{CITED_PARAGRAPH}").evaluate(_SELECT_WORDS)
        button = page.locator("button.cite-selection")
        button.wait_for(state="visible")
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
        chosen = page.evaluate("getSelection().toString()")
        _screenshot(tab, "cite-selection", size)
        button.click()
        page.locator(".readers-status", has_text="已复制所选文字").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        quote_line, reference = copied.split("\n", 1)
        assert quote_line == f"“{chosen.strip()}”"
        assert reference.endswith(f"{SITE_URL}reports/{REPORT}.html#{CITED_PARAGRAPH}.") and "[R/OL]" in reference
        page.evaluate("getSelection().removeAllRanges()")
        button.wait_for(state="hidden")
        tab.assert_clean()
    finally:
        context.close()


def test_annotations_are_visible_and_listed(tab):
    tab.goto(f"reports/{REPORT}.html")
    marked = tab.page.locator("article p.has-note")
    assert marked.count() == 1
    badge = marked.evaluate("p => getComputedStyle(p, '::before').content")
    assert "整理者注" in badge
    assert marked.evaluate("p => p.nextElementSibling.matches('.admonition.note')")
    tab.goto("annotations.html")
    link = tab.page.locator("article .note-where a").first
    link.click()
    tab.page.wait_for_url(re.compile(rf"reports/{REPORT}\.html#sec-1-p1$"))
    tab.assert_clean()


def test_the_site_explains_itself(tab, built):
    tab.goto("about.html")
    text = tab.page.locator("article").inner_text()
    for part in ("这是什么", "每份报告从哪里来", "怎样引用", "许可", "著作权法", "CC BY 4.0", "MIT"):
        assert part in text, part
    tab.page.locator("article a", has_text="更新记录").first.click()
    tab.page.wait_for_url(re.compile(r"changes\.html$"))
    import xml.etree.ElementTree as ET
    feed = ET.fromstring((built.site / "feed.xml").read_bytes())
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    nav = tab.page.locator("nav.md-nav--primary").inner_text()
    assert "未收录的文档" in nav and "未发布的文档" not in nav and "关于" in nav
    tab.assert_clean()


@pytest.mark.parametrize("size", SIZES)
def test_context_items_a_reader_tripped_over(browser, target, size):
    """#25's items 2–11: one 注释, even paragraph spacing, a Chinese font first, the skipped page on a
    phone, counts that read as counts, no curation jargon."""
    context, tab = _sized_tab(browser, target, size)
    try:
        page = tab.page
        tab.goto("reports/hainansheng-2026.html")
        family = page.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily")
        assert family.startswith('"PingFang SC"') and "Noto Sans CJK SC" in family.split("Arial")[0], family
        if size == "desktop":
            gaps = page.evaluate("""() => [...document.querySelectorAll('article > p')]
              .filter(p => p.nextElementSibling && p.nextElementSibling.tagName === 'P')
              .map(p => Math.round(p.nextElementSibling.getBoundingClientRect().top - p.getBoundingClientRect().bottom))""")
            assert len(set(gaps)) == 1, f"paragraph gaps {sorted(set(gaps))}"
        article = page.locator("article").inner_text()
        assert "sidecar" not in article and "未知：" not in article
        assert "→ 名词页" not in article
        tab.goto("skipped.html")
        names = page.locator("article h3 code", has_text="2025-07_tongxiang_investment_portal_listing.txt")
        assert names.count() == 1 and page.locator("article li code", has_text="2025-07_tongxiang_investment_portal_listing.txt").count() <= 1, \
            "the file name repeated per document"
        assert [int(n) for n in re.findall(r"第 (\d+) 篇", page.locator("article").inner_text())][:7] == [1, 2, 3, 4, 5, 6, 10]
        _reader_checks(tab, "skipped", size)
        tab.goto("indicators/index.html")
        heads = page.locator("article table thead th").all_inner_texts()
        assert "预期目标（条）" in heads and "实际完成数（条）" in heads, heads
        tab.goto("index.html")
        home = page.locator("article").inner_text()
        latest = page.locator("ul.report-columns li").all_inner_texts()
        assert len(latest) == 31 and "历年收录" in home, (len(latest), home[:200])   # all of 2026, not 20
        tab.assert_clean()
    finally:
        context.close()


def test_print_is_short_and_whole(browser, http_base, built):
    """No half-blank first page, no removed-text log, the citation's date in one piece; Hainan's
    report on A4 is counted (28 pages before this round)."""
    target = Target("http", http_base, built.site)
    context, tab = _open_tab(browser, target)
    try:
        page = tab.page
        tab.goto("reports/hainansheng-2026.html")
        page.emulate_media(media="print")
        assert not page.locator("details.print-skip").first.is_visible()
        assert page.locator(".print-cite").evaluate("e => getComputedStyle(e).wordBreak") == "normal"
        assert page.locator("article details").first.evaluate("d => getComputedStyle(d).breakInside") == "auto"
        pdf = page.pdf(format="A4")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        print(f"\nprint: Hainan 2026 on A4 = {pages} pages (28 before #25)")
        assert pages <= 24, pages
        tab.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_new_pages_pass_axe(browser, http_base, built, scheme):
    target = Target("http", http_base, built.site)
    context, tab = _open_tab(browser, target, color_scheme=scheme)
    found = {}
    try:
        for path in ("places.html", "places/tongxiangshi.html", "about.html", "changes.html", "annotations.html",
                     "skipped.html", "index.html", f"reports/{REPORT}.html", TIMELINE_PAGE):
            tab.goto(path)
            found[path] = _axe_violations(tab.page, preload=True)
        _full_search(tab, "营商环境")
        found["search.html"] = _axe_violations(tab.page, preload=True)
        tab.assert_clean()
    finally:
        context.close()
    failing = {path: v for path, v in found.items() if v}
    assert not failing, "\n".join(f"{path}: {len(v)} violation(s)\n  " + "\n  ".join(v[:10]) for path, v in failing.items())


def test_a_readers_walk_on_a_phone(browser, target):
    """home → place → report → term → search → cite → print, tapping as a reader would, from http and
    from the offline bundle."""
    context, tab = _open_tab(browser, target, **PHONE, permissions=["clipboard-read", "clipboard-write"]
                             if target.kind == "http" else [])
    try:
        page = tab.page
        tab.goto("index.html")
        page.locator("article a", has_text="按地区").first.tap()
        page.wait_for_url(re.compile(r"places\.html$"))
        page.locator("article a", has_text="濮院镇").first.tap()
        page.wait_for_url(re.compile(r"places/puyuanzhen\.html$"))
        page.locator("article a", has_text="濮院镇2018年政府工作报告").first.tap()
        page.wait_for_url(re.compile(rf"reports/{REPORT}\.html$"))
        term = page.locator("article p a.term-link[href*='terms/']").first
        term.scroll_into_view_if_needed()
        term.tap()
        page.locator(".def-popover__more").tap()
        page.wait_for_url(re.compile(r"/terms/[a-z0-9-]+\.html"))
        assert page.locator(".use-sentence").count() > 0
        page.locator(".use-sentence mark").first.scroll_into_view_if_needed()
        _screenshot(tab, "walk-term", "phone")
        summary, pages = _full_search(tab, SEARCH_TERM)
        assert pages and "份报告" in summary
        _screenshot(tab, "walk-search", "phone")
        page.locator(".search-page__group:has(.search-page__report a[href*='reports/']) .search-page__sections a").first.tap()
        page.wait_for_url(re.compile(r"reports/.+\?h=.+#"))
        page.locator("article mark").first.wait_for()
        # The paragraph the marked words are in (a result may open at a heading: then the first long paragraph).
        paragraph = page.locator("article p[id]:has(mark)").first
        if not paragraph.count() or len(paragraph.inner_text()) < 30:
            paragraph = page.locator("article p[id*='-p']", has_text=re.compile(".{40}")).first
        paragraph.evaluate(_SELECT_WORDS)
        page.locator("button.cite-selection").tap()
        page.locator(".readers-status", has_text="所选文字").wait_for()
        _screenshot(tab, "walk-cite", "phone")
        page.emulate_media(media="print")
        assert page.locator(".print-cite").is_visible() and not page.locator("button.cite-selection").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        tab.assert_clean()
    finally:
        context.close()
