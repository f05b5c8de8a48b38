"""Stage 9 — site: every generated page of docs/, written only after the whole corpus is known.

Pages: the home page, a page per report, a page per term, indexes by place
(with the gazetteer's hierarchy), by year and by term (pinyin order), the
list of documents that were not published as reports, and the downloads.
Targets, terms over time and comparisons have their own modules (indicators.py,
term_trends.py, compare.py); this stage only calls them.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from ..contributions.curation import render_curated
from ..corpus import linking
from ..corpus.linking import most_shared_wording, paragraph_linker, terms_used_block
from ..corpus.scope import RULE_LABELS, Scope, place_chain, whose
from ..corpus.targets import Target, corpus_targets
from ..corpus.terms import Term, merge_terms, pinyin_sort_key
from ..document.metadata import gazetteer
from ..model import Document, GlossaryEntry
from ..pipeline import Corpus
from ..publishing import Address, from_environment
from ..safe_text import code_text, html_text, page_title
from ..urls import gloss_anchor, place_anchor, report_page, term_page, wording_anchor
from . import citation
from .compare import compare_link, compare_links, compare_pages
from .export import document_json
from .indicators import indicator_pages, record_json, target_downloads
from .report import LevelLabel, PageContext, md_escape, render_report
from .term_trends import render_term_trends, reports_by_year, term_timeline
from .write import write_pages


@dataclass
class Site:
    corpus: Corpus
    terms: dict[str, Term] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)        # path under docs/ -> content
    files: dict[str, bytes] = field(default_factory=dict)      # downloads
    scope: Scope | None = None                                 # which definition each use links to (scope.py)
    by_place: dict[str, list[Document]] = field(default_factory=dict)   # place -> its reports, by year
    targets: dict[str, list[Target]] = field(default_factory=dict)   # report id -> its 主要预期目标 records
    defined_by: dict[str, dict[str, Document]] = field(default_factory=dict)   # term key -> report id -> report
    address: Address = field(default_factory=Address)   # where the site and its repository are published


def build_site(corpus: Corpus, curated: dict | None = None, address: Address | None = None) -> Site:
    site = Site(corpus, address=from_environment() if address is None else address)
    reports = sorted(corpus.reports, key=lambda d: (d.meta.place or "", d.meta.year or 0))
    for doc in reports:
        for i, entry in enumerate(doc.glossary, 1):
            entry.anchor = gloss_anchor(entry.number or i)
    site.terms = merge_terms(reports)
    site.defined_by = {key: {d.id: d for d in term.defining_reports} for key, term in site.terms.items()}
    for key, term in site.terms.items():
        term.curated = (curated or {}).get(key)
    site.scope = linking.record_uses(reports, site.terms)   # looked up on the module, where the benchmark times it
    site.by_place = _reports_by_place(corpus.reports)
    site.targets = corpus_targets(reports)
    for doc in reports:
        site.pages[report_page(doc.id)] = render_report(doc, _report_context(doc, site))
    by_year = reports_by_year(reports)
    for term in site.terms.values():
        site.pages[term_page(term.slug)] = render_term(term, site.terms, site.address, scope=site.scope,
                                                          timeline=term_timeline(term, by_year))
    site.pages["terms/index.md"] = render_term_index(site.terms)
    site.pages["terms/trends.md"] = render_term_trends(site.terms, reports)
    site.pages.update(indicator_pages(site.targets))
    site.pages.update(compare_pages(site.by_place, site.targets, site.terms))
    site.pages["index.md"] = render_home(site)
    site.pages["places.md"] = render_places(reports, site.address)
    site.pages["years.md"] = render_years(reports)
    site.pages["skipped.md"] = render_skipped(corpus)
    site.pages["downloads/index.md"] = render_downloads(site)
    site.files.update(download_files(site))
    site.files.update(target_downloads(site.targets))
    return site


def write_site(site: Site, docs: Path) -> None:
    """Every page and download into docs/, all or nothing (see write_docs)."""
    write_pages(site.pages, site.files, docs)


# --- links -----------------------------------------------------------------

def report_link(doc: Document, from_depth: int, anchor: str = "") -> str:
    prefix = "../" * from_depth
    return f"{prefix}reports/{doc.id}.md" + (f"#{anchor}" if anchor else "")


def _report_context(doc: Document, site: Site) -> PageContext:
    def place_link(place: str) -> str:
        return f"../places.md#{place_anchor(place)}"

    def term_link(entry: GlossaryEntry, key: str):
        term = site.terms.get(key)
        return f"../terms/{term.slug}.md" if term else None

    return PageContext(place_link=place_link, term_link=term_link,
                       link_paragraph=paragraph_linker(doc, site.terms, site.scope),
                       timeline=_timeline(doc, site.by_place.get(doc.meta.place or "", [])),
                       terms_used=terms_used_block(doc, site.terms, site.scope) + _shared_definitions(doc, site),
                       front_matter={"description": report_description(doc), "cite": citation.cite_data(doc),
                                     "schema": citation.report_schema(doc)},
                       citation=_citation_block(doc))


# --- what readers and machines see about a page ---------------------------------

DESCRIPTION_CHARS = 120


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def report_description(doc: Document) -> str:
    """The page's own summary for search engines and link previews: what, when, and how it opens."""
    m = doc.meta
    when = "，".join(x for x in (m.meeting, m.date) if x)
    opening = next((p.text for p in [*doc.preamble, *(p for s in doc.all_sections() for p in s.paragraphs)]
                    if len(p.text) > 20), "")
    head = f"{doc.title}全文" + (f"（{when}）" if when else "") + ("，含章节目录和名词解释。" if doc.glossary else "。")
    return _clip(head + opening, DESCRIPTION_CHARS)


def _citation_block(doc: Document) -> str:
    """Cite the whole report: the reference (the page script adds the URL and a copy button) and downloads."""
    return "\n".join([
        '??? quote "引用本报告"', "",
        f"    {md_escape(citation.reference_head(doc))}",
        "    {: .report-cite }", "",
        f"    下载引文：[BibTeX](../downloads/cite/{doc.id}.bib)"
        f" · [CSL-JSON](../downloads/cite/{doc.id}.json)（可导入 Zotero、EndNote 等文献管理软件）。"
        "每段末尾的“引用”复制该段的引文，含章节、段落和网址。", ""])


def _shared_definitions(doc: Document, site: Site) -> str:
    """Other reports whose 名词解释 explain some of the same terms: the slogans travel between places."""
    mine = sorted({k for e in doc.glossary for k in e.terms if k in site.defined_by}, key=pinyin_sort_key)
    shared: Counter = Counter()     # report id -> how many of my terms it explains
    for key in mine:
        shared.update(site.defined_by[key].keys())
    shared.pop(doc.id, None)
    if not shared:
        return ""
    out = ["\n## 解释了相同名词的报告 {#shared-terms data-search-exclude}\n"]
    for other_id in _most_shared(shared, MAX_SHARED_REPORTS):
        keys = [k for k in mine if other_id in site.defined_by[k]]
        other = site.defined_by[keys[0]][other_id]
        names = "、".join(f"[{md_escape(k)}](../terms/{site.terms[k].slug}.md)" for k in keys)
        out.append(f"- [{md_escape(other.title)}]({other.id}.md)：{len(keys)} 个（{names}）")
    if len(shared) > MAX_SHARED_REPORTS:
        # Listing them all grows every page with the corpus (N² in all); the term pages list everyone.
        out.append(f"- 另有 {len(shared) - MAX_SHARED_REPORTS} 份报告，见各名词页")
    return "\n".join(out) + "\n"


def _most_shared(shared: Counter, n: int) -> list[str]:
    """The `n` report ids sharing the most terms, ties by id; only those that can make the cut are sorted."""
    floor = sorted(shared.values(), reverse=True)[min(n, len(shared)) - 1]
    contenders = [(-count, report_id) for report_id, count in shared.items() if count >= floor]
    return [report_id for _, report_id in sorted(contenders)[:n]]


MAX_SHARED_REPORTS = 10


def _reports_by_place(reports: list[Document]) -> dict[str, list[Document]]:
    """Each place's reports in year order: the timeline of every report page, grouped once."""
    by_place: dict[str, list[Document]] = defaultdict(list)
    for d in reports:
        if d.meta.place:
            by_place[d.meta.place].append(d)
    return {place: sorted(same, key=lambda d: d.meta.year or 0) for place, same in by_place.items()}


def _timeline(doc: Document, same: list[Document]) -> str:
    """Links to the other years of the same place; `same` is that place's reports in year order."""
    if len(same) < 2:
        return ""
    items = []
    for d in same:
        label = str(d.meta.year or "?")
        items.append(f"**{label}**" if d is doc else f"[{label}]({d.id}.md)")
    i = same.index(doc)
    prev = f"[{same[i - 1].meta.year}]({same[i - 1].id}.md)" if i > 0 else "无"
    nxt = f"[{same[i + 1].meta.year}]({same[i + 1].id}.md)" if i < len(same) - 1 else "无"
    return (f'<div class="timeline" markdown>\n{md_escape(doc.meta.place)}历年报告：{" · ".join(items)}'
            f"　｜　上一份：{prev}　下一份：{nxt}\n</div>\n") + compare_link(doc, same)


# --- term pages ------------------------------------------------------------

def render_term(term: Term, terms: dict[str, Term] | None = None, address: Address | None = None,
                scope: Scope | None = None, timeline: str = "") -> str:
    # search.boost: a search for the term should show its own page first.
    definition = most_shared_wording(term)
    # No quotes of our own around the term: a display form often has its own (“两重”).
    description = _clip(f"{term.display}（名词解释）：{definition}", DESCRIPTION_CHARS) if definition else \
        f"{term.display}：在政府工作报告中的使用"
    schema = citation.term_schema(term.display, definition, term.defining_reports)
    out = ["---", f"title: {json.dumps(page_title(term.display), ensure_ascii=False)}",
           f"description: {json.dumps(description, ensure_ascii=False)}",
           f"schema: {json.dumps(schema, ensure_ascii=False)}",
           "search:", "  boost: 2", "---",
           f"# {md_escape(term.display)}\n"]
    # Toneless and spaced, as people type it: search_worker.js finds `wushui` through this line.
    syllables = lazy_pinyin(term.key, style=Style.NORMAL, errors="ignore")
    if syllables:
        out.append(f'<p class="pinyin">拼音：<span lang="zh-Latn-pinyin">{html_text(" ".join(syllables))}</span></p>\n')
    if term.forms != [term.key]:
        # The quote-free form is what people type; written out, it is one word in the search index too.
        out.append(f"报告中的写法：{'、'.join(md_escape(f) for f in term.forms)}（检索写作：{md_escape(term.key)}）\n")
    reports = term.defining_reports
    same = term.same_wording_reports
    out.append(f"{len(reports)} 份报告解释了这个名词，{len(term.using_reports)} 份报告在正文中按适用的释义使用它"
               + (f"，{len(same)} 份报告用了相同的字词、但没有适用于它们的释义" if same else "") + "。\n")
    out.append("## 各报告的释义\n")
    wordings = term.wordings
    for n, wording in enumerate(wordings, 1):
        heading = f"释义{_cn_ordinal(n)}" if len(wordings) > 1 else "释义"
        sources = "、".join(
            f"[{md_escape(d.report.title)}](../reports/{d.report.id}.md#{d.entry.anchor})"
            + (f"（原文写作：{md_escape(d.written)}）" if d.written != term.key else "")
            for d in wording.definitions)
        shared = f"（{len(wording.definitions)} 份报告措辞相同）" if len(wording.definitions) > 1 else ""
        out.append(f"### {heading}{shared} {{#{wording_anchor(n)}}}\n")
        out.append(f"> {md_escape(wording.text)}\n")
        out.append(f"出自：{sources}\n")
    if len(wordings) > 1:
        out.append("## 措辞比较\n")
        out.append("与释义一相比，<del>删去</del>和<ins>新增</ins>的文字：\n")
        base = wordings[0].text
        out.append('<table class="wording-diff"><thead><tr><th>释义一</th><th>比较的释义</th></tr></thead><tbody>')
        for n, wording in enumerate(wordings[1:], 2):
            left, right = diff_html(base, wording.text)
            out.append(f"<tr><td>{left}</td><td><b>释义{_cn_ordinal(n)}</b>：{right}</td></tr>")
        out.append("</tbody></table>\n")
    if term.curated:
        others = terms or {}
        out.append(render_curated(term.curated, lambda key: f"{others[key].slug}.md" if key in others else None))
    if scope is not None:
        out.append(_scope_block(term, scope))
    out.append(timeline)   # term_trends.term_timeline: reports using the term per year
    out.append(_uses_block(term))
    if address and address.repo_url:
        out.append(_term_edit_link(term, address))
    return "\n".join(out)


SCOPE_EXPLAINED = ("各地的名词解释只说明本地的提法：同样的字词在别的地区、别的年份可能另有所指（如“三资”“五大战略”）。"
                   "所以报告正文中的名词只链接到适用于它的释义：报告自己的名词解释；同一地区其他年份的、"
                   "上级或下级地区的（省—市—县—镇）、全国性报告的、几个互不隶属的地区以相同文字解释的"
                   "（视为全国性提法），以上只取前后五年内的报告（提法会改写）；"
                   "或整理者在 `build_corpus/data/link_scope.yml` 中认定为全国或全省通用、并写明理由的。"
                   "其余用了相同字词的报告不加链接，列在本页末尾供读者判断。链接的提示框写明释义出自哪份报告。")


def _scope_block(term: Term, scope: Scope) -> str:
    """Why this term's definitions apply where they do: the general rule, then this term's case."""
    out = ["## 释义的适用范围 {#scope}\n", SCOPE_EXPLAINED + "\n"]
    region = scope.rules.regions.get(term.key)
    if region:
        where = "全国" if region.region == "全国" else md_escape(region.region) + "范围内"
        when = []
        if region.with_words:
            when.append("仅当前后文字有" + "、".join(f"“{md_escape(w)}”" for w in region.with_words) + "之一时")
        if region.without_words:
            when.append("前后文字有" + "、".join(f"“{md_escape(w)}”" for w in region.without_words) + "时除外（另有所指）")
        out.append(f"**本名词**：整理者认定它在{where}含义相同（{md_escape(region.why)}）"
                   + (f"，{'；'.join(when)}" if when else "") + "。\n")
    shared = [d for d in term.definitions if id(d) in scope.shared.get(term.key, ())]
    if shared:
        places = "、".join(dict.fromkeys(md_escape(whose(d)) for d in shared))
        out.append(f"**本名词**：{places} 互不隶属，却以相同的文字解释了它，视为全国性提法，这一释义适用于所有报告。\n")
    if not region and not shared:
        out.append("**本名词**：各报告的释义只适用于解释它的地区本身（各年份）及其上下级地区。\n")
    return "\n".join(out)


def _term_edit_link(term: Term, address: Address) -> str:
    """Edit the term's note in the repository, or start one: a pull request from the browser."""
    if term.curated:
        url = address.repo_file(term.curated.path)
        return f"\n[修改这个名词的注释（GitHub）]({url}){{ .contribute }}\n"
    from urllib.parse import quote
    skeleton = (f"term: {json.dumps(term.key, ensure_ascii=False)}\nnotes:\n  - text: \n    author: \n")
    url = (f"{address.repo_url}/new/main/glossary?filename={quote(term.slug)}.yml&value={quote(skeleton)}")
    return f"\n[为这个名词写注释（GitHub，格式见 glossary/README.md）]({url}){{ .contribute }}\n"


def _cn_ordinal(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if n <= 10 else str(n)


def diff_html(a: str, b: str) -> tuple[str, str]:
    """Character diff of two wordings: what only `a` has in <del>, what only `b` has in <ins>."""
    import difflib

    left, right = [], []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(html_text(a[a1:a2]))
            right.append(html_text(b[b1:b2]))
            continue
        if a2 > a1:
            left.append(f"<del>{html_text(a[a1:a2])}</del>")
        if b2 > b1:
            right.append(f"<ins>{html_text(b[b1:b2])}</ins>")
    return "".join(left), "".join(right)


def _uses_block(term: Term) -> str:
    out = ["## 在报告正文中的使用\n"]
    if not term.uses:
        out.append("没有报告在正文中使用这个名词（名词解释区除外）。\n")
        return "\n".join(out)
    own = [u for u in term.uses if u.rule == "own"]
    other = [u for u in term.uses if u.definition is not None and u.rule != "own"]
    unlinked = [u for u in term.uses if u.definition is None]
    if own:
        out.append("### 按本报告自己的释义\n")
        out.extend(_uses_by_report(own, lambda u: ""))
    if other:
        out.append("\n### 按其他报告的释义\n")
        out.extend(_uses_by_report(other, lambda u: f"按[{md_escape(whose(u.definition))} 的释义]"
                                   f"(#{wording_anchor(term.wording_number(u.definition))})"
                                   f"（{RULE_LABELS.get(u.rule, u.rule)}）"))
    if unlinked:
        out.append("\n### 措辞相同、没有适用的释义 {#same-wording}\n")
        out.append("这些报告用了相同的字词，但上面的释义都不适用于它们（地区互不隶属、年份相隔太久，"
                   "或整理者指出此处另有所指），可能不是同一个意思，所以正文中没有链接。\n")
        out.extend(_uses_by_report(unlinked, lambda u: ""))
    return "\n".join(out) + "\n"


def _uses_by_report(uses: list, how) -> list[str]:
    """One line per report (and definition): where in its text the term is used."""
    groups: dict[tuple, list] = defaultdict(list)
    for use in uses:
        groups[(use.report.id, id(use.definition))].append(use)
    lines = []
    for same in sorted(groups.values(), key=lambda g: (g[0].report.meta.place or "", g[0].report.meta.year or 0,
                                                       g[0].report.id)):
        doc = same[0].report
        total = sum(u.count for u in same)
        links = "、".join(f"[{md_escape(u.section)}](../reports/{doc.id}.md#{u.anchor})" for u in same)
        label = how(same[0])
        lines.append(f"- **{md_escape(doc.meta.place or '')} {doc.meta.year or ''}**"
                     f"（[{md_escape(doc.title)}](../reports/{doc.id}.md)，{total} 次）{('：' + label) if label else ''}：{links}")
    return lines


def render_term_index(terms: dict[str, Term]) -> str:
    out = ["---", "title: 名词索引", f"description: 各地政府工作报告“名词解释”中的 {len(terms)} 个名词，按拼音排序", "---",
           "# 名词索引\n",
           f"语料中各报告“名词解释”收录的 {len(terms)} 个名词，按拼音排序、以首字母分组。"
           "每个名词后是解释它的报告数和在正文中使用它的报告数。\n"]
    groups: dict[str, list[Term]] = defaultdict(list)
    for term in sorted(terms.values(), key=lambda t: pinyin_sort_key(t.key)):
        groups[term.initial if term.initial.isalpha() else "#"].append(term)
    letters = sorted(groups, key=lambda k: (k == "#", k))
    out.append(" · ".join(f"[{k}](#letter-{k.lower() if k != '#' else 'other'})" for k in letters) + "\n")
    for k in letters:
        out.append(f"## {md_escape(k)} {{#letter-{k.lower() if k != '#' else 'other'}}}\n")
        for term in groups[k]:
            out.append(f"- [{md_escape(term.display)}]({term.slug}.md)　"
                       f"<small>解释 {len(term.defining_reports)} · 使用 {len(term.using_reports)}</small>")
        out.append("")
    return "\n".join(out)


# --- indexes ---------------------------------------------------------------

def render_home(site: Site) -> str:
    corpus = site.corpus
    reports = corpus.reports
    places = sorted({d.meta.place for d in reports if d.meta.place}, key=pinyin_sort_key)
    years = sorted({d.meta.year for d in reports if d.meta.year})
    latest = sorted(reports, key=lambda d: (-(d.meta.year or 0), d.meta.place or ""))
    out = ["---", f"description: {len(reports)} 份地方政府工作报告的全文、章节与跨报告名词解释", "---",
           "# 政府工作报告注释语料\n",
           "这里收录地方政府每年向人民代表大会所作的《政府工作报告》，经过清理、分节，"
           "并把报告自带的“名词解释”汇编成跨报告、跨年份的名词页：正文中出现的名词都链接到它的释义。\n",
           f"- **{len(reports)}** 份报告，来自 **{len(places)}** 个地区，年份 "
           f"{years[0] if years else '—'}–{years[-1] if years else '—'}",
           f"- **{len(site.terms)}** 个名词（[名词索引](terms/index.md)）",
           "- 浏览：[按地区](places.md) · [按年份](years.md) · [名词](terms/index.md) · [下载语料](downloads/index.md)",
           f"- 未作为报告发布的文档：{len(corpus.others)} 篇（[列表与原因](skipped.md)）",
           *_contribute_lines(site.address), "",
           "原始文本逐字节保存在仓库的 `sources/` 目录；所有清理都在构建时进行，每份报告页末尾都列出了"
           "清理步骤和删除的文字。\n", "## 最新报告\n"]
    out.extend(f"- [{md_escape(d.title)}](reports/{d.id}.md)" for d in latest[:20])
    return "\n".join(out) + "\n"


def _contribute_lines(address: Address) -> list[str]:
    """Where a reader who knows better can say so: the contributor guide and the issue forms."""
    if not address.repo_url:
        return []
    return [f"- 参与改进：[如何贡献]({address.repo_file('CONTRIBUTING.md', edit=False)})"
            f" · [报告错误或建议收录]({address.repo_url}/issues/new/choose)"
            " · 每段正文末尾的“注释”可以为这一段提出注释"]


def render_places(reports: list[Document], address: Address | None = None) -> str:
    tree: dict = {}
    by_place: dict[str, list[Document]] = defaultdict(list)
    for doc in reports:
        place = doc.meta.place or "（地区未知）"
        by_place[place].append(doc)
        node = tree
        for p in place_chain(place, doc.meta.parent):
            node = node.setdefault(p, {})
    gazetteer_file = "build_corpus/data/places.yml"
    shown = (f"[{gazetteer_file}]({address.repo_file(gazetteer_file, edit=False)})"
             if address and address.repo_url else code_text(gazetteer_file))
    out = ["---", "title: 按地区", "description: 按省、市、县、镇的隶属关系浏览各地政府工作报告", "---", "# 按地区浏览\n",
           "地区按行政隶属排列（省 → 市 → 县级 → 镇街），括号内为层级。隶属关系来自报告本身和"
           f"仓库中的地名表 {shown}，欢迎补充。\n"]

    def walk(node: dict, depth: int) -> None:
        for place in sorted(node, key=pinyin_sort_key):
            level = gazetteer()[place].level if place in gazetteer() else next(
                (d.meta.level for d in by_place.get(place, []) if d.meta.level), "")
            indent = "    " * depth
            docs = sorted(by_place.get(place, []), key=lambda d: d.meta.year or 0)
            links = " · ".join(f"[{d.meta.year or '年份未知'}](reports/{d.id}.md)" for d in docs) + compare_links(place, docs)
            label = f"{md_escape(place)}（{md_escape(level)}）" if level else md_escape(place)
            out.append(f'{indent}- <a id="{place_anchor(place)}"></a>**{label}**' + (f"：{links}" if links else ""))
            walk(node[place], depth + 1)
    walk(tree, 0)
    return "\n".join(out) + "\n"


def render_years(reports: list[Document]) -> str:
    by_year: dict = defaultdict(list)
    for doc in reports:
        by_year[doc.meta.year or 0].append(doc)
    out = ["---", "title: 按年份", "description: 按年份浏览各地政府工作报告", "---", "# 按年份浏览\n", "年份为报告所作的年份（回顾 2023 年工作的报告属于 2024 年）。\n"]
    for year in sorted(by_year, reverse=True):
        out.append(f"## {year or '年份未知'} {{#year-{year or 'unknown'}}}\n")
        for doc in sorted(by_year[year], key=lambda d: pinyin_sort_key(d.meta.place or "")):
            level = LevelLabel.get(doc.meta.level or "", doc.meta.level or "")
            out.append(f"- [{md_escape(doc.title)}](reports/{doc.id}.md)　<small>{md_escape(level)}</small>")
        out.append("")
    return "\n".join(out)


def render_skipped(corpus: Corpus) -> str:
    out = ["---", "title: 未发布的文档", "description: 源文件中没有作为政府工作报告发布的文档及原因", "---", "# 未作为报告发布的文档\n",
           "构建时读到、但判断不是政府工作报告的文档，以及无法读取的源文件。没有任何文档被悄悄丢弃。\n"]
    errors = [s for s in corpus.sources if s.error]
    if errors:
        out.append("## 无法读取的源文件\n")
        out.extend(f"- {code_text(s.path)}：{md_escape(s.error)}" for s in errors)
        out.append("")
    out.append("## 其他文章\n")
    out.append("| 源文件 | 序号 | 标题 | 判断理由 |\n| --- | ---: | --- | --- |")
    for doc in corpus.others:
        out.append(f"| {code_text(doc.source_path)} | {doc.position} | {md_escape(doc.title)} | {md_escape(doc.kind_reason)} |")
    chrome = [(s.path, r) for s in corpus.sources for r in s.removed]
    if chrome:
        out.append("\n## 页面框架文字（不属于任何文档）\n")
        out.extend(f"- {code_text(path)}：{md_escape(r.text.replace(chr(10), ' ⏎ '))}" for path, r in chrome)
    return "\n".join(out) + "\n"


# --- downloads -------------------------------------------------------------

def download_files(site: Site) -> dict[str, bytes]:
    reports = site.corpus.reports
    jsonl = "".join(json.dumps({**document_json(d), "targets": [record_json(t) for t in site.targets.get(d.id, [])]},
                               ensure_ascii=False) + "\n" for d in reports)
    glossary = [{"term": t.key, "slug": t.slug, "forms": t.forms,
                 "definitions": [{"report": d.report.id, "place": d.report.meta.place, "year": d.report.meta.year,
                                  "number": d.entry.number, "written": d.written, "definition": d.entry.definition}
                                 for d in t.definitions],
                 "used_in": [{"report": u.report.id, "anchor": u.anchor, "count": u.count} for u in t.uses]}
                for t in sorted(site.terms.values(), key=lambda t: pinyin_sort_key(t.key))]
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["term", "written", "definition", "report", "place", "year", "number", "reports_using"])
    for t in glossary:
        using = len({u["report"] for u in t["used_in"]})
        for d in t["definitions"]:
            writer.writerow([t["term"], d["written"], d["definition"], d["report"], d["place"], d["year"],
                             d["number"] or "", using])
    return {"downloads/corpus.jsonl": jsonl.encode("utf-8"),
            "downloads/glossary.json": json.dumps(glossary, ensure_ascii=False, indent=1).encode("utf-8"),
            "downloads/glossary.csv": ("\ufeff" + table.getvalue()).encode("utf-8"),
            **citation_files(site)}


def citation_files(site: Site) -> dict[str, bytes]:
    """Per report: BibTeX and CSL-JSON (with the report's URL when the site's address is known);
    `all.bib` and `all.json` hold every report."""
    reports = sorted(site.corpus.reports, key=lambda d: d.id)
    url = site.address.site_url
    files = {}
    for doc in reports:
        files[f"downloads/cite/{doc.id}.bib"] = citation.bibtex(doc, url).encode("utf-8")
        files[f"downloads/cite/{doc.id}.json"] = json.dumps([citation.csl_json(doc, url)], ensure_ascii=False,
                                                            indent=1).encode("utf-8")
    files["downloads/cite/all.bib"] = "\n".join(citation.bibtex(d, url) for d in reports).encode("utf-8")
    files["downloads/cite/all.json"] = json.dumps([citation.csl_json(d, url) for d in reports], ensure_ascii=False,
                                                  indent=1).encode("utf-8")
    return files


def render_downloads(site: Site) -> str:
    n = len(site.corpus.reports)
    return "\n".join([
        "---", "title: 下载语料", "description: 清理后的政府工作报告语料和名词解释的下载（JSONL、JSON、CSV、引文）", "---",
        "# 下载语料\n",
        "研究者可以直接下载清理后的语料，无需抓取网站。\n",
        f"- [corpus.jsonl](corpus.jsonl)：{n} 份报告，每行一份，格式与 `build-corpus inspect --format json` "
        "的文档对象相同（元数据、章节树、段落纯文本、名词解释、清理记录），说明见仓库 README。",
        f"- [targets.json](targets.json) / [targets.csv](targets.csv)：{sum(map(len, site.targets.values()))} 条"
        "主要预期目标与上年实际完成数（地区、年份、指标原文与统一键、比较词、数值或区间、单位、限定词、原句、段落链接），"
        "字段说明见仓库 README；[按指标浏览](../indicators/index.md)。",
        f"- [glossary.json](glossary.json)：{len(site.terms)} 个名词，每个名词的全部释义（来源报告、编号、原文写法）和正文使用位置。",
        "- [glossary.csv](glossary.csv)：同上，每条释义一行（UTF-8 带 BOM，可直接用 Excel 打开）。",
        f"- 引文：[all.bib](cite/all.bib)（BibTeX）和 [all.json](cite/all.json)（CSL-JSON）收录全部 {n} 份报告，"
        "可导入 Zotero、EndNote 等文献管理软件；每份报告页的“引用本报告”有单份的引文。\n",
        "原始文本在仓库 `sources/` 目录，逐字节保存。"]) + "\n"
