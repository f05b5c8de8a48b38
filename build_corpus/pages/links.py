"""Term links in a report page: the first occurrence of a term in each section links to the
definition that applies (corpus/linking.py decided which), with a tooltip saying whose it is.
Written as HTML, like the paragraphs they sit in (pages/report.py says why)."""
from __future__ import annotations

from collections import Counter, defaultdict

from ..corpus.linking import occurrences, paragraphs_with_sections, target_of
from ..corpus.scope import Scope, Target, whose
from ..corpus.terms import Term
from ..model import Document, Paragraph
from ..safe_text import html_attr, html_text, link_html, tooltip_attr
from ..urls import built_href, report_page, term_page, wording_anchor
from .report import paragraph_html


def paragraph_linker(doc: Document, terms: dict[str, Term], scope: Scope):
    """A function rendering one paragraph with its first-in-section term occurrences linked. A definition's
    tooltip is written once per page, on the first link to it; later links to the same definition carry
    the class term-link and readers.js gives them that title before Material mounts its tooltips. The
    tooltips were a tenth of a report page, most of them repeats (issue #27). A link to the report's own
    名词解释 entry carries none at all: the entry is on the page, and readers.js takes its definition
    from there (2.3 KB of a synthetic report page was those definitions a second time)."""
    linked_in_section: dict[str, set[str]] = defaultdict(set)
    section_of = {id(p): anchor for p, _, anchor in paragraphs_with_sections(doc)}
    here = report_page(doc.id)
    titled: set[str] = set()

    def link(p: Paragraph, _doc: Document) -> str:
        seen = linked_in_section[section_of.get(id(p), "")]
        insertions = {}
        for o in occurrences(p):
            if o.key in seen:
                continue
            seen.add(o.key)
            url, tooltip = link_target(terms[o.key], target_of(scope, doc, p, o), here)
            if url in titled or url.startswith("#"):
                opening = f'<a href="{html_attr(url)}" class="term-link">'
            else:
                titled.add(url)
                opening = f'<a href="{html_attr(url)}" title="{tooltip_attr(tooltip)}">'
            insertions[o.start] = [(o.end, f'{opening}{html_text(p.text[o.start:o.end])}</a>')]
        return paragraph_html(p, doc, insertions)
    return link


def link_target(term: Term, target: Target, from_page: str) -> tuple[str, str]:
    """(href as built, tooltip) of a link on `from_page`: the report's own entry on the same page;
    otherwise the definition on the term page, and the tooltip says whose it is (海南省 2026：…)."""
    d = target.definition
    if target.rule == "own":
        return f"#{d.entry.anchor}", d.entry.definition
    return (built_href(from_page, term_page(term.slug), wording_anchor(term.wording_number(d))),
            f"{whose(d)}：{d.entry.definition}")


def most_shared_wording(term: Term) -> str:
    """The definition most reports word alike: the term page's summary for search engines and previews."""
    wordings = term.wordings
    return max(wordings, key=lambda w: len(w.definitions)).text if wordings else ""


def terms_used_block(doc: Document, terms: dict[str, Term], scope: Scope | None = None) -> str:
    """The terms this report's text links, with counts; and the words it shares with other reports'
    名词解释 whose definitions do not apply to it (not linked: they may mean something else here)."""
    counts: Counter = Counter()
    for p, _, _ in paragraphs_with_sections(doc):
        counts.update(o.key for o in occurrences(p))
    unlinked = scope.same_wording.get(doc.id, Counter()) if scope else Counter()
    if not counts and not unlinked:
        return ""

    def listed(found: Counter) -> str:
        items = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
        here = report_page(doc.id)
        return "、".join(f"{link_html(terms[k].display, built_href(here, term_page(terms[k].slug)))}（{n}）"
                        for k, n in items)
    out = ["## 本报告使用的名词 {#terms-used data-search-exclude}\n"]
    if counts:
        out.append(f"<p>正文中出现的名词及次数：{listed(counts)}</p>\n")
    if unlinked:
        out.append(f"<p>与其他报告名词解释措辞相同、但那些释义不适用于本报告的字词（正文中未加链接，含义可能不同，"
                   f"见各名词页）：{listed(unlinked)}</p>\n")
    return "\n".join(out)
