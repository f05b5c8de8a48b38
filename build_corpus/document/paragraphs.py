"""Where a paragraph ends: the rules of the two fixes that move line breaks.

`join_wrapped_lines` asks `continues` whether a line goes on the paragraph before it
(a page break or a hyperlink cut it); `break_run_on_lines` asks `break_line` where a
report scraped onto one line had its paragraphs (after a sentence end and a space,
before a numbered or a glossary/appendix heading).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..chinese import (
    BLOCK_HEADING,
    CHINESE_HEADING_NUMBER,
    CLOSERS,
    HAN,
    HEADING_START,
    NUMERALS,
    SALUTATION_WORDS,
    SENTENCE_ENDS,
    TERMINAL,
    chinese_numeral_value,
    heading_number,
    leaves_open,
)

# --- joining wrapped lines -------------------------------------------------

_CLAUSE_PUNCTUATION = re.compile("[，。；、,]")


_SENTENCE_INSIDE = re.compile(f"[{SENTENCE_ENDS}]")
_HAN_ONLY = re.compile(f"[{HAN}]+")


def continues(previous: str, line: str, last: str, endings: tuple[str, ...], fragment: int) -> bool:
    """Does `line` go on the paragraph `previous`, whose last source line was `last`?

    `endings` are the words a line never ends a paragraph on, and `fragment` the longest line
    a hyperlink cuts out (data/cleaning.yml: continues_after, fragment_max_chars).

    >>> wrapped, heading = "推动发展，建立了经济运行监测服务机", "一、2022年工作回顾"
    >>> continues(wrapped, "制，推动经济稳步增长。", wrapped, ("是",), 4), continues(heading, "2022年，", heading, ("是",), 4)
    (True, False)
    """
    if not previous or not line or previous[-1] in TERMINAL or HEADING_START.match(line):
        return False
    if line[0] in "，、。；：！？）”’》":
        return True
    if CHINESE_HEADING_NUMBER.fullmatch(previous):   # 一、 alone: its title is on the next line
        return True
    # A heading line, unless its body began on it (（三）民生保障更加有力。新增…县人 / 民医院…):
    # then the line was wrapped mid-sentence and goes on.
    if HEADING_START.match(previous) and len(previous) <= 40 and not leaves_open(previous) \
            and not _SENTENCE_INSIDE.search(previous):
        return False
    if previous.endswith(endings) or (len(last) <= fragment and _HAN_ONLY.fullmatch(last) and _HAN_ONLY.match(line)
                                      and not last.startswith(SALUTATION_WORDS) and not BLOCK_HEADING.match(last)
                                      and not last.startswith(("注释", "注解", "附"))):
        return True   # a line cut where the page had a link
    if last is not previous and _HAN_ONLY.match(line):
        return True   # a paragraph already joined goes on until its sentence ends (…贯彻 / 党的十九大 / 精神…)
    if previous[-1] in CLOSERS and previous.rstrip(CLOSERS)[-1:] in TERMINAL:
        return False
    if previous.endswith("**") and previous[:-2][-1:] in TERMINAL:
        return False
    return leaves_open(previous) or bool(_CLAUSE_PUNCTUATION.search(previous)) or len(previous) >= 40


# --- breaking run-on lines ----------------------------------------------

# A line this long holds a whole report (or a large part of one), not a paragraph.
RUN_ON_MIN_CHARS = 1500

_SENTENCE_END = "。！？!?；;"
# Where a run-on line may break, by numbering style. Group "n" is the heading number.
_DIGIT_HEADING_DOT = rf"[.．](?=[{HAN}“「《(（A-Za-z])"
_BREAK_CANDIDATES = {
    "cn": re.compile(heading_number("cn")),
    "paren": re.compile(heading_number("paren")),
    "digit": re.compile(rf"(?P<n>\d{{1,2}}){_DIGIT_HEADING_DOT}"),
}
# `\d` is slow to scan for; the dot after a digit heading number is quick to find, and the
# number (at most 2 digits) is then matched from just before it (see `_matches_ending_at`).
_DIGIT_NUMBER_DOT = re.compile(_DIGIT_HEADING_DOT)
# Likewise the 、 after a Chinese heading number (a character found fast, and rarely after a numeral).
_NUMERAL_COMMA = re.compile(rf"、(?<=[{NUMERALS}]、)")
_STRONG_BEFORE = set(_SENTENCE_END + "：:”")
# A 名词解释 entry's number in brackets or a circle (［1］, [１], ①): in a run-on line, after the
# block's heading only (in the body the same marks are footnote markers).
_ENTRY_MARKER = re.compile(r"[［\[【〔]\s*[\d０-９]{1,3}\s*[］\]】〕]|[①-⑳]")
_SPACE_AFTER_SENTENCE = [re.compile(rf"{re.escape(end)}\s+(?=\S)") for end in _SENTENCE_END]   # (one per mark: found faster)


@lru_cache(maxsize=64)   # the verification pass meets again each long line nothing could break
def break_line(line: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The line broken into stripped paragraphs, one a line, and what changed: (removed, replacement) pairs.

    >>> break_line("提出意见。 一、工作回顾")
    ('提出意见。\\n一、工作回顾', ((' ', '\\n'),))
    """
    parts, last = [], 0
    for at in sorted(_break_points(line)) + [len(line)]:
        part = line[last:at]
        lead, trail = len(part) - len(part.lstrip()), len(part) - len(part.rstrip())
        if lead < len(part):   # an all-space part disappears
            parts.append((last + lead, at - trail))
        last = at
    if not parts:
        return "", ((line, ""),) if line else ()
    changes = [(line[:parts[0][0]], "")] if parts[0][0] else []
    changes += [(line[end:next_start], "\n") for (_, end), (next_start, _) in zip(parts, parts[1:])]
    if parts[-1][1] < len(line):
        changes.append((line[parts[-1][1]:], ""))
    return "\n".join(line[start:end] for start, end in parts), tuple(changes)


def _break_points(line: str) -> set[int]:
    """Break before sentences after a space, glossary/appendix headings, and numbered headings.

    A heading number right after the end of a sentence is a sure break. One
    after a Chinese character or a space (the source lost the 。) is taken only
    when it fills a gap in the numbering, e.g. 二、 between a sure 一、 and 三、
    with no other 二、 between them — which rejects 第 一、全省第五 and 新建 二、三级.
    """
    breaks = {m.end() for pattern in _SPACE_AFTER_SENTENCE for m in pattern.finditer(line)}
    for m in BLOCK_HEADING.finditer(line):
        before = _last_visible(line, m.start())
        if before and (before in _STRONG_BEFORE or before == "!" or line[m.start() - 1].isspace()):
            breaks.add(m.start())
            if line[m.end():m.end() + 1].isspace():
                breaks.add(m.end())
    block = next(BLOCK_HEADING.finditer(line), None)
    if block is not None:
        for m in _ENTRY_MARKER.finditer(line, block.end()):
            if m.start() == block.end() or _last_visible(line, m.start()) in _SENTENCE_END or line[m.start() - 1].isspace():
                breaks.add(m.start())
    for style, pattern in _BREAK_CANDIDATES.items():   # each numbering style is its own sequence
        found = []
        if style == "digit":
            matches = _matches_ending_at(pattern, _DIGIT_NUMBER_DOT, 2, line)
        elif style == "cn":
            matches = _matches_ending_at(pattern, _NUMERAL_COMMA, 3, line)
        else:
            matches = pattern.finditer(line)
        for m in matches:
            if m.start() == 0:
                continue
            number = chinese_numeral_value(m.group("n"))
            if number is None:
                continue
            before = _last_visible(line, m.start())
            strong = bool(before) and before in _STRONG_BEFORE
            found.append((m.start(), number, strong))
        for i, (at, _, strong) in enumerate(found):
            if strong or _fills_gap(found, i):
                breaks.add(at)
    return breaks


def _matches_ending_at(pattern: re.Pattern, end: re.Pattern, reach: int, line: str):
    """`pattern.finditer(line)` for a pattern whose every match ends in a match of `end` and
    starts at most `reach` characters before that: found from the matches of `end`."""
    done = 0
    for last in end.finditer(line):
        for start in range(max(last.start() - reach, done), last.start() + 1):
            m = pattern.match(line, start)
            if m and m.end() == last.end():
                yield m
                done = m.end()
                break


def _last_visible(line: str, at: int) -> str:
    """The last non-space character before `at`, or ""."""
    while at > 0 and line[at - 1].isspace():
        at -= 1
    return line[at - 1] if at else ""


def _fills_gap(found: list[tuple[int, int, bool]], i: int) -> bool:
    _, n, _ = found[i]
    later = [m for k, (_, m, strong) in enumerate(found) if k > i and strong]
    earlier = [m for k, (_, m, strong) in enumerate(found) if k < i and strong]
    if not later or later[0] != n + 1:
        return False
    if n == 1:   # a list starting again after a finished one, or the first list
        return not earlier or earlier[-1] >= 2
    return bool(earlier) and earlier[-1] == n - 1

