"""Two reports of one place side by side: heading outlines aligned, terms that come and go, targets that changed.

A page for every pair of a place's reports (compare/<older>--<newer>.md); each report page links to
the comparison with the place's report before it, and compare/index.md lists every pair. Headings
are aligned where their titles match once numbers, years and punctuation are set aside
(2017年工作回顾 and 2022年工作回顾 match); titles in the same place that differ only a little are
paired as similar.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from ..chinese import NUMERALS_WITH_ZERO
from ..corpus.targets import TARGET, Target
from ..corpus.terms import Term, pinyin_sort_key
from ..model import Document, Section
from ..safe_text import link_html, page_title
from ..urls import COMPARE_INDEX, PLACES_PAGE, built_href, compare_anchor, compare_page, href, report_page, term_page
from .front_matter import front_matter
from .report import md_escape

OUTLINE_DEPTH = 2          # 一、 and （一） headings; deeper ones make the table too long to read
SIMILAR = 0.5              # difflib ratio from which two titles in the same place count as similar
NOT_IN_TITLE = re.compile(rf"[\d０-９{NUMERALS_WITH_ZERO}]{{2,4}}年|[\d\s\W_]+")


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
        """The title without its number, years and punctuation.

        >>> Heading(1, "一、", "2017年工作回顾", "").key == Heading(1, "二、", "2022年工作回顾", "").key
        True
        """
        return NOT_IN_TITLE.sub("", self.title)[:60]


def compare_path(a: Document, b: Document) -> str:
    return compare_page(a.id, b.id)


def _link(to_page: str, anchor: str = "") -> str:
    """A link from a comparison page: they all live in compare/, beside its index."""
    return href(COMPARE_INDEX, to_page, anchor)


def pairs(by_place: dict[str, list[Document]]) -> list[tuple[Document, Document]]:
    """Every pair of reports of one place, older first (by_place lists each place's reports by year)."""
    return [(same[i], same[j]) for same in by_place.values() for i in range(len(same)) for j in range(i + 1, len(same))]


def compare_link(doc: Document, same: list[Document]) -> str:
    """The report page's link to the comparison with the place's previous report ('' for the first)."""
    if doc not in same or same.index(doc) == 0:
        return ""
    before = same[same.index(doc) - 1]
    consecutive = before.meta.year and doc.meta.year and doc.meta.year - before.meta.year == 1
    label = "与上一年比较" if consecutive else f"与上一份报告（{before.meta.year or '年份未知'} 年）比较"
    return (f'<div class="compare-link" markdown>\n[{label}：{before.meta.year or "?"} ↔ {doc.meta.year or "?"}]'
            f"({href(report_page(doc.id), compare_path(before, doc))})　·　"
            f"[{md_escape(doc.meta.place or '')}的全部比较]({href(report_page(doc.id), COMPARE_INDEX)})\n</div>\n")


def compare_links(place: str, same: list[Document]) -> str:
    """On the places page: the way to compare any two of a place's reports ('' for fewer than two)."""
    if len(same) < 2:
        return ""
    return f"　（[比较任意两份]({href(PLACES_PAGE, COMPARE_INDEX, compare_anchor(place))})）"


def compare_pages(by_place: dict[str, list[Document]], records: dict[str, list[Target]],
                  terms: dict[str, Term]) -> dict[str, str]:
    pages = {compare_path(a, b): render_compare(a, b, records, terms) for a, b in pairs(by_place)}
    pages[COMPARE_INDEX] = _index(by_place)
    return pages


def _index(by_place: dict[str, list[Document]]) -> str:
    out = [front_matter({"title": "报告比较", "description": "同一地区两份政府工作报告的并排比较：标题结构、名词和主要预期目标的变化"}),
           "# 同一地区两份报告的比较\n",
           "对语料中有两份以上报告的每个地区，任意两份报告都可以并排比较：标题结构、名词的变化和主要预期目标的变化。"
           "报告页上的“与上一年比较”链接到相邻的两份。\n"]
    places = [p for p in sorted(by_place, key=pinyin_sort_key) if len(by_place[p]) >= 2]
    if not places:
        out.append("语料中还没有哪个地区有两份以上的报告。")
    for place in places:
        same = by_place[place]
        links = " · ".join(f"[{a.meta.year} ↔ {b.meta.year}]({_link(compare_path(a, b))})" for a, b in pairs({place: same}))
        out.append(f'- <a id="{compare_anchor(place)}"></a>**{md_escape(place)}**（{len(same)} 份）：{links}')
    return "\n".join(out) + "\n"


def render_compare(a: Document, b: Document, records: dict[str, list[Target]], terms: dict[str, Term]) -> str:
    place = a.meta.place or ""
    ya, yb = a.meta.year or "?", b.meta.year or "?"
    description = f"{place} {ya} 年与 {yb} 年政府工作报告比较：主要预期目标的变化、新出现和不再出现的名词、标题结构对照"
    # Not searched: every word of a comparison (headings, term names) is on the two report pages
    # and the term pages, and a query for a term found every comparison of every place using it.
    out = [front_matter({"title": page_title(f"{place} {ya} ↔ {yb} 报告比较"), "description": page_title(description),
                         "search": {"exclude": True}}),
           f"# {md_escape(place)}：{ya} 年与 {yb} 年报告比较\n",
           f"- 较早：[{md_escape(a.title)}]({_link(report_page(a.id))})",
           f"- 较晚：[{md_escape(b.title)}]({_link(report_page(b.id))})",
           f"- 其他比较：[{md_escape(place)}的全部比较]({_link(COMPARE_INDEX)})\n"]
    out.append(_targets_block(a, b, records))
    out.append(_terms_block(a, b, terms))
    out.append(_outline_block(a, b))
    return "\n".join(out) + "\n"


# --- headings ------------------------------------------------------------------

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


def align(left: list[Heading], right: list[Heading]) -> list[tuple[Heading | None, str, Heading | None]]:
    """Rows of (left, how, right): how is 相同 / 相近, or '' for headings in the same place that do not match."""
    rows: list[tuple[Heading | None, str, Heading | None]] = []
    matcher = difflib.SequenceMatcher(None, [h.key for h in left], [h.key for h in right], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend((left[i], "相同", right[j]) for i, j in zip(range(i1, i2), range(j1, j2)))
            continue
        i, j = i1, j1
        while i < i2 and j < j2:
            if difflib.SequenceMatcher(None, left[i].key, right[j].key).ratio() >= SIMILAR:
                rows.append((left[i], "相近", right[j]))
                i, j = i + 1, j + 1
            elif left[i].level == right[j].level:   # same place in both outlines, different titles
                rows.append((left[i], "", right[j]))
                i, j = i + 1, j + 1
            elif left[i].level > right[j].level:
                rows.append((left[i], "", None))
                i += 1
            else:
                rows.append((None, "", right[j]))
                j += 1
        rows.extend((left[k], "", None) for k in range(i, i2))
        rows.extend((None, "", right[k]) for k in range(j, j2))
    return rows


def _outline_block(a: Document, b: Document) -> str:
    """The two outlines side by side. An HTML table, the one Python-Markdown would make of it: as a
    Markdown table its ~80,000 links at 1,000 reports cost both Python-Markdown and MkDocs time."""
    rows = align(headings(a), headings(b))
    out = ["## 标题结构对照 {#outline}\n"]
    if not rows:
        out.append("两份报告都没有读出一、二级标题。\n")
        return "\n".join(out)
    same = sum(1 for _, how, _ in rows if how)
    out.append(f"两份报告的一、二级标题，按顺序对齐：{same} 处标题相同或相近（不计编号、年份和标点）。\n")
    table = ["<table>", "<thead>", "<tr>", f"<th>{a.meta.year} 年</th>", f"<th {CENTRED}>对应</th>",
             f"<th>{b.meta.year} 年</th>", "</tr>", "</thead>", "<tbody>"]
    for left, how, right in rows:
        table.extend(["<tr>", f"<td>{_heading_cell(a, left)}</td>", f"<td {CENTRED}>{how}</td>",
                      f"<td>{_heading_cell(b, right)}</td>", "</tr>"])
    table.extend(["</tbody>", "</table>"])
    out.append("\n".join(table))
    return "\n".join(out) + "\n"


CENTRED = 'style="text-align: center;"'   # as Python-Markdown writes a :---: column


def _heading_cell(doc: Document, h: Heading | None) -> str:
    if h is None:
        return ""
    indent = "　" * (h.level - 1)
    return indent + _html_link(h.text, report_page(doc.id), h.anchor)


# --- terms -----------------------------------------------------------------------

def report_terms(doc: Document) -> dict[str, tuple[int, str]]:
    """Term key -> (occurrences in the text, anchor of the first); terms only defined count 0 at the entry."""
    counts: Counter = Counter()
    first: dict[str, str] = {}
    paragraphs = list(doc.preamble) + [p for s in doc.all_sections() for p in s.paragraphs]
    for p in paragraphs:
        for _, _, key in p.term_spans:
            counts[key] += 1
            first.setdefault(key, p.anchor)
    for entry in doc.glossary:
        for key in entry.terms:
            first.setdefault(key, entry.anchor)
    return {key: (counts[key], anchor) for key, anchor in first.items()}


def _terms_block(a: Document, b: Document, terms: dict[str, Term]) -> str:
    ta, tb = report_terms(a), report_terms(b)
    added = sorted((k for k in tb if k not in ta and k in terms), key=pinyin_sort_key)
    dropped = sorted((k for k in ta if k not in tb and k in terms), key=pinyin_sort_key)
    kept = [k for k in ta if k in tb]
    out = ["## 名词的变化 {#terms}\n",
           f"名词解释收录的名词在两份报告中的出现（正文出现或在名词解释中解释）：{len(kept)} 个两份都有。\n",
           f"### {b.meta.year} 年新出现（{len(added)}） {{#terms-added}}\n", _term_links(b, added, tb, terms),
           f"### {b.meta.year} 年不再出现（{len(dropped)}） {{#terms-dropped}}\n", _term_links(a, dropped, ta, terms)]
    return "\n".join(out)


def _term_links(doc: Document, keys: list[str], found: dict[str, tuple[int, str]], terms: dict[str, Term]) -> str:
    """The terms with a link to the first use (or the entry) in the report. An HTML paragraph, the one
    Python-Markdown would make: comparisons hold ~60,000 such pairs of links at 1,000 reports, and
    each Markdown link cost both Python-Markdown and MkDocs time."""
    if not keys:
        return "无。\n"
    items = []
    for key in keys:
        count, anchor = found[key]
        where = f"{count} 次" if count else "名词解释"
        items.append(f"{_html_link(key, term_page(terms[key].slug))}（{_html_link(where, report_page(doc.id), anchor)}）")
    return "<p>" + "、".join(items) + "</p>\n"


def _html_link(label: str, to_page: str, anchor: str = "") -> str:
    """A link in HTML, to the page as the built site has it (MkDocs rewrites only Markdown links)."""
    return link_html(label, built_href(COMPARE_INDEX, to_page, anchor))


# --- targets ----------------------------------------------------------------------

def _targets_block(a: Document, b: Document, records: dict[str, list[Target]]) -> str:
    ra = [t for t in records.get(a.id, []) if t.kind == TARGET]
    rb = [t for t in records.get(b.id, []) if t.kind == TARGET]
    out = ["## 主要预期目标的变化 {#targets}\n"]
    if not ra and not rb:
        out.append("两份报告都没有读出主要预期目标。\n")
        return "\n".join(out)
    by_a, by_b = _by_indicator(ra), _by_indicator(rb)
    order = list(by_a) + [k for k in by_b if k not in by_a]
    out.append("按指标对照（常见指标按统一名称，其余按原文）。数值链接到原文段落。\n")
    out.append(f"| 指标 | {a.meta.year} 年 | {b.meta.year} 年 | 变化 |\n| --- | --- | --- | --- |")
    for key in order:
        ta, tb = by_a.get(key), by_b.get(key)
        name = (tb or ta).indicator if not (ta and tb) or ta.indicator == tb.indicator else f"{ta.indicator} → {tb.indicator}"
        out.append(f"| {md_escape(name)} | {_target_cell(a, ta)} | {_target_cell(b, tb)} | {change(ta, tb)} |")
    return "\n".join(out) + "\n"


def _by_indicator(records: list[Target]) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for t in records:
        out.setdefault(t.key or t.indicator, t)
    return out


def _target_cell(doc: Document, t: Target | None) -> str:
    if t is None:
        return "—"
    text = t.statement
    return f"[{md_escape(text)}]({_link(report_page(doc.id), t.anchor)})"


def change(before: Target | None, after: Target | None) -> str:
    """How a target moved between two reports.

    >>> from build_corpus.corpus.targets import parse_clause
    >>> change(parse_clause("地区生产总值增长7%左右")[0], parse_clause("地区生产总值增长6%左右")[0])
    '下调'
    """
    if before is None:
        return "新增"
    if after is None:
        return "删去"
    if before.low is None or after.low is None or before.unit != after.unit:
        return "相同" if (before.value, before.qualifier) == (after.value, after.qualifier) else "表述变化"
    if (after.low, after.high) != (before.low, before.high):
        return "上调" if (after.low + after.high) > (before.low + before.high) else "下调"
    if (before.comparator, before.qualifier) != (after.comparator, after.qualifier):
        return "数值相同，表述变化"
    return "相同"
