"""The pages built from targets and term occurrences, on the bundled sources (sources/).

Indicator pages and downloads, the term timelines and the trends page, and the compare pages:
what must be on them, that every link points at a paragraph that exists, and that report text
reaching them is escaped.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict

import pytest

from build_corpus.corpus.targets import TARGET, Target
from build_corpus.pages.charts import Bar, bar_chart
from build_corpus.pages.compare import align, compare_path, headings
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
    documents = [json.loads(line) for line in site.files["downloads/corpus.jsonl"].decode().splitlines()]
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


def test_trends_page_compares_each_year_with_the_one_before(site):
    page = site.pages["terms/trends.md"]
    years = sorted({d.meta.year for d in site.corpus.reports})
    for earlier, later in zip(years, years[1:]):
        assert f"## {later} 年（与 {earlier} 年相比） {{#year-{later}}}" in page
    # 2023 (桐乡市) against 2018: a term new in 2023 appears in no earlier report.
    new_2023 = page.split("{#year-2023}")[1].split("### 上升")[0]
    for slug in re.findall(r"\]\(([\w-]+)\.md\)", new_2023):
        term = next(t for t in site.terms.values() if t.slug == slug)
        assert min(using_by_year(term)) == 2023, term.key


def test_compare_pages_for_every_place_with_two_reports(site):
    for place, same in site.by_place.items():
        for i, a in enumerate(same):
            for b in same[i + 1:]:
                assert compare_path(a, b) in site.pages, (place, a.id, b.id)
    page = site.pages["compare/tongxiangshi-2018--tongxiangshi-2023.md"]
    assert "| 地区生产总值 → 全市地区生产总值 | [增长 7%左右]" in page and "| 下调 |" in page
    assert re.search(r"### 2023 年新出现（[1-9]\d*）", page) and re.search(r"### 2023 年不再出现（[1-9]\d*）", page)
    assert ('<td><a href="../reports/tongxiangshi-2018.html#sec-1">一、2017年工作回顾</a></td>\n'
            '<td style="text-align: center;">相同</td>\n'
            '<td><a href="../reports/tongxiangshi-2023.html#sec-1">一、2022年工作回顾</a></td>') in page
    assert len(_links(page)) > 20
    for report_id, anchor in _links(page):
        doc = next(d for d in site.corpus.reports if d.id == report_id)
        assert anchor in _anchors(doc), (report_id, anchor)
    report = site.pages["reports/tongxiangshi-2023.md"]
    assert "(../compare/tongxiangshi-2018--tongxiangshi-2023.md)" in report
    assert "tongxiangshi-2018--" not in site.pages["reports/tongxiangshi-2018.md"].split("## ")[0], "no previous report"


def test_outline_alignment_keeps_every_heading_once(reports):
    a, b = headings(reports["tongxiangshi-2018"]), headings(reports["tongxiangshi-2023"])
    rows = align(a, b)
    assert [h for h, _, _ in rows if h] == a and [h for _, _, h in rows if h] == b


def test_report_text_is_escaped_on_the_new_pages():
    hostile = Target(TARGET, "<script>alert(1)</script>*粗*", "", "增长", "5%", 5.0, 5.0, "%", "左右",
                     "<b>句</b>", "sec-1-p1", "x-2026", "[某地](javascript:alert(1))", "省", 2026, 2026)
    table = records_table([hostile], with_indicator=True)
    assert "<script>" not in table and "&lt;script&gt;" in table and "\\*粗\\*" in table
    assert "\\[某地\\](javascript:" in table, "a place name is text, not a link"
    svg = bar_chart("c", "<t>", "d&", [Bar('"><script>', 1, 2, "<v>")], "<cap>")
    assert "<script>" not in svg and "&lt;t&gt;" in svg and "&quot;&gt;&lt;script&gt;" in svg and "d&amp;" in svg


def test_charts_stay_phone_sized_however_many_years():
    from build_corpus.pages.charts import YearPoint, target_vs_achieved, year_counts
    many = year_counts("c", "t", "d", [(2000 + i, i % 3, 3) for i in range(30)], "cap")
    width = int(re.search(r'viewBox="0 0 (\d+)', many)[1])
    assert width <= 400 and many.count(">2029</text>") == 1
    points = [YearPoint(2000 + i, 5, 5.5, 4.8) for i in range(15)]
    assert int(re.search(r'viewBox="0 0 (\d+)', target_vs_achieved("x", "t", "d", points, "c"))[1]) <= 500
