"""What a report page shows about the rest of the corpus: other years of the same place, reports that
explain the same terms, the term links, and what search engines and citation managers read."""
from __future__ import annotations

from collections import Counter

from ..corpus.places import COUNTRY, place_page_of
from ..corpus.terms import pinyin_sort_key
from ..model import Document, GlossaryEntry, Site
from ..urls import PLACES_PAGE, SPEAKERS_PAGE, built_href, citation_file, href, report_page, speaker_anchor, term_page
from . import citation
from .compare import compare_link
from .links import paragraph_linker, terms_used_block
from .report import PageContext, md_escape


def uses_under_own_entries(terms: dict) -> dict[tuple[str, str, str], list[str]]:
    """(report id, term key, entry anchor) → the anchors of that report's paragraphs whose use of the term
    links to the report's own 名词解释 entry, in the term's order of uses: one pass over every use, once
    for all report pages (a pass per entry was quadratic: 26 of 45 s of report pages at 3,000 reports)."""
    index: dict[tuple[str, str, str], list[str]] = {}
    for key, term in terms.items():
        for use in term.uses:
            definition = use.definition
            if definition is not None and definition.report is use.report:
                index.setdefault((use.report.id, key, definition.entry.anchor), []).append(use.anchor)
    return index


def report_context(doc: Document, site: Site, own_uses: dict) -> PageContext:
    """`own_uses`: uses_under_own_entries(site.terms), made once for all report pages."""
    here = report_page(doc.id)

    def place_link(place: str) -> str:
        if place in site.places:
            return href(here, place_page_of(place))
        return href(here, PLACES_PAGE) if place == COUNTRY else ""   # the country: the places tree

    def term_link(entry: GlossaryEntry, key: str):
        """The term's page; none for a term only this report mentions (its address opens this entry)."""
        term = site.terms.get(key)
        return built_href(here, term_page(term.slug)) if term and key not in site.stubbed_terms else None

    def speaker_link(speaker: str) -> str:
        return href(here, SPEAKERS_PAGE, speaker_anchor(speaker))

    def entry_uses(entry: GlossaryEntry) -> list[str]:
        """Paragraphs of this report whose text uses the entry's terms under this very entry."""
        anchors = [anchor for key in entry.terms for anchor in own_uses.get((doc.id, key, entry.anchor), ())]
        return list(dict.fromkeys(anchors))

    return PageContext(place_link=place_link, term_link=term_link, speaker_link=speaker_link,
                       link_paragraph=paragraph_linker(doc, site.terms, site.scope),
                       timeline=_timeline(doc, site.by_place.get(doc.meta.place or "", [])),
                       terms_used=terms_used_block(doc, site.terms, site.scope) + _shared_definitions(doc, site),
                       front_matter={"description": report_description(doc), "cite": citation.cite_data(doc),
                                     "schema": citation.report_schema(doc)},
                       citation=_citation_block(doc),
                       place=site.places.get(doc.meta.place or ""),
                       source_url=site.address.repo_file(doc.source_path, edit=False) if site.address.repo_url else "",
                       contribute_url=site.address.repo_file("CONTRIBUTING.md", edit=False) if site.address.repo_url else "",
                       entry_uses=entry_uses)


# --- what readers and machines see about a page ---------------------------------

DESCRIPTION_CHARS = 120


def clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def report_description(doc: Document) -> str:
    """The page's own summary for search engines and link previews: what, when, and how it opens."""
    m = doc.meta
    when = "，".join(x for x in (m.meeting, m.date) if x)
    opening = next((p.text for p in doc.all_paragraphs() if len(p.text) > 20), "")
    head = f"{doc.title}全文" + (f"（{when}）" if when else "") + ("，含章节目录和名词解释。" if doc.glossary else "。")
    return clip(head + opening, DESCRIPTION_CHARS)


def _citation_block(doc: Document) -> str:
    """Cite the whole report: the reference (the page script adds the URL and a copy button) and downloads."""
    return "\n".join([
        '??? quote "引用本报告"', "",
        f"    {md_escape(citation.reference_head(doc))}",
        "    {: .report-cite }", "",
        f"    下载引文：[BibTeX]({href(report_page(doc.id), citation_file(doc.id, 'bib'))})"
        f" · [CSL-JSON]({href(report_page(doc.id), citation_file(doc.id, 'json'))})（可导入 Zotero、EndNote 等文献管理软件）。"
        "每段末尾的“引用”复制该段的引文，含章节、段落和网址。", ""])


def _shared_definitions(doc: Document, site: Site) -> str:
    """Other reports whose 名词解释 explain some of the same terms: the slogans travel between places.
    A term that more than MAX_SHARED_DEFINERS reports explain is everywhere (its page lists them all):
    it tells nothing of which places share this one's, and counting it made the pages N² (10,000 reports)."""
    mine = sorted({k for e in doc.glossary for k in e.terms
                   if 0 < len(site.defined_by.get(k, ())) <= MAX_SHARED_DEFINERS}, key=pinyin_sort_key)
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
        # The names as text: each is this report's own entry in 名词解释 above, linked there to its term
        # page; a link on every name here was 40% of a report page's links (and of MkDocs' work on them).
        names = "、".join(md_escape(k) for k in keys)
        out.append(f"- [{md_escape(other.title)}]({href(report_page(doc.id), report_page(other.id))})：{len(keys)} 个（{names}）")
    if len(shared) > MAX_SHARED_REPORTS:
        # Listing them all grows every page with the corpus (N² in all); the term pages list everyone.
        out.append(f"- 另有 {len(shared) - MAX_SHARED_REPORTS} 份报告，见各名词页")
    everywhere = {k for e in doc.glossary for k in e.terms if len(site.defined_by.get(k, ())) > MAX_SHARED_DEFINERS}
    if everywhere:
        out.append(f"\n{MAX_SHARED_DEFINERS} 份以上报告都解释了的名词（{len(everywhere)} 个）不计，各报告见其名词页。")
    return "\n".join(out) + "\n"


def _most_shared(shared: Counter, n: int) -> list[str]:
    """The `n` report ids sharing the most terms, ties by id; only those that can make the cut are sorted."""
    floor = sorted(shared.values(), reverse=True)[min(n, len(shared)) - 1]
    contenders = [(-count, report_id) for report_id, count in shared.items() if count >= floor]
    return [report_id for _, report_id in sorted(contenders)[:n]]


MAX_SHARED_REPORTS = 10
MAX_SHARED_DEFINERS = 50


def _timeline(doc: Document, same: list[Document]) -> str:
    """Links to the other years of the same place (`same`: that place's reports in year order), and
    the ways to compare this report with another."""
    if len(same) < 2:
        return compare_link(doc, same)
    here, items = report_page(doc.id), []
    for d in same:
        label = str(d.meta.year or "?")
        items.append(f"**{label}**" if d is doc else f"[{label}]({href(here, report_page(d.id))})")
    i = same.index(doc)
    prev = f"[{same[i - 1].meta.year}]({href(here, report_page(same[i - 1].id))})" if i > 0 else "无"
    nxt = f"[{same[i + 1].meta.year}]({href(here, report_page(same[i + 1].id))})" if i < len(same) - 1 else "无"
    return (f'<div class="timeline" markdown>\n{md_escape(doc.meta.place)}历年报告：{" · ".join(items)}'
            f"　｜　上一份：{prev}　下一份：{nxt}\n</div>\n") + compare_link(doc, same)
