"""Footnote markers: `“一镇三村”[1]` in the text points to 名词解释 entry 1.

The marker leaves the paragraph's plain text and becomes a note at its offset (the page links
it to the entry); the bold spans after it move left by the marker's length.
"""
from __future__ import annotations

from ..model import Document, Paragraph, Removal
from .glossary import FOOTNOTE_MARK, strip_footnote_markers


def link_footnote_markers(doc: Document) -> None:
    """Markers like [3] after a term point to glossary entry 3; they leave the plain text."""
    numbers = {e.number for e in doc.glossary if e.number}
    if not numbers:
        return
    for paragraphs in [doc.preamble, *(s.paragraphs for s in doc.all_sections())]:
        for i, p in enumerate(paragraphs):
            text, notes = strip_footnote_markers(p.text, numbers)
            if not notes:
                continue
            removed = _removed_spans(p.text, notes)
            paragraphs[i] = Paragraph(text=text, anchor=p.anchor, notes=notes,
                                      emphasis=[(_shifted(a, removed), _shifted(b, removed)) for a, b in p.emphasis])
            doc.removed.append(Removal("footnote_markers_to_links", " ".join(f"[{n}]" for _, n in notes), count=len(notes)))


def _removed_spans(text: str, notes: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Where each marker stood in the original text: a note's offset is in the text without the markers."""
    spans, removed = [], 0
    for offset, _ in notes:
        marker = FOOTNOTE_MARK.match(text, offset + removed)
        spans.append((marker.start(), marker.end()))
        removed += marker.end() - marker.start()
    return spans


def _shifted(offset: int, removed: list[tuple[int, int]]) -> int:
    """An offset in the original text, in the text without the markers.

    >>> _shifted(10, [(2, 5), (12, 15)])
    7
    """
    return offset - sum(min(end, offset) - start for start, end in removed if start < offset)
