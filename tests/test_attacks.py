"""The attack corpus (tests/attack_corpus.py) through the real commands, and the built site in Chromium.

- `check --strict` names every hostile contribution as an error with its file, line and key;
- `build` finishes without a traceback, writes nothing outside docs/ and publishes no byte of a
  file outside the repository; the refused sources are listed on the skipped-documents page;
- `mkdocs build --strict` renders every page, and Chromium opens each of them, over HTTP and from
  the unzipped offline bundle, and sees no dialog, no event attribute, no script URL, no script or
  image in the article, and no request leaving the site.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from attack_corpus import (
    ASTRAL_AT_CUT,
    BIBTEX_TITLE,
    CSV_PAYLOADS,
    EXPECTED_ERRORS,
    FRONT_MATTER_DEFINITION,
    QUOTE_PARAGRAPH,
    ROUND_TWO_IDS,
    AttackCorpus,
    lay_out,
    small_report,
)
from test_browser import SiteSearch, Tab, Target, _QuietHandler
from test_site_markdown import differences

NO_TRACEBACK = "Traceback (most recent call last)"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # Built as published (a repository, so the pages have their annotation links and the citations a URL).
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_REPOSITORY": "octo/attack"}
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
            elif path.is_file() and path.suffix == ".gz":   # the gzipped downloads (corpus.jsonl.gz)
                assert corpus.secret not in gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"), path


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
        assert not re.search(r"^(!!! danger|\?\?\? note \"x\")", body, re.M)   # report text is no block
        assert re.search(r"^<p id=[^>]+>!!! danger", body, re.M)   # inside the paragraph's HTML: text


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


# --- round two (issue #28): front matter, downloads, figures, amplification, the race ----------
# Each test names the defence it checks; without that defence it fails (checked by hand).

def _docs(attack) -> Path:
    return attack[0].project / "docs"


def _published_files(root: Path, suffixes=(".md", ".html", ".json", ".jsonl", ".csv", ".bib")):
    return [p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes and "search" not in p.parts]


def test_every_generated_front_matter_is_read_as_data(attack):
    """pages/front_matter.front_matter: MkDocs shows a front matter it cannot load as Markdown."""
    from build_corpus.pages.front_matter import read_front_matter
    docs = _docs(attack)
    pages = {str(p.relative_to(docs)): p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    assert [path for path, text in pages.items() if text.startswith("---") and read_front_matter(text) is None] == []
    report = read_front_matter(pages[f"reports/{ROUND_TWO_IDS['frontmatter']}.md"])
    assert report["title"] == "2031年湖州市政府工作报告" and report["schema"]["@type"] == "Report"


def test_no_character_a_format_cannot_hold_is_published(attack):
    """document/fixes.remove_unholdable_characters (and the refusals of contributed YAML and file names)."""
    from build_corpus.safe_text import UNHOLDABLE
    corpus = attack[0]
    for folder in ("docs", "site"):
        for path in _published_files(corpus.project / folder):
            found = UNHOLDABLE.search(path.read_text(encoding="utf-8"))
            assert not found, f"{path}: U+{ord(found.group()):04X}"
    page = (_docs(attack) / "reports" / f"{ROUND_TWO_IDS['frontmatter']}.md").read_text(encoding="utf-8")
    assert "⟨U+FFFE⟩" in page and "⟨U+009F⟩" in page, "each removed character is logged by its code point"


def _bibtex_value(value: str) -> str:
    """A BibTeX value as the text it stands for: safe_text's commands back to their characters."""
    from build_corpus.safe_text import _BIBTEX
    for char, command in sorted(((chr(k), v) for k, v in _BIBTEX.items()), key=lambda kv: -len(kv[1])):
        value = value.replace(command, char)
    return value


def _parse_bibtex(text: str):
    import pybtex.errors
    from pybtex.database import parse_string
    pybtex.errors.set_strict_mode(True)   # a syntax error is an exception, not a warning
    return parse_string(text, "bibtex")


def test_bibtex_downloads_parse_back_with_one_entry_per_report(attack):
    """safe_text.bibtex_text: `}@misc(…` in a title planted an entry; an unbalanced `{` swallowed the rest."""
    cite = _docs(attack) / "downloads" / "cite"
    ids = {p.stem for p in cite.glob("*.bib")} - {"all"}
    parsed = _parse_bibtex((cite / "all.bib").read_text(encoding="utf-8"))
    assert set(parsed.entries) == ids and "linepwn" not in parsed.entries
    for report_id in ids:
        assert set(_parse_bibtex((cite / f"{report_id}.bib").read_text(encoding="utf-8")).entries) == {report_id}
    titles = {_bibtex_value(e.fields["title"]) for e in parsed.entries.values()}
    assert {BIBTEX_TITLE, "2032年湖州市政府工作报告}@misc(linepwn)", "2040年湖州市政府工作报告{"} <= titles
    assert all(e.fields["url"].startswith("https://octo.github.io/attack/reports/") for e in parsed.entries.values())


@pytest.mark.parametrize("title", [BIBTEX_TITLE, "报告{", "报告}}}", "a\\b{c}%#@~^_&$ \\end{document}", "@comment{x"])
def test_bibtex_entry_of_any_title_parses_back(title):
    from build_corpus.model import Document, Metadata
    from build_corpus.pages import citation
    doc = Document("s", 1, 1, "", title=title, meta=Metadata(place="湖州市", level="市", year=2024, date="2024-02-05"))
    doc.id = "huzhoushi-2024"
    after = Document("s", 1, 1, "", title="2025年湖州市政府工作报告", meta=Metadata(place="湖州市", level="市", year=2025))
    after.id = "huzhoushi-2025"
    entries = _parse_bibtex(citation.bibtex(doc, "https://o.github.io/r{x}/") + citation.bibtex(after)).entries
    assert list(entries) == ["huzhoushi-2024", "huzhoushi-2025"], "an entry planted, or the next one swallowed"
    assert _bibtex_value(entries["huzhoushi-2024"].fields["title"]) == title
    assert entries["huzhoushi-2024"].fields["url"] == "https://o.github.io/r%7Bx%7D/reports/huzhoushi-2024.html"


def test_csv_downloads_hold_no_formula(attack):
    """safe_text.csv_cell: a cell starting = + - @ tab or CR is a formula in a spreadsheet (OWASP)."""
    import csv
    downloads = _docs(attack) / "downloads"
    cells = []
    for name in ("glossary.csv", "targets.csv"):
        with (downloads / name).open(encoding="utf-8-sig", newline="") as f:
            cells += [cell for row in csv.reader(f) for cell in row]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    for payload in CSV_PAYLOADS:   # the text is kept, neutralised
        assert any(c.startswith("'" + payload[:6]) for c in cells), payload


def _strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_json_downloads_are_strict_json_and_dates_exist(attack):
    """json.dumps(allow_nan=False), targets.is_figure, chinese.calendar_date: no Infinity, no 2035-13-45."""
    from build_corpus.chinese import calendar_date
    downloads = _docs(attack) / "downloads"
    documents = [_strict_json(line) for line in gzip.decompress((downloads / "corpus.jsonl.gz").read_bytes()).decode().splitlines()]
    for path in [*downloads.glob("*.json"), *(downloads / "cite").glob("*.json")]:
        _strict_json(path.read_text(encoding="utf-8"))
    for path in downloads.glob("*.json.gz"):
        _strict_json(gzip.decompress(path.read_bytes()).decode())
    dates = [d["meta"][k] for d in documents for k in ("date", "published") if d["meta"][k]]
    csl = _strict_json((downloads / "cite" / "all.json").read_text(encoding="utf-8"))
    dates += ["-".join(f"{int(x):02d}" for x in item["issued"]["date-parts"][0]) for item in csl if "issued" in item
              and len(item["issued"]["date-parts"][0]) == 3]
    bib = (downloads / "cite" / "all.bib").read_text(encoding="utf-8")
    dates += re.findall(r"date = \{([^}]*)\}", bib)
    site = attack[0].project / "site"
    for page in (site / "reports").glob("*.html"):
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S):
            data = _strict_json(block)
            dates += [data[k] for k in ("dateCreated",) if k in data]
    assert len(dates) > 40 and [d for d in dates if calendar_date(*d.split("-")) is None] == []


def test_impossible_dates_are_left_empty_with_a_note(attack):
    docs = _docs(attack)
    documents = {d["id"]: d for d in map(json.loads, gzip.decompress((docs / "downloads" / "corpus.jsonl.gz").read_bytes()).decode().splitlines())}
    dated = documents[ROUND_TWO_IDS["dates"]]
    assert dated["meta"]["date"] is None and dated["meta"]["year"] == 2035
    assert any("2035年13月45日" in note and "留空" in note for note in dated["notes"])
    assert "2035年13月45日”不是真实存在的日期" in (docs / "reports" / f"{ROUND_TWO_IDS['dates']}.md").read_text(encoding="utf-8")


def test_terms_without_a_letter_make_no_term_page(attack):
    """glossary.names_something: “”, +++ and .. were term pages (term.md, term-2.md …)."""
    from build_corpus.pages.front_matter import read_front_matter
    docs = _docs(attack)
    titles = {read_front_matter(p.read_text(encoding="utf-8")).get("title") for p in (docs / "terms").glob("*.md")}
    assert not titles & {"“”", "+++", ".."} and not list((docs / "terms").glob("term*.md"))
    page = (docs / "reports" / f"{ROUND_TWO_IDS['terms']}.md").read_text(encoding="utf-8")
    assert page.count("不作为名词收录") == 3, "every dropped term is a notice on its report"


def test_figures_too_large_stay_text_with_a_note(attack):
    """targets.is_figure: 400 nines are inf (a traceback in the charts; Infinity in targets.json)."""
    docs = _docs(attack)
    records = [r for r in json.loads((docs / "downloads" / "targets.json").read_text(encoding="utf-8"))
               if r["report_id"] == ROUND_TWO_IDS["figures"]]
    huge = [r for r in records if "9" * 40 in r["value"]]
    assert len(huge) >= 2 and all(r["low"] is None and r["high"] is None for r in huge)
    assert "的数字不是可用的数值" in (docs / "reports" / f"{ROUND_TWO_IDS['figures']}.md").read_text(encoding="utf-8")


def test_amplifiers_stay_linear(attack):
    """targets.sentence_context and safe_text.tooltip_attr: 200 clauses × their sentence, 200 sections ×
    a 4,000-character definition (benchmarks/amplification.py prints the ratios at two sizes)."""
    import html

    from build_corpus.document.targets import CONTEXT_CHARS, SENTENCE_CHARS
    from build_corpus.safe_text import TOOLTIP_CHARS
    docs, report_id = _docs(attack), ROUND_TWO_IDS["amplify"]
    source = len((attack[0].project / "sources" / "r2-amplify.txt").read_bytes())
    page = (docs / "reports" / f"{report_id}.md").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)"(?: title="([^"]*)"| class="term-link")>', page)
    tooltips = [html.unescape(html.unescape(t)) for _, t in links if t]
    assert len(links) > 400 and tooltips and max(map(len, tooltips)) <= TOOLTIP_CHARS
    term_links = re.findall(r'(?<!<sup class="footnote-ref">)<a href="([^"]+)" title="', page)
    assert len(term_links) == len(set(term_links)), "a definition's tooltip once a page (footnote marks: each)"
    records = [r for r in json.loads((docs / "downloads" / "targets.json").read_text(encoding="utf-8"))
               if r["report_id"] == report_id]
    assert len(records) >= 200 and max(len(r["sentence"]) for r in records) <= SENTENCE_CHARS
    assert max(len(r["sentence"]) for r in records) <= len("地区生产总值增长5.5%左右") + 2 * CONTEXT_CHARS + 2
    assert len(page.encode("utf-8")) < 10 * source, "the report page grows with its input, not its square"


def test_quotes_that_match_nothing_name_their_closest_paragraph(attack):
    check = attack[1]["check"].stderr
    lines = [line for line in check.splitlines() if line.startswith(f"annotations/{ROUND_TWO_IDS['amplify']}.yml")]
    assert len(lines) == 10 and all("closest paragraph" in line for line in lines), lines


def test_quote_matching_compares_bounded_stretches(monkeypatch, tmp_path):
    """annotations._closest: a cheap prefilter and a cap. difflib compared every quote with every whole
    paragraph: 10 quotes against a 100,000-character paragraph took 47 s."""
    import difflib

    from build_corpus.contributions import annotations
    from build_corpus.model import Annotation
    from build_corpus.pipeline import build_corpus
    (tmp_path / "a.txt").write_text(small_report(2030, body=QUOTE_PARAGRAPH * 5 + "。"), encoding="utf-8")
    doc = build_corpus([tmp_path / "a.txt"], tmp_path).reports[0]
    compared: list[int] = []

    class Recording(difflib.SequenceMatcher):
        def set_seq2(self, b):
            compared.append(len(b))
            super().set_seq2(b)
    monkeypatch.setattr(annotations.difflib, "SequenceMatcher", Recording)
    notes = [Annotation("annotations/x.yml", i, "发" * (300 - i), "x", "y") for i in range(25)]
    problems = annotations.attach_annotations({doc.id: notes}, [doc])
    assert len(problems) == 25 and sum("closest paragraph" in p.message for p in problems) == annotations.CLOSE_SEARCHES
    longest = 300 + 2 * annotations.DIFF_CONTEXT
    assert max(compared) <= longest and len(compared) <= annotations.CLOSE_SEARCHES * (annotations.CLOSE_CANDIDATES + 2)


def test_json_downloads_refuse_what_is_not_json():
    """allow_nan=False: a NaN that got past the figures' rule fails the build rather than publish Infinity."""
    from build_corpus.document.targets import parse_clause
    from build_corpus.pages.indicators import target_downloads
    record = parse_clause("地区生产总值增长5%")[0]
    record.report_id, record.low = "x-2024", float("inf")
    with pytest.raises(ValueError):
        target_downloads({"x-2024": [record]})


def test_citations_give_no_date_that_does_not_exist():
    """citation._date_parts: CSL-JSON and BibTeX dates only when the calendar has them."""
    from build_corpus.model import Document, Metadata
    from build_corpus.pages import citation
    doc = Document("s", 1, 1, "", title="t", meta=Metadata(place="湖州市", level="市", year=2024, date="2024-02-30"))
    doc.id = "huzhoushi-2024"
    assert citation.csl_json(doc)["issued"] == {"date-parts": [[2024]]}
    assert "date = " not in citation.bibtex(doc) and "year = {2024}" in citation.bibtex(doc)


def test_a_term_page_holds_what_yaml_refuses_even_uncleaned(tmp_path):
    """pages/front_matter.front_matter on its own (cleaning switched off): the definition's U+FFFE made
    PyYAML refuse the hand-written front matter, and MkDocs rendered it as Markdown, <img onerror> included."""
    from build_corpus.document import clean
    from build_corpus.pages.front_matter import read_front_matter, unreadable_front_matter
    from build_corpus.pipeline import build_corpus, build_site
    (tmp_path / "a.txt").write_text(small_report(2031, glossary="1.五水共治：" + FRONT_MATTER_DEFINITION + "。"), encoding="utf-8")
    kept = list(clean.FIXES)
    clean.FIXES[:] = [fix for fix in kept if fix[0] != "remove_unholdable_characters"]
    try:
        site = build_site(build_corpus([tmp_path / "a.txt"], tmp_path), {}, annotations={})
    finally:
        clean.FIXES[:] = kept
    assert unreadable_front_matter(site.pages) == []
    term = read_front_matter(site.pages["terms/wu-shui-gong-zhi.md"])
    assert "\ufffe" in term["description"] and term["title"] == "五水共治"


def test_mkdocs_holds_the_build_lock_while_it_reads_docs(tmp_path):
    """mkdocs_hooks._hold_docs: the hook took the lock only when a staging folder existed as it started,
    so a build swapping pages meanwhile published a mix (8 of 12 tries failed --strict)."""
    from build_corpus.renderer import mkdocs_hooks
    docs = tmp_path / "docs"
    docs.mkdir()
    try_lock = [sys.executable, "-c", "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
                "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)", str(docs / ".build.lock")]
    mkdocs_hooks._hold_docs(docs)   # what on_pre_build does
    try:
        assert subprocess.run(try_lock, capture_output=True).returncode != 0, "a build could write while MkDocs reads"
    finally:
        mkdocs_hooks._release_docs()   # what on_post_build and on_build_error do
    assert subprocess.run(try_lock, capture_output=True).returncode == 0


def _tiny_project(tmp_path: Path) -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text(small_report(2030), encoding="utf-8")
    return tmp_path


def _cli(project: Path, *args: str, capsys) -> tuple[int, str]:
    from build_corpus import cli
    options = ["--sources", str(project / "sources"), "--glossary", str(project / "glossary"),
               "--annotations", str(project / "annotations"), "--no-cache", "--jobs", "1"]
    code = cli.main([args[0], *options, *args[1:]])
    return code, capsys.readouterr().err


def test_a_read_only_docs_is_one_line(tmp_path, monkeypatch, capsys):
    """pages/write.WriteError (root ignores file modes, so the read-only file system is simulated)."""
    import errno

    from build_corpus.pages import write
    project = _tiny_project(tmp_path)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(project / "docs" / ".build.lock"))
    monkeypatch.setattr(write.os, "open", read_only)
    code, err = _cli(project, "build", "--docs", str(project / "docs"), capsys=capsys)
    assert code == 1 and NO_TRACEBACK not in err and len(err.strip().splitlines()) == 1 and "read-only" in err, err


def test_a_full_disk_is_one_line_and_leaves_no_staging(tmp_path, monkeypatch, capsys):
    import errno

    from build_corpus.pages import write
    project = _tiny_project(tmp_path)

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(write, "_write", full)
    code, err = _cli(project, "build", "--docs", str(project / "docs"), capsys=capsys)
    failures = [line for line in err.splitlines() if "disk full" in line]
    assert code == 1 and NO_TRACEBACK not in err and len(failures) == 1, err
    assert not (project / "docs" / ".build-staging").exists()


def test_serve_on_a_busy_port_is_one_line_before_any_build(tmp_path, capsys):
    """renderer/preview.free_address: MkDocs bound the port only after the whole build, then raised."""
    import socket
    project = _tiny_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, err = _cli(project, "serve", "--docs", str(project / "docs"), "--dev-addr", f"127.0.0.1:{port}", capsys=capsys)
    assert code == 1 and NO_TRACEBACK not in err and f"127.0.0.1:{port}" in err and len(err.strip().splitlines()) == 1, err
    assert not (project / "docs").exists(), "nothing is built for a server that cannot listen"


# --- readers.js in the browser -------------------------------------------------------------

def _serve(site: Path):
    import threading
    from functools import partial
    from http.server import ThreadingHTTPServer
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


TOOLS = """() => ({
  paragraphs: document.querySelectorAll('article p[id]').length,
  tools: document.querySelectorAll('article p .para-tools').length,
  suggest: [...document.querySelectorAll('article .para-suggest')].map(a => a.href),
  headings: document.querySelectorAll('article .para-tools--heading').length,
  whole: (document.querySelector('article .report-cite') || {}).textContent || '',
})"""


@pytest.mark.browser
@pytest.mark.parametrize("failing", [False, True])
def test_reader_tools_survive_a_character_outside_the_bmp(browser, attack_site, failing):
    """readers.js firstChars (cut by code point) and each (one paragraph's failure stays there): the
    UTF-16 cut halved 𠀀, encodeURIComponent threw, and every tool after it was missing."""
    site, _ = attack_site
    server = _serve(site)
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        if failing:   # a failure no one foresaw, in one paragraph: the others keep their tools
            page.add_init_script("""(() => { const real = window.encodeURIComponent;
                window.encodeURIComponent = s => { if (String(s).includes('甲甲甲')) throw new URIError('x'); return real(s); };
            })()""")
        page.goto(f"http://127.0.0.1:{server.server_port}/reports/{ROUND_TWO_IDS['astral']}.html", wait_until="load")
        found = page.evaluate(TOOLS)
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert errors == [], errors
    assert found["tools"] == found["paragraphs"] - (1 if failing else 0) and found["paragraphs"] > 5, found
    assert found["headings"] >= 2 and "湖州市人民政府" in found["whole"], found
    if not failing:
        from urllib.parse import parse_qs, urlsplit
        quotes = [parse_qs(urlsplit(url).query)["quote"][0] for url in found["suggest"]]
        assert ASTRAL_AT_CUT[:24] in quotes, quotes
