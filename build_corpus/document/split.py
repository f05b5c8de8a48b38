"""Split: one source file into the documents it holds.

A scraped listing page holds several items separated by rule lines (`-`,
`----`, `====`), each a title line, a body and a posting date. Anything else
is one document. Text outside every item (page chrome after the last item)
is returned as removals of the source, so nothing is dropped unrecorded.
"""
from __future__ import annotations

import re

from ..chinese import calendar_date
from ..model import Document, Problem, Removal

SEPARATOR = re.compile(r"^\s*[-=*_—–]{1,80}\s*$")
POSTING_DATE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")

# A file is a listing when it has at least this many items that look like one.
MIN_LISTING_ITEMS = 2


def split_documents(text: str, path: str) -> tuple[list[Document], list[Removal]]:
    """Return the documents of a source, in source order, and the source-level removals."""
    lines = text.split("\n")
    chunks = _chunks_between_separators(lines)
    items = [c for c in chunks if _looks_like_item(lines, c)]
    if len(chunks) < 2 or len(items) < MIN_LISTING_ITEMS:
        return [Document(source_path=path, position=1, line=1, raw_text=text)], []

    documents, removed = [], []
    for start, end in chunks:
        body = [i for i in range(start, end) if lines[i].strip()]
        if not body:
            continue
        if not _looks_like_item(lines, (start, end)):
            removed.append(Removal("listing_page_chrome", "\n".join(lines[i] for i in body)))
            continue
        date_at = max(i for i in body if POSTING_DATE.match(lines[i]))
        after = [i for i in body if i > date_at]
        if after:
            removed.append(Removal("listing_page_chrome", "\n".join(lines[i].strip() for i in after)))
        item_lines = [lines[i] for i in body if i <= date_at]
        doc = Document(source_path=path, position=len(documents) + 1, line=body[0] + 1,
                       raw_text="\n".join(item_lines[1:-1]))
        doc.title = item_lines[0].strip()
        doc.meta.published = calendar_date(*POSTING_DATE.match(item_lines[-1]).groups()[:3])
        if doc.meta.published is None:
            doc.notes.append(Problem(path, f"发布日期“{item_lines[-1].strip()}”不是真实存在的日期，留空 / no such date; "
                                     "the field is left empty", "notice", key=f"#{doc.position}"))
        documents.append(doc)
    return documents, removed


def _chunks_between_separators(lines: list[str]) -> list[tuple[int, int]]:
    bounds = [-1] + [i for i, line in enumerate(lines) if SEPARATOR.match(line)] + [len(lines)]
    return [(a + 1, b) for a, b in zip(bounds, bounds[1:]) if b > a + 1]


# What may follow an item's posting date: a few short lines of page chrome, nothing more.
MAX_LINES_AFTER_DATE = 4
MAX_CHARS_AFTER_DATE = 200


def _looks_like_item(lines: list[str], chunk: tuple[int, int]) -> bool:
    """Title line, at least one body line, then a posting date (a little chrome may follow it).

    A report page dated under its title (title, 来源, date, the whole report) is not an item:
    its text comes after the date.
    """
    body = [lines[i] for i in range(*chunk) if lines[i].strip()]
    dates = [n for n, line in enumerate(body) if POSTING_DATE.match(line)]
    if not dates or dates[-1] < 2:
        return False
    after = body[dates[-1] + 1:]
    return len(after) <= MAX_LINES_AFTER_DATE and sum(len(line) for line in after) <= MAX_CHARS_AFTER_DATE
