"""The cleaning fixes: each a small function from text to text and what it changed.

A fix returns the fixed text and its changes, `(removed, replacement)` pairs (the
replacement "" for a removal), which clean.py logs by the fix's name. Generic
Unicode normalisers (NFKC, ftfy defaults) would turn ，（： into ,(: — the
opposite of what Chinese text needs — so every fix here is targeted; patterns and
strings to remove are data (data/cleaning.yml).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..chinese import (
    CJK_PUNCT,
    CLOSERS,
    FULLWIDTH_ALNUM_TO_ASCII,
    HALFWIDTH_TO_FULLWIDTH_BRACKETS,
    HALFWIDTH_TO_FULLWIDTH_PUNCTUATION,
    HAN,
    HEADING_START,
    TERMINAL,
)
from ..safe_text import BREAKING_CONTROLS, UNHOLDABLE
from .paragraphs import RUN_ON_MIN_CHARS, break_line, continues

DATA = Path(__file__).parent.parent / "data" / "cleaning.yml"

# What a fix changed: (removed, replacement), the replacement "" for a removal.
Change = tuple[str, str]
Fixed = tuple[str, list[Change]]


@lru_cache(maxsize=1)
def cleaning_data() -> dict:
    with DATA.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def _patterns() -> dict:
    """cleaning.yml's patterns, compiled once."""
    data = cleaning_data()
    return {
        "chrome": [_chrome_pattern(p) for p in data["chrome_patterns"].values()],
        "any_chrome": _line_start_guard(list(data["chrome_patterns"].values())),
        "chrome_lines": frozenset(data["chrome_lines"]),
        "footer_starts": tuple(data["footer_starts"]),
        "any_footer_start": re.compile("|".join(map(re.escape, data["footer_starts"]))),
        "page_number": re.compile("|".join(f"(?:{p})" for p in data["page_number_patterns"])),
    }


def _line_start_guard(patterns: list[str]) -> re.Pattern | None:
    """For `^…` patterns, one regex that matches, from a newline on, wherever one of them matches
    at a line start but the first; the regex engine finds it by looking for newlines, which is much
    faster than trying each pattern at every position. (Each leading `^` becomes the newline; the
    patterns are joined by `|` as they stand, so a pattern's other alternatives keep their meaning.)"""
    if not all(p.startswith("^") for p in patterns) or any(_BACKREFERENCE.search(p) for p in patterns):
        return None
    try:
        return re.compile("|".join("\n" + p[1:] for p in patterns), re.MULTILINE)
    except re.error:   # e.g. two patterns naming a group alike
        return None


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


@dataclass(frozen=True)
class _WholeLinePattern:
    """A `^…` pattern whose every match starts at a line start, found by looking for newlines: the
    regex engine finds the same pattern after a newline (`after_newline`) much faster than it tries
    `^…` at every position."""
    pattern: re.Pattern
    after_newline: re.Pattern

    def match(self, text: str) -> re.Match | None:
        return self.pattern.match(text)

    def finditer(self, text: str) -> Iterator[re.Match]:
        """What `pattern.finditer(text)` yields."""
        m, search_from = self.pattern.match(text), 0
        while True:
            if m is not None:
                if m.end() == m.start():   # an empty match: go on as finditer goes on after one
                    rest = self.pattern.finditer(text, m.start())
                    yield next(rest)
                    yield from rest
                    return
                yield m
                search_from = m.end() - 1 if text[m.end() - 1] == "\n" else m.end()   # (the next line may start at its end)
            found = self.after_newline.search(text, search_from)
            if found is None:
                return
            m, search_from = self.pattern.match(text, found.start() + 1), found.start() + 1


def _chrome_pattern(pattern: str) -> re.Pattern | _WholeLinePattern:
    compiled = re.compile(pattern, re.MULTILINE)
    if not _anchored_as_a_whole(pattern) or _BACKREFERENCE.search(pattern):
        return compiled
    return _WholeLinePattern(compiled, re.compile(f"\n(?:{pattern[1:]})", re.MULTILINE))


def _anchored_as_a_whole(pattern: str) -> bool:
    r"""`^…` with no `|` outside its groups and character classes, so that every match starts at a
    line start (`^A|B` finds B anywhere).

    >>> _anchored_as_a_whole(r"^(上一篇|下一篇)[：:|]"), _anchored_as_a_whole(r"^分享|收藏"), _anchored_as_a_whole(r"^\|")
    (True, False, True)
    """
    depth, in_class, i = 0, False, 1
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += pattern.startswith("^", i + 1)
            i += pattern.startswith("]", i + 1)   # a ] first in a class is itself
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return pattern.startswith("^")


# --- changing text and saying what changed ---------------------------------

def _replace(pattern: re.Pattern | _WholeLinePattern, text: str, changes: list[Change],
             new: Callable[[str], str] = lambda matched: "") -> str:
    """`pattern.sub`, each match becoming `new(match)`; each change goes into `changes`.

    >>> changes = []
    >>> _replace(re.compile(r"\\(一\\)"), "(一)拉高", changes, lambda s: s.translate({40: "（", 41: "）"})), changes
    ('（一）拉高', [('(', '（'), (')', '）')])
    """
    parts, at = [], 0
    for m in pattern.finditer(text):
        old = m.group()
        replacement = new(old)
        if old != replacement:
            parts += (text[at:m.start()], replacement)
            at = m.end()
            changes += _differences(old, replacement)
    if not parts:
        return text
    parts.append(text[at:])
    return "".join(parts)


def _differences(old: str, new: str) -> list[Change]:
    """A replacement as a reader counts it: of the same length, each run of swapped characters
    (７．２ → 7．2 is ７ → 7 and ２ → 2); otherwise the whole."""
    if len(old) != len(new) or len(old) == 1:
        return [(old, new)]
    runs, i = [], 0
    while i < len(old):
        if old[i] != new[i]:
            j = i
            while j < len(old) and old[j] != new[j]:
                j += 1
            runs.append((old[i:j], new[i:j]))
            i = j
        else:
            i += 1
    return runs


def _drop_lines(lines: list[str], drop, changes: list[Change]) -> str:
    """The lines joined again, without those for which `drop(line)` is true (each recorded)."""
    kept = []
    for line in lines:
        if drop(line):
            changes.append((line, ""))
        else:
            kept.append(line)
    return "\n".join(kept)


# --- the fixes -------------------------------------------------------------

def remove_unholdable_characters(text: str) -> Fixed:
    """Controls, noncharacters and bidi overrides (safe_text.UNHOLDABLE: garbled PDF and web text
    carries them) break the page's front matter and reorder titles, citations and CSV cells; they go,
    a control that stood for a page or line break becomes a line break. The log names each one.

    >>> remove_unholdable_characters("排涝水\\ufffe。\\u202e报告\\x0c二、")
    ('排涝水。报告\\n二、', [('\\ufffe', ''), ('\\u202e', ''), ('\\x0c', '\\n')])
    """
    changes: list[Change] = []
    if UNHOLDABLE.search(text):
        text = _replace(UNHOLDABLE, text, changes, lambda c: "\n" if c in BREAKING_CONTROLS else "")
    return text, changes


_INVISIBLE_CHARACTERS = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]+")


def remove_invisible_characters(text: str) -> Fixed:
    """BOM, zero-width spaces/joiners and soft hyphens carry nothing a reader sees.

    >>> remove_invisible_characters("\\ufeff各位\\u200b代表")
    ('各位代表', [('\\ufeff', ''), ('\\u200b', '')])
    """
    changes: list[Change] = []
    if any(c in text for c in _INVISIBLE_CHARACTERS):   # (`in` is much faster than a regex scan)
        text = _replace(_INVISIBLE, text, changes)
    return text, changes


def drop_injected_junk(text: str) -> Fixed:
    """Remove strings scraped pages inject into the text (listed in data/cleaning.yml).

    >>> drop_injected_junk("繁荣发展文化事业。侯卫东官场笔记把加快")
    ('繁荣发展文化事业。把加快', [('侯卫东官场笔记', '')])
    """
    changes: list[Change] = []
    for junk in cleaning_data()["junk_strings"]:
        if junk in text:
            changes += [(junk, "")] * text.count(junk)
            text = text.replace(junk, "")
    return text, changes


def drop_web_chrome(text: str) -> Fixed:
    """Drop page chrome: toolbars, font-size switches, share buttons, breadcrumbs, captions.

    >>> drop_web_chrome("【字体：\\n大\\n中\\n小\\n】\\n分享：\\n各位代表：")
    ('各位代表：', [('【字体：\\n大\\n中\\n小\\n】\\n', ''), ('分享：', '')])
    """
    patterns = _patterns()
    changes: list[Change] = []
    if patterns["any_chrome"] is None or patterns["any_chrome"].search(text) or any(p.match(text) for p in patterns["chrome"]):
        for pattern in patterns["chrome"]:
            text = _replace(pattern, text, changes)
    chrome_lines = patterns["chrome_lines"]
    lines = text.split("\n")
    if any(line.strip() in chrome_lines for line in lines):
        text = _drop_lines(lines, lambda line: line.strip() in chrome_lines, changes)
    return text, changes


def is_chrome_line(line: str) -> bool:
    """A whole line cleaning.yml names as page chrome (分享：, 【字号：大 中 小】, a photo caption).

    >>> is_chrome_line("分享："), is_chrome_line("1月27日，某某作政府工作报告。本报记者 张三 摄"), is_chrome_line("各位代表：")
    (True, True, False)
    """
    stripped = line.strip()
    patterns = _patterns()
    return stripped in patterns["chrome_lines"] or any(p.match(stripped + "\n") for p in patterns["chrome"])


def starts_page_footer(line: str) -> bool:
    """A line cleaning.yml names as the start of a page's footer (责任编辑, 上一篇, 版权所有 …)."""
    return line.strip().startswith(_patterns()["footer_starts"])


def drop_page_footer(text: str) -> Fixed:
    """Cut the page footer: from a footer marker in the last third of the text to the end.

    Portals end a report with editor credits, related links and often the title
    and opening again; all of it follows one of a few fixed markers.

    >>> drop_page_footer("各位代表：" + "正文。" * 20 + "\\n责任编辑：\\n相关链接>>")[1]
    [('\\n责任编辑：\\n相关链接>>', '')]
    """
    patterns = _patterns()
    starts = patterns["footer_starts"]
    third = len(text) * 2 / 3
    if not patterns["any_footer_start"].search(text, int(third)):   # no marker late enough
        return text, []
    offset = 0
    for line in text.split("\n"):
        if offset > third and line.strip().startswith(starts):
            kept = text[:offset].rstrip("\n")
            return kept, [(text[len(kept):], "")]
        offset += len(line) + 1
    return text, []


def drop_page_numbers(text: str) -> Fixed:
    """Lines that are only a page number (`— 2 —`, `第 3 页`, `4/45`).

    >>> drop_page_numbers("服务机\\n— 2 —\\n制")
    ('服务机\\n制', [('— 2 —', '')])
    """
    changes: list[Change] = []
    lines = text.split("\n")
    page_number = _patterns()["page_number"].match
    if any(map(page_number, lines)):
        text = _drop_lines(lines, page_number, changes)
    return text, changes


def drop_running_headers(text: str) -> Fixed:
    """Short lines a PDF repeats on every page (the report's title, the meeting).

    A line counts when it appears at least 3 times spread over most of the
    text, is at most 30 characters, and neither ends in punctuation nor looks
    like a heading. (A word split off by hyperlinks repeats too, but close together.)

    >>> drop_running_headers("政府工作报告\\n甲。\\n政府工作报告\\n乙。\\n政府工作报告\\n丙。")[0]
    '甲。\\n乙。\\n丙。'
    """
    offsets: dict[str, list[int]] = {}
    at = 0
    lines = text.split("\n")
    for line in lines:
        stripped = line.strip()
        if stripped and len(stripped) <= 30:   # (only short lines can be headers)
            offsets.setdefault(stripped, []).append(at)
        at += len(line) + 1
    repeated = {line for line, seen in offsets.items()
                if len(seen) >= 3 and seen[-1] - seen[0] >= len(text) / 2
                and line[-1] not in TERMINAL + CLOSERS + "！" and not HEADING_START.match(line)}
    changes: list[Change] = []
    if repeated:
        text = _drop_lines(lines, lambda line: line.strip() in repeated, changes)
    return text, changes


_QUADRUPLE_BOLD = re.compile(r"\*\*\*\*")


def balance_bold_markers(text: str) -> Fixed:
    """Keep `**…**` pairs (rendered as emphasis); a span broken over two lines is closed and
    reopened; unpaired or empty markers go.

    >>> balance_bold_markers("**重点领域改革多点突破**。开展**")
    ('**重点领域改革多点突破**。开展', [('**', '')])
    >>> balance_bold_markers("**坚持稳中求进。\\n推动高质量发展。**")
    ('**坚持稳中求进。**\\n**推动高质量发展。**', [('', '**'), ('', '**')])
    """
    changes: list[Change] = []
    if "**" not in text:
        return text, changes
    lines = _replace(_QUADRUPLE_BOLD, text, changes).split("\n")
    odd = [line.count("**") % 2 == 1 for line in lines]
    for i, line in enumerate(lines):
        if odd[i]:
            if i + 1 < len(lines) and odd[i + 1]:   # a span that continues on the next line
                lines[i], lines[i + 1] = line + "**", "**" + lines[i + 1]
                changes += [("", "**"), ("", "**")]
                odd[i + 1] = False
            else:
                last = line.rfind("**")
                lines[i] = line[:last] + line[last + 2:]
                changes.append(("**", ""))
    return "\n".join(lines), changes


# (Written as `[\uff10-\uff5a](?<=…)…` because a regex engine scans for one range much faster than for three.)
_FULLWIDTH_RUN = re.compile("[\uff10-\uff5a](?<=[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]*")


def fullwidth_alphanumerics_to_ascii(text: str) -> Fixed:
    """Full-width digits and letters become ASCII; full-width punctuation stays.

    >>> fullwidth_alphanumerics_to_ascii("增长７．２％，ＧＤＰ")
    ('增长7．2％，GDP', [('７', '7'), ('２', '2'), ('ＧＤＰ', 'GDP')])
    """
    changes: list[Change] = []
    return _replace(_FULLWIDTH_RUN, text, changes, lambda run: run.translate(FULLWIDTH_ALNUM_TO_ASCII)), changes


_CN = f"[{HAN}{CJK_PUNCT}]"
# `X(?<=YX)` is `(?<=Y)X`, written so that the regex engine looks for the rare X instead of
# testing the lookbehind at every position.
# A space PDF extraction left before the mark goes with it (营商环境 ,通过).
_SPACE_BEFORE_MARK = re.compile(rf"[ \t](?<={_CN}[ \t])[ \t]*(?=[,;?!:])")
# Before the mark(s): a Chinese character, or a digit/percent closing a Chinese clause.
# One pattern per mark, because the regex engine finds one character much faster than any of
# several; a run of marks goes whole with the pattern of its first. A mark alone (nearly every
# one) is replaced by the regex engine itself, the runs then one by one.
_MARK_AFTER_CHINESE = {mark: re.compile(rf"{re.escape(mark)}(?<={_CN}{re.escape(mark)})(?![,;?!:])") for mark in ",;?!:"}
_MARKS_AFTER_CHINESE = {mark: re.compile(rf"{re.escape(mark)}(?<={_CN}{re.escape(mark)})[,;?!:]+") for mark in ",;?!:"}
_MARK_AFTER_NUMBER = {mark: re.compile(rf"{re.escape(mark)}(?<=[0-9%）)]{re.escape(mark)})(?={_CN})") for mark in ",;?!"}
# 增长7.1%;财政 — but not a thousands separator (1,200亿元).
_MARKS_AFTER_NUMBER_AFTER_CHINESE = re.compile(rf"[0-9](?<=[{HAN}][0-9])[0-9.%]*([,;?!]+)(?![0-9])")
_COLON_AFTER_NUMBER = re.compile(rf":(?<=[0-9%]:)(?=[{HAN}])")
# Brackets whose content holds Chinese: (一) (作坊) (国卫复查)
_BRACKETS_AROUND_CHINESE = re.compile(rf"\(([^()\n]*[{HAN}][^()\n]*)\)")


def _to_fullwidth(marks: str) -> str:
    return marks.translate(HALFWIDTH_TO_FULLWIDTH_PUNCTUATION)


def halfwidth_punctuation_to_fullwidth(text: str) -> Fixed:
    """`, ; ? ! :` and `( )` next to Chinese become full-width; numbers, times, URLs, Latin stay.

    >>> halfwidth_punctuation_to_fullwidth("2017年,增长7.2%;PM2.5下降 (一)拉高标杆,时间12:30, R&D")[0]
    '2017年，增长7.2%；PM2.5下降 （一）拉高标杆，时间12:30, R&D'
    >>> halfwidth_punctuation_to_fullwidth("营商环境 ,通过")
    ('营商环境，通过', [(' ', ''), (',', '，')])
    """
    changes: list[Change] = []
    marks = [mark for mark in ",;?!:" if mark in text]   # (`in` is much faster than a regex scan)
    if marks:
        if any(space + mark in text for mark in marks for space in " \t"):
            text = _replace(_SPACE_BEFORE_MARK, text, changes)
        for mark in marks:
            if mark in text:
                text, n = _MARK_AFTER_CHINESE[mark].subn(_to_fullwidth(mark), text)
                changes += [(mark, _to_fullwidth(mark))] * n
                text = _replace(_MARKS_AFTER_CHINESE[mark], text, changes, _to_fullwidth)
        if any(mark in text for mark in ",;?!"):
            for mark, pattern in _MARK_AFTER_NUMBER.items():
                if mark in text:
                    text = _replace(pattern, text, changes, _to_fullwidth)
            text = _replace(_MARKS_AFTER_NUMBER_AFTER_CHINESE, text, changes, _to_fullwidth)
        text = _replace(_COLON_AFTER_NUMBER, text, changes, _to_fullwidth)
    if "(" in text:
        text = _replace(_BRACKETS_AROUND_CHINESE, text, changes, lambda brackets: brackets.translate(HALFWIDTH_TO_FULLWIDTH_BRACKETS))
    return text, changes


_LAYOUT_SPACE = " \t\u3000\u00a0"


def strip_line_indentation(text: str) -> Fixed:
    """Leading/trailing spaces, ideographic spaces and tabs are layout, not text; blank lines go.

    >>> strip_line_indentation("\\u3000\\u3000各位代表：\\n\\n  现在，")
    ('各位代表：\\n现在，', [('\\u3000\\u3000', ''), ('\\n', ''), ('  ', '')])
    """
    changes: list[Change] = []
    kept = []
    for line in text.split("\n"):
        if line and line[0] not in _LAYOUT_SPACE and line[-1] not in _LAYOUT_SPACE:   # most lines
            kept.append(line)
        elif not line.strip(_LAYOUT_SPACE):
            changes.append((line + "\n", ""))
        else:
            stripped = line.strip(_LAYOUT_SPACE)
            start = line.index(stripped)
            changes += [(space, "") for space in (line[:start], line[start + len(stripped):]) if space]
            kept.append(stripped)
    return ("\n".join(kept), changes) if changes else (text, changes)


def join_wrapped_lines(text: str) -> Fixed:
    """Join a paragraph that a page break or hyperlink split over several lines.

    A line continues on the next one when it does not end a clause and either
    holds clause punctuation, is long, leaves a quote or bracket open, ends in a
    word no sentence ends on (是, 的, 以 …), or is a short fragment a hyperlink cut
    out (习近平); headings and the lines they are followed by are never joined,
    unless the heading's body began on its line (（三）…有力。新增…县人 / 民医院…).

    >>> join_wrapped_lines("推动发展，建立了经济运行监测服务机\\n制，推动经济稳步增长。\\n一、2022年工作回顾\\n2022年，")
    ('推动发展，建立了经济运行监测服务机制，推动经济稳步增长。\\n一、2022年工作回顾\\n2022年，', [('\\n', '')])
    >>> join_wrapped_lines("一是\\n加强农业。\\n坚持以\\n习近平\\n新时代中国特色社会主义思想为指导。")[0]
    '一是加强农业。\\n坚持以习近平新时代中国特色社会主义思想为指导。'
    >>> join_wrapped_lines("全面贯彻\\n党的十九大\\n精神。")[0]
    '全面贯彻党的十九大精神。'
    """
    data = cleaning_data()
    endings, fragment = tuple(data["continues_after"]), data["fragment_max_chars"]
    changes: list[Change] = []
    paragraphs: list[str] = []
    last = ""   # the paragraph's last line as the source had it
    for line in text.split("\n"):
        if paragraphs and continues(paragraphs[-1], line, last, endings, fragment):
            paragraphs[-1] += line
            changes.append(("\n", ""))
        else:
            paragraphs.append(line)
        last = line
    return ("\n".join(paragraphs), changes) if changes else (text, changes)


def break_run_on_lines(text: str) -> Fixed:
    """Split a line that holds a whole report (scraped into one line) into paragraphs.

    Breaks go where a space follows the end of a sentence, and before a heading
    number or a glossary heading that follows the end of a sentence (see paragraphs.py).

    >>> break_run_on_lines("提出意见。 一、2017年工作回顾2017年，我们" + "很好。" * 500)[0][:30]
    '提出意见。\\n一、2017年工作回顾2017年，我们很好。很好'
    """
    lines = text.split("\n")
    changes: list[Change] = []
    if max(map(len, lines)) >= RUN_ON_MIN_CHARS:
        for i, line in enumerate(lines):
            if len(line) >= RUN_ON_MIN_CHARS:
                lines[i], broken = break_line(line)
                changes += broken
    return ("\n".join(lines), changes) if changes else (text, changes)


_SPACE = "[ \t\u3000\u00a0]"
# One pattern per space character, as for the punctuation marks: the first removes the spaces
# of a run from the first one after Chinese, the second a run's head up to its last space
# before Chinese; which character the match starts with, its own pattern finds it.
_SPACE_AFTER_CHINESE = {space: re.compile(rf"{space}(?<=[{HAN}{CJK_PUNCT}]{space}){_SPACE}*(?=\S)") for space in _LAYOUT_SPACE}
_SPACE_BEFORE_CHINESE = {space: re.compile(rf"{space}(?<=\S{space}){_SPACE}*(?=[{HAN}{CJK_PUNCT}])") for space in _LAYOUT_SPACE}


def remove_spaces_next_to_chinese(text: str) -> Fixed:
    """Spaces PDF extraction put between Chinese and digits, Latin or other Chinese go; Latin keeps its spaces.

    >>> remove_spaces_next_to_chinese("增长 2.4%，新增 3 个 Essential Science Indicators。王 坚")[0]
    '增长2.4%，新增3个Essential Science Indicators。王坚'
    """
    changes: list[Change] = []
    for patterns in (_SPACE_AFTER_CHINESE, _SPACE_BEFORE_CHINESE):
        for space, pattern in patterns.items():
            if space in text:   # (`in` is much faster than a regex scan)
                text = _replace(pattern, text, changes)
    return text, changes
