"""The attack corpus (tests/attack_corpus.py) through the real commands, and the built site in Chromium.

- `check --strict` names every hostile contribution as an error with its file, line and key;
- `build` finishes without a traceback, writes nothing outside docs/ and publishes no byte of a
  file outside the repository; the refused sources are listed on the skipped-documents page;
- `mkdocs build --strict` renders every page, and Chromium opens each of them, over HTTP and from
  the unzipped offline bundle, and sees no dialog, no event attribute, no script URL, no script or
  image in the article, and no request leaving the site.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from attack_corpus import EXPECTED_ERRORS, AttackCorpus, lay_out
from test_browser import SiteSearch, Tab, Target, _QuietHandler
from test_site_markdown import differences

NO_TRACEBACK = "Traceback (most recent call last)"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_symlink() or p.exists()}


@pytest.fixture(scope="module")
def attack(tmp_path_factory) -> tuple[AttackCorpus, dict]:
    corpus = lay_out(tmp_path_factory.mktemp("attack-project"))
    project = corpus.project
    before = {p for p in _tree(project)}
    outside_before = _tree(corpus.outside)
    check = _run(["-m", "build_corpus", "check", "--strict", "--quiet", "--no-cache"], project)
    build = _run(["-m", "build_corpus", "build"], project)
    mkdocs = _run(["-m", "mkdocs", "build", "--strict"], project)
    return corpus, {"check": check, "build": build, "mkdocs": mkdocs, "before": before,
                    "outside_before": outside_before}


def test_check_names_every_hostile_contribution(attack):
    _, runs = attack
    check = runs["check"]
    assert check.returncode == 1 and NO_TRACEBACK not in check.stderr, check.stderr[-3000:]
    errors = [line for line in check.stderr.splitlines() if ": error: " in line]
    missing = []
    for path, line, key in EXPECTED_ERRORS:
        where = re.escape(path) + (f":{line}" if line else r"(:\d+)?") + ":" + (f" {re.escape(key)}:" if key else r"( [\w.]+:)?")
        if not any(re.match(where + " error: ", e) for e in errors):
            missing.append((path, line, key))
    assert not missing, "not reported as errors with file, line and key:\n" + "\n".join(map(str, missing)) + \
        "\n--- reported:\n" + "\n".join(errors)


def test_every_problem_is_one_line_naming_its_file(attack):
    _, runs = attack
    for name in ("check", "build"):
        for line in runs[name].stderr.splitlines():
            if ": error: " in line or ": warning: " in line:
                assert re.match(r"^(sources|glossary|annotations)/", line), f"{name}: {line}"


def test_build_survives_and_writes_only_under_docs(attack):
    corpus, runs = attack
    build, project = runs["build"], corpus.project
    assert build.returncode == 1, "errors in the contributions must fail the build"
    assert NO_TRACEBACK not in build.stderr and "内部错误" not in build.stderr, build.stderr[-3000:]
    written = _tree(project) - runs["before"]
    outside_docs = {p for p in written if p not in ("docs", "site", ".cache", "dist") and not p.startswith(("docs/", "site/", ".cache/", "dist/"))}
    assert outside_docs == set(), f"files written outside docs/: {sorted(outside_docs)}"
    assert _tree(corpus.outside) == runs["outside_before"]
    assert not (project / "docs" / "reports").joinpath("../../../../tmp/x/PWNED.md").resolve().exists()
    assert not Path("/tmp/attack-pwned").exists(), "a YAML tag ran a command"
    for folder in ("docs", "site"):
        for path in (project / folder).rglob("*"):
            if path.is_file() and path.suffix in (".md", ".html", ".json", ".jsonl", ".js", ".csv"):
                assert corpus.secret not in path.read_text(encoding="utf-8", errors="replace"), path


def test_refused_sources_are_listed_with_their_reason(attack):
    corpus, _ = attack
    skipped = (corpus.project / "docs" / "skipped.md").read_text(encoding="utf-8")
    for name, reason in (("passwd.txt", "outside the repository"), ("loop.txt", "looping symlink"),
                         ("folder.txt", "directory"), ("huge.txt", "file too large")):
        assert re.search(rf"<code>sources/{re.escape(name)}</code>：.*{reason}", skipped), name


def test_hostile_text_and_file_names_stay_text_in_the_markdown(attack):
    corpus, _ = attack
    pages = [p.read_text(encoding="utf-8") for p in (corpus.project / "docs" / "reports").glob("sichuansheng-202[45].md")]
    assert len(pages) == 2
    for page in pages:
        body = page.split("---\n", 2)[2]   # the front matter is YAML, read by MkDocs as data
        assert not re.search(r"(?<!\\)\{: onclick", body) and "<script>" not in body and "<img" not in body
        # In the paragraphs (HTML) Markdown's characters are character references.
        assert "&#123;: onclick" in body and "&lt;script&gt;" in body
        assert not re.search(r"^(<a id=[^>]+></a>)?(!!! danger|\?\?\? note \"x\")", body, re.M)   # report text is no block
        assert re.search(r"^<p><a id=[^>]+></a>!!! danger", body, re.M)   # inside the paragraph's HTML: text


def test_restricted_markdown_renders_the_attack_pages_as_full_markdown_does(attack):
    corpus, _ = attack
    docs = corpus.project / "docs"
    pages = {str(p.relative_to(docs)): p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    assert len(pages) > 20
    assert differences(pages) == []


def test_site_builds_strict_with_the_attack_corpus(attack):
    _, runs = attack
    assert runs["mkdocs"].returncode == 0, runs["mkdocs"].stderr[-3000:]


# --- in the browser ---------------------------------------------------------------

SCAN = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const value = a.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      if (a.name.startsWith('on')) found.push(`${el.tagName} ${a.name}=${a.value}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].includes(a.name)
          && /^(javascript|vbscript|data:text\\/html)/.test(value)) found.push(`${el.tagName} ${a.name}=${a.value}`);
    }
  }
  // The site's own charts (build_corpus/pages/charts.py) are the only SVG it writes: <figure class="chart-figure">
  // around <svg class="chart" role="img">; any other <svg> came from input. Its only forms are the compare
  // view's picker (docs/assets/javascripts/compare.js), made by the script inside #compare-app, and the
  // search page's own (build_corpus/pages/search.py, a fixed string).
  for (const el of document.querySelectorAll('article script, article img, article iframe, article object,'
                                             + ' article embed, article style,'
                                             + ' article form:not(#compare-app > form.compare-picker):not(#search-page > form.search-page__form),'
                                             + ' article svg:not(figure.chart-figure > svg.chart[role="img"])')) {
    found.push(`in article: <${el.tagName.toLowerCase()}>`);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def attack_site(attack, tmp_path_factory):
    """The built attack site over HTTP, and its offline bundle unzipped."""
    from build_corpus.renderer.bundle import make_bundle
    corpus, runs = attack
    if runs["mkdocs"].returncode:
        pytest.fail("mkdocs build failed on the attack corpus", pytrace=False)
    site = corpus.project / "site"
    zip_path, _ = make_bundle(site, corpus.project / "dist", "attack")
    unzipped = tmp_path_factory.mktemp("attack-bundle")
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(unzipped)
    return site, unzipped / "attack-offline"


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


@pytest.mark.browser
@pytest.mark.parametrize("where", ["http", "file"])
def test_no_attack_runs_in_the_browser(browser, attack_site, where):
    site, bundle = attack_site
    if where == "http":
        import threading
        from functools import partial
        from http.server import ThreadingHTTPServer
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        target = Target("http", f"http://127.0.0.1:{server.server_port}/", site)
        pages = _pages(site)
    else:
        server = None
        target = Target("file", bundle.as_uri() + "/", bundle)
        # From file://, the pages that carry hostile text: the attack reports, curated terms, indexes.
        pages = [p for p in _pages(bundle) if re.search(r"sichuansheng-202[45]|huzhoushi|puyuanzhen-2018|"
                                                        r"wu-shui-gong-zhi|san-gai-yi-chai|^index|^skipped|^places|^years", p)]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    offsite: list[str] = []
    context.on("request", lambda r: None if target.allows(r.url) else offsite.append(r.url))
    context.route(lambda url: not target.allows(url), lambda route: route.abort())
    findings: dict[str, list[str]] = {}
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(f"{d.message} on {page.url}"), d.dismiss()))
        page.set_default_timeout(10_000)
        for path in pages:
            page.goto(target.url(path), wait_until="load")
            if re.search(r"sichuansheng-202[45]", path):   # tooltips show hostile definitions: hover some term links
                for link in page.locator("article p a[title]").all()[:6]:
                    link.hover()
                    page.wait_for_timeout(100)
            found = page.evaluate(SCAN)
            if found:
                findings[path] = found
            # Contributors' links: only http(s) or a fragment; clicking the others (no href) does nothing.
            hrefs = page.evaluate("""() => [...document.querySelectorAll('article .admonition.note a')].map(a => {
                const href = a.getAttribute('href');
                if (!href || href.startsWith('#')) a.click();
                return href; })""")
            bad = [h for h in hrefs if h is not None and not re.match(r"^(https?://[^/\\]|#)", h)]
            if bad:
                findings.setdefault(path, []).extend(f"note link {h}" for h in bad)
        # Search results show titles and snippets of the hostile text: typed queries must stay text too.
        page.goto(target.url("index.html"), wait_until="load")
        search = SiteSearch(Tab(page, target))
        for query in ("onerror", "alert", "script", "桐乡市 img", "<img src=x onerror=alert(1)>"):
            results = search.query(query)
            page.wait_for_timeout(200)
            if query == "onerror":
                assert results, "the hostile text is in the index: a search for it should find it"
            found = page.evaluate(SCAN)
            if found:
                findings[f"search {query}"] = found
    finally:
        context.close()
        if server:
            server.shutdown()
            server.server_close()
    assert len(pages) >= (100 if where == "http" else 10), pages
    assert dialogs == [], f"hostile input ran JavaScript: {dialogs}"
    assert findings == {}, f"markup from input reached the page: {findings}"
    assert [u for u in offsite if "evil.example" in u or "ok.example" in u] == [], offsite
    assert offsite == [], f"requests leaving the {where} site: {offsite}"
