"""Terms over time: on each term page, the reports using it per year; a corpus page of new, rising and fading terms.

Counts come from `Term.uses`, the occurrences the linker found (linking.record_uses), and only those
it links (scope.py): they follow the same rules as the links — quotes ignored, word boundaries from
jieba, the 名词解释 block not counted, and a use counts only where a definition applies to it.
A year's count is set against the number of reports of that year in the corpus, since the corpus
holds more reports of some years than of others.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..corpus.terms import Term, pinyin_sort_key
from ..model import Document
from ..urls import TRENDS_PAGE, href, term_page
from .charts import year_counts
from .report import md_escape

MAX_LISTED = 30   # terms per list on the trends page; the term pages have every number


def reports_by_year(reports: list[Document]) -> dict[int, list[Document]]:
    """Year -> the corpus's reports of that year (reports without a year are left out)."""
    by_year: dict[int, list[Document]] = defaultdict(list)
    for doc in reports:
        if doc.meta.year:
            by_year[doc.meta.year].append(doc)
    return dict(sorted(by_year.items()))


def using_by_year(term: Term) -> dict[int, list[Document]]:
    """Year -> the reports whose text uses the term under a definition that applies there (the linked
    uses, as Term.using_reports counts them: the same words under another place's slogan do not count)."""
    seen: dict[int, dict[str, Document]] = defaultdict(dict)
    for use in term.uses:
        if use.definition is not None and use.report.meta.year:
            seen[use.report.meta.year].setdefault(use.report.id, use.report)
    return {year: list(docs.values()) for year, docs in sorted(seen.items())}


def term_timeline(term: Term, by_year: dict[int, list[Document]]) -> str:
    """The block on a term page: a small chart, the numbers per year, first and last appearance."""
    out = ["## 历年使用情况 {#timeline data-search-exclude}\n"]
    using = using_by_year(term)
    if not using:
        out.append("没有报告在适用这些释义的地方使用这个名词（措辞相同的使用见下文）。\n" if term.uses else
                   "语料中没有报告在正文中使用这个名词（名词解释区除外），因此没有历年数据。\n")
        return "\n".join(out)
    years = list(by_year)
    out.append(first_and_last(using) +
               f"语料中有 {len(years)} 个年份的报告，其中 {len(using)} 个年份有报告使用它。\n")
    counts = [(year, len(using.get(year, [])), len(by_year[year])) for year in years]
    busiest = max(counts, key=lambda c: (c[1] / c[2], c[0]))
    desc = (f"柱状图，{years[0]}–{years[-1]} 年每年使用“{term.key}”的报告占当年报告的比例；"
            f"最高为 {busiest[0]} 年，{busiest[2]} 份中 {busiest[1]} 份。数据见图下的表格。")
    out.append(year_counts(f"chart-term-{term.slug}", f"“{term.key}”历年使用情况", desc, counts,
                           "每年使用这个名词的报告数 / 当年报告总数"))
    out.append("| 年份 | 使用的报告 / 当年报告 | 地区 |\n| ---: | :---: | --- |")
    for year, n, total in counts:
        out.append(f"| {year} | {n} / {total} | {_places(using.get(year, [])) if n else '—'} |")
    out.append("\n[全语料的名词趋势](trends.md)\n")
    return "\n".join(out)


def first_and_last(using: dict[int, list[Document]]) -> str:
    """首次出现 and 最近一次 as a reader says them: once when they are the same year, with how many
    places, their names only when few (a list of 29 provinces says nothing twice)."""
    first, last = min(using), max(using)

    def where(docs: list[Document]) -> str:
        places = {d.meta.place or "地区未知" for d in docs}
        return f"{len(places)} 个地区" + (f"：{_places(docs)}" if len(places) <= 5 else "")
    if first == last:
        return f"只见于 **{first} 年**的报告（{where(using[first])}）。"
    return f"首次出现：**{first} 年**（{where(using[first])}）；最近一次：**{last} 年**（{where(using[last])}）。"


def _places(docs: list[Document]) -> str:
    return "、".join(md_escape(p) for p in sorted({d.meta.place or "地区未知" for d in docs}, key=pinyin_sort_key))


# --- the corpus page ---------------------------------------------------------------

@dataclass
class Change:
    term: Term
    before: int           # reports using it in the earlier year
    before_total: int
    after: int
    after_total: int

    @property
    def shift(self) -> float:
        return self.after / self.after_total - self.before / self.before_total


def render_term_trends(terms: dict[str, Term], reports: list[Document]) -> str:
    """terms/trends.md: for each year against the corpus year before it, new, rising and fading terms."""
    by_year = reports_by_year(reports)
    years = list(by_year)
    using = {key: {y: len(docs) for y, docs in using_by_year(t).items()} for key, t in terms.items()}
    out = ["---", "title: 名词趋势", "description: 各年份政府工作报告中新出现、使用增多和减少的名词，按使用它的报告占当年报告的比例",
           "---", "# 名词趋势：新出现、上升和减少的名词\n",
           "每个年份与语料中的上一个年份相比：**新出现**的名词此前从未在正文中出现；**上升**和**减少**按"
           "使用它的报告占当年报告的比例比较。计数与名词页、正文链接出自同一份出现记录（名词解释区不计）。"
           "语料各年份收录的报告数不同，比例比报告数更可比。\n"]
    if len(years) < 2:
        out.append("语料中的报告不足两个年份，无法比较。\n")
        return "\n".join(out)
    out.append("| 年份 | 报告数 | 有使用的名词 |\n| ---: | ---: | ---: |")
    for year in reversed(years):
        label = f"[{year}](#year-{year})" if year != years[0] else str(year)   # the first year has nothing to compare with
        out.append(f"| {label} | {len(by_year[year])} | {sum(1 for u in using.values() if u.get(year))} |")
    out.append("")
    for i in range(len(years) - 1, 0, -1):
        year, previous = years[i], years[i - 1]
        total, previous_total = len(by_year[year]), len(by_year[previous])
        new = [t for k, t in terms.items() if using[k].get(year) and not any(y < year for y in using[k])]
        new_keys = {t.key for t in new}
        changes = [Change(t, using[k].get(previous, 0), previous_total, using[k].get(year, 0), total)
                   for k, t in terms.items() if using[k].get(year) or using[k].get(previous)]
        rising = sorted((c for c in changes if c.shift > 0 and c.term.key not in new_keys),   # back after a gap counts too
                        key=lambda c: (-c.shift, pinyin_sort_key(c.term.key)))
        fading = sorted((c for c in changes if c.shift < 0), key=lambda c: (c.shift, pinyin_sort_key(c.term.key)))
        out.append(f"## {year} 年（与 {previous} 年相比） {{#year-{year}}}\n")
        out.append(f"{year} 年 {total} 份报告，{previous} 年 {previous_total} 份。\n")
        out.append(f"### 新出现（{len(new)}）\n")
        new.sort(key=lambda t: (-using[t.key][year], pinyin_sort_key(t.key)))
        out.append(_term_list([(t, f"{using[t.key][year]} 份报告") for t in new]))
        out.append(f"### 上升（{len(rising)}）\n")
        out.append(_change_table(rising, previous, year))
        out.append(f"### 减少（{len(fading)}）\n")
        out.append(_change_table(fading, previous, year))
    return "\n".join(out) + "\n"


def _term_list(items: list[tuple[Term, str]]) -> str:
    if not items:
        return "无。\n"
    shown = "、".join(f"[{md_escape(t.display)}]({href(TRENDS_PAGE, term_page(t.slug))})（{why}）" for t, why in items[:MAX_LISTED])
    more = f"，另有 {len(items) - MAX_LISTED} 个" if len(items) > MAX_LISTED else ""
    return shown + more + "\n"


def _change_table(changes: list[Change], previous: int, year: int) -> str:
    if not changes:
        return "无。\n"
    rows = [f"| 名词 | {previous} 年 | {year} 年 |", "| --- | ---: | ---: |"]
    for c in changes[:MAX_LISTED]:
        rows.append(f"| [{md_escape(c.term.display)}]({href(TRENDS_PAGE, term_page(c.term.slug))}) | {c.before}/{c.before_total} | {c.after}/{c.after_total} |")
    if len(changes) > MAX_LISTED:
        rows.append(f"| 另有 {len(changes) - MAX_LISTED} 个 | | |")
    return "\n".join(rows) + "\n"
