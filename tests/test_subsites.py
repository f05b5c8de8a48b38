"""A corpus published in sub-sites (corpus/subsites.py, renderer/subsites.py): one per province beside
the main site, built side by side by Material's projects plugin and merged into one site.

On a small corpus built with `--split always` (conftest's split_site): each report in its province's
sub-site and the State Council's in the main site, stubs at the addresses that moved, every link of
every page landing on a page and an anchor that exist (MkDocs checks links within one sub-site only),
one index that every sub-site's search box reads, the search worker reading report text from the pages
as the index cuts it, and a second build that builds only the sub-sites whose pages changed.
"""
from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from build_corpus.corpus.subsites import province_of, subsite_slug
from build_corpus.pipeline import build_site
from build_corpus.renderer import search_index
from build_corpus.renderer.search_index import (
    CHUNK_DOCS,
    FLAG_BITS,
    PARTIAL,
    TITLE_FLAG,
    InlineIndexer,
    SearchDoc,
    ShardedIndexWriter,
    decode_values,
    merge_indexes,
    page_documents,
    read_chunk,
)
from build_corpus.urls import publish_as

ROOT = Path(__file__).resolve().parent.parent
QUERY_JS = ROOT / "tools" / "search_query.mjs"
WORKER_JS = ROOT / "build_corpus" / "renderer" / "search_worker.js"
SUBSITES = {"zhejiangsheng", "sichuansheng", "hainansheng", "guangdongsheng"}


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def _is_stub(text: str) -> bool:
    return 'http-equiv="refresh"' in text and "<article" not in text


# --- the layout, from the corpus alone -----------------------------------------------------

def test_each_report_goes_to_its_province_and_the_state_council_stays(corpus):
    site = build_site(corpus, split="always")
    try:
        for doc in site.reports:
            province = province_of(doc)
            if doc.meta.place == "中华人民共和国":
                assert province is None and doc.id not in site.subsites
            else:
                assert province and site.subsites[doc.id] == subsite_slug(province), doc.id
                assert f"{site.subsites[doc.id]}/reports/{doc.id}.md" in site.pages
                assert f"reports/{doc.id}.html" in site.files   # the stub at its address in one site
        assert site.subsites["tongxiangshi-2023"] == site.subsites["puyuanzhen-2017"] == "zhejiangsheng"
        assert site.subsites["shaanxisheng-2026"] == "shaanxisheng"   # the ids' romanisation
        for key in site.stubbed_terms:   # one report only: a stub, no page
            assert f"terms/{site.terms[key].slug}.html" in site.files
            assert f"terms/{site.terms[key].slug}.md" not in site.pages
        assert all(not p.startswith("compare/data/") or b'"paragraphs"' not in b for p, b in site.files.items()), \
            "in sub-sites the compare view reads the text from the report pages"
        one = build_site(corpus, split="never")
        assert not one.subsites and not one.stubbed_terms and "reports/tongxiangshi-2023.md" in one.pages
    finally:
        publish_as()


# --- the built site ------------------------------------------------------------------------

def test_sub_sites_hold_their_province_s_reports(split_site):
    site = split_site / "site"
    assert {p.name for p in site.iterdir() if p.is_dir() and (p / "reports").is_dir()} == SUBSITES
    assert (site / "zhejiangsheng" / "reports" / "tongxiangshi-2023.html").is_file()
    assert (site / "reports" / "zhonghuarenmingongheguo-2025.html").is_file()   # the State Council's, in the main site
    stub = (site / "reports" / "tongxiangshi-2023.html").read_text(encoding="utf-8")
    assert _is_stub(stub) and 'url=../zhejiangsheng/reports/tongxiangshi-2023.html"' in stub
    assert "+location.hash" in stub   # a paragraph's anchor survives the move
    assert not (site / "zhejiangsheng" / "assets").exists()   # Material's assets once, hoisted to the main site
    # The corpus-wide downloads go with the repository's releases (dist/corpus/), not into the site.
    assert not (site / "downloads" / "corpus.jsonl.gz").exists() and not (site / "downloads" / "glossary.csv").exists()
    released = {p.name for p in (split_site / "dist" / "corpus").iterdir()}
    assert released == {"corpus.jsonl.gz", "glossary.json.gz", "glossary.csv", "citations.bib", "citations.json"}
    downloads = (site / "downloads" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/example/gov-work-reports/releases/latest/download/corpus.jsonl.gz"' in downloads
    assert (site / "downloads" / "targets.csv").is_file() and (site / "downloads" / "cite" / "tongxiangshi-2023.bib").is_file()
    page = (site / "zhejiangsheng" / "reports" / "tongxiangshi-2023.html").read_text(encoding="utf-8")
    assert 'href="../../assets/javascripts/readers.js"' in page or "../../assets/javascripts/readers.js" in page
    assert 'href="../../places.html"' in page   # the main site's nav


def test_every_link_of_every_page_lands(split_site):
    """What MkDocs checks within one site, across all of them: each relative link's file exists, and the
    anchor it names is on that page (the compare view's #a=… addresses excepted: the view reads them)."""
    site = split_site / "site"
    pages = _pages(site)
    ids = {path: set(re.findall(r'\sid="([^"]+)"', text)) for path, text in pages.items()}
    broken = []
    for path, text in pages.items():
        if _is_stub(text):
            links = re.findall(r'url=([^"]+)"', text)
        else:
            links = re.findall(r'\shref="([^"]+)"', text)
        for link in links:
            link = html.unescape(link)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "/")):
                continue
            target = (site / Path(path).parent / unquote(parts.path)).resolve()
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{path}: {link}")
                continue
            relative = target.relative_to(site.resolve()).as_posix()
            if parts.fragment and relative in ids and not parts.fragment.startswith("a=") \
                    and unquote(parts.fragment) not in ids[relative]:
                broken.append(f"{path}: {link} (no such anchor)")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:30])


def test_one_sitemap_lists_the_pages_of_every_sub_site(split_site):
    site = split_site / "site"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.github.io/gov-work-reports/zhejiangsheng/reports/tongxiangshi-2023.html</loc>" in sitemap
    assert "<loc>https://example.github.io/gov-work-reports/reports/zhonghuarenmingongheguo-2025.html</loc>" in sitemap
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
    assert not list(site.glob("*/sitemap.xml*")), "the sub-sites' own sitemaps are merged into the main one"
    assert "/reports/tongxiangshi-2023.html</loc>" not in sitemap.replace("/zhejiangsheng/reports/", "/z/"), \
        "a moved-page stub is no page"


def test_every_search_box_reads_the_one_index(split_site):
    site = split_site / "site"
    main = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["shards"]
    assert (site / main["folder"]).is_dir() and not main.get("root")
    for slug in SUBSITES:
        shards = json.loads((site / slug / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["shards"]
        assert shards == {**main, "root": "../"}, slug
    assert not list(site.glob("*/search/idx-*")), "one index, in the main site"
    assert not list(site.rglob("postings.tsv")), "the sub-sites' shares stay out of the published site"


def _query(site: Path, *queries: str) -> list[dict]:
    node = shutil.which("node") or pytest.fail("node is not on PATH", pytrace=False)
    done = subprocess.run([node, str(QUERY_JS), str(site), *queries], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_a_search_finds_reports_of_every_sub_site_with_their_text(split_site):
    site = split_site / "site"
    found = _query(site, "五水共治", "自由贸易港")
    wushui = [group[0] for group in found[0]["items"]]
    assert wushui[0]["location"].startswith("terms/wu-shui-gong-zhi.html")   # the term's page, in the main site
    in_zhejiang = [r for r in wushui if r["location"].startswith("zhejiangsheng/reports/")]
    assert in_zhejiang and all("五水共治" in html.unescape(re.sub("<[^>]+>", "", r["text"])) for r in in_zhejiang
                               if "#" in r["location"])
    assert any(f["file"].startswith("zhejiangsheng/reports/") for f in found[0]["files"]), "the text read from the page"
    hainan = [group[0]["location"] for group in found[1]["items"]]
    assert any(loc.startswith("hainansheng/reports/hainansheng-2026.html") for loc in hainan), hainan
    # The index holds no report page's text: every report record's text is null.
    records = []
    for chunk in (site / "search").glob("idx-*/d*.js"):
        records += read_chunk(chunk)
    reports = [r for r in records if "/reports/" in "/" + r[0]]
    assert reports and all(r[2] is None for r in reports)
    assert all(r[2] is not None for r in records if r[0].startswith("terms/"))


def test_a_first_search_reads_report_pages_within_its_byte_budget(split_site):
    """The search box's first query reads its best candidates' report pages a few at a time and stops at
    FIRST_PAGE_BYTES: a province's page is ~250 KB, and eight of them made a first search of 2 MB. What it
    did not read, the list marks as partial (readers.js then points to the full results page)."""
    site = split_site / "site"
    budget = int(re.search(r"FIRST_PAGE_BYTES = ([\d_]+)", WORKER_JS.read_text(encoding="utf-8")).group(1))
    found = _query(site, "营商环境")[0]
    pages = [f["bytes"] for f in found["files"] if f["file"].endswith(".html")]
    holding = {p for p, t in _pages(site).items() if "/reports/" in "/" + p and not _is_stub(t) and "营商环境" in t}
    assert len(holding) > len(pages) >= 1, (len(holding), pages)
    assert sum(pages[:-1]) < budget and sum(pages) <= budget + max(pages), pages
    assert found["bytes"] < 1_000_000, found["bytes"]
    assert "search-partial" in json.dumps(found["items"], ensure_ascii=False)


def test_the_full_results_page_finds_every_report_holding_a_phrase(split_site):
    """search.html's core (tools/search_query.mjs --all) reads each candidate report's page for its text:
    every report page whose sections hold the phrase is found, and only those (the benchmark's recall)."""
    site = split_site / "site"
    phrases = ("五水共治", "自由贸易港", "营商环境")
    node = shutil.which("node") or pytest.fail("node is not on PATH", pytrace=False)
    done = subprocess.run([node, str(QUERY_JS), "--all", str(site), *phrases], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "could not read" not in done.stderr, done.stderr[-2000:]
    reports = {p: t for p, t in _pages(site).items() if "/reports/" in "/" + p and not _is_stub(t) and "<article" in t}
    for phrase, line in zip(phrases, done.stdout.splitlines()):
        truth = set()
        for page, text in reports.items():
            article = text[text.index(">", text.index("<article")) + 1:text.rindex("</article>")]
            if any(phrase in d.text for d in page_documents(article, page, "")):
                truth.add(page)
        found = {s["location"].split("#")[0] for s in json.loads(line)["sections"]} & reports.keys()
        assert truth, phrase
        assert found == truth, (phrase, sorted(truth - found)[:5], sorted(found - truth)[:5])


def test_the_worker_cuts_a_page_into_sections_as_the_indexer_does(split_site):
    """search_worker.js's sectionTexts (the query side, reading a page) and page_documents (the indexer,
    reading MkDocs' HTML) give every section of every built page the same location and text."""
    site = split_site / "site"
    node = shutil.which("node") or pytest.fail("node is not on PATH", pytrace=False)
    pages = {p: t for p, t in _pages(site).items() if not _is_stub(t) and "<article" in t}
    program = (f"const fs = require('fs'), vm = require('vm');"
               "const ctx = {console, URL, self: null, addEventListener() {}, location: {href: 'file:///x/'}};"
               f"ctx.self = ctx; vm.createContext(ctx); vm.runInContext(fs.readFileSync({json.dumps(str(WORKER_JS))}, 'utf8'), ctx);"
               "const input = JSON.parse(fs.readFileSync(0, 'utf8')); const out = {};"
               "for (const [page, text] of Object.entries(input)) out[page] = Object.fromEntries(vm.runInContext('sectionTexts', ctx)(text, page));"
               "process.stdout.write(JSON.stringify(out));")
    done = subprocess.run([node, "-e", program], input=json.dumps(pages), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    js = json.loads(done.stdout)
    for page, text in pages.items():
        article = text[text.index(">", text.index("<article")) + 1:text.rindex("</article>")].strip()
        python = {d.location: d.text for d in page_documents(article, page, "")}
        assert js[page] == python, page


def test_an_unchanged_sub_site_is_not_built_again(split_site, tmp_path):
    """One province's source changed: its sub-site is built again, the others are taken from their last
    build, and the site is what a build from nothing gives."""
    project = tmp_path / "project"
    shutil.copytree(split_site, project, symlinks=True)
    source = project / "sources" / "2026_hainan_report_web.txt"
    lines = source.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if len(line) > 80 and line.endswith("。") and "“" not in line)
    lines[at] += "本句为测试所加，海南岛上又有新进展。"   # no term, no quotation: no page of the main site shows it
    source.write_text("\n".join(lines), encoding="utf-8")
    env = {**os.environ, "SITE_REPOSITORY": "example/gov-work-reports", "SITE_URL": "", "NO_MKDOCS_2_WARNING": "1"}
    site = project / "site"
    old = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    corpus_before = gzip.decompress((project / "dist" / "corpus" / "corpus.jsonl.gz").read_bytes())
    logs = []
    for cmd in (["build_corpus", "build", "--split", "always"], ["mkdocs", "build", "--strict"]):
        done = subprocess.run([sys.executable, "-m", *cmd], cwd=project, capture_output=True, text=True, timeout=600, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        logs.append(done.stdout + done.stderr)
    assert "sub-sites: 1 to build, 3 unchanged since their last build; the main site's pages unchanged" in logs[1]
    # and in the one built again, only the changed report's page is rendered (renderer/kept_pages.py)
    kept, pages = map(int, re.search(r"hainansheng\S* (\d+) of (\d+) pages as their last build made them", logs[1]).groups())
    assert pages > 1 and kept == pages - 1, logs[1]
    # and its share of the index is the last one with that page's sections replaced (InlineIndexer)
    indexed, sections = map(int, re.search(r"hainansheng\S* search: (\d+) of (\d+) sections indexed, the others as the "
                                           r"last share has them", logs[1]).groups())
    assert 0 < indexed < sections, logs[1]
    new = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert "本句为测试所加" in new["hainansheng/reports/hainansheng-2026.html"].decode()
    assert "本句为测试所加".encode() in gzip.decompress((project / "dist" / "corpus" / "corpus.jsonl.gz").read_bytes())
    assert "本句为测试所加".encode() not in corpus_before
    for slug in SUBSITES - {"hainansheng"}:   # untouched provinces: the very same pages
        mine = {p: b for p, b in new.items() if p.startswith(f"{slug}/") and "/search/" not in p}
        assert mine == {p: b for p, b in old.items() if p.startswith(f"{slug}/") and "/search/" not in p}, slug
    # The same as building everything again from nothing.
    shutil.rmtree(project / ".cache" / "subsites")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True,
                          timeout=600, env=env)
    assert done.returncode == 0 and "sub-sites: 4 to build, 0 unchanged since their last build; the main site's pages to " \
        "build" in done.stdout + done.stderr
    fresh = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert fresh == new


def test_sub_sites_built_beside_the_main_site_are_waited_for():
    """subsites.build_projects_beside: the plugin's build runs in a thread from on_pre_build on; the wait
    joins it, raises what it raised, and gives the plugin its own method back."""
    import threading
    import time
    from types import SimpleNamespace

    from build_corpus.renderer.subsites import build_projects_beside

    class Builder:
        def __init__(self, error=None):
            self.error, self.done = error, threading.Event()

        def build(self, serve, dirty):
            time.sleep(0.2)
            self.done.set()
            if self.error:
                raise self.error

    for error in (None, RuntimeError("a sub-site failed")):
        builder = Builder(error)
        config = SimpleNamespace(plugins={"material/projects": SimpleNamespace(builder=builder)})
        wait = build_projects_beside(config)
        builder.build(False, False)                    # what the plugin's on_pre_build calls
        assert not builder.done.is_set()               # returned at once: the build goes on beside
        if error is None:
            wait()
        else:
            with pytest.raises(RuntimeError, match="a sub-site failed"):
                wait()
        assert builder.done.is_set() and "build" not in builder.__dict__
    assert build_projects_beside(SimpleNamespace(plugins={})) is None


# --- merging the sub-sites' shares of the index -------------------------------------------------

def _documents(n: int, prefix: str) -> list[SearchDoc]:
    words = ["五水共治", "三改一拆", "营商环境", "乡村振兴", "GDP", "数字经济", "两重", "两新"]
    return [SearchDoc(f"reports/{prefix}{i // 7}.html" + (f"#sec-{i % 7}" if i % 7 else ""), f"标题{i}",
                      "，".join(words[(i + k) % len(words)] for k in range(i % 5 + 1)), text_in_page=bool(i % 2))
            for i in range(n)]


def _postings(search: Path) -> dict[str, set[tuple[str, int]]]:
    """key -> {(location, flags)} of an index written under `search`."""
    folder = next(search.glob("idx-*"))
    records = {}
    for chunk in folder.glob("d*.js"):
        for i, record in enumerate(read_chunk(chunk)):
            records[int(chunk.stem[1:]) * CHUNK_DOCS + i] = record[0]
    out: dict[str, set] = defaultdict(set)
    for shard in folder.glob("b*.js"):
        text = shard.read_text(encoding="utf-8")
        for key, encoded in json.loads(text[text.index(",") + 1:text.rindex(")")]).items():
            doc = 0
            for value in decode_values(encoded):
                doc += value >> FLAG_BITS
                out[key].add((records[doc], value & ((1 << FLAG_BITS) - 1)))
    return out


@pytest.mark.parametrize("common_min", [None, 1], ids=["as built", "common characters thinned"])
def test_merged_shares_are_the_index_of_all_their_documents(tmp_path, monkeypatch, common_min):
    """Merged or written whole, the same postings; with COMMON_MIN lowered, characters in most of the
    940 sections (every title's 标题, the text's commonest) keep their title postings alone, alike in both."""
    if common_min:
        monkeypatch.setattr(search_index, "COMMON_MIN", common_min)
    parts = [("", _documents(300, "m")), ("zj/", _documents(40, "z")), ("hn/", _documents(600, "h"))]
    whole = ShardedIndexWriter(tmp_path / "whole" / "search")
    shares = []
    for n, (prefix, docs) in enumerate(parts):
        writer = ShardedIndexWriter(tmp_path / f"share{n}")
        for doc in docs:
            writer.add(doc)
            whole.add(SearchDoc(prefix + doc.location, doc.title, doc.text, doc.page_title, doc.boost, doc.text_in_page))
        writer.finish(partial=True)
        shares.append((prefix, tmp_path / f"share{n}" / PARTIAL))
    single = whole.finish()
    merged = merge_indexes(tmp_path / "merged" / "search", shares)
    assert merged.docs == 940 and merged.keys == len(_postings(tmp_path / "whole" / "search"))
    assert _postings(tmp_path / "merged" / "search") == _postings(tmp_path / "whole" / "search")
    assert merged.common == single.common
    if common_min:
        postings = _postings(tmp_path / "merged" / "search")
        assert "标" in merged.common and "五" in merged.common and "五水" in postings
        assert all(flags & TITLE_FLAG for _, flags in postings["标"])   # titles only
        assert "五" not in postings   # in no title: no postings at all
    else:
        assert merged.common == ""


def _share(folder: Path) -> tuple[set[str], dict]:
    """A share's postings lines (in any order) and its meta."""
    lines = set((folder / PARTIAL / search_index.POSTINGS_BY_KEY).read_text(encoding="utf-8").splitlines())
    return lines, json.loads((folder / PARTIAL / search_index.PARTIAL_META).read_text(encoding="utf-8"))


def _indexed_again(state: Path, pages: list[list[SearchDoc]], last: list[list[SearchDoc]] | None) -> InlineIndexer:
    """A sub-site's share written again: each page kept if it is what `last` had, else new."""
    indexer = InlineIndexer(state, partial=True)
    for n, page in enumerate(pages):
        before = last[n] if last is not None and n < len(last) else None
        indexer.add_documents(page, before=before, kept=before == page)
    indexer.finish()
    return indexer


@pytest.mark.parametrize("change", ["text", "sections", "damaged"])
def test_a_share_patched_is_the_share_written_whole(tmp_path, change):
    """A sub-site built again with one page new: its share is the last one with that page's documents
    replaced, the same lines as a share written from every document; where that page's sections are not
    as many as before (the documents' ids move), or the last share is damaged, it is written whole."""
    docs = _documents(700, "z")
    pages = [docs[i:i + 7] for i in range(0, len(docs), 7)]
    state = tmp_path / "state"
    _indexed_again(state, pages, None)
    changed = [list(page) for page in pages]
    edited = changed[40]
    edited[2] = SearchDoc(edited[2].location, "新标题", edited[2].text + "，推进五水共治和数字经济，新词汇甲乙。", text_in_page=True)
    if change == "sections":
        edited.append(SearchDoc(edited[0].location.split("#")[0] + "#sec-new", "新的一节", "三改一拆", text_in_page=True))
    if change == "damaged":
        meta = state / PARTIAL / search_index.PARTIAL_META
        meta.write_text(meta.read_text(encoding="utf-8").replace('"docs"', ' "docs"'), encoding="utf-8")
    again = _indexed_again(state, changed, pages)
    whole = tmp_path / "whole"
    _indexed_again(whole, changed, None)
    assert _share(state) == _share(whole)
    assert again.indexed == (len(edited) if change == "text" else sum(map(len, changed)))


def test_a_split_site_has_no_offline_bundle(split_site, tmp_path):
    """Its search and compare view read the report pages over http, which file:// cannot: `bundle` says so
    and writes nothing (release.yml then attaches dist/corpus/ alone)."""
    done = subprocess.run([sys.executable, "-m", "build_corpus", "bundle", "--site", str(split_site / "site"),
                           "--out", str(tmp_path / "dist")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "no offline bundle" in done.stdout, done.stdout + done.stderr
    assert not list(tmp_path.glob("dist/*.zip"))
