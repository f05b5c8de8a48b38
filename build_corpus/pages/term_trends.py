"""Terms over time: on each term page, the reports using it per year; a corpus page of new, rising and fading terms.

Counts come from `Term.uses`, the occurrences the linker found (linking.record_uses), and only those
it links (scope.py): they follow the same rules as the links — quotes ignored, word boundaries from
jieba, the 名词解释 block not counted, and a use counts only where a definition applies to it.
A year's count is set against the number of reports of that year in the corpus, since the corpus
holds more reports of some years than of others.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..chinese import QUOTED_PHRASE
from ..corpus.terms import Term, pinyin_sort_key
from ..model import Document
from ..urls import TRENDS_PAGE, href, report_page, term_page
from .charts import year_counts
from .front_matter import front_matter
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
    """terms/trends.md: the decades' own phrases, then each year against the corpus year before it
    (new, rising and fading terms), over the places that have reports of both years."""
    by_year = reports_by_year(reports)
    years = list(by_year)
    out = [front_matter({"title": "名词趋势", "description": "各年代政府工作报告的标志性提法，以及各年份新出现、使用增多和减少的名词"}),
           "# 名词趋势\n"]
    out.append(decades_block(reports))
    out.append("## 逐年比较：新出现、上升和减少的名词 {#years}\n")
    out.append("每个年份与语料中的上一个年份相比，**只比较两个年份都有报告的地区**：语料收录的地区逐年不同"
               "（比如某年收了 31 个省，上一年只有 3 个市），把不同的地区放在一起比，比出的是语料收了什么，"
               "而不是报告说了什么。**新出现**的名词在这些地区上一年的报告中没有、在这一年有；**上升**和**减少**按"
               "这些地区中使用它的报告所占的比例比较。计数与名词页、正文链接出自同一份出现记录（名词解释区不计）。\n")
    if len(years) < 2:
        out.append("语料中的报告不足两个年份，无法比较。\n")
        return "\n".join(out)
    out.append("| 年份 | 报告数 | 与上一年份共有的地区 |\n| ---: | ---: | ---: |")
    common_by_year = {}
    for i, year in enumerate(years):
        common_by_year[year] = _common_places(by_year[year], by_year[years[i - 1]]) if i else set()
    for year in reversed(years):
        common = common_by_year[year]
        label = f"[{year}](#year-{year})" if common else str(year)
        out.append(f"| {label} | {len(by_year[year])} | {len(common) if year != years[0] else '—'} |")
    out.append("")
    linked_in = _linked_terms_by_report(terms)
    for i in range(len(years) - 1, 0, -1):
        year, previous = years[i], years[i - 1]
        common = common_by_year[year]
        if not common:
            continue
        now = [d for d in by_year[year] if d.meta.place in common]
        before = [d for d in by_year[previous] if d.meta.place in common]
        using_now, using_before = _using(linked_in, now), _using(linked_in, before)
        new = sorted((k for k in using_now if k not in using_before), key=lambda k: (-using_now[k], pinyin_sort_key(k)))
        changes = [Change(terms[k], using_before.get(k, 0), len(before), using_now.get(k, 0), len(now))
                   for k in set(using_now) | set(using_before)]
        rising = sorted((c for c in changes if c.shift > 0 and c.before), key=lambda c: (-c.shift, pinyin_sort_key(c.term.key)))
        fading = sorted((c for c in changes if c.shift < 0), key=lambda c: (c.shift, pinyin_sort_key(c.term.key)))
        places = "、".join(md_escape(p) for p in sorted(common, key=pinyin_sort_key)[:8]) + ("等" if len(common) > 8 else "")
        out.append(f"### {year} 年（与 {previous} 年相比） {{#year-{year}}}\n")
        out.append(f"两年都有报告的 {len(common)} 个地区（{places}）：{year} 年 {len(now)} 份报告，{previous} 年 {len(before)} 份。\n")
        out.append(f"**新出现（{len(new)}）**：" + _term_list([(terms[k], f"{using_now[k]} 份报告") for k in new]))
        out.append(f"**上升（{len(rising)}）**\n")
        out.append(_change_table(rising, previous, year))
        out.append(f"**减少（{len(fading)}）**\n")
        out.append(_change_table(fading, previous, year))
    return "\n".join(out) + "\n"


def _common_places(now: list[Document], before: list[Document]) -> set[str]:
    return {d.meta.place for d in now if d.meta.place} & {d.meta.place for d in before if d.meta.place}


def _linked_terms_by_report(terms: dict[str, Term]) -> dict[str, set[str]]:
    """Report id -> the keys of the terms it uses linked (as the term pages count them): once for every
    year compared (going through every term's uses for each year was a third of the term pages' step)."""
    linked: dict[str, set[str]] = defaultdict(set)
    for key, term in terms.items():
        for use in term.uses:
            if use.definition is not None:
                linked[use.report.id].add(key)
    return linked


def _using(linked_in: dict[str, set[str]], docs: list[Document]) -> dict[str, int]:
    """Term key -> how many of these reports use it (`linked_in`: _linked_terms_by_report)."""
    counts: Counter = Counter()
    for doc in docs:
        counts.update(linked_in.get(doc.id, ()))
    return dict(counts)


# --- decades --------------------------------------------------------------------------

DECADE_PHRASES = 12      # phrases listed per decade
FEW_REPORTS = 3          # a decade with this many reports or fewer is said to be thin


@dataclass
class DecadePhrase:
    phrase: str
    using: int            # reports of the decade that quote it
    share: float          # of the decade's reports
    elsewhere: float      # share of the other decades' reports that quote it
    first: Document       # the earliest report quoting it in the corpus

    @property
    def score(self) -> float:
        return self.share - self.elsewhere


def quoted_phrases(doc: Document) -> dict[str, str]:
    """Phrase -> anchor of its first paragraph: what the report itself sets in quotes (“四个现代化”)."""
    found: dict[str, str] = {}
    for p in doc.all_paragraphs():
        for m in QUOTED_PHRASE.finditer(p.text):
            found.setdefault(m[1], p.anchor)
    return found


def decade_phrases(reports: list[Document]) -> dict[int, tuple[list[Document], list[DecadePhrase]]]:
    """Decade -> (its reports, the quoted phrases that set it apart, best first).

    A phrase's distinctiveness is the share of the decade's reports quoting it minus the share of
    all other decades' reports quoting it: 1 for a phrase every report of the decade quotes and no
    other does, 0 for one quoted as often everywhere. A phrase must be quoted by at least two of the
    decade's reports (all of them where the decade has one), so one report's coinage does not define it."""
    by_decade: dict[int, list[Document]] = defaultdict(list)
    for doc in reports:
        if doc.meta.year:
            by_decade[doc.meta.year // 10 * 10].append(doc)
    quoted = {doc.id: quoted_phrases(doc) for docs in by_decade.values() for doc in docs}
    per_decade = {d: Counter(p for doc in docs for p in quoted[doc.id]) for d, docs in by_decade.items()}
    total = Counter()
    for counts in per_decade.values():
        total.update(counts)
    first: dict[str, Document] = {}
    for doc in sorted((d for docs in by_decade.values() for d in docs), key=lambda d: (d.meta.year, d.id)):
        for phrase in quoted[doc.id]:
            first.setdefault(phrase, doc)
    all_reports = sum(len(docs) for docs in by_decade.values())
    out = {}
    for decade in sorted(by_decade):
        docs, counts = by_decade[decade], per_decade[decade]
        others = all_reports - len(docs)
        need = min(2, len(docs))
        phrases = [DecadePhrase(p, n, n / len(docs), (total[p] - n) / others if others else 0.0, first[p])
                   for p, n in counts.items() if n >= need]
        phrases.sort(key=lambda x: (-x.score, -x.using, pinyin_sort_key(x.phrase)))
        out[decade] = (docs, [x for x in phrases if x.score > 0][:DECADE_PHRASES])
    return out


def decades_block(reports: list[Document]) -> str:
    out = ["## 各年代的标志性提法 {#decades}\n",
           "每个年代（按报告所作的年份）中，报告**加引号的提法**（如“四个现代化”“两个毫不动摇”，2 至 12 字）里"
           "最能区别这个年代的几个。**区别度** = 这个年代引用它的报告所占比例 − 其他年代引用它的报告所占比例："
           "1 表示这个年代每份报告都用、其他年代都不用，0 表示各年代一样常用。至少要有这个年代的两份报告引用"
           "（只有一份报告的年代除外）。不限于名词解释收录的名词；“首见”是语料中最早引用它的报告。"
           "各年代收录的地区不同（每节写明报告和地区的数目），比例只说明语料收录的这些报告。\n"]
    decades = decade_phrases(reports)
    if not decades:
        out.append("语料中的报告都没有年份。\n")
        return "\n".join(out)
    for decade, (docs, phrases) in decades.items():
        places = len({d.meta.place for d in docs if d.meta.place})
        out.append(f"### {decade} 年代 {{#decade-{decade}}}\n")
        years = sorted({d.meta.year for d in docs})
        out.append(f"{len(docs)} 份报告，{places} 个地区，{years[0]}–{years[-1]} 年。"
                   + (f"**这个年代只有 {len(docs)} 份报告**：下面的提法只说明这几份报告，不足以代表整个年代。"
                      if len(docs) <= FEW_REPORTS else "") + "\n")
        if not phrases:
            out.append("没有区别度为正、且被两份以上报告引用的提法。\n")
            continue
        rows = ["| 提法 | 引用的报告 | 区别度 | 首见 |", "| --- | ---: | ---: | --- |"]
        for x in phrases:
            first = x.first
            rows.append(f"| “{md_escape(x.phrase)}” | {x.using}/{len(docs)} | {x.score:.2f} | "
                        f"[{first.meta.year} {md_escape(first.meta.place or '')}]"
                        f"({href(TRENDS_PAGE, report_page(first.id), quoted_phrases(first)[x.phrase])}) |")
        out.append("\n".join(rows) + "\n")
    return "\n".join(out)


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
