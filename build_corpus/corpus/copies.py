"""Copies: the same report scraped twice (two portals, two archives) is one report with two sources.

Two reports are copies when they name the same place and year and their texts are mostly the
same (shared character 4-grams of their paragraphs), or when their paragraphs are identical. The
fuller copy (more sections, 名词解释 entries, text; fewer lost characters) keeps the report's page;
the other becomes a document of its source that says whose copy it is, so nothing is dropped.
"""
from __future__ import annotations

from collections import defaultdict

from ..document.repair import LOST
from ..model import OTHER, Document

# Share of 4-grams two texts of one report have in common (two scrapes differ by their chrome and
# a few characters; two years of one place share phrases, far below this).
SAME_TEXT = 0.8
SAMPLE_CHARS = 30000


def find_copies(reports: list[Document]) -> list[tuple[Document, Document]]:
    """(copy, kept) pairs: `copy` is the same report as `kept`, which is the fuller."""
    groups: dict[tuple, list[Document]] = defaultdict(list)
    for doc in reports:
        if doc.meta.place and doc.meta.year:
            groups[doc.meta.place, doc.meta.year].append(doc)
        else:
            groups["text", _paragraph_text(doc)].append(doc)
    pairs = []
    for same in groups.values():
        if len(same) < 2:
            continue
        ranked = sorted(same, key=_fullness)
        kept: list[Document] = []
        for doc in ranked:
            twin = next((k for k in kept if _same_text(doc, k)), None)
            if twin is None:
                kept.append(doc)
            else:
                pairs.append((doc, twin))
    return pairs


def mark_copies(reports: list[Document]) -> None:
    """Each copy becomes an `other` document naming the report it copies; the report lists it."""
    for copy, kept in find_copies(reports):
        kept.copies.append(f"{copy.source_path}#{copy.position}")
        copy.kind = OTHER
        copy.kind_reason = (f"与 {kept.source_path}（第 {kept.position} 篇）是同一份报告的两个来源，"
                            f"报告页用较完整的那一份，并列出这一份")
        copy.duplicate_of = kept.source_path


def _fullness(doc: Document) -> tuple:
    """Fullest first; of equal copies, the first in source order."""
    text = _paragraph_text(doc)
    return (-sum(1 for _ in doc.all_sections()), -len(doc.glossary), -(len(text) - 10 * text.count(LOST)),
            doc.source_path, doc.position)


def _paragraph_text(doc: Document) -> str:
    return "".join(p.text for p in doc.all_paragraphs())


def _shingles(text: str) -> set[str]:
    text = text[:SAMPLE_CHARS]
    return {text[i:i + 4] for i in range(0, max(len(text) - 3, 0))}


def _same_text(a: Document, b: Document) -> bool:
    ta, tb = _paragraph_text(a), _paragraph_text(b)
    if ta == tb:
        return True
    sa, sb = _shingles(ta), _shingles(tb)
    if not sa or not sb:
        return False
    return len(sa & sb) / min(len(sa), len(sb)) >= SAME_TEXT
