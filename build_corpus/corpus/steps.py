"""The corpus-wide steps of pipeline.py: what needs every report at once.

CORPUS steps need only the processed sources (ids, glossary anchors); SITE steps also need the
contributors' files (curated notes, annotations) and fill in the `Site` the pages are made of.
"""
from __future__ import annotations

from ..contributions.annotations import attach_annotations
from ..contributions.curation import check_against_corpus
from ..document.metadata import place_pinyin
from ..document.targets import stamped
from ..model import Corpus, Document, Problem, Site
from ..urls import gloss_anchor, report_id
from . import linking
from .copies import mark_copies
from .places import places_with_pages, reports_by_place
from .subsites import plan_subsites
from .terms import merge_terms

# --- needing only the processed sources ----------------------------------------------

def merge_copies(corpus: Corpus) -> None:
    """The same report from two sources: one report, listing both (copies.py)."""
    mark_copies(corpus.reports)


def assign_ids(corpus: Corpus) -> None:
    """`tongxiangshi-2023`: the place in its official romanisation (陕西 shaanxi, from places.yml)
    and the year, unique across the corpus, in urls' alphabet (safe as file names and URLs)."""
    seen: dict[str, int] = {}
    for doc in corpus.reports:
        base = report_id(place_pinyin(doc.meta.place) if doc.meta.place else None, doc.meta.year, doc.raw_digest)
        seen[base] = seen.get(base, 0) + 1
        doc.id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if seen[base] > 1:
            corpus.problems.append(Problem(doc.source_path, f"报告编号 {base} 重复，改用 {doc.id} / "
                                           f"report id {base} is taken; using {doc.id}", severity="warning"))
        for entry in doc.glossary:
            entry.report_id = doc.id


def assign_glossary_anchors(corpus: Corpus) -> None:
    """`#gloss-3` for entry 3 as the report numbers it (or its position): term links and citations point there."""
    for doc in corpus.reports:
        for i, entry in enumerate(doc.glossary, 1):
            entry.anchor = gloss_anchor(entry.number or i)


# --- needing the contributions too ---------------------------------------------------

def attach_contributions(site: Site) -> None:
    """Each annotation finds its paragraph by the words it quotes (a moved paragraph keeps its notes)."""
    site.problems.extend(attach_annotations(site.annotations, site.corpus.reports))


def merge_all_terms(site: Site) -> None:
    """One term per key across every report's 名词解释, with its curated note."""
    site.terms = merge_terms(site.reports)
    site.defined_by = {key: {d.id: d for d in term.defining_reports} for key, term in site.terms.items()}
    for key, term in site.terms.items():
        term.curated = site.curated.get(key)


def check_curated_notes(site: Site) -> None:
    """Curated notes that match no term and no text, and corrections of entries that do not exist."""
    reports = site.corpus.reports
    glossaries = {d.id: {str(e.number or e.term) for e in d.glossary} | {e.term for e in d.glossary} for d in reports}
    site.problems.extend(check_against_corpus(site.curated, set(site.terms), glossaries, map(_shown_text, reports)))


def _shown_text(report: Document) -> str:
    """A report's text as its page shows it: headings, paragraphs (footnote markers and bold marks
    gone) and 名词解释 entries."""
    return "\n".join([*(s.number + s.title for s in report.all_sections()), *(p.text for p in report.all_paragraphs()),
                      *(f"{e.term}\n{e.definition}" for e in report.glossary)])


def record_uses(site: Site) -> None:
    """Every occurrence of every term, and which definition each may link to (scope.py)."""
    site.scope = linking.record_uses(site.reports, site.terms, jobs=site.jobs)


def group_by_place(site: Site) -> None:
    site.by_place = reports_by_place(site.corpus.reports)
    site.places = places_with_pages(site.corpus.reports)


def find_targets(site: Site) -> None:
    """The 主要预期目标 each report sets, and what it says was achieved (each report's own records, found
    with its document: document/targets.py), with the report's id."""
    site.targets = {doc.id: stamped(doc.targets, doc) for doc in site.reports}


def split_into_subsites(site: Site) -> None:
    """A large corpus in sub-sites, one per province, beside the main site (subsites.py)."""
    plan_subsites(site)
