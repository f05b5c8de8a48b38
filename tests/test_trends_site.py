"""The pages built from targets and term occurrences, on the bundled sources (sources/).

Indicator pages and downloads, the term timelines and the trends page, and the compare pages:
what must be on them, that every link points at a paragraph that exists, and that report text
reaching them is escaped.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import defaultdict

import pytest

from build_corpus.document.targets import TARGET, Target
from build_corpus.pages.charts import Bar, bar_chart
from build_corpus.pages.indicators import FIELDS, records_table
from build_corpus.pages.term_trends import using_by_year
from build_corpus.pipeline import build_site


@pytest.fixture(scope="module")
def site(corpus):
    return build_site(corpus)


def _anchors(doc) -> set[str]:
    found = {p.anchor for p in doc.preamble} | {s.anchor for s in doc.all_sections()}
    found |= {p.anchor for s in doc.all_sections() for p in s.paragraphs} | {e.anchor for e in doc.glossary}
    return found


def _links(page: str) -> list[tuple[str, str]]:
    """(report id, anchor) of every link into a report page: Markdown links, which MkDocs checks, and
    links in HTML blocks (long generated lists and tables), which it does not."""
    return (re.findall(r"\]\(\.\./reports/([\w-]+)\.md#([\w-]+)\)", page)
            + re.findall(r'<a href="\.\./reports/([\w-]+)\.html#([\w-]+)">', page))


def test_links_in_html_blocks_land_on_anchors_that_exist(site):
    """Term pages' lists of uses and comparisons' terms and outlines are HTML, which MkDocs neither
    rewrites nor checks: every link into a report page must name an anchor the report has."""
    anchors = {d.id: _anchors(d) for d in site.corpus.reports}
    checked = 0
    for path, page in site.pages.items():
        if path.startswith(("terms/", "compare/")):
            for report_id, anchor in _links(page):
                assert anchor in anchors[report_id], (path, report_id, anchor)
                checked += 1
            for slug in re.findall(r'<a href="\.\./terms/([\w-]+)\.html"', page):
                assert f"terms/{slug}.md" in site.pages, (path, slug)
    assert checked > 500


def test_report_pages_links_in_html_land_on_pages_and_anchors_that_exist(site):
    """Report paragraphs, 名词解释 entries and the terms-used list are HTML too: each term link names
    a term page that exists and, when it names a definition, a definition that page has; each link
    to the report's own 名词解释 names an entry of it."""
    term_anchors = {path: set(re.findall(r"\{#([\w-]+)\}", page)) for path, page in site.pages.items()
                    if path.startswith("terms/")}
    checked = own = 0
    for doc in site.corpus.reports:
        page = site.pages[f"reports/{doc.id}.md"]
        for slug, anchor in re.findall(r'<a href="\.\./terms/([\w-]+)\.html(?:#([\w-]+))?"', page):
            assert f"terms/{slug}.md" in term_anchors, (doc.id, slug)
            assert not anchor or anchor in term_anchors[f"terms/{slug}.md"], (doc.id, slug, anchor)
            checked += 1
        for anchor in re.findall(r'<a href="#([\w-]+)"', page):
            assert anchor in _anchors(doc) | {"glossary", "provenance"}, (doc.id, anchor)
            own += 1
        assert "](" not in "".join(re.findall(r"^<p>.*$", page, flags=re.M)), "a Markdown link inside HTML"
    assert checked > 500 and own > 100, (checked, own)


def test_indicator_pages_hold_the_targets(site):
    gdp = site.pages["indicators/gdp.md"]
    assert "| 四川省 | 2026 | 预期目标 | 5.5 | 地区生产总值 增长 5.5%左右 |" in gdp, "四川 2026 地区生产总值 增长 5.5% 左右"
    assert re.search(r"\| 桐乡市 \| 2023 \| 预期目标 \| 6 \| 全市地区生产总值 增长 6%左右 \|", gdp)
    assert re.search(r"\| 桐乡市 \| 2022 \| 实际完成 \| 2\.6 \|", gdp), "the figure of the year under review"
    assert '<svg class="chart" role="img"' in gdp and "<title id=" in gdp and "<desc id=" in gdp
    assert "indicators/other.md" in site.pages and "indicators/index.md" in site.pages
    for path, page in site.pages.items():
        if path.startswith("indicators/"):
            for report_id, anchor in _links(page):
                doc = next(d for d in site.corpus.reports if d.id == report_id)
                assert anchor in _anchors(doc), (path, report_id, anchor)


def test_downloads_and_corpus_jsonl_carry_the_targets(site):
    rows = json.loads(site.files["downloads/targets.json"])
    assert rows and all(list(r) == list(FIELDS) for r in rows)
    assert any(r["place"] == "四川省" and r["key"] == "gdp" and r["kind"] == TARGET and r["value"] == "5.5%"
               and r["qualifier"] == "左右" and r["page"] == f"reports/sichuansheng-2026.html#{r['anchor']}" for r in rows)
    table = list(csv.reader(io.StringIO(site.files["downloads/targets.csv"].decode("utf-8-sig"))))
    assert tuple(table[0]) == FIELDS and len(table) == len(rows) + 1
    documents = [json.loads(line) for line in gzip.decompress(site.files["downloads/corpus.jsonl.gz"]).decode().splitlines()]
    assert sum(len(d["targets"]) for d in documents) == len(rows)
    assert "targets.csv" in site.pages["downloads/index.md"]


def test_every_term_page_has_its_timeline_from_the_link_data(site):
    years = defaultdict(int)
    for doc in site.corpus.reports:
        years[doc.meta.year] += 1
    for term in site.terms.values():
        page = site.pages[f"terms/{term.slug}.md"]
        assert "## 历年使用情况 {#timeline" in page, term.key
        using = using_by_year(term)
        if not using:
            continue
        assert {d.id for docs in using.values() for d in docs} == {d.id for d in term.using_reports}
        for year, docs in using.items():
            assert f"| {year} | {len(docs)} / {years[year]} |" in page, (term.key, year)
        if min(using) == max(using):   # one year: said once
            assert f"只见于 **{min(using)} 年**的报告" in page and "首次出现" not in page
        else:
            assert f"首次出现：**{min(using)} 年**" in page and f"最近一次：**{max(using)} 年**" in page


def test_trends_page_compares_a_year_only_over_the_places_of_both_years(site):
    page = site.pages["terms/trends.md"]
    by_year = defaultdict(set)
    for doc in site.corpus.reports:
        by_year[doc.meta.year].add(doc.meta.place)
    years = sorted(by_year)
    compared = 0
    for earlier, later in zip(years, years[1:]):
        heading = f"### {later} 年（与 {earlier} 年相比） {{#year-{later}}}"
        common = by_year[earlier] & by_year[later]
        assert (heading in page) == bool(common), (earlier, later, common)
        if common:
            compared += 1
            assert f"两年都有报告的 {len(common)} 个地区" in page.split(heading)[1].split("###")[0]
    # 2026 (31 provinces) has no place in common with 2024 (3 cities): nothing is "new" in 2026.
    assert "{#year-2026}" not in page and compared >= 1


def test_decades_are_set_apart_by_their_quoted_phrases():
    from build_corpus.model import Document, Metadata, Paragraph, Section
    from build_corpus.pages.term_trends import decade_phrases, decades_block

    def report(rid, year, text):
        doc = Document(source_path="x", position=1, line=1, raw_text="", kind="work_report", id=rid, title=rid,
                       meta=Metadata(place="中华人民共和国", year=year))
        doc.sections = [Section("一、", 1, "一、", "sec-1", [Paragraph(text, "sec-1-p1")])]
        return doc
    reports = [report("a-1978", 1978, "实现“四个现代化”，粉碎“四人帮”。"), report("a-1979", 1979, "为“四个现代化”而奋斗。"),
               report("a-1981", 1981, "打破“大锅饭”，实现“四个现代化”。"), report("a-1982", 1982, "不吃“大锅饭”。"),
               report("a-1985", 1985, "坚持“一国两制”。")]
    decades = decade_phrases(reports)
    assert [(x.phrase, x.using, round(x.score, 2)) for x in decades[1970][1]] == [("四个现代化", 2, 0.67)]
    assert [x.phrase for x in decades[1980][1]] == ["大锅饭"], "a phrase one report quotes does not define a decade"
    assert decades[1980][1][0].first.id == "a-1981"
    block = decades_block(reports)
    assert "**这个年代只有 2 份报告**" in block and "{#decade-1970}" in block and "{#decade-1980}" in block


def test_report_text_is_escaped_on_the_new_pages():
    hostile = Target(TARGET, "<script>alert(1)</script>*粗*", "", "增长", "5%", 5.0, 5.0, "%", "左右",
                     "<b>句</b>", "sec-1-p1", "x-2026", "[某地](javascript:alert(1))", "省", 2026, 2026)
    table = records_table([hostile], with_indicator=True)
    assert "<script>" not in table and "&lt;script&gt;" in table and "\\*粗\\*" in table
    assert "\\[某地\\](javascript:" in table, "a place name is text, not a link"
    svg = bar_chart("c", "<t>", "d&", [Bar('"><script>', 1, 2, "<v>")], "<cap>")
    assert "<script>" not in svg and "&lt;t&gt;" in svg and "&quot;&gt;&lt;script&gt;" in svg and "d&amp;" in svg


def test_charts_stay_phone_sized_however_many_years():
    from build_corpus.pages.charts import YearPoint, target_series, year_counts
    many = year_counts("c", "t", "d", [(1954 + i, i % 3, 3) for i in range(0, 73, 2)], "cap")
    width = int(re.search(r'viewBox="0 0 (\d+)', many)[1])
    assert width <= 400 and many.count(">2020</text>") == 1
    points = [YearPoint(1992 + i, 5, 5.5, 4.8) for i in range(34)]
    assert int(re.search(r'viewBox="0 0 (\d+)', target_series("x", "t", "d", points, "c"))[1]) <= 400


def test_year_axes_are_true_to_scale():
    """1992, 1993 and 2025 stand as far apart as those years: a gap in the corpus is a gap."""
    from build_corpus.pages.charts import YearPoint, target_series, year_counts
    svg = target_series("x", "t", "d", [YearPoint(y, 5) for y in (1992, 1993, 2025)], "c")
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="[\d.]+" class="chart-target"', svg)][:3]
    assert abs((xs[2] - xs[1]) / (xs[1] - xs[0]) - 32) < 0.2, xs   # positions are written to 0.1
    bars = year_counts("c", "t", "d", [(2017, 1, 2), (2018, 1, 2), (2023, 1, 2)], "cap")
    tracks = [float(x) for x in re.findall(r'<rect x="([\d.]+)" y="20"', bars)]
    assert abs((tracks[2] - tracks[1]) / (tracks[1] - tracks[0]) - 5) < 0.01, tracks


def test_speakers_page_lists_who_delivered_each_report(site):
    page = site.pages["speakers.md"]
    named = [d for d in site.corpus.reports if d.meta.speaker]
    assert named, "the bundled reports name their speakers"
    for doc in named:
        assert f"(reports/{doc.id}.md)" in page, doc.id
        report = site.pages[f"reports/{doc.id}.md"]
        anchor = re.search(r"\(\.\./speakers\.md#(speaker-[a-z0-9-]+)\)", report)
        assert anchor and f'<span id="{anchor[1]}"></span>' in page, doc.id
    rows = list(csv.reader(io.StringIO(site.files["downloads/speakers.csv"].decode("utf-8-sig"))))
    assert rows[0][:3] == ["speaker", "speaker_title", "place"] and len(rows) == len(site.corpus.reports) + 1


def test_speaker_names_are_text():
    from build_corpus.model import Document, Metadata
    from build_corpus.pages.indexes import render_speakers
    doc = Document(source_path="x", position=1, line=1, raw_text="", kind="work_report", id="x-2026", title="<b>t</b>",
                   meta=Metadata(place="某地", year=2026, speaker="[x](javascript:alert(1))<img src=x onerror=y>",
                                 speaker_title="{: onclick=y}"))
    page = render_speakers([doc])
    assert "<img" not in page and "&lt;img" in page
    assert "\\[x\\](javascript:" in page and "\\{: onclick=y\\}" in page, "brackets and braces escaped: no link, no attributes"
