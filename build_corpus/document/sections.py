"""Sections: the report's own heading tree, its appendices and its 名词解释 block.

Heading styles are 一、 / （一） / 1. plus, in some provincial reports, short
unnumbered lines above the 一、 level. A style's level is fixed where it first
appears (one below the heading it first appears under), so a report that puts
unnumbered headings above 一、 gets 一、 at level 2 without any special case.
A numbering that starts again at 一、 right after a line ending in ：
(以下五个方面的工作：一、…) is a list nested one level down.

In sources scraped onto one line the heading is glued to its body
(一、2017年工作回顾2017年，我们…); `split_glued_heading` finds the seam.

Not every numbered line is a heading: an item ending in ； (一、继续坚持……；) or one
running on far longer than its siblings is an item of a list. A heading on its own
line may skip a number (（二） then （四）) without losing the headings after it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..chinese import APPENDIX_HEADING as APPENDIX
from ..chinese import GLOSSARY_HEADING_WORDS as HEADING_WORDS
from ..chinese import GLUED_GLOSSARY_HEADING as GLUED_GLOSSARY
from ..chinese import GLUED_SALUTATION as SALUTATION
from ..chinese import HEADING_NUMBER_START as NUMBERED_START
from ..chinese import (
    HEADING_NUMBERS,
    QUOTE_AND_BRACKET,
    SALUTATION_WORDS,
    SENTENCE_ENDS,
    chinese_numeral_value,
    heading_number,
    leaves_open,
)
from ..model import Document, Paragraph, Section
from ..segmentation import word_boundaries
from .glossary import glossary_heading

DATA = Path(__file__).parent.parent / "data" / "sections.yml"
# Heading numberings, outermost first as reports usually nest them; the level of each is
# still fixed where it first appears (see _level_for), so other nestings work too.
STYLES = [(style, re.compile("^" + heading_number(style) + (r"[\s:：、]*" if style == "part" else r"\s*") + r"(?P<rest>\S.*)$"))
          for style in HEADING_NUMBERS]
LIST_STYLES = ("digit", "paren_digit")   # headings only when short; otherwise numbered paragraphs
SENTENCE_END = re.compile(f"[{SENTENCE_ENDS}]")
MAX_HEADING = 45            # characters of a heading's own text
MAX_LIST_HEADING = 25       # a numbered 1. line is a heading only when its first sentence is this short
FIRST_LINE_OPENERS = (SALUTATION, GLUED_GLOSSARY)   # 各位代表： opens only a report's first lines
LINE_OPENERS = (GLUED_GLOSSARY,)
EMPHASIS = re.compile(r"\*\*(.+?)\*\*")
# glossary_heading wants one of HEADING_WORDS once whitespace is taken out; most lines have none,
# and this finds that without rebuilding each line (nor crossing into the next one).
HEADING_WORD = re.compile("|".join(r"[^\S\n]*".join(map(re.escape, word)) for word in HEADING_WORDS))
CLAUSE_PUNCTUATION = re.compile(r"[，。；：！？,;:!?、]")
CLAUSE_COMMA = re.compile(r"[，,]")
OPENING_PUNCTUATION = re.compile(r"[，。；、“”]")
# A list number (1.) or a year (2017年) opens a glued body before any word of sections.yml does.
STRONG_EVIDENCE = re.compile(r"\d{1,2}[.．](?!\d)|(19|20)\d{2}年?(?!\d)")


@lru_cache(maxsize=1)
def sections_data() -> dict:
    with DATA.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@dataclass
class Heading:
    style: str
    number: int
    marker: str
    title: str
    body: str


def outline(doc: Document, body: str, place_short: str = "") -> list[str]:
    """Fill in the document's preamble, sections, appendices and 名词解释 lines from its body;
    returns the doubts (numbering that skips, uncertain heading ends), for the page and `check`."""
    lines = _separate_glued_openers(body.split("\n"))
    doubts: list[str] = []
    glossary_at = _first_glossary_heading(lines)
    main = lines if glossary_at is None else lines[:glossary_at]
    if glossary_at is not None:
        doc.glossary_title = glossary_heading(lines[glossary_at]) or lines[glossary_at]
        block = lines[glossary_at + 1:]
        appendix_in_block = next((i for i, line in enumerate(block) if APPENDIX.match(line) and not _opens_glossary(line)), None)
        if appendix_in_block is not None:
            main = main + block[appendix_in_block:]
            block = block[:appendix_in_block]
        doc.glossary_lines = block
    appendix_at = _appendix_start(main)
    body_lines, appendix_lines = main[:appendix_at], main[appendix_at:]
    _build_tree(body_lines, doc.run_on, place_short, doc, doubts)
    doc.appendices = _appendices(appendix_lines)
    _assign_anchors(doc)
    return doubts


def _first_glossary_heading(lines: list[str]) -> int | None:
    """Index of the first line but the first that opens the 名词解释 block: one regex scan of the text."""
    text = "\n".join(lines)
    i, counted = 0, 0
    for m in HEADING_WORD.finditer(text):
        i += text.count("\n", counted, m.start())
        counted = m.start()
        if i > 0 and glossary_heading(lines[i]):
            return i
    return None


def _opens_glossary(line: str) -> bool:
    return bool(HEADING_WORD.search(line)) and bool(glossary_heading(line))


def _separate_glued_openers(lines: list[str]) -> list[str]:
    """各位代表：现在，… and 名词解释1.… arrive on one line in scraped sources."""
    out = []
    for i, line in enumerate(lines):
        for pattern in FIRST_LINE_OPENERS if i < 3 else LINE_OPENERS:
            m = pattern.match(line)
            if m and len(line) > m.end():
                out.append(line[: m.end()].strip())
                line = line[m.end():]
        out.append(line)
    return out


def _appendix_start(lines: list[str]) -> int:
    """Index of the first appendix line: 附件/附表, or a 民生实事 list, after the closing appeal (各位代表！…)."""
    closing = max((i for i, line in enumerate(lines) if line.startswith(SALUTATION_WORDS) and i >= 2), default=None)
    after_body = closing if closing is not None else len(lines) // 2
    for i, line in enumerate(lines):
        if i <= after_body:
            continue
        if APPENDIX.match(line):
            return i
        if closing is not None and len(line) <= 30 and "民生实事" in line and not SENTENCE_END.search(line):
            return i
    return len(lines)


def _appendices(lines: list[str]) -> list[Section]:
    appendices: list[Section] = []
    for line in lines:
        m = APPENDIX.match(line)
        if m or not appendices:
            title = line if not m or m.group("title") else line.rstrip("：:")
            appendices.append(Section(title=title, level=1))
            continue
        current = appendices[-1]
        if not current.paragraphs and len(line) <= 30 and not SENTENCE_END.search(line) and APPENDIX.match(current.title):
            current.title = f"{current.title.rstrip('：:')}：{line}"
            continue
        current.paragraphs.append(_paragraph(line))
    return appendices


# --- the tree --------------------------------------------------------------

@dataclass
class _Series:
    """One numbering sequence (一、二、… or a nested 一、二、…) and where it stands."""
    level: int
    last: int


def _build_tree(lines: list[str], run_on: bool, place_short: str, result: Document, notes: list[str]) -> None:
    unnumbered = _unnumbered_headings(lines)
    headings = {i: h for i, line in enumerate(lines) if (h := _parse_heading(line, i in unnumbered, run_on))}
    if not run_on:
        _split_at_a_year(lines, headings)
        _drop_run_on_items(headings)
    if run_on:
        _split_glued(lines, headings, place_short, notes)
    stack: list[Section] = []                 # open sections, outermost first
    series: dict[str, list[_Series]] = {}     # style -> its numbering series, outermost first
    previous_text = ""
    for i, line in enumerate(lines):
        h = headings.get(i)
        level = _level_for(h, stack, series, previous_text, notes) if h else None
        if level is None:
            if h:   # a numbered line out of sequence is text, not a heading
                notes.append(f"“{line[:20]}…”编号不连续，按正文处理")
            target = stack[-1].paragraphs if stack else result.preamble
            target.append(_paragraph(line))
            previous_text = line
            continue
        while stack and stack[-1].level >= level:
            stack.pop()
        section = Section(title=_plain(h.title), level=level, number=h.marker)
        (stack[-1].sections if stack else result.sections).append(section)
        stack.append(section)
        if h.body:
            section.paragraphs.append(_paragraph(h.body))
        previous_text = h.body or h.title


# A standalone heading may skip this many numbers (a report that prints （二） then （四）).
MAX_SKIPPED = 2


def _level_for(h: Heading, stack: list[Section], series: dict[str, list[_Series]],
               previous_text: str, notes: list[str]) -> int | None:
    """The level of a heading, or None when its number does not continue any open series.

    A heading on a line of its own may skip a number or two of the innermost series of its
    style: one lost number must not turn every later heading into text.
    """
    current_level = stack[-1].level if stack else 0
    open_series = [s for s in series.get(h.style, []) if s.level <= current_level + 1]
    series[h.style] = open_series
    if h.style == "unnumbered":
        if not open_series:
            open_series.append(_Series(current_level + 1, 0))
        return open_series[0].level
    for s in reversed(open_series):
        if h.number == s.last + 1:
            s.last = h.number
            del open_series[open_series.index(s) + 1:]
            return s.level
    if open_series and not h.body and open_series[-1].last + 1 < h.number <= open_series[-1].last + 1 + MAX_SKIPPED \
            and open_series[-1].level >= current_level:
        s = open_series[-1]
        notes.append(f"编号从第 {s.last} 项跳到第 {h.number} 项（“{h.marker}{h.title[:20]}”），按原文编号保留")
        s.last = h.number
        return s.level
    if h.number == 1:
        nested = bool(open_series) and previous_text.endswith(("：", ":"))
        is_list = h.style in LIST_STYLES
        if not open_series or nested or is_list or current_level < open_series[-1].level:
            level = current_level + 1 if (nested or not open_series or is_list) else open_series[-1].level
            open_series.append(_Series(level, 1))
            return level
    return None


def _parse_heading(line: str, unnumbered: bool, run_on: bool = False) -> Heading | None:
    if unnumbered:
        return Heading("unnumbered", 0, "", line, "")
    if not NUMBERED_START.match(line):
        return None
    for style, pattern in STYLES:
        m = pattern.match(line)
        if not m:
            continue
        marker = line[: m.start("rest")].strip()
        title, body = _split_inline(m.group("rest"))
        if style in LIST_STYLES and (len(title) > MAX_LIST_HEADING or (not body and SENTENCE_END.search(m.group("rest")))):
            return None
        if style in LIST_STYLES and not body and len(m.group("rest")) > MAX_LIST_HEADING:
            return None
        number = chinese_numeral_value(m.group("n"))
        if number is None:   # 一一、 is not a numbering
            return None
        if not run_on:
            rest = m.group("rest")
            end = SENTENCE_END.search(rest)
            if end and end.group(0) == "；":   # 一、继续坚持……改革不合理的价格体系； is a list item
                return None
            if title == rest and end:   # a long first sentence is the title; what follows is body
                title, body = rest[: end.start()], rest[end.end():].strip()
        return Heading(style, number, marker, title, body)
    return None


def _split_at_a_year(lines: list[str], headings: dict[int, Heading]) -> None:
    """A heading a page ran into its body on its own line (一、2018年工作回顾2018年，面对…): where a
    year opens the body inside the heading's window, that is the seam (the rest stay items)."""
    for i, h in list(headings.items()):
        if h.style in ("cn", "paren", "part") and len(h.title) > MAX_HEADING:
            rest = lines[i][len(h.marker):].strip()
            cut = _seam(rest, None, "", strong_only=True)
            if cut is not None:
                headings[i] = Heading(h.style, h.number, h.marker, rest[:cut], rest[cut:])


def _drop_run_on_items(headings: dict[int, Heading]) -> None:
    """A numbered line whose first sentence runs on far longer than its siblings' is an item of
    a list (a report's 一、二、 measures), not a heading: headings of one style are alike."""
    by_style: dict[str, list[int]] = {}
    for h in headings.values():
        by_style.setdefault(h.style, []).append(len(h.title))
    for i, h in list(headings.items()):
        lengths = sorted(by_style[h.style])
        median = lengths[len(lengths) // 2]
        if len(h.title) > MAX_HEADING and len(h.title) > 1.5 * median:
            del headings[i]


def _split_inline(rest: str) -> tuple[str, str]:
    """A heading line is the heading alone, or its first sentence followed by the body."""
    m = SENTENCE_END.search(rest)
    if not m:
        return rest, ""
    if m.start() <= MAX_HEADING:
        return rest[: m.start()], rest[m.end():].strip()
    return rest, ""   # a long first sentence: the caller decides (glued heading in run-on text)


def _unnumbered_headings(lines: list[str]) -> set[int]:
    """Short lines without punctuation standing above the numbered headings (内蒙古 2026)."""
    def candidate(line: str) -> bool:
        return (4 <= len(line) <= 40 and not CLAUSE_PUNCTUATION.search(line)
                and not any(p.match(line) for _, p in STYLES) and not APPENDIX.match(line)
                and not _opens_glossary(line))
    found = [i for i, line in enumerate(lines) if candidate(line)]
    first_numbered = next((i for i, line in enumerate(lines) if any(p.match(line) for _, p in STYLES[:3])), len(lines))
    if len(found) >= 2 and found[0] < first_numbered:
        return set(found)
    return set()


# --- glued headings in run-on sources ---------------------------------------

def _split_glued(lines: list[str], headings: dict[int, Heading], place_short: str, notes: list[str]) -> None:
    """Re-split headings whose body was glued on (一、2017年工作回顾2017年，我们…)."""
    glued = {i: h for i, h in headings.items() if h.style != "unnumbered" and _is_glued(lines[i], h)}
    shared = _shared_body_openings(lines, glued)
    for i, h in glued.items():
        rest = lines[i][len(h.marker):].strip()
        cut = _seam(rest, shared.get(h.style), place_short)
        if cut is None:
            title, body = _split_inline(rest)
            if title == rest:   # no sentence end near: fall back to the first clause
                clause = CLAUSE_COMMA.search(rest)
                cut_at = clause.start() if clause and clause.start() <= MAX_HEADING else min(len(rest), MAX_HEADING)
                title, body = rest[:cut_at], rest[cut_at:].lstrip("，,")
                notes.append(f"标题“{h.marker}{title}”与正文的分界不确定（源文本把标题和正文连在一起）")
        else:
            title, body = rest[:cut], rest[cut:]
        headings[i] = Heading(h.style, h.number, h.marker, title, body)


def _is_glued(line: str, h: Heading) -> bool:
    rest = line[len(h.marker):].strip()
    return len(rest) > MAX_HEADING or bool(SENTENCE_END.search(rest))


def _shared_body_openings(lines: list[str], glued: dict[int, Heading]) -> dict[str, str]:
    """A 4-character opening most sibling headings share (高质量发展必须… under each （一）…（五）)."""
    shared = {}
    by_style: dict[str, list[str]] = {}
    for i, h in glued.items():
        by_style.setdefault(h.style, []).append(lines[i][len(h.marker):])
    for style, rests in by_style.items():
        if len(rests) < 3:
            continue
        counts: Counter = Counter()
        first_at: Counter = Counter()
        for rest in rests:
            # each 4-gram and where it first occurs (the smallest p is assigned last)
            seen = {rest[p:p + 4]: p for p in reversed(range(4, min(len(rest) - 4, MAX_HEADING)))}
            counts.update(seen.keys())
            first_at.update(seen)
        if not counts:
            continue
        best = max(counts.values())
        # Of the equally shared 4-grams (高质量发, 质量发展, …) the one starting first opens the body.
        opening = min((g for g, n in counts.items() if n == best), key=lambda g: (first_at[g] / best, g))
        if best >= max(3, 0.6 * len(rests)) and not OPENING_PUNCTUATION.search(opening):
            shared[style] = opening
    return shared


def _seam(rest: str, shared_opening: str | None, place_short: str, strong_only: bool = False) -> int | None:
    """Where the body starts, by the strongest evidence found in the heading's window."""
    window_end = min(len(rest), MAX_HEADING + 1)
    end = SENTENCE_END.search(rest)
    if end:
        window_end = min(window_end, end.start())
    boundaries = word_boundaries(rest[: window_end + 4])
    # Where a body may start: a word boundary in the window, outside quotes and brackets, 4+ characters left.
    starts = [p for p in boundaries if 4 <= p < window_end and len(rest) - p >= 4]
    for evidence, literal in ((STRONG_EVIDENCE, shared_opening), (_body_openings(), place_short))[:1 if strong_only else 2]:
        for p in starts:
            if (evidence.match(rest, p) or (literal and rest.startswith(literal, p))) and not leaves_open(rest[:p], QUOTE_AND_BRACKET):
                return p
    return None


@lru_cache(maxsize=1)
def _body_openings() -> re.Pattern:
    """The words of sections.yml that open a body, as one regex (they use no backreferences)."""
    return re.compile("|".join(f"(?:{p})" for p in sections_data()["body_openings"]))


# --- paragraphs and anchors ------------------------------------------------

def _plain(text: str) -> str:
    return EMPHASIS.sub(r"\1", text).replace("**", "").strip()


def _paragraph(line: str) -> Paragraph:
    """Plain text; `**…**` spans become emphasis offsets so the text stays clean."""
    if "**" not in line:
        return Paragraph(text=line, emphasis=[])
    text, emphasis, last = "", [], 0
    for m in EMPHASIS.finditer(line):
        text += line[last:m.start()]
        emphasis.append((len(text), len(text) + len(m.group(1))))
        text += m.group(1)
        last = m.end()
    text += line[last:]
    return Paragraph(text=text.replace("**", ""), emphasis=emphasis)


def _assign_anchors(result: Document) -> None:
    """Anchors follow the tree's positions (sec-2-3), so they are the same on every rebuild."""
    for i, p in enumerate(result.preamble, 1):
        p.anchor = f"preamble-p{i}"

    def walk(sections: list[Section], prefix: str) -> None:
        for n, s in enumerate(sections, 1):
            s.anchor = f"{prefix}-{n}"
            for i, p in enumerate(s.paragraphs, 1):
                p.anchor = f"{s.anchor}-p{i}"
            walk(s.sections, s.anchor)
    walk(result.sections, "sec")
    walk(result.appendices, "appendix")
