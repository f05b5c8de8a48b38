"""Comparing two reports: the data the compare view reads, and the links that open it with a pair chosen.

Any two reports can be compared (two years of one place, two places of one year, a county and its
province), so no page is made per pair: that grew with the square of a place's reports (1,326 pages
for the 52 national reports alone). The compare view (compare/index.md, drawn by
docs/assets/javascripts/compare.js in the reader's browser, from file:// too) loads two small data
scripts written here, one per report (compare/data/<id>.js), and a list of every report
(compare/data/reports.js) for its picker. A pair is an address, not a page: `compare/index.html#a=<older>&b=<newer>`
opens the view with both chosen. Each report page links to the pair with the place's previous report, and
to the view with itself chosen. (A page per consecutive pair was a shell of ~16 KB of theme around that
one element: 0.68 pages per report, 11.6 MB at 1,000 reports.)

The data are plain JSON inside a script (`script_json`: no text can end it or break the JavaScript);
the script puts every text into the page as text (textContent), never as HTML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..chinese import NUMERALS_WITH_ZERO
from ..corpus.terms import Term, pinyin_sort_key
from ..document.targets import TARGET, Target
from ..model import Document, Section
from ..safe_text import html_text, link_html
from ..urls import (
    COMPARE_DATA_LIST,
    COMPARE_INDEX,
    PLACES_PAGE,
    built_href,
    compare_data_file,
    report_page,
    term_page,
)
from .citation import script_json
from .front_matter import front_matter

OUTLINE_DEPTH = 2          # 一、 and （一） headings; deeper ones make the table too long to read
NOT_IN_TITLE = re.compile(rf"[\d０-９{NUMERALS_WITH_ZERO}]{{2,4}}年|[\d\s\W_]+")
CONSECUTIVE_LABEL = "与上一份报告比较"


@dataclass
class Heading:
    level: int
    number: str        # 一、 / （一）, as printed
    title: str
    anchor: str

    @property
    def text(self) -> str:
        return self.number + self.title

    @property
    def key(self) -> str:
        """The title without its number, years and punctuation: what the view aligns outlines on.

        >>> Heading(1, "一、", "2017年工作回顾", "").key == Heading(1, "二、", "2022年工作回顾", "").key
        True
        """
        return NOT_IN_TITLE.sub("", self.title)[:60]


def headings(doc: Document) -> list[Heading]:
    out: list[Heading] = []

    def walk(sections: list[Section]) -> None:
        for s in sections:
            if s.level <= OUTLINE_DEPTH:
                out.append(Heading(s.level, s.number, s.title, s.anchor))
                walk(s.sections)
    walk(doc.sections)
    walk(doc.appendices)
    return out


def consecutive_pairs(by_place: dict[str, list[Document]]) -> list[tuple[Document, Document]]:
    """Each report with the place's report before it (by_place lists each place's reports by year):
    one pair fewer than the place has reports, so never more pairs than reports."""
    return [(same[i - 1], same[i]) for same in by_place.values() for i in range(1, len(same))]


def pair_href(from_page: str, a: Document, b: Document) -> str:
    """The compare view with two reports chosen, from a page: `../compare/index.html#a=x-2023&b=x-2024` (ids
    are from urls' alphabet). HTML only: MkDocs would take #a=… for a heading's anchor and warn."""
    return built_href(from_page, COMPARE_INDEX, f"a={a.id}&b={b.id}")


# --- links from report pages and the places page -----------------------------------

def compare_link(doc: Document, same: list[Document]) -> str:
    """On a report page: the comparison with the place's previous report, and the view with this
    report chosen, where the reader picks any other."""
    here = report_page(doc.id)
    links = []
    if doc in same and same.index(doc) > 0:
        before = same[same.index(doc) - 1]
        consecutive = before.meta.year and doc.meta.year and doc.meta.year - before.meta.year == 1
        label = "与上一年比较" if consecutive else f"与上一份报告（{before.meta.year or '年份未知'} 年）比较"
        links.append(link_html(f"{label}：{before.meta.year or '?'} ↔ {doc.meta.year or '?'}", pair_href(here, before, doc)))
    links.append(link_html("与任意一份报告比较…", built_href(here, COMPARE_INDEX, f"a={doc.id}")))
    return f'<div class="compare-link" markdown>\n{"　·　".join(links)}\n</div>\n'


def compare_links(place: str, same: list[Document]) -> str:
    """On the places page: the comparisons of a place's consecutive reports ('' for fewer than two)."""
    if len(same) < 2:
        return ""
    return f"　（{link_html('比较', pair_href(PLACES_PAGE, same[-2], same[-1]))}）"


# --- pages --------------------------------------------------------------------------

def compare_pages(by_place: dict[str, list[Document]]) -> dict[str, str]:
    """The compare view, listing the pairs of each place's consecutive reports."""
    return {COMPARE_INDEX: _view_page(by_place, consecutive_pairs(by_place))}


VIEW_EXPLAINED = (
    "选两份报告，并排比较：**标题结构**（按顺序对齐，不计编号、年份和标点相同的标题视为相同）、"
    "**只在一份中出现的名词**（名词解释收录的名词，正文使用或在名词解释中解释）、"
    "**主要预期目标**（按指标对照），以及同一地区的两份报告**逐段比较**：哪些段落原样保留、"
    "哪些改写了（改动的字词标出）、哪些是新增或删去的。段落先按共有的字符片段（三字组）找候选，"
    "再逐字比较，所以几千段的报告也能很快比完。比较在浏览器中进行，离线包中同样可用。")


def _app() -> str:
    """The element compare.js fills in (the pair comes from the address: #a=…&b=…)."""
    # data-data: where the data scripts are, from the page (the view is compare/index.md).
    return ('<div id="compare-app" class="compare-app" data-data="data/"><p class="compare-loading">正在载入比较工具……（需要启用 JavaScript）</p></div>\n')


def _view_page(by_place: dict[str, list[Document]], pairs: list[tuple[Document, Document]]) -> str:
    out = [front_matter({"title": "报告比较", "description": "任意两份政府工作报告的并排比较：标题结构、名词、主要预期目标和逐段改动",
                         "search": {"exclude": True}}), "# 报告比较\n", VIEW_EXPLAINED + "\n", _app(),
           "## 同一地区相邻两份报告 {#consecutive}\n",
           "每个地区相邻的两份报告（从每份报告页也可进入）：\n"]
    places = [p for p in sorted(by_place, key=pinyin_sort_key) if len(by_place[p]) >= 2]
    if not places:
        out.append("语料中还没有哪个地区有两份以上的报告。")
    items = []
    for place in places:
        links = "、".join(link_html(f"{a.meta.year or '?'} ↔ {b.meta.year or '?'}", pair_href(COMPARE_INDEX, a, b))
                         for a, b in pairs if a.meta.place == place)
        items.append(f"<li><strong>{html_text(place)}</strong>（{len(by_place[place])} 份）：{links}</li>")
    if items:   # HTML: a place's list of links as Python-Markdown would make it, without parsing ~N links
        out.append("<ul>\n" + "\n".join(items) + "\n</ul>")
    return "\n".join(out) + "\n"


# --- the data the view reads ----------------------------------------------------------

def compare_data(reports: list[Document], records: dict[str, list[Target]], terms: dict[str, Term],
                 with_text: bool = True) -> dict[str, bytes]:
    """compare/data/<id>.js for every report and compare/data/reports.js listing them for the picker.
    Without the text (a site in sub-sites), the view reads each report's paragraphs from its page."""
    files = {compare_data_file(doc.id): _script("report", report_data(doc, records.get(doc.id, []), terms, with_text))
             for doc in reports}
    listed = sorted(reports, key=lambda d: (pinyin_sort_key(d.meta.place or ""), d.meta.year or 0, d.id))
    files[COMPARE_DATA_LIST] = _script("list", [[d.id, d.meta.place or "", d.meta.year, d.meta.level or "", d.title]
                                                for d in listed])
    return files


def _script(kind: str, value) -> bytes:
    """A data script: `CompareData.report({...});`. Loaded with <script src>, which works from file://."""
    return f"window.CompareData&&CompareData.{kind}({script_json(value)});\n".encode()


def report_data(doc: Document, records: list[Target], terms: dict[str, Term], with_text: bool = True) -> dict:
    """What the view needs of one report; every link is relative to compare/ (built_href). Without the
    text, `paragraphs` is absent: compare.js then takes them from the page (its <p> with a paragraph anchor)."""
    page = built_href(COMPARE_INDEX, report_page(doc.id))
    data = {
        "id": doc.id, "title": doc.title, "place": doc.meta.place or "", "year": doc.meta.year,
        "level": doc.meta.level or "", "page": page,
        "outline": [[h.level, h.text, h.anchor, h.key] for h in headings(doc)],
        "terms": [[key, built_href(COMPARE_INDEX, term_page(terms[key].slug)), count, anchor]
                  for key, (count, anchor) in sorted(report_terms(doc).items(), key=lambda kv: pinyin_sort_key(kv[0]))
                  if key in terms],
        "targets": [[t.key or t.indicator, t.indicator, t.statement, t.low, t.high, t.unit, t.anchor, t.value, t.qualifier]
                    for t in _one_per_indicator(records)],
    }
    if with_text:
        data["paragraphs"] = [[p.anchor, p.text] for p in doc.all_paragraphs()]
    return data


def _one_per_indicator(records: list[Target]) -> list[Target]:
    """The first target of each indicator (by its common key, else as written)."""
    seen: dict[str, Target] = {}
    for t in records:
        if t.kind == TARGET:
            seen.setdefault(t.key or t.indicator, t)
    return list(seen.values())


def report_terms(doc: Document) -> dict[str, tuple[int, str]]:
    """Term key -> (occurrences in the text, anchor of the first); terms only defined count 0 at the entry."""
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for p in doc.all_paragraphs():
        for _, _, key in p.term_spans:
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, p.anchor)
    for entry in doc.glossary:
        for key in entry.terms:
            first.setdefault(key, entry.anchor)
    return {key: (counts.get(key, 0), anchor) for key, anchor in first.items()}
