"""Readers, round two (#25), without a browser: a page per place, words in context, the way back from
名词解释 entries, the report's info box, the official original, 关于 / 更新记录 / the feed, the
annotations page, contributors' notes without stray spaces, and the preview's messages.
tests/test_browser.py opens the same pages in Chromium."""
from __future__ import annotations

import html
import logging
import re
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from build_corpus.chinese import CONTEXT_CHARS, sentence_around
from build_corpus.contributions.history import ADDED, CHANGED, SourceEvent, parse_log, source_provenance
from build_corpus.contributions.sidecar import read_sidecar
from build_corpus.corpus.places import COUNTRY, place_info
from build_corpus.document.metadata import gazetteer
from build_corpus.pages import about as about_page
from build_corpus.pages.about import atom_feed, render_about, render_changes
from build_corpus.pages.report import PageContext, render_report
from build_corpus.pipeline import History, build_site
from build_corpus.publishing import address
from build_corpus.renderer.preview import _DirtyBuildNotice, show_problems
from build_corpus.safe_text import prose_html
from build_corpus.urls import web_address

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(corpus):
    from build_corpus.contributions.annotations import load_annotations
    from build_corpus.contributions.curation import load_curated
    curated, _ = load_curated(ROOT / "glossary", ROOT)
    annotations, _ = load_annotations(ROOT / "annotations", ROOT)
    history = History([SourceEvent("sources/2026_hainan_report_web.txt", "2026-11-28", CHANGED, "x"),
                       SourceEvent("sources/2026_hainan_report_web.txt", "2026-11-20", ADDED, "y")], "",
                      source_provenance(ROOT / "sources"))
    return build_site(corpus, curated, address=address("octo/gov-reports"), annotations=annotations, history=history)


# --- places -------------------------------------------------------------------------------

def test_every_province_sits_under_the_country_never_unknown():
    provinces = [name for name, p in gazetteer().items() if p.level in ("省", "自治区", "直辖市")]
    assert len(provinces) >= 31
    for name in provinces:
        info = place_info(name)
        assert info.parents == (COUNTRY,) and info.tier == "省级" and info.province == name, info
    town = place_info("濮院镇")
    assert town.parents == (COUNTRY, "浙江省", "嘉兴市", "桐乡市") and town.tier == "乡镇级"
    assert place_info("桐乡市").tier == "县级", "a county-level city is county level"
    assert place_info(COUNTRY).parents == () and place_info(COUNTRY).tier == "国家"


def test_a_place_of_its_time_has_the_parents_of_its_year():
    """徐水县 became a district of 保定市 in 2015: a 2010 report's page places it as the county it was."""
    assert place_info("徐水县", year=2010).parents == (COUNTRY, "河北省", "保定市")
    assert place_info("徐水县", year=2010).tier == "县级"
    assert place_info("襄樊市", year=2005).parents == (COUNTRY, "湖北省")


def test_report_info_box_gives_the_parent_and_the_level_once(site):
    for path, page in site.pages.items():
        if not path.startswith("reports/"):
            continue
        box = page.split('!!! info "报告信息"', 1)[1].split("\n\n", 2)[1]
        assert "未知" not in box and "（原文未载明）" not in box, (path, box)
        assert not re.search(r"层级\*\*：(省)（省级）", box), box
        if "sheng-2026" in path:
            # the country's page (the State Council's reports give it one), else the places tree
            assert re.search(r"\*\*上级\*\*：\[中华人民共和国\]\(\.\./places(\.md|/zhonghuarenmingongheguo\.md)\)", box), box
            assert "（据行政区划）" in box
            assert "**层级**：省级" in box
    assert "**层级**：县级市" in site.pages["reports/tongxiangshi-2023.md"]


def test_a_page_per_place_with_breadcrumbs_reports_targets_and_terms(site):
    page = site.pages["places/tongxiangshi.md"]
    crumbs = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', page).group(1)
    assert re.sub(r"<[^>]+>", "", crumbs) == "全国 › 浙江省 › 嘉兴市 › 桐乡市"
    assert 'href="zhonghuarenmingongheguo.html">全国' in crumbs and 'href="zhejiangsheng.html"' in crumbs
    assert 'href="jiaxingshi.html"' in crumbs
    assert page.index("**2023**") < page.index("**2018**"), "newest report first"
    assert "[濮院镇](puyuanzhen.md)（2 份）" in page, "the places below it with reports"
    assert "## 主要预期目标" in page and "](../reports/tongxiangshi-2023.md#" in page
    assert "## 解释过的名词" in page and "## 正文中使用的名词" in page
    province = site.pages["places/zhejiangsheng.md"]   # only its cities' and towns' reports: still a page
    assert "## 下辖地区的报告" in province and "[桐乡市](tongxiangshi.md)" in province
    for doc in site.reports:   # every report's place has a page, named as its report ids name it
        assert f"places/{doc.id.rsplit('-', 1)[0]}.md" in site.pages


def test_places_index_is_a_tree_of_links(site):
    tree = site.pages["places.md"]
    lines = {name: re.search(rf"^( *)- <a id=\"[^\"]+\"></a>\[{name}\]\(places/", tree, re.M) for name in
             ("中华人民共和国", "浙江省", "嘉兴市", "桐乡市", "濮院镇", "海南省")}
    assert [len(m.group(1)) for m in lines.values()] == [0, 4, 8, 12, 16, 4]


# --- words in context ---------------------------------------------------------------------

def test_sentence_around_is_bounded_and_cut_at_code_points():
    text = "前文。" + "𠀀" * 300 + "五水共治" + "乙" * 300 + "。后文"
    start = text.index("五水共治")
    excerpt, a, b = sentence_around(text, start, start + 4)
    assert excerpt[a:b] == "五水共治" and len(excerpt) <= CONTEXT_CHARS + 2
    assert excerpt.startswith("…") and excerpt.endswith("…") and "\ufffd" not in excerpt


def test_term_pages_quote_each_use_in_its_sentence(site):
    page = site.pages["terms/wu-shui-gong-zhi.md"]
    assert '<p class="term-definition">' in page and "\n> " not in page.split("## 各报告的释义")[1].split("## ")[0]
    uses = page.split("## 在报告正文中的使用")[1]
    sentences = re.findall(r'<span class="use-sentence">(.*?)</span> <small><a href="([^"]+)"', uses)
    assert len(sentences) >= 5
    for sentence, link in sentences:
        text = html.unescape(re.sub(r"<[^>]+>", "", sentence))
        assert "<mark>五水共治</mark>" in sentence and len(text) <= CONTEXT_CHARS + 2, text
        assert re.fullmatch(r"\.\./reports/[a-z0-9-]+\.html#(?:preamble|sec|appendix)-[0-9-]+-p\d+|\.\./reports/[a-z0-9-]+\.html#preamble-p\d+", link), link
    places = re.findall(r'<li class="use-place"><strong>([^<]+)</strong>', uses)
    assert len(places) == len(set(places)), "grouped by place"
    for term, p in site.terms.items():   # every sentence on every term page is bounded
        for sentence in re.findall(r'<span class="use-sentence">(.*?)</span>', site.pages[f"terms/{p.slug}.md"]):
            assert len(html.unescape(re.sub(r"<[^>]+>", "", sentence))) <= CONTEXT_CHARS + 2, term


def test_a_term_most_reports_use_quotes_the_newest_and_counts_the_rest(site, monkeypatch):
    """Past REPORTS_QUOTED reports a term page quotes the newest and counts the others, with a link to
    the full results page (which finds every one): a page of every report grew to 17.9 MB at 10,000."""
    from build_corpus.pages import term as term_page
    popular = max(site.terms.values(), key=lambda t: len({u.report.id for u in t.uses}))
    reports = {u.report.id: u.report.meta.year or 0 for u in popular.uses}
    assert len(reports) >= 4
    whole = term_page.uses_in_context(popular.uses, popular, lambda u: "")
    assert "use-more\">以上是最近的" not in whole
    monkeypatch.setattr(term_page, "REPORTS_QUOTED", 3)
    cut = term_page.uses_in_context(popular.uses, popular, lambda u: "")
    listed = set(re.findall(r'href="\.\./reports/([a-z0-9-]+)\.html"', cut))
    newest = sorted(reports, key=lambda r: (-reports[r], r))[:3]
    assert listed == set(newest), (listed, newest)
    note = re.search(r'<p class="use-more">以上是最近的 3 份报告。另有 (?:[0-9–]+ 年的)?(\d+) 份报告使用这个名词（(\d+) 次）', cut)
    assert note and int(note.group(1)) == len(reports) - 3, cut[-400:]
    assert int(note.group(2)) == sum(u.count for u in popular.uses if u.report.id not in newest)
    link = re.search(r'<a href="\.\./search\.html\?query=([^"]+)">在全文检索中查看全部</a>', cut)
    assert link and urllib.parse.unquote(html.unescape(link.group(1))) == f'"{popular.key}"'


def test_a_wording_many_reports_give_lists_the_newest_by_written_form(site, monkeypatch):
    """出自 names how the reports write the term once per group, not after every report; past REPORTS_QUOTED
    it lists the newest and counts the rest, with a phrase search for the wording's opening words."""
    from build_corpus.chinese import first_clause
    from build_corpus.pages import term as term_page
    term, wording = max(((t, w) for t in site.terms.values() for w in t.wordings), key=lambda tw: len(tw[1].definitions))
    ds = wording.definitions
    assert len(ds) >= 2, "no wording two reports share"
    whole = term_page.defined_in(wording, term)
    assert len(re.findall(r'href="\.\./reports/', whole)) == len(ds) and "另有" not in whole
    assert whole.count("原文写作") == len({d.written for d in ds if d.written != term.key})
    monkeypatch.setattr(term_page, "REPORTS_QUOTED", 1)
    cut = term_page.defined_in(wording, term)
    newest = min(ds, key=lambda d: (-(d.report.meta.year or 0), d.report.id))
    assert re.findall(r'href="\.\./reports/([a-z0-9-]+)\.html#', cut) == [newest.report.id]
    assert "另有 " in cut and f"{len(ds) - 1} 份报告措辞相同" in cut, cut
    link = re.search(r'<a href="\.\./search\.html\?query=([^"]+)">在全文检索中查看</a>', cut)
    phrase = urllib.parse.unquote(html.unescape(link.group(1))).strip('"')
    assert phrase == first_clause(wording.text, term_page.OPENING_CHARS) and phrase in wording.text
    holding = [d for d in ds if phrase in d.entry.definition]
    assert len(holding) == len(ds), "the phrase searched for is in every report giving the wording"


def test_first_and_last_appearance_are_said_once_when_the_same(site):
    from build_corpus.pages.term_trends import using_by_year
    once = [t for t in site.terms.values() if len(using_by_year(t)) == 1]
    assert once
    for term in once:
        page = site.pages[f"terms/{term.slug}.md"]
        assert f"只见于 **{next(iter(using_by_year(term)))} 年**的报告" in page and "首次出现" not in page


def test_glossary_entries_lead_back_to_their_uses(site, reports):
    doc = reports["hainansheng-2026"]
    page = site.pages["reports/hainansheng-2026.md"]
    texts = {p.anchor: p.text for p in doc.all_paragraphs()}
    backs = 0
    for entry in doc.glossary:
        line = next(line for line in page.splitlines() if line.startswith(f'<p id="{entry.anchor}">'))
        for anchor in re.findall(r'href="#((?:preamble|sec|appendix)-[^"]+)"', line):
            backs += 1
            assert any(key in texts[anchor].replace("“", "").replace("”", "") for key in entry.terms), (entry.term, anchor)
    assert backs >= len(doc.glossary) // 2
    assert "→ 名词页" not in page


# --- the official original, notes, licences ------------------------------------------------

def test_the_official_original_is_linked_only_when_it_is_a_web_address(tmp_path, reports):
    source = tmp_path / "r.txt"
    source.write_text("x", encoding="utf-8")
    for url, accepted in (("https://www.gov.cn/zhengce/2026-03/01/content_1.htm", True),
                          ("javascript:alert(1)", False), ("//evil.example/x", False), ("http://a b", False)):
        source.with_name("r.txt.meta.yml").write_text(f"url: '{url}'\n", encoding="utf-8")
        pinned, problems = read_sidecar(source)
        assert bool(pinned) == accepted and (not problems) == accepted, (url, problems)
        assert (web_address(url) is not None) == accepted
    doc = reports["puyuanzhen-2018"]
    doc.meta.url = "https://www.gov.cn/zhengce/2026-03/01/content_1.htm"
    try:
        page = render_report(doc, PageContext())
    finally:
        doc.meta.url = None
    assert '**官方原文**：<a href="https://www.gov.cn/zhengce/2026-03/01/content_1.htm"' in page


def test_contributors_notes_have_no_space_where_yaml_wrapped_a_line(site):
    note = (ROOT / "glossary" / "wu-shui-gong-zhi.yml").read_text(encoding="utf-8")
    assert "突破口。\n" in note, "the fixture still wraps there"
    assert "突破口。此后" in site.pages["terms/wu-shui-gong-zhi.md"]
    assert prose_html("并提，\n指国家") == "<p>并提，指国家</p>"
    assert prose_html("one\ntwo") == "<p>one\ntwo</p>", "Latin words keep their space"


def test_annotations_are_marked_in_the_text_and_listed(site):
    page = site.pages["reports/puyuanzhen-2018.md"]
    assert '<p class="has-note" id="sec-1-p1">' in page and 'id="note-sec-1-p1-1"' in page
    listing = site.pages["annotations.md"]
    notes = sum(len([a for a in doc.annotations if a.paragraph_anchor]) for doc in site.reports)
    assert f"共 {notes} 条" in listing and 'href="reports/puyuanzhen-2018.html#sec-1-p1"' in listing
    assert "中国时尚第一镇" in listing


def test_about_page_says_what_where_how_to_cite_and_the_licences(site):
    about = site.pages["about.md"]
    for part in ("## 这是什么", "## 每份报告从哪里来、怎样清理", "## 怎样引用", "## 许可", "第五条", "CC BY 4.0", "MIT"):
        assert part in about, part
    assert "johncodes404/china-provincial-gov-reports-2026" in about, "each source's provenance from sources/README.md"
    assert "版本 2026-11-28" in about and "url = {https://octo.github.io/gov-reports/}" in about
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "CC BY 4.0" in (ROOT / "LICENSE-DATA.md").read_text(encoding="utf-8")


def test_a_large_corpus_s_about_page_counts_origins_instead_of_listing_every_report(site, monkeypatch):
    """Past SOURCES_LISTED reports every report's row made the page 2.5 MB at 10,000: the origins are
    counted, the most first, and the page says where each report's source is."""
    listed = render_about(site)
    assert listed.count("| [") >= len(site.reports)
    monkeypatch.setattr(about_page, "SOURCES_LISTED", 10)
    monkeypatch.setattr(about_page, "ORIGINS_LISTED", 3)
    counted = render_about(site)
    rows = re.findall(r"^\| (.+) \| (\d+) \|$", counted, re.M)
    assert len(rows) == 4 and rows[-1][0].startswith("其他 ") and "| 报告 | 源文件 |" not in counted
    assert sum(int(n) for _, n in rows) == len(site.reports) and int(rows[0][1]) >= int(rows[1][1]) >= int(rows[2][1])
    assert f"{len(site.reports)} 份报告来自" in counted and "corpus.jsonl" in counted


def test_changes_page_and_atom_feed(site):
    changes = site.pages["changes.md"]
    assert changes.index("## 2026-11-28") < changes.index("## 2026-11-20")
    assert "- 修改 1 份：[海南省2026年政府工作报告](reports/hainansheng-2026.md)" in changes
    feed = ET.fromstring(site.files["feed.xml"])
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}updated").text == "2026-11-28T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["修改：海南省2026年政府工作报告", "加入：海南省2026年政府工作报告"]
    assert entries[0].find(f"{ATOM}link").get("href") == "https://octo.github.io/gov-reports/reports/hainansheng-2026.html"
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 2


def test_the_feed_stays_well_formed_whatever_a_title_holds(site, reports):
    doc = reports["hainansheng-2026"]
    place = doc.meta.place
    doc.meta.place = "海南\x00<&]]>\x1b省"
    try:
        ET.fromstring(atom_feed(site))
    finally:
        doc.meta.place = place


def test_without_history_the_changes_page_says_why(corpus):
    bare = build_site(corpus, history=History([], "构建时没有版本历史（不在 git 仓库中）"))
    assert "不在 git 仓库中" in render_changes(bare)
    ET.fromstring(bare.files["feed.xml"])


def test_git_log_is_read_as_events():
    log = ("\x1e2026-01-03\x1fFix\n\nM\tsources/a.txt\nA\tsources/a.txt.meta.yml\nM\tsources/README.md\n"
           "\x1e2026-01-01\x1fAdd\n\nA\tsources/a.txt\nD\tsources/b.txt\n")
    assert parse_log(log) == [SourceEvent("sources/a.txt", "2026-01-03", CHANGED, "Fix"),
                              SourceEvent("sources/a.txt", "2026-01-03", CHANGED, "Fix"),
                              SourceEvent("sources/a.txt", "2026-01-01", ADDED, "Add")]


# --- the preview ------------------------------------------------------------------------------

def test_the_preview_shows_input_problems_on_the_pages_concerned():
    from build_corpus.model import Problem
    pages = {"index.md": "---\ntitle: x\n---\n# 首页\n", "terms/wu-shui-gong-zhi.md": "# 五水共治\n", "terms/other.md": "# 其他\n"}
    show_problems(pages, [Problem("glossary/wu-shui-gong-zhi.yml", "note: <b>坏</b> 不是字符串", line=3)])
    assert pages["index.md"].startswith("---\ntitle: x\n---\n!!! failure")
    assert pages["terms/wu-shui-gong-zhi.md"].startswith("!!! failure") and "&lt;b&gt;坏" in pages["terms/wu-shui-gong-zhi.md"]
    assert pages["terms/other.md"] == "# 其他\n"


def test_the_preview_drops_only_the_dirty_build_warning():
    keep = _DirtyBuildNotice()
    record = logging.LogRecord("mkdocs", logging.WARNING, "", 0, "A 'dirty' build is being performed, this will …", (), None)
    assert not keep.filter(record)
    assert keep.filter(logging.LogRecord("mkdocs", logging.WARNING, "", 0, "Doc file 'x.md' contains a link", (), None))
