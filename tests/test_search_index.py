"""The sharded search index (build_corpus/renderer/search_index.py) and its worker (search_worker.js).

The worker runs under Node through tools/search_query.mjs, exactly as built into the site, so
these tests check what a reader's query returns and downloads, and that Python and JavaScript
agree on keys and shards. tests/test_browser.py runs the same worker in Chromium.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from unittest import mock

import pytest

from build_corpus.renderer import search_index
from build_corpus.renderer.search_index import (
    CHUNK_DOCS,
    WORKER_JS,
    BackgroundIndexer,
    SearchDoc,
    SearchIndexError,
    ShardedIndexWriter,
    _feed_sections,
    keys_of,
    page_documents,
    plain_text,
    shard_of,
)

ROOT = Path(__file__).resolve().parent.parent
QUERY_TOOL = ROOT / "tools" / "search_query.mjs"


def build_site(site: Path, docs: list[SearchDoc]) -> dict:
    """A site folder holding just what search needs: the index, its config, the worker."""
    writer = ShardedIndexWriter(site / "search")
    for doc in docs:
        writer.add(doc)
    summary = writer.finish()
    config = {"lang": ["zh"], "shards": {"folder": summary.folder, "count": summary.shards, "docs": summary.docs,
                                         "common": summary.common}}
    (site / "search" / "search_index.json").write_text(json.dumps({"config": config, "docs": []}), encoding="utf-8")
    workers = site / "assets" / "javascripts" / "workers"
    workers.mkdir(parents=True)
    shutil.copy(WORKER_JS, workers / "search.test.min.js")
    return {"summary": summary}


def search(site: Path, *queries: str) -> list[dict]:
    node = shutil.which("node")
    if not node:
        pytest.fail("node is not on PATH: the search worker's tests run it under Node.js", pytrace=False)
    done = subprocess.run([node, str(QUERY_TOOL), str(site), *queries], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def pages(result: dict) -> list[str]:
    return [group[0]["location"].split("#")[0] for group in result["items"]]


def locations(result: dict) -> list[str]:
    return [doc["location"] for group in result["items"] for doc in group]


# --- keys, shards and text, in Python -------------------------------------------------

def test_keys_are_han_characters_bigrams_and_latin_words():
    keys = keys_of("推进“五水共治”，ＧＤＰ增长5.5%")
    assert {"五水", "水共", "共治", "五", "治", "gdp", "5"} <= keys.keys()
    assert "治g" not in keys and "进“" not in keys and "”，" not in keys
    assert keys_of("水水水")["水水"] == 2


def test_the_worker_reads_postings_with_the_digits_python_writes():
    """search_worker.js decodes what encode_values writes: the same 93 digits, 64 of them final."""
    worker = WORKER_JS.read_text(encoding="utf-8")
    js_digits = json.loads(re.search(r"^const DIGITS = (\".*\");$", worker, re.M).group(1))
    assert js_digits == search_index.DIGITS
    assert re.search(rf"^const FINAL = {len(search_index.FINAL_DIGITS)}, MORE = {len(search_index.MORE_DIGITS)};$", worker, re.M)
    assert all(json.dumps(c)[1:-1] == c for c in search_index.DIGITS), "a digit JSON would escape"


def test_shard_of_is_a_stable_hash_in_range():
    assert shard_of("五水", 1 << 32) == ord("五") * 31 + ord("水")
    assert all(0 <= shard_of(k, 64) < 64 for k in ("a", "五水", "𠀀𠀁", "2024"))


def test_plain_text_drops_tags_and_decodes_entities():
    assert plain_text("<p>一是&amp;二是</p><li>三&lt;四</li>") == "一是&二是 三<四"


def test_page_documents_follow_headings_and_skip_excluded_blocks():
    html = ('<h1 id="t">报告</h1><p>前言五水共治</p>'
            '<h2 id="sec-1">一、工作回顾</h2><p>三改一拆</p>'
            '<div data-search-exclude><p>名词页：不该被搜到</p></div>'
            '<h2 id="sec-2">二、任务</h2><p>乡村振兴</p>')
    docs = page_documents(html, "reports/x.html", "某市2024年政府工作报告")
    assert [(d.location, d.title, d.text) for d in docs] == [
        ("reports/x.html", "报告", "前言五水共治"),
        ("reports/x.html#sec-1", "一、工作回顾", "三改一拆"),
        ("reports/x.html#sec-2", "二、任务", "乡村振兴"),
    ]
    assert docs[1].page_title == "某市2024年政府工作报告" and docs[0].page_title == ""


def _by_htmlparser(markup: str, url: str = "p.html", title: str = "页") -> list[SearchDoc]:
    """page_documents as it was before the tokenizer: Material's Parser fed by HTMLParser itself."""
    with mock.patch("build_corpus.renderer.search_index._feed_sections", return_value=False):
        return page_documents(markup, url, title)


ODD_MARKUP = [
    '<h1 id="t">页</h1><p>甲 &amp; 乙 &lt;丙&gt; 5 < 6 &#x4e01;</p><h2 id="s" class="x">节<a class="headerlink" href="#s">¶</a></h2>',
    '<p data-search-exclude>不要</p><p>要</p><div data-search-exclude><div>里</div>外</div><p>后</p>',
    '<p>一<br>二<br />三<img alt="图" src="a.png"/></p><ul><li>项</li><li>  </li></ul><pre><code>a\n  b</code></pre>',
    '<div><h2 id="in">嵌套</h2><p>里</p></div><p>外</p><h3 id="x" data-search-exclude>藏</h3><p>藏文</p>',
    "<P CLASS='a' Title=\"甲&quot;乙\" hidden>大写</P><script>if (a < b) {'<p>'}</script><style>p>a{}</style>尾",
    '<p>注释<!-- <h2 id="no">不是</h2> -->后</p><p title="a>b">属性里的 &gt;</p><span a=b c>裸值</span>',
    '<!DOCTYPE html><p>声明</p>', '<p>坏标签 <a href="x"</p>', '</ p>怪<?xml x?>', '',
    # excluded sections: skipped whole where that changes nothing, fed tag by tag where it could
    '<h1 id="t">页</h1><p>甲</p><h2 data-search-exclude id="u">用</h2><ul><li>乙<br>丙</li></ul><h2 id="v">后</h2><p>丁</p>',
    '<h2 data-search-exclude id="first">首节即排除</h2><p>甲</p><h3 id="b">乙</h3><p>丙</p>',
    '<h2 id="a">甲</h2><h2 data-search-exclude id="u">用</h2><div><h3 id="in">嵌套的标题</h3><p>里</p></div><p>外</p>',
    '<h2 data-search-exclude id="u">用</h2><p>未闭合<p>段落</div><h2 id="v">后</h2><p>丁</p>',
    '<div><h2 data-search-exclude id="u">在 div 里</h2><p>甲</p></div><p>乙</p><h2 id="v">丙</h2>',
    '<h2 data-search-exclude id="u">用</h2><script>var a = "<h2 id=\'x\'>";</script><h2 id="v">后</h2>',
    '<h2 id="a">甲</h2><h3 data-search-exclude id="u">到页尾</h3><p>乙</p><h4>无 id 的标题</h4><p>丙</p>',
    '<h2 data-search-exclude id="u">用</h2><p data-search-exclude>再排除</p><p>甲 <img src="x"></p><svg><path d="M0"/></svg><h2 id="v">后</h2>',
]


@pytest.mark.parametrize("markup", ODD_MARKUP)
def test_the_tokenizer_feeds_material_s_parser_as_htmlparser_does(markup):
    assert page_documents(markup, "p.html", "页") == _by_htmlparser(markup)


def test_excluded_sections_are_skipped_whole_only_where_that_changes_nothing():
    from material.plugins.search.plugin import void

    from build_corpus.renderer.search_index import _excluded_section_end
    page = '<h2 data-search-exclude id="u">用</h2><ul><li>乙</li></ul><h2 id="v">后</h2>'
    assert _excluded_section_end(page, page.index(">") + 1, "h2", void) == page.index('<h2 id="v">')
    nested = '<h2 data-search-exclude id="u">用</h2><div><h3 id="in">里</h3></div><h2 id="v">后</h2>'
    assert _excluded_section_end(nested, nested.index(">") + 1, "h2", void) is None
    unclosed = '<h2 data-search-exclude id="u">用</h2><p>未闭合<h2 id="v">后</h2>'
    assert _excluded_section_end(unclosed, unclosed.index(">") + 1, "h2", void) is None


def test_the_tokenizer_leaves_markup_it_does_not_read_to_htmlparser():
    from material.plugins.search.plugin import Parser, void
    assert _feed_sections(Parser(), ODD_MARKUP[0], void)
    for odd in ('<!DOCTYPE html><p>x</p>', '<p>坏 <a href="x"</p>', '</ p>x', '<?xml x?>', '<script>x'):
        assert not _feed_sections(Parser(), odd, void), odd


def test_index_folder_is_versioned_by_content(tmp_path):
    one = build_site(tmp_path / "a", [SearchDoc("a.html", "甲", "五水共治")])["summary"]
    same = build_site(tmp_path / "b", [SearchDoc("a.html", "甲", "五水共治")])["summary"]
    other = build_site(tmp_path / "c", [SearchDoc("a.html", "甲", "三改一拆")])["summary"]
    assert one.version == same.version != other.version
    assert (tmp_path / "a" / one.folder).is_dir() and not (tmp_path / "a" / "search" / ".building").exists()


def test_background_indexer_gives_the_same_index_as_inline(tmp_path):
    html = '<h1 id="t">页</h1><p>五水共治</p><h2 id="s">节</h2><p>三改一拆</p>'
    indexer = BackgroundIndexer(tmp_path / "bg" / "search")
    indexer.add("p.html", "页", html, 1.0)
    background = indexer.finish()
    writer = ShardedIndexWriter(tmp_path / "inline" / "search")
    for doc in page_documents(html, "p.html", "页"):
        writer.add(doc)
    assert writer.finish().version == background.version


def test_background_indexer_reports_a_failure_instead_of_hanging(tmp_path):
    indexer = BackgroundIndexer(tmp_path / "search")
    indexer.add("p.html", "页", None, 1.0)   # not HTML: the parser fails in the other process
    with pytest.raises(SearchIndexError, match="search indexing failed"):
        indexer.finish()


DIES_THEN_EXITS = """
import os, signal, sys
from pathlib import Path
from build_corpus.renderer.search_index import BackgroundIndexer, SearchIndexError
if __name__ == "__main__":
    indexer = BackgroundIndexer(Path(sys.argv[1]))
    os.kill(indexer.process.pid, signal.SIGKILL)
    indexer.process.join()
    try:
        for i in range(1000):   # ~1 MB each: far more than the pipe holds
            indexer.add(f"p{i}.html", "页", "<p>" + "五水共治" * 250_000 + "</p>", 1.0)
        indexer.finish()
    except SearchIndexError as error:
        print(error)
"""


def test_a_build_whose_indexer_died_exits_instead_of_hanging(tmp_path):
    """A dead indexer is an error, and the build then exits (pages once queued for it kept the
    queue's writing thread, and so the interpreter, waiting forever)."""
    script = tmp_path / "dies.py"
    script.write_text(DIES_THEN_EXITS, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(tmp_path / "search")], capture_output=True, text=True,
                         timeout=120)
    assert "the search indexing process died" in run.stdout, run.stderr


def test_pages_after_a_failure_raise_instead_of_filling_the_pipe_forever(tmp_path):
    """MkDocs keeps sending pages; once the indexer has failed, sending raises."""
    indexer = BackgroundIndexer(tmp_path / "search")
    indexer.add("p.html", "页", None, 1.0)
    outcome: list[BaseException] = []

    def send_many():
        try:
            for i in range(10_000):   # up to 300 MB: far more than the pipe holds
                indexer.add(f"p{i}.html", "页", "<p>" + "五水共治" * 10_000 + "</p>", 1.0)
        except BaseException as error:
            outcome.append(error)

    sender = threading.Thread(target=send_many, daemon=True)
    sender.start()
    sender.join(timeout=60)
    indexer.stop()
    assert not sender.is_alive(), "adding pages hung after the indexer failed"
    assert outcome and isinstance(outcome[0], SearchIndexError), outcome
    assert "search indexing failed" in str(outcome[0])


# --- queries, through the worker ----------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    docs = [
        SearchDoc("terms/wu-shui-gong-zhi.html", "五水共治", "治污水、防洪水、排涝水、保供水、抓节水。", boost=2.0),
        SearchDoc("reports/a.html", "甲市2024年政府工作报告", "各位代表："),
        SearchDoc("reports/a.html#sec-1", "一、过去一年", "深入推进“五水共治”，完成“411”工程。GDP增长6%。",
                  page_title="甲市2024年政府工作报告"),
        # 五水 and 共治 both present, but never 五水共治: bigrams alone would match it.
        SearchDoc("reports/b.html", "乙县2023年政府工作报告", "五水之城，共治共享，三改成效，一拆到底。"),
        SearchDoc("reports/c.html", "丙镇报告", "<script>alert(1)</script> 乡村振兴是重点。"),
    ]
    build_site(site, docs)
    return site


def test_a_term_finds_its_own_page_first_and_the_report_using_it(site):
    (result,) = search(site, "五水共治")
    assert pages(result)[:2] == ["terms/wu-shui-gong-zhi.html", "reports/a.html"]
    assert "reports/b.html" not in pages(result), "scattered bigrams are not the phrase"
    report = result["items"][1]
    assert report[0]["location"] == "reports/a.html#sec-1"
    assert "<mark>五水共治</mark>" in report[0]["text"]
    # Material shows the page as the group's heading: the page document comes along.
    assert any(doc["location"] == "reports/a.html" for doc in report)


def test_quotes_full_width_and_mixed_han_digits_are_found(site):
    mixed, fullwidth, quoted = search(site, "411工程", "ＧＤＰ", "“五水共治”")
    assert pages(mixed) == ["reports/a.html"]
    assert pages(fullwidth) == ["reports/a.html"]
    assert pages(quoted)[:2] == ["terms/wu-shui-gong-zhi.html", "reports/a.html"]


def test_several_words_and_a_missing_word(site):
    both, missing = search(site, "五水共治 411", "五水共治 不存在")
    assert pages(both)[0] == "reports/a.html", "the document holding both words comes first"
    first = missing["items"][0][0]
    assert first["terms"] == {"五水共治": True, "不存在": False}


def test_nothing_found_is_an_empty_list(site):
    (result,) = search(site, "量子引力")
    assert result["items"] == []


def test_snippets_are_escaped_html(site):
    (result,) = search(site, "乡村振兴")
    text = result["items"][0][0]["text"]
    assert "<script>" not in text and "&#60;script&#62;" in text and "<mark>乡村振兴</mark>" in text


def test_a_query_downloads_only_its_shards_and_candidate_chunks(site):
    (result,) = search(site, "五水共治")
    names = [Path(f["file"]).name for f in result["files"]]
    summary_dir = next((site / "search").glob("idx-*"))
    shards = {f"b{shard_of(k, len(list(summary_dir.glob('b*.js'))))}.js" for k in ("五水", "水共", "共治")}
    assert set(n for n in names if n.startswith("b")) == shards
    assert all(n.startswith(("b", "d")) for n in names) and len(names) == len(set(names))


def test_download_stays_bounded_on_a_large_corpus(tmp_path):
    """3,000 sections, all holding the query: the worker loads a bounded number of chunks."""
    filler = "推进高质量发展，建设共同富裕示范区，" * 30
    docs = [SearchDoc(f"reports/r{i // 10}.html#sec-{i % 10}", f"第{i}节", f"{filler}五水共治第{i}次。",
                      page_title=f"报告{i // 10}") for i in range(3000)]
    build_site(tmp_path, docs)
    (result,) = search(tmp_path, "五水共治")
    chunks = [f for f in result["files"] if Path(f["file"]).name.startswith("d")]
    assert 0 < len(chunks) <= 10
    assert result["bytes"] < 1_000_000, result["bytes"]
    assert result["items"], "found nothing"
    assert len({doc for doc in locations(result)}) == len(locations(result))


def test_document_ids_stay_within_a_chunk(tmp_path):
    docs = [SearchDoc(f"p{i}.html", f"标题{i}", "短") for i in range(CHUNK_DOCS + 5)]
    summary = build_site(tmp_path, docs)["summary"]
    assert summary.chunks == 2 and summary.docs == CHUNK_DOCS + 5
    (result,) = search(tmp_path, f"标题{CHUNK_DOCS + 3}")
    assert pages(result)[0] == f"p{CHUNK_DOCS + 3}.html"


def test_titles_are_escaped_once(tmp_path):
    build_site(tmp_path, [SearchDoc("r.html#s", "A&B 五水共治", "正文", page_title="")])
    (result,) = search(tmp_path, "五水共治")
    titles = [doc["title"] for doc in result["items"][0]]
    assert titles == ["A&#38;B 五水共治", "A&#38;B 五水共治"], titles


# --- every match: the full results page's core (search.html), and the partial list ------------

def search_all(site: Path, *queries: str) -> list[dict]:
    """What search.html finds (tools/search_query.mjs --all): every candidate checked."""
    done = subprocess.run([shutil.which("node"), str(QUERY_TOOL), "--all", str(site), *queries],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_full_page_finds_every_section_and_counts_uses(tmp_path):
    """3,000 sections hold the phrase: Material's list stops at its budget and says so first; the
    full page finds all of them (each use counted), and none of the near misses."""
    filler = "推进高质量发展，建设共同富裕示范区，" * 30
    docs = [SearchDoc(f"reports/r{i // 10}.html#sec-{i % 10}", f"第{i}节", f"{filler}五水共治第{i}次，“五水”共治。",
                      page_title=f"报告{i // 10}") for i in range(3000)]
    docs.append(SearchDoc("reports/x.html#sec-1", "近似", "五水之城，共治共享。", page_title="近似"))
    build_site(tmp_path, docs)
    (partial,) = search(tmp_path, "五水共治")
    heads = [doc["title"] for doc in partial["items"][0] if "#" not in doc["location"]]
    assert re.search(r'<span class="search-partial" data-unchecked="\d+" hidden></span>$', heads[0]), heads
    assert partial["bytes"] < 1_000_000 and all("search.html" not in loc for loc in locations(partial))
    (full,) = search_all(tmp_path, "五水共治")
    assert len(full["sections"]) == 3000 and not any("x.html" in s["location"] for s in full["sections"])
    assert all(s["occurrences"] == 2 for s in full["sections"]), "“五水”共治 is the phrase too"


def test_a_character_in_most_sections_is_indexed_in_titles_and_checked_in_text(tmp_path, monkeypatch):
    """search_index.is_common: 的 is in every section, so the index keeps the sections titled with it.
    Alone, the search box lists those and says so, and the full page checks every section; beside
    another word it is checked in that word's candidates' text. The full page finds exactly the
    sections holding every word either way."""
    monkeypatch.setattr(search_index, "COMMON_MIN", 10)
    docs = [SearchDoc(f"reports/r{i}.html#sec-1", "发展的目标" if i % 7 == 0 else f"第{i}节",
                      "我们的任务有三条。" + ("五水共治，成效显著。" if i % 13 == 0 else "三改一拆。"), page_title=f"报告{i}")
            for i in range(60)]
    docs.append(SearchDoc("reports/x.html#sec-1", "无此字", "五水共治，成效显著。稳增长“18”条。", page_title="报告x"))
    summary = build_site(tmp_path, docs)["summary"]
    assert "的" in summary.common and "五" not in summary.common   # 五: 6 of 61 sections, under COMMON_SHARE
    alone, both = search(tmp_path, "的", "的 五水共治")
    heads = [doc["title"] for group in alone["items"] for doc in group if "#" not in doc["location"]]
    assert re.search(r'data-titles-only hidden></span>$', heads[0]), heads
    assert {loc for loc in locations(alone) if "#" in loc} == {f"reports/r{i}.html#sec-1" for i in range(0, 60, 7)}
    assert "reports/x.html#sec-1" not in [group[0]["location"] for group in both["items"] if group[0]["terms"]["的"]]
    # A common character as one piece of a longer word (条 of 稳增长“18”条): the word's other keys narrow it.
    (glued,) = search(tmp_path, "稳增长“18”条")
    assert "条" in summary.common and [group[0]["location"] for group in glued["items"]] == ["reports/x.html#sec-1"]
    full_both, full_alone = search_all(tmp_path, "的 五水共治", "的")
    assert {s["location"] for s in full_both["sections"]} == {f"reports/r{i}.html#sec-1" for i in range(0, 60, 13)}
    assert full_both["everySection"] is False and full_alone["everySection"] is True and full_alone["exact"] is False
    assert full_alone["candidates"] == 61 and {s["location"] for s in full_alone["sections"]} == {
        f"reports/r{i}.html#sec-1" for i in range(60)}


def test_a_small_result_is_complete_with_no_link_to_more(site):
    (result,) = search(site, "五水共治")
    assert not any("search-partial" in doc["title"] for group in result["items"] for doc in group)


def test_exact_phrases_and_every_word(site):
    quoted, loose, both, missing = search_all(site, "\"五水共治\"", "五水共治", "五水共治 411", "五水共治 不存在")
    assert {s["location"] for s in quoted["sections"]} >= {"reports/a.html#sec-1"}
    assert [s["location"] for s in both["sections"]] == ["reports/a.html#sec-1"], "every word, in one section"
    assert missing["sections"] == [] and missing["candidates"] == 0
    assert quoted["exact"] is False and search_all(site, "GDP")[0]["exact"] is True


def test_quotes_do_not_cut_a_phrase_in_the_index(tmp_path):
    build_site(tmp_path, [SearchDoc("r.html#s", "节", "推进“三医”联动改革。"), SearchDoc("q.html#s", "节", "三医联动")])
    (found,) = search_all(tmp_path, "三医联动")
    assert {s["location"] for s in found["sections"]} == {"r.html#s", "q.html#s"}
    exact, = search_all(tmp_path, "“三医联动”")
    assert {s["location"] for s in exact["sections"]} == {"q.html#s"}, "in quotes: as written"


def test_the_index_names_every_document_s_page(tmp_path):
    build_site(tmp_path, [SearchDoc("a.html", "甲", "一"), SearchDoc("a.html#s", "乙", "二"), SearchDoc("b.html#t", "丙", "三")])
    text = next((tmp_path / "search").glob("idx-*/pages.js")).read_text(encoding="utf-8")
    data = json.loads(text[text.index(",") + 1:text.rindex(")")])
    assert data == {"pages": ["a.html", "b.html"], "of": [[0, 0, 1]]}


def test_pages_follow_document_ids_across_chunks(tmp_path):
    """Ids are chunk * CHUNK_DOCS + position and chunks end at CHUNK_BYTES, so ids have gaps."""
    docs = [SearchDoc(f"p{i // 3}.html#s{i}", f"标题{i}", "长" * 4000) for i in range(30)]
    build_site(tmp_path, docs)
    text = next((tmp_path / "search").glob("idx-*/pages.js")).read_text(encoding="utf-8")
    data = json.loads(text[text.index(",") + 1:text.rindex(")")])
    assert len(data["of"]) > 1 and sum(map(len, data["of"])) == 30
    flat = [data["pages"][n] for chunk in data["of"] for n in chunk]
    assert flat == [f"p{i // 3}.html" for i in range(30)]
