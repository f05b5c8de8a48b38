"""A page per place, and the places index as a tree.

A place's page holds its reports over the years, the places below it that have reports, its targets
over time (a table; the indicator pages chart them), the terms its reports defined and use, and
where it sits: level and parents from the division data (corpus/places.py), shown as breadcrumbs
全国 › 省 › 市 › 县. The tree on places.md is built from the same parents.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ..corpus.places import COUNTRY, TIER_ORDER, PlaceInfo, place_page_of
from ..corpus.terms import pinyin_sort_key
from ..document.targets import ACHIEVED, TARGET
from ..model import Document, Site
from ..safe_text import code_text, html_text, link_html, md_escape, page_title
from ..urls import PLACES_PAGE, built_href, href, place_anchor, report_page, term_page
from .compare import compare_links
from .front_matter import front_matter
from .report import level_label, list_title

MAX_TERMS_USED = 60   # the terms a place's reports use most; its report pages list them all


def place_pages(site: Site) -> dict[str, str]:
    below = children(site.places)
    used = _terms_used_by_place(site)
    return {place_page_of(name): render_place(info, site, below, used.get(name, Counter()))
            for name, info in site.places.items()}


def children(places: dict[str, PlaceInfo]) -> dict[str, list[str]]:
    """Place → the places with pages directly below it ("" for the top: provinces, the country)."""
    below: dict[str, list[str]] = defaultdict(list)
    for name, info in places.items():
        parent = next((p for p in reversed(info.parents) if p in places), "")
        below[parent].append(name)
    for names in below.values():
        names.sort(key=pinyin_sort_key)
    return below


def _terms_used_by_place(site: Site) -> dict[str, Counter]:
    used: dict[str, Counter] = defaultdict(Counter)
    for term in site.terms.values():
        for use in term.uses:
            if use.definition is not None and use.report.meta.place:
                used[use.report.meta.place][term.key] += use.count
    return used


def breadcrumbs(info: PlaceInfo, from_page: str, places: dict[str, PlaceInfo]) -> str:
    """全国 › 浙江省 › 嘉兴市 › 桐乡市, each above the place a link to its page (the country to the places
    tree unless a national report gives it a page)."""
    crumbs = [link_html("全国", built_href(from_page, place_page_of(COUNTRY) if COUNTRY in places else PLACES_PAGE))]
    for above in info.parents:
        if above == COUNTRY:
            continue
        crumbs.append(link_html(above, built_href(from_page, place_page_of(above))) if above in places else html_text(above))
    if info.name != COUNTRY:
        crumbs.append(f'<span aria-current="page">{html_text(info.name)}</span>')
    return f'<nav class="breadcrumbs" aria-label="所在地区">{" › ".join(crumbs)}</nav>\n'


def render_place(info: PlaceInfo, site: Site, below: dict[str, list[str]], used: Counter) -> str:
    here = place_page_of(info.name)
    reports = site.by_place.get(info.name, [])
    where = "".join(p for p in info.parents if p != COUNTRY)
    description = f"{info.name}" + (f"（{where}）" if where else "") + \
        (f"的 {len(reports)} 份政府工作报告、主要预期目标和名词" if reports else "下辖地区的政府工作报告")
    out = [front_matter({"title": page_title(info.name), "description": description}),
           breadcrumbs(info, here, site.places), f"# {md_escape(info.name)}\n"]
    facts = []
    if info.level or info.tier:
        facts.append(f"层级：{md_escape(level_label(info.level, info.tier))}")
    parent = next((p for p in reversed(info.parents)), "")
    if parent:
        shown = f"[{md_escape(parent)}]({href(here, place_page_of(parent))})" if parent in site.places else md_escape(parent)
        facts.append(f"上级：{shown}")
    if facts:
        out.append(" · ".join(facts) + "（据行政区划数据）\n")
    out.append(f"[在地区树中的位置]({href(here, PLACES_PAGE, place_anchor(info.name))})\n")
    if reports:
        out.extend(_reports_block(reports, here))
    subordinate = _below_block(info.name, site, below, here)
    if subordinate:
        out.append(subordinate)
    targets = [t for doc in reports for t in site.targets.get(doc.id, [])]
    if targets:
        out.append(_targets_block(targets, here))
    defined = _defined_block(reports, site, here)
    if defined:
        out.append(defined)
    if used:
        out.append(_used_block(used, site, here))
    return "\n".join(out) + "\n"


def _reports_block(reports: list[Document], here: str) -> list[str]:
    """Newest first, one line each (a list, not a table: it reads on a phone)."""
    out = ["## 历年报告 {#reports}\n"]
    for doc in sorted(reports, key=lambda d: -(d.meta.year or 0)):
        m = doc.meta
        facts = [x for x in (" ".join(y for y in (m.speaker_title, m.speaker) if y), m.date) if x]
        if doc.glossary:
            facts.append(f"名词解释 {len(doc.glossary)} 条")
        out.append(f"- **{m.year or '年份未知'}**　[{md_escape(list_title(doc))}]({href(here, report_page(doc.id))})"
                   + (f"<br><small>{md_escape(' · '.join(facts))}</small>" if facts else ""))
    out.append("")
    return out


def _below_block(place: str, site: Site, below: dict[str, list[str]], here: str) -> str:
    """The places under this one that have reports (any depth), by level."""
    found: list[str] = []
    stack = list(below.get(place, []))
    while stack:
        name = stack.pop(0)
        found.append(name)
        stack[:0] = below.get(name, [])
    found = [n for n in found if n in site.by_place]
    if not found:
        return ""
    out = ["## 下辖地区的报告 {#below}\n"]
    for tier in (*TIER_ORDER, ""):
        same = [n for n in found if site.places[n].tier == tier]
        if not same:
            continue
        items = "、".join(f"[{md_escape(n)}]({href(here, place_page_of(n))})（{len(site.by_place[n])} 份）" for n in same)
        out.append(f"- {tier or '层级未知'}：{items}")
    return "\n".join(out) + "\n"


def _targets_block(targets: list, here: str) -> str:
    """Indicator × year: what each report set (目标) and what it said the year before achieved (实际)."""
    years = sorted({t.figure_year for t in targets if t.figure_year})
    rows: dict[tuple[str, str], dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for t in targets:
        if t.figure_year:
            rows[(t.indicator, t.kind)][t.figure_year].append(t)
    out = ["## 主要预期目标 {#targets}\n",
           "每一格是报告原文的写法，链接到它所在的段落；“实际”是下一年报告回顾这一年时写明的完成数。"
           "各地区的比较见[主要预期目标](" + href(here, "indicators/index.md") + ")。\n",
           '<div class="place-targets" markdown>\n',
           "| 指标 | 类别 | " + " | ".join(str(y) for y in years) + " |",
           "| --- | --- | " + " | ".join("---:" for _ in years) + " |"]
    for (indicator, kind) in sorted(rows, key=lambda k: (pinyin_sort_key(k[0]), k[1] != TARGET)):
        cells = []
        for y in years:
            found = rows[(indicator, kind)].get(y, [])
            cells.append("、".join(f"[{md_escape(t.written)}]({href(here, report_page(t.report_id), t.anchor)})"
                                  for t in found) or " ")
        label = {TARGET: "目标", ACHIEVED: "实际"}.get(kind, kind)
        out.append(f"| {md_escape(indicator)} | {label} | " + " | ".join(cells) + " |")
    out.append("\n</div>\n")
    return "\n".join(out)


def _defined_block(reports: list[Document], site: Site, here: str) -> str:
    years_of: dict[str, list[int]] = defaultdict(list)
    for doc in reports:
        for entry in doc.glossary:
            for key in entry.terms:
                if key in site.terms and doc.meta.year not in years_of[key]:
                    years_of[key].append(doc.meta.year or 0)
    if not years_of:
        return ""
    items = [f"{link_html(site.terms[k].display, built_href(here, term_page(site.terms[k].slug)))}"
             f"<small>（{'、'.join(str(y) for y in sorted(years_of[k]) if y)}）</small>"
             for k in sorted(years_of, key=pinyin_sort_key)]
    return (f"## 解释过的名词 {{#defined data-search-exclude}}\n\n<p>本地报告的名词解释收录的 {len(items)} 个名词"
            f"（括号内为年份）：{'、'.join(items)}</p>\n")


def _used_block(used: Counter, site: Site, here: str) -> str:
    top = sorted(used.items(), key=lambda kv: (-kv[1], pinyin_sort_key(kv[0])))[:MAX_TERMS_USED]
    items = "、".join(f"{link_html(site.terms[k].display, built_href(here, term_page(site.terms[k].slug)))}（{n}）"
                     for k, n in top)
    more = f"；另有 {len(used) - len(top)} 个，见各报告页" if len(used) > len(top) else ""
    return (f"## 正文中使用的名词 {{#used data-search-exclude}}\n\n<p>本地报告正文中按适用的释义使用的名词及次数"
            f"（共 {len(used)} 个{more}）：{items}</p>\n")


def _places_file(site: Site) -> str:
    name = "build_corpus/data/places.yml"
    return f"[{name}]({site.address.repo_file(name, edit=False)})" if site.address.repo_url else code_text(name)


# --- the places index: a tree --------------------------------------------------------

def render_places_tree(site: Site) -> str:
    below = children(site.places)
    out = [front_matter({"title": "按地区", "description": "按省、市、县、镇的隶属关系浏览各地政府工作报告"}), "# 按地区浏览\n",
           "地区按行政隶属排列：省级 → 市级 → 县级 → 乡镇级。隶属关系和层级来自报告本身和行政区划数据。"
           "点地区名进入它的页面（历年报告、主要预期目标、名词），点年份直接打开那一年的报告。"
           f"行政区划之外的地名（镇、旧称、简称）在仓库的地名表 {_places_file(site)} 中，欢迎补充。\n"]
    unknown = [d for d in site.reports if not d.meta.place]

    def walk(name: str, depth: int) -> None:
        info = site.places[name]
        docs = site.by_place.get(name, [])
        years = " · ".join(f"[{d.meta.year or '年份未知'}]({href(PLACES_PAGE, report_page(d.id))})" for d in docs) \
            + compare_links(name, docs)
        tier = f" <small>{html_text(level_label(info.level, info.tier))}</small>" if info.tier or info.level else ""
        out.append(f'{"    " * depth}- <a id="{place_anchor(name)}"></a>[{md_escape(name)}]({href(PLACES_PAGE, place_page_of(name))})'
                   f"{tier}" + (f"：{years}" if years else ""))
        for child in below.get(name, []):
            walk(child, depth + 1)

    for name in below.get("", []):
        walk(name, 0)
    out.append("")
    if unknown:
        out.append("## 地区未知 {#place-unknown}\n")
        out.extend(f"- [{md_escape(list_title(d))}]({href(PLACES_PAGE, report_page(d.id))})" for d in unknown)
    return "\n".join(out) + "\n"
