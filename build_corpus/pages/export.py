"""The corpus's machine-readable form: the `inspect --format json` structure (see README)."""
from __future__ import annotations

from ..model import META_FIELDS, Document, Section, Source

META_KEYS = (*META_FIELDS, "inferred", "pinned")


def source_json(source: Source) -> dict:
    return {
        "path": source.path,
        "encoding": source.encoding or None,
        "error": source.error,
        "sha256": source.sha256 or None,
        "documents": [document_json(d) for d in source.documents],
        "removed": [{"fix": r.fix, "text": r.text, "count": r.count} for r in source.removed],
    }


def document_json(doc: Document) -> dict:
    meta = {k: getattr(doc.meta, k) for k in META_KEYS}
    meta["source"] = {"path": doc.source_path, "position": doc.position, "line": doc.line}
    return {
        "id": doc.id or None,
        "kind": doc.kind,
        "kind_reason": doc.kind_reason,
        "title": doc.title,
        "meta": meta,
        "preamble": [p.text for p in doc.preamble],
        "sections": [section_json(s) for s in doc.sections],
        "appendices": [section_json(s) for s in doc.appendices],
        "glossary": [{"number": e.number, "term": e.term, "terms": e.terms, "definition": e.definition,
                      "anchor": e.anchor} for e in doc.glossary],
        "removed": [{"fix": r.fix, "text": r.text, "replacement": r.replacement or None, "count": r.count}
                    for r in doc.removed],
        "notes": [n.message for n in doc.notes],
        "origin": dict(doc.origin) or None,         # the dataset row it was imported from (build-corpus import)
        "copies": list(doc.copies),                 # other sources of this same report ("path#position")
        "duplicate_of": doc.duplicate_of or None,   # (an `other` document) the source of the report it copies
    }


def section_json(section: Section) -> dict:
    return {
        "title": section.title,
        "number": section.number,
        "level": section.level,
        "anchor": section.anchor,
        "paragraphs": [p.text for p in section.paragraphs],
        "paragraph_anchors": [p.anchor for p in section.paragraphs],
        "sections": [section_json(s) for s in section.sections],
    }
