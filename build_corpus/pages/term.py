"""A page per term: every definition and wording, whose it is, where the term is used, and the curated note."""
from __future__ import annotations

import json
from collections import defaultdict
from urllib.parse import quote

from ..chinese import chinese_ordinal, first_clause, sentence_around
from ..contributions.curation import render_curated
from ..corpus.scope import RULE_LABELS, Scope, whose
from ..corpus.terms import Term, pinyin_sort_key, pinyin_syllables
from ..publishing import Address
from ..remembered import Memo, key_of
from ..safe_text import html_text, link_html, page_title
from ..urls import SEARCH_PAGE, TERM_INDEX, built_href, href, report_page, term_page, wording_anchor
from . import citation
from .front_matter import front_matter
from .links import most_shared_wording
from .report import list_title, md_escape
from .report_context import DESCRIPTION_CHARS, clip


def _link(to_page: str, anchor: str = "") -> str:
    """A link from a term page (or the term index): they all live in terms/."""
    return href(TERM_INDEX, to_page, anchor)


def render_term(term: Term, terms: dict[str, Term] | None = None, address: Address | None = None,
                scope: Scope | None = None, timeline: str = "") -> str:
    # search.boost: a search for the term should show its own page first.
    definition = most_shared_wording(term)
    # No quotes of our own around the term: a display form often has its own (“两重”).
    description = clip(f"{term.display}（名词解释）：{definition}", DESCRIPTION_CHARS) if definition else \
        f"{term.display}：在政府工作报告中的使用"
    schema = citation.term_schema(term.display, definition, term.defining_reports)
    out = [front_matter({"title": page_title(term.display), "description": description, "schema": schema,
                         "search": {"boost": 2}}),
           f"# {md_escape(term.display)}\n"]
    # Toneless and spaced, as people type it: search_worker.js finds `wushui` through this line.
    syllables = pinyin_syllables(term.key)
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
        heading = f"释义{chinese_ordinal(n)}" if len(wordings) > 1 else "释义"
        shared = f"（{len(wording.definitions)} 份报告措辞相同）" if len(wording.definitions) > 1 else ""
        out.append(f"### {heading}{shared} {{#{wording_anchor(n)}}}\n")
        out.append(definition_html(wording.text))
        out.append(defined_in(wording, term))
    if len(wordings) > 1:
        out.append("## 措辞比较\n")
        out.append("与释义一相比，<del>删去</del>和<ins>新增</ins>的文字：\n")
        base = wordings[0].text
        out.append('<table class="wording-diff"><thead><tr><th>释义一</th><th>比较的释义</th></tr></thead><tbody>')
        for n, wording in enumerate(wordings[1:], 2):
            left, right = diff_html(base, wording.text)
            out.append(f"<tr><td>{left}</td><td><b>释义{chinese_ordinal(n)}</b>：{right}</td></tr>")
        out.append("</tbody></table>\n")
    if term.curated:
        others = terms or {}
        out.append(render_curated(term.curated, lambda key: _link(term_page(others[key].slug)) if key in others else None))
    if scope is not None:
        out.append(_scope_block(term, scope))
    out.append(timeline)   # term_trends.term_timeline: reports using the term per year
    out.append(_uses_block(term))
    if address and address.repo_url:
        out.append(_term_edit_link(term, address))
    return "\n".join(out)


# The rule of which definition a term in running text links to (corpus/scope.py), for readers.
SCOPE_EXPLAINED = ("各地的名词解释只说明本地的提法：同样的字词在别的地区、别的年份可能另有所指（如“三资”“五大战略”）。"
                   "所以报告正文中的名词只链接到适用于它的释义：报告自己的名词解释；同一地区其他年份的、"
                   "上级或下级地区的（省—市—县—镇）、全国性报告的、几个互不隶属的地区以相同文字解释的"
                   "（视为全国性提法），以上只取前后五年内的报告（提法会改写）；"
                   "或整理者在 `build_corpus/data/link_scope.yml` 中认定为全国或全省通用、并写明理由的。"
                   "其余用了相同字词的报告不加链接，列在名词页的末尾供读者判断。链接的提示框写明释义出自哪份报告。")


def _scope_block(term: Term, scope: Scope) -> str:
    """Why this term's definitions apply where they do: this term's case, and a link to the general
    rule, which the term index states once (it was 10% of every term page)."""
    out = ["## 释义的适用范围 {#scope}\n",
           f"正文中的名词只链接到适用于它的释义，规则见[名词索引]({_link(TERM_INDEX, 'scope')})。\n"]
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
    """Where reports use the term. Not searched (data-search-exclude, on each heading: the search cuts a page
    at every heading): it is report and section titles, which a query finds on the report pages."""
    out = ["## 在报告正文中的使用 {data-search-exclude}\n"]
    if not term.uses:
        out.append("没有报告在正文中使用这个名词（名词解释区除外）。\n")
        return "\n".join(out)
    own = [u for u in term.uses if u.rule == "own"]
    other = [u for u in term.uses if u.definition is not None and u.rule != "own"]
    unlinked = [u for u in term.uses if u.definition is None]
    if own:
        out.append("### 按本报告自己的释义 {data-search-exclude}\n")
        out.append(uses_in_context(own, term, lambda u: ""))
    if other:
        out.append("\n### 按其他报告的释义 {data-search-exclude}\n")
        out.append(uses_in_context(other, term, lambda u: f'按<a href="#{wording_anchor(term.wording_number(u.definition))}">'
                                   f"{html_text(whose(u.definition))} 的释义</a>"
                                   f"（{html_text(RULE_LABELS.get(u.rule, u.rule))}）"))
    if unlinked:
        out.append("\n### 措辞相同、没有适用的释义 {#same-wording data-search-exclude}\n")
        out.append("这些报告用了相同的字词，但上面的释义都不适用于它们（地区互不隶属、年份相隔太久，"
                   "或整理者指出此处另有所指），可能不是同一个意思，所以正文中没有链接。\n")
        out.append(uses_in_context(unlinked, term, lambda u: ""))
    return "\n".join(out) + "\n"


def definition_html(text: str) -> str:
    """A wording as the page's main content: body text, set off by a rule, not a grey quotation."""
    return f'<p class="term-definition">{html_text(text)}</p>\n'


# Sentences quoted per report and definition; the other uses are listed by section. A term used in
# every report (营商环境) would otherwise make a page of every sentence of the corpus that holds it.
SENTENCES_PER_REPORT = 3
# Reports quoted on one list of a term page, the newest first; the others are counted and left to the full
# results page, which finds every one. A term most reports use made a page of every report otherwise:
# 两重 was 0.97 MB at 1,000 synthetic reports, 体系 17.9 MB at 10,000 (issue #27), too much for a phone.
REPORTS_QUOTED = 100


def uses_in_context(uses: list, term: Term, how) -> str:
    """Each use as the sentence around it (chinese.sentence_around, ≤ CONTEXT_CHARS characters), linked
    to its paragraph; grouped by place, then year, as ctext.org lists a word's uses; past REPORTS_QUOTED
    reports, the newest are quoted and the rest counted, with a link to the full results page. An HTML
    block, the list Python-Markdown would make of it: with ~100,000 links at 1,000 reports, these lists as
    Markdown were 60% of MkDocs' time on term pages (each link parsed, then resolved by MkDocs)."""
    groups: dict[tuple, list] = defaultdict(list)
    for use in uses:
        groups[(use.report.meta.year or 0, use.report.id, id(use.definition))].append(use)
    newest = sorted(groups, key=lambda k: (-k[0], k[1]))
    quoted_reports = list(dict.fromkeys(k[1] for k in newest))[:REPORTS_QUOTED]
    is_quoted = set(quoted_reports)
    by_place: dict[str, dict[tuple, list]] = defaultdict(dict)
    for key in newest:
        if key[1] in is_quoted:
            same = groups[key]
            by_place[same[0].report.meta.place or "地区未知"][key] = same
    left = [groups[k] for k in newest if k[1] not in is_quoted]
    items = []
    for place in sorted(by_place, key=pinyin_sort_key):
        reports = []
        for (year, _, _), same in by_place[place].items():   # newest first, as filled
            doc = same[0].report
            page = report_page(doc.id)
            total = sum(u.count for u in same)
            label = how(same[0])
            quoted = [_use_sentence(u, term, page) for u in same[:SENTENCES_PER_REPORT]]
            rest = same[SENTENCES_PER_REPORT:]
            more = (f'<li class="use-more">另有 {sum(u.count for u in rest)} 处：'
                    + "、".join(_html_link(u.section, page, u.anchor) for u in rest) + "</li>") if rest else ""
            reports.append(f"<li><strong>{year or '年份未知'}</strong>"
                           f"（{_html_link(list_title(doc), page)}，{total} 次）{('：' + label) if label else ''}"
                           f'<ul class="use-sentences">{"".join(quoted)}{more}</ul></li>')
        items.append(f'<li class="use-place"><strong>{html_text(place)}</strong><ul>{"".join(reports)}</ul></li>')
    out = ['<ul class="term-uses">', *items, "</ul>"]
    if left:
        reports_left = len({same[0].report.id for same in left})
        span = _years_of([same[0].report for same in left])
        out.append(f'<p class="use-more">以上是最近的 {len(quoted_reports)} 份报告。另有 {span}{reports_left} 份报告'
                   f"使用这个名词（{sum(u.count for same in left for u in same)} 次），不在此逐句列出："
                   f"{link_html('在全文检索中查看全部', _phrase_search(term.key))}。</p>")
    return "\n".join(out)


def _years_of(reports: list) -> str:
    """`2017–2020 年的`, `2019 年的`, or nothing: the years of the reports a capped list leaves out."""
    years = sorted({doc.meta.year for doc in reports if doc.meta.year})
    return f"{years[0]}–{years[-1]} 年的" if len(years) > 1 else (f"{years[0]} 年的" if years else "")


def _phrase_search(phrase: str) -> str:
    """The full results page (every report holding it) for a phrase, from a term page."""
    return built_href(TERM_INDEX, SEARCH_PAGE) + "?query=" + quote(f'"{phrase}"')


# The words of a wording that a search for it quotes (chinese.first_clause).
OPENING_CHARS = 16


def defined_in(wording, term: Term) -> str:
    """出自: the reports giving this wording, the newest REPORTS_QUOTED of them, grouped by how their
    text writes the term (said once per group, not after every report); the rest counted, with a link
    to the full results page for the wording's opening words. A term hundreds of reports define alike
    listed every one of them (两重: 595 links and as many "原文写作" at 1,000 synthetic reports)."""
    newest = sorted(wording.definitions, key=lambda d: (-(d.report.meta.year or 0), d.report.id))
    shown, left = newest[:REPORTS_QUOTED], newest[REPORTS_QUOTED:]
    by_written: dict[str, list] = defaultdict(list)
    for d in shown:
        by_written[d.written].append(d)
    lines = []
    for written, ds in by_written.items():
        how = f"（原文写作{html_text(written)}）" if written != term.key else ""
        lines.append(f"出自{how}：" + "、".join(_html_link(list_title(d.report), report_page(d.report.id), d.entry.anchor)
                                              for d in ds))
    if left:
        search = _phrase_search(first_clause(wording.text, OPENING_CHARS))
        lines.append(f"以上是最近的 {len(shown)} 份。另有 {_years_of([d.report for d in left])}{len(left)} 份报告措辞相同，"
                     f"不在此逐一列出：{link_html('在全文检索中查看', search)}（全部名单见下载的名词解释数据）。")
    # Not searched: report titles, which a query finds on the reports' own pages (here they made term
    # pages hits for every place name and the index carry each title once per term the report defines).
    return "".join(f'<p class="term-sources" data-search-exclude>{line}</p>\n' for line in lines)


def _use_sentence(use, term: Term, page: str) -> str:
    """One use: the sentence around it, the term marked, and where it is (section, paragraph link)."""
    p = use.paragraph
    span = None
    if p is not None:
        span = next(((a, b) for a, b, key in p.term_spans if key == term.key), None)
        if span is None:   # a use the linker did not link (same words, no definition that applies)
            span = next(((i, i + len(form)) for form in (*term.forms, term.key) if (i := p.text.find(form)) >= 0), None)
    if p is None or span is None:
        return f"<li>{_html_link(use.section or '开头', page, use.anchor)}</li>"
    key = key_of((p.text, span, use.section, page, use.anchor))
    item = QUOTED.get(key)
    if item is None:
        excerpt, a, b = sentence_around(p.text, *span)
        item = (f'<li><span class="use-sentence">{html_text(excerpt[:a])}<mark>{html_text(excerpt[a:b])}</mark>'
                f"{html_text(excerpt[b:])}</span> <small>{_html_link(use.section or '开头', page, use.anchor)}</small></li>")
        QUOTED.put(key, item)
    return item


# Each quoted use as a list item, by a digest of all it is made of (the paragraph's text, the term's span
# in it, the section, the report page, the paragraph's anchor), kept between builds (remembered.py):
# 26,000 of them at 1,000 reports were ~0.35 s of every warm build, for the same items as the last's.
QUOTED = Memo("term.quoted")


def _html_link(label: str, to_page: str, anchor: str = "") -> str:
    """A link in HTML, to the page as the built site has it (MkDocs rewrites only Markdown links)."""
    return link_html(label, built_href(TERM_INDEX, to_page, anchor))


def render_term_index(terms: dict[str, Term]) -> str:
    out = [front_matter({"title": "名词索引", "description": f"各地政府工作报告“名词解释”中的 {len(terms)} 个名词，按拼音排序"}),
           "# 名词索引\n",
           f"语料中各报告“名词解释”收录的 {len(terms)} 个名词，按拼音排序、以首字母分组。"
           "每个名词后是解释它的报告数和在正文中使用它的报告数。正文中的名词链接到哪一条释义，"
           "见页末的[释义的适用范围](#scope)。\n"]
    groups: dict[str, list[Term]] = defaultdict(list)
    for term in sorted(terms.values(), key=lambda t: pinyin_sort_key(t.key)):
        groups[term.initial if term.initial.isalpha() else "#"].append(term)
    letters = sorted(groups, key=lambda k: (k == "#", k))
    out.append(" · ".join(f"[{k}](#letter-{k.lower() if k != '#' else 'other'})" for k in letters) + "\n")
    for k in letters:
        out.append(f"## {md_escape(k)} {{#letter-{k.lower() if k != '#' else 'other'}}}\n")
        for term in groups[k]:
            out.append(f"- [{md_escape(term.display)}]({_link(term_page(term.slug))})　"
                       f"<small>解释 {len(term.defining_reports)} · 使用 {len(term.using_reports)}</small>")
        out.append("")
    out.extend(["## 释义的适用范围 {#scope}\n", SCOPE_EXPLAINED + "\n"])   # each term page links here
    return "\n".join(out)


# --- indexes ---------------------------------------------------------------
