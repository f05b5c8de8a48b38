"""Stage 4 — clean: an ordered table of small named fixes.

The text between stages is one paragraph per line, no blank lines. Each fix takes
the text and returns it fixed together with the edits it made, `(start, end,
replacement)` in its input. `clean()` runs every fix in FIXES order and, like
ftfy's `fix_and_explain`, turns the edits of each fix that changed something
into a log of exactly what it removed or replaced, so the report page and
`inspect` can show it. Fixes report their own edits because diffing every fix's
input and output (`explain()`, which the tests keep as a cross-check) took most
of the build.

Generic Unicode normalisers (NFKC, ftfy defaults) would turn ，（： into ,(:
— the opposite of what Chinese text needs — so every fix here is targeted.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import islice
from operator import itemgetter, le, lt, ne
from pathlib import Path

import yaml

from ..chinese import (
    BLOCK_HEADING,
    CHINESE_HEADING_NUMBER,
    CJK_PUNCT,
    CLOSERS,
    FULLWIDTH_ALNUM_TO_ASCII,
    HALFWIDTH_TO_FULLWIDTH_PUNCTUATION,
    HAN,
    HEADING_START,
    NUMERALS,
    SALUTATION_WORD,
    SENTENCE_ENDS,
    TERMINAL,
    chinese_numeral_value,
    heading_number,
    leaves_open,
)
from ..model import Removal

DATA = Path(__file__).parent.parent / "data" / "cleaning.yml"


# text[start:end] of a fix's input becomes the string; a fix's edits are sorted and do not overlap.
Edit = tuple[int, int, str]
Fixed = tuple[str, list[Edit]]


@lru_cache(maxsize=1)
def cleaning_data() -> dict:
    with DATA.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def _patterns() -> dict:
    """cleaning.yml's patterns, compiled once."""
    data = cleaning_data()
    return {
        "junk": [re.compile(re.escape(junk)) for junk in data["junk_strings"]],
        "chrome": [(re.compile(p, re.MULTILINE), _line_start_guard([p])) for p in data["chrome_patterns"].values()],
        "any_chrome": _line_start_guard(list(data["chrome_patterns"].values())),
        "chrome_lines": frozenset(data["chrome_lines"]),
        "footer_starts": tuple(data["footer_starts"]),
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


# --- recording edits -------------------------------------------------------

class Rewrite:
    """A fix's text through several steps, with every change in the coordinates of the fix's input."""

    def __init__(self, text: str):
        self.text = text
        self.edits: list[Edit] = []
        self.same_length = True   # no edit so far changed a length, so positions agree

    def apply(self, edits: list[Edit]) -> Rewrite:
        """Apply edits given in the coordinates of the current text."""
        if edits:
            same_length = self.same_length and _same_length(edits)
            if not self.edits:
                self.edits = edits
            elif same_length and _apart(merged := sorted(self.edits + edits)):   # positions still agree
                self.edits = merged
            else:
                self.edits = _compose(self.edits, edits, self.text)
            self.same_length = same_length
            self.text = apply_edits(self.text, edits)
        return self

    def sub(self, pattern: re.Pattern, edits: Callable[[re.Match], Iterable[Edit]]) -> Rewrite:
        """Like `pattern.sub`, each match becoming the edits `edits(match)` names."""
        return self.apply([edit for m in pattern.finditer(self.text) for edit in edits(m)])

    def delete(self, pattern: re.Pattern, start: int = 0) -> Rewrite:
        """Like `pattern.sub("", …)`, for a pattern known not to match before `start`."""
        return self.apply([(*span, "") for span in map(re.Match.span, pattern.finditer(self.text, start)) if span[0] < span[1]])

    def convert(self, pattern: re.Pattern, table: dict, group: int = 0) -> Rewrite:
        """Translate what `group` of each match of `pattern` holds by `table` (as `str.translate`)."""
        return self.apply([(m.start(group), m.end(group), m.group(group).translate(table)) for m in pattern.finditer(self.text)])

    def result(self) -> Fixed:
        return self.text, self.edits


_START, _END, _TEXT = itemgetter(0), itemgetter(1), itemgetter(2)


def _same_length(edits: list[Edit]) -> bool:
    """No edit changes a length."""
    return all(e - s == len(r) for s, e, r in edits)


def _apart(edits: list[Edit], touching: bool = True) -> bool:
    """Sorted edits, none overlapping the next (nor touching it, unless `touching`).
    (`map` keeps this loop over every edit in C.)"""
    return all(map(le if touching else lt, map(_END, edits), map(_START, islice(edits, 1, None))))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """`text` with the edits made (sorted, not overlapping, in its coordinates)."""
    parts, at = [], 0
    for start, end, replacement in edits:
        parts += (text[at:start], replacement)
        at = end
    parts.append(text[at:])
    return "".join(parts)


def _compose(first: list[Edit], second: list[Edit], middle: str) -> list[Edit]:
    """`first` then `second` (made on `middle`, the text `first` produced) as one list of edits.

    Edits of the two steps that touch become one, so positions always refer to the original.
    """
    out: list[Edit] = []
    i = shift = k = 0          # shift: how much first[:i] lengthened the text
    while k < len(second):
        start, end, text = second[k]
        while i < len(first) and first[i][0] + shift + len(first[i][2]) < start:
            out.append(first[i])
            shift += len(first[i][2]) - (first[i][1] - first[i][0])
            i += 1
        if (i == len(first) or first[i][0] + shift > end) and (k + 1 == len(second) or second[k + 1][0] > end):
            out.append((start - shift, end - shift, text))   # touches nothing: just moved
            k += 1
            continue
        lo = min(start, first[i][0] + shift) if i < len(first) else start
        origin_start, hi, k0 = lo - shift, end, k
        while True:
            if i < len(first) and first[i][0] + shift <= hi:
                f_start, f_end, f_text = first[i]
                hi = max(hi, f_start + shift + len(f_text))
                shift += len(f_text) - (f_end - f_start)
                i += 1
            elif k + 1 < len(second) and second[k + 1][0] <= hi:
                k += 1
                hi = max(hi, second[k][1])
            else:
                break
        replacement = apply_edits(middle[lo:hi], [(s - lo, e - lo, r) for s, e, r in second[k0:k + 1]])
        out.append((origin_start, hi - shift, replacement))
        k += 1
    out += first[i:]
    return out


_last_split: tuple[str, tuple[str, ...]] = ("", ("",))


def _lines(text: str) -> tuple[str, ...]:
    """The text's lines. Most fixes leave the text alone, so the next one reuses the split
    (kept by identity: hashing the text to look it up would cost about as much as splitting)."""
    global _last_split
    last = _last_split
    if last[0] is not text:
        last = _last_split = (text, tuple(text.split("\n")))
    return last[1]


def _line_deletions(lines: Iterable[str], drop: Iterable[object]) -> list[Edit]:
    """Edits deleting each of the text's `lines` whose `drop` flag is true, each with its newline
    (the last line with the one before it)."""
    drop = list(drop)
    if not any(drop):
        return []
    edits: list[Edit] = []
    start, run = 0, -1
    for line, dropped in zip(lines, drop):
        if dropped:
            if run < 0:
                run = start
        elif run >= 0:
            edits.append((run, start, ""))
            run = -1
        start += len(line) + 1
    if run >= 0:
        edits.append((max(run - 1, 0), start - 1, ""))
    return edits


# --- the fixes -------------------------------------------------------------

_INVISIBLE_CHARACTERS = "\ufeff\u200b\u200c\u200d\u2060\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]+")


def remove_invisible_characters(text: str) -> Fixed:
    """BOM, zero-width spaces/joiners and soft hyphens carry nothing a reader sees.

    >>> remove_invisible_characters("\\ufeff各位\\u200b代表")
    ('各位代表', [(0, 1, ''), (3, 4, '')])
    """
    if not any(c in text for c in _INVISIBLE_CHARACTERS):   # (`in` is much faster than a regex scan)
        return text, []
    return Rewrite(text).delete(_INVISIBLE).result()


def drop_injected_junk(text: str) -> Fixed:
    """Remove strings scraped pages inject into the text (listed in data/cleaning.yml).

    >>> drop_injected_junk("繁荣发展文化事业。侯卫东官场笔记把加快")
    ('繁荣发展文化事业。把加快', [(9, 16, '')])
    """
    rewrite = Rewrite(text)
    for junk in _patterns()["junk"]:
        rewrite.delete(junk)
    return rewrite.result()


def drop_web_chrome(text: str) -> Fixed:
    """Drop page chrome: toolbars, font-size switches, share buttons, breadcrumbs, captions.

    >>> drop_web_chrome("【字体：\\n大\\n中\\n小\\n】\\n分享：\\n各位代表：")
    ('各位代表：', [(0, 17, '')])
    """
    patterns = _patterns()
    rewrite = Rewrite(text)
    if patterns["any_chrome"] is None or patterns["any_chrome"].search(text) or any(p.match(text) for p, _ in patterns["chrome"]):
        for pattern, guard in patterns["chrome"]:
            if guard is None or pattern.match(rewrite.text):
                rewrite.delete(pattern)
            elif first := guard.search(rewrite.text):   # no match before the line after this newline
                rewrite.delete(pattern, first.start() + 1)
    lines = _lines(rewrite.text)
    return rewrite.apply(_line_deletions(lines, map(patterns["chrome_lines"].__contains__, map(str.strip, lines)))).result()


def drop_page_footer(text: str) -> Fixed:
    """Cut the page footer: from a footer marker in the last third of the text to the end.

    Portals end a report with editor credits, related links and often the title
    and opening again; all of it follows one of a few fixed markers.

    >>> text = "各位代表：" + "正文。" * 20 + "\\n责任编辑：\\n相关链接>>\\n政府工作报告"
    >>> drop_page_footer(text) == (text[:65], [(65, len(text), "")])
    True
    """
    starts = _patterns()["footer_starts"]
    third = len(text) * 2 / 3
    if all(text.find(marker, int(third)) < 0 for marker in starts):   # no marker late enough
        return text, []
    offset = 0
    for line in _lines(text):
        if offset > third and line.strip().startswith(starts):
            kept = text[:offset].rstrip("\n")
            return kept, [(len(kept), len(text), "")]
        offset += len(line) + 1
    return text, []


def drop_page_numbers(text: str) -> Fixed:
    """Lines that are only a page number (`— 2 —`, `第 3 页`, `4/45`).

    >>> drop_page_numbers("服务机\\n— 2 —\\n制")
    ('服务机\\n制', [(4, 10, '')])
    """
    lines = _lines(text)
    return Rewrite(text).apply(_line_deletions(lines, map(_patterns()["page_number"].match, lines))).result()


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
    lines = _lines(text)
    for line in lines:
        stripped = line.strip()
        if stripped and len(stripped) <= 30:   # (only short lines can be headers)
            offsets.setdefault(stripped, []).append(at)
        at += len(line) + 1
    repeated = {line for line, seen in offsets.items()
                if len(seen) >= 3 and seen[-1] - seen[0] >= len(text) / 2
                and line[-1] not in TERMINAL + CLOSERS + "！" and not HEADING_START.match(line)}
    if not repeated:
        return text, []
    return Rewrite(text).apply(_line_deletions(lines, map(repeated.__contains__, map(str.strip, lines)))).result()


_QUADRUPLE_BOLD = re.compile(r"\*\*\*\*")


def balance_bold_markers(text: str) -> Fixed:
    """Keep `**…**` pairs (rendered as emphasis); a span broken over two lines is closed and
    reopened; unpaired or empty markers go.

    >>> balance_bold_markers("**重点领域改革多点突破**。开展**")
    ('**重点领域改革多点突破**。开展', [(17, 19, '')])
    >>> balance_bold_markers("**坚持稳中求进。\\n推动高质量发展。**")[0]
    '**坚持稳中求进。**\\n**推动高质量发展。**'
    """
    if "**" not in text:
        return text, []
    rewrite = Rewrite(text).delete(_QUADRUPLE_BOLD)
    lines = _lines(rewrite.text)
    odd = [line.count("**") % 2 == 1 for line in lines]
    edits: list[Edit] = []
    start = 0
    for i, line in enumerate(lines):
        if odd[i]:
            if i + 1 < len(lines) and odd[i + 1]:   # a span that continues on the next line
                end = start + len(line)
                edits += [(end, end, "**"), (end + 1, end + 1, "**")]
                odd[i + 1] = False
            else:
                last = start + line.rfind("**")
                edits.append((last, last + 2, ""))
        start += len(line) + 1
    return rewrite.apply(edits).result()


# (Written as `[\uff10-\uff5a](?<=…)…` because a regex engine scans for one range much faster than for three.)
_FULLWIDTH_RUN = re.compile("[\uff10-\uff5a](?<=[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]*")


def fullwidth_alphanumerics_to_ascii(text: str) -> Fixed:
    """Full-width digits and letters become ASCII; full-width punctuation stays.

    >>> fullwidth_alphanumerics_to_ascii("增长７．２％，ＧＤＰ")
    ('增长7．2％，GDP', [(2, 3, '7'), (4, 5, '2'), (7, 10, 'GDP')])
    """
    return Rewrite(text).convert(_FULLWIDTH_RUN, FULLWIDTH_ALNUM_TO_ASCII).result()


_CN = f"[{HAN}{CJK_PUNCT}]"
# `X(?<=YX)` is `(?<=Y)X`, written so that the regex engine looks for the rare X instead of
# testing the lookbehind at every position.
# A space PDF extraction left before the mark goes with it (营商环境 ,通过).
_SPACE_BEFORE_MARK = re.compile(rf"[ \t](?<={_CN}[ \t])[ \t]*(?=[,;?!:])")
# Before the mark(s): a Chinese character, or a digit/percent closing a Chinese clause.
# One pattern per mark, because the regex engine finds one character much faster than any of
# several; a run of marks goes whole with the pattern of its first.
_MARKS_AFTER_CHINESE = {mark: re.compile(rf"{re.escape(mark)}(?<={_CN}{re.escape(mark)})[,;?!:]*") for mark in ",;?!:"}
_MARK_AFTER_NUMBER = {mark: re.compile(rf"{re.escape(mark)}(?<=[0-9%）)]{re.escape(mark)})(?={_CN})") for mark in ",;?!"}
# 增长7.1%;财政 — but not a thousands separator (1,200亿元).
_MARKS_AFTER_NUMBER_AFTER_CHINESE = re.compile(rf"[0-9](?<=[{HAN}][0-9])[0-9.%]*([,;?!]+)(?![0-9])")
_COLON_AFTER_NUMBER = re.compile(rf":(?<=[0-9%]:)(?=[{HAN}])")
# Brackets whose content holds Chinese: (一) (作坊) (国卫复查)
_BRACKETS_AROUND_CHINESE = re.compile(rf"\(([^()\n]*[{HAN}][^()\n]*)\)")


def _fullwidth_brackets(m: re.Match) -> list[Edit]:
    return [(m.start(), m.start() + 1, "（"), (m.end() - 1, m.end(), "）")]


def halfwidth_punctuation_to_fullwidth(text: str) -> Fixed:
    """`, ; ? ! :` and `( )` next to Chinese become full-width; numbers, times, URLs, Latin stay.

    >>> halfwidth_punctuation_to_fullwidth("2017年,增长7.2%;PM2.5下降 (一)拉高标杆,时间12:30, R&D")[0]
    '2017年，增长7.2%；PM2.5下降 （一）拉高标杆，时间12:30, R&D'
    >>> halfwidth_punctuation_to_fullwidth("营商环境 ,通过")
    ('营商环境，通过', [(4, 6, '，')])
    """
    rewrite = Rewrite(text)
    marks = [mark for mark in ",;?!:" if mark in text]   # (`in` is much faster than a regex scan)
    if marks:
        if any(space + mark in text for mark in marks for space in " \t"):
            rewrite.delete(_SPACE_BEFORE_MARK)
        for mark, pattern in _MARKS_AFTER_CHINESE.items():
            if mark in rewrite.text:
                rewrite.convert(pattern, HALFWIDTH_TO_FULLWIDTH_PUNCTUATION)
        if any(mark in rewrite.text for mark in ",;?!"):
            for mark, pattern in _MARK_AFTER_NUMBER.items():
                if mark in rewrite.text:
                    rewrite.convert(pattern, HALFWIDTH_TO_FULLWIDTH_PUNCTUATION)
            rewrite.convert(_MARKS_AFTER_NUMBER_AFTER_CHINESE, HALFWIDTH_TO_FULLWIDTH_PUNCTUATION, 1)
        rewrite.convert(_COLON_AFTER_NUMBER, HALFWIDTH_TO_FULLWIDTH_PUNCTUATION)
    if "(" in rewrite.text:
        rewrite.sub(_BRACKETS_AROUND_CHINESE, _fullwidth_brackets)
    return rewrite.result()


_LAYOUT_SPACE = " \t\u3000\u00a0"


def strip_line_indentation(text: str) -> Fixed:
    """Leading/trailing spaces, ideographic spaces and tabs are layout, not text; blank lines go.

    >>> strip_line_indentation("\\u3000\\u3000各位代表：\\n\\n  现在，")
    ('各位代表：\\n现在，', [(0, 2, ''), (8, 9, ''), (9, 11, '')])
    """
    edits: list[Edit] = []
    start, blank = 0, -1
    for line in _lines(text):
        if line and line[0] not in _LAYOUT_SPACE and line[-1] not in _LAYOUT_SPACE:   # most lines
            if blank >= 0:
                edits.append((blank, start, ""))
                blank = -1
        elif not line.strip(_LAYOUT_SPACE):
            if blank < 0:
                blank = start
        else:
            if blank >= 0:
                edits.append((blank, start, ""))
                blank = -1
            lead = len(line) - len(line.lstrip(_LAYOUT_SPACE))
            trail = len(line) - len(line.rstrip(_LAYOUT_SPACE))
            if lead:
                edits.append((start, start + lead, ""))
            if trail:
                edits.append((start + len(line) - trail, start + len(line), ""))
        start += len(line) + 1
    if blank >= 0:
        edits.append((max(blank - 1, 0), len(text), ""))
    return Rewrite(text).apply(edits).result()


def join_wrapped_lines(text: str) -> Fixed:
    """Join a paragraph that a page break or hyperlink split over several lines.

    A line continues on the next one when it does not end a clause and either
    holds clause punctuation, is long, leaves a quote or bracket open, ends in a
    word no sentence ends on (是, 的, 以 …), or is a short fragment a hyperlink cut
    out (习近平); headings and the lines they are followed by are never joined,
    unless the heading's body began on its line (（三）…有力。新增…县人 / 民医院…).

    >>> join_wrapped_lines("推动发展，建立了经济运行监测服务机\\n制，推动经济稳步增长。\\n一、2022年工作回顾\\n2022年，")
    ('推动发展，建立了经济运行监测服务机制，推动经济稳步增长。\\n一、2022年工作回顾\\n2022年，', [(17, 18, '')])
    >>> join_wrapped_lines("一是\\n加强农业。\\n坚持以\\n习近平\\n新时代中国特色社会主义思想为指导。")[0]
    '一是加强农业。\\n坚持以习近平新时代中国特色社会主义思想为指导。'
    >>> join_wrapped_lines("全面贯彻\\n党的十九大\\n精神。")[0]
    '全面贯彻党的十九大精神。'
    """
    edits: list[Edit] = []
    previous = last = None   # the paragraph so far, and its last line as the source had it
    start = 0
    for line in _lines(text):
        if previous is not None and _continues(previous, line, last):
            edits.append((start - 1, start, ""))
            previous += line
        else:
            previous = line
        last = line
        start += len(line) + 1
    return Rewrite(text).apply(edits).result()


_CLAUSE_PUNCTUATION = re.compile("[，。；、,]")


_SENTENCE_INSIDE = re.compile(f"[{SENTENCE_ENDS}]")
_HAN_ONLY = re.compile(f"[{HAN}]+")


@lru_cache(maxsize=1)
def _link_break() -> tuple[tuple[str, ...], int]:
    """(line endings a paragraph never ends on, longest fragment a link cuts out), from cleaning.yml."""
    data = cleaning_data()
    return tuple(data["continues_after"]), data["fragment_max_chars"]


def _continues(previous: str, line: str, last: str | None = None) -> bool:
    """Does `line` go on the paragraph `previous`, whose last source line was `last`?"""
    last = previous if last is None else last
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
    endings, fragment = _link_break()
    if previous.endswith(endings) or (len(last) <= fragment and _HAN_ONLY.fullmatch(last) and _HAN_ONLY.match(line)
                                      and not last.startswith(SALUTATION_WORD) and not BLOCK_HEADING.match(last)
                                      and not last.startswith(("注释", "注解", "附"))):
        return True   # a line cut where the page had a link
    if last is not previous and _HAN_ONLY.match(line):
        return True   # a paragraph already joined goes on until its sentence ends (…贯彻 / 党的十九大 / 精神…)
    if previous[-1] in CLOSERS and previous.rstrip(CLOSERS)[-1:] in TERMINAL:
        return False
    if previous.endswith("**") and previous[:-2][-1:] in TERMINAL:
        return False
    return leaves_open(previous) or bool(_CLAUSE_PUNCTUATION.search(previous)) or len(previous) >= 40


RUN_ON_MIN_CHARS = 1500


def break_run_on_lines(text: str) -> Fixed:
    """Split a line that holds a whole report (scraped into one line) into paragraphs.

    Breaks go where a space follows the end of a sentence, and before a heading
    number or a glossary heading that follows the end of a sentence.

    >>> break_run_on_lines("提出意见。 一、2017年工作回顾2017年，我们" + "很好。" * 500)[0][:30]
    '提出意见。\\n一、2017年工作回顾2017年，我们很好。很好'
    """
    lines = _lines(text)
    if max(map(len, lines)) < RUN_ON_MIN_CHARS:
        return text, []
    edits: list[Edit] = []
    start = 0
    for line in lines:
        if len(line) >= RUN_ON_MIN_CHARS:
            edits += [(start + s, start + e, r) for s, e, r in _break_line(line)]
        start += len(line) + 1
    return Rewrite(text).apply(edits).result()


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
_SPACE_AFTER_SENTENCE = [re.compile(rf"{re.escape(end)}\s+(?=\S)") for end in _SENTENCE_END]   # (one per mark: found faster)


@lru_cache(maxsize=64)   # the verification pass meets again each long line nothing could break
def _break_line(line: str) -> tuple[Edit, ...]:
    """The edits that break a run-on line into stripped paragraphs, one a line.

    >>> _break_line("提出意见。 一、工作回顾")
    ((5, 6, '\\n'),)
    """
    parts, last = [], 0
    for at in sorted(_break_points(line)) + [len(line)]:
        part = line[last:at]
        lead, trail = len(part) - len(part.lstrip()), len(part) - len(part.rstrip())
        if lead < len(part):   # an all-space part disappears
            parts.append((last + lead, at - trail))
        last = at
    if not parts:
        return ((0, len(line), ""),) if line else ()
    edits = [(0, parts[0][0], "")] if parts[0][0] else []
    edits += [(end, next_start, "\n") for (_, end), (next_start, _) in zip(parts, parts[1:])]
    if parts[-1][1] < len(line):
        edits.append((parts[-1][1], len(line), ""))
    return tuple(edits)


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
    rewrite = Rewrite(text)
    for patterns in (_SPACE_AFTER_CHINESE, _SPACE_BEFORE_CHINESE):
        for space, pattern in patterns.items():
            if space in rewrite.text:   # (`in` is much faster than a regex scan)
                rewrite.delete(pattern)
    return rewrite.result()


# The order matters: chrome is recognised on raw lines, punctuation before joining
# (joining looks at sentence ends), run-on lines are broken at spaces before those go,
# and bold pairs are balanced once the final lines exist.
FIXES: list[tuple[str, Callable[[str], Fixed]]] = [
    ("remove_invisible_characters", remove_invisible_characters),
    ("drop_injected_junk", drop_injected_junk),
    ("drop_page_footer", drop_page_footer),
    ("drop_web_chrome", drop_web_chrome),
    ("drop_page_numbers", drop_page_numbers),
    ("drop_running_headers", drop_running_headers),
    ("fullwidth_alphanumerics_to_ascii", fullwidth_alphanumerics_to_ascii),
    ("halfwidth_punctuation_to_fullwidth", halfwidth_punctuation_to_fullwidth),
    ("strip_line_indentation", strip_line_indentation),
    ("join_wrapped_lines", join_wrapped_lines),
    ("break_run_on_lines", break_run_on_lines),
    ("balance_bold_markers", balance_bold_markers),
    ("remove_spaces_next_to_chinese", remove_spaces_next_to_chinese),
]


MAX_PASSES = 4


def clean(text: str, fixes=FIXES) -> tuple[str, list[Removal]]:
    """Run the fixes in order until none changes anything; return the text and what each removed.

    One fix can expose work for an earlier one (removing the space in 睈 9; makes 9; a clause
    end to convert), so the table runs to a fixed point: cleaning clean text changes nothing.
    A pass ends early when it reaches, still unchanged, the fixes after the previous pass's
    last change: they have already left this very text as it is.
    """
    log: list[Removal] = []
    settled = len(fixes)   # fixes from this index on have left the current text as it is
    for _ in range(MAX_PASSES):
        last_change = None
        for index, (name, fix) in enumerate(fixes):
            if last_change is None and index >= settled:
                break
            fixed, edits = fix(text)
            if fixed != text:
                log.extend(log_edits(name, text, fixed, edits))
                text, last_change = fixed, index
        if last_change is None:
            break
        settled = last_change + 1
    return text, _merge([_mask_junk(r) for r in log])


def _merge(log: list[Removal]) -> list[Removal]:
    """Identical entries from several passes become one, with their counts added."""
    merged: dict[tuple, Removal] = {}
    for r in log:
        key = (r.fix, r.text, r.replacement)
        if key in merged:
            merged[key].count += r.count
        else:
            merged[key] = Removal(r.fix, r.text, r.replacement, r.count)
    return list(merged.values())


def _mask_junk(removal: Removal) -> Removal:
    """Junk strings are logged by their entry in cleaning.yml, so the output never repeats them."""
    junk = cleaning_data()["junk_strings"]
    if removal.text in junk:
        return Removal(removal.fix, junk_reference(junk.index(removal.text)), removal.replacement, removal.count)
    return removal


def junk_reference(index: int) -> str:
    """How the log names a removed junk string: its position in data/cleaning.yml."""
    return f"⟨cleaning.yml junk_strings #{index + 1}⟩"


# --- logging a fix's edits -------------------------------------------------

def log_edits(fix: str, before: str, after: str, edits: list[Edit]) -> list[Removal]:
    """What `fix` removed or replaced, counted by identical text, from the edits it reported.

    The log reads like a diff of lines: a changed line's edits are logged piece by piece,
    adjacent edits as one; lines deleted among unchanged lines are logged line by line;
    changes a few lines apart count as one run of lines (see `_changed_regions`), whose
    deleted lines then go into the pieces with their newlines.
    """
    changes, removed = edits, [before[s:e] for s, e, _ in edits]
    if not all(map(ne, removed, map(_TEXT, edits))):   # leave out edits that change nothing
        kept = [i for i, old in enumerate(removed) if old != edits[i][2]]
        changes, removed = [edits[i] for i in kept], [removed[i] for i in kept]
    within_lines = "\n" not in "".join(removed) and "\n" not in "".join(map(_TEXT, changes))
    if within_lines and _same_length(changes):   # no line changes length: each edit stands alone
        pieces = _pieces(before, after, 0, len(before), 0, len(after), changes)
    else:
        pieces = []
        for a0, a_end, b0, b_end, run_edits in (_line_runs if within_lines else _regions)(before, after, changes):
            if b_end < b0:   # lines deleted, nothing in their place
                pieces += [(line.strip() or "\\n", "") for line in before[a0:a_end].split("\n")]
            elif a_end < a0:   # lines only inserted: nothing to log
                continue
            elif within_lines:
                pieces += _pieces(before, after, a0, a_end, b0, b_end, run_edits)
            else:
                pieces += _fitted_pieces(before, after, a0, a_end, b0, b_end, run_edits)
    logged: Counter = Counter()
    for (removed, replacement), n in Counter(pieces).items():   # (names whitespace once per distinct piece)
        logged[(_visible(removed), _visible(replacement))] += n
    return [Removal(fix, text, replacement, n) for (text, replacement), n in logged.items()]


def _line_runs(before: str, after: str, edits: list[Edit]):
    """`_regions` for edits that neither add nor remove a line: runs of adjacent changed lines."""
    runs: list[list] = []   # [a0, a_end, b0, b_end, edits]
    shift, end = 0, -1      # end: where the newest run's last line ends
    for edit in edits:
        s, e, r = edit
        if not runs or s > end:
            next_end = _line_end(before, end + 1, newline=False)
            if runs and s <= next_end:   # on the line after the run
                end = runs[-1][1] = next_end
            else:
                a0, end = before.rfind("\n", 0, s) + 1, _line_end(before, s, newline=False)
                runs.append([a0, end, a0 + shift, 0, []])
        runs[-1][4].append(edit)
        shift += len(r) - (e - s)
        runs[-1][3] = end + shift
    return [tuple(run) for run in runs if before[run[0]:run[1]] != after[run[2]:run[3]]]


def _regions(before: str, after: str, edits: list[Edit]):
    """(start, end) in `before`, the same in `after`, and the edits, of each run of changed lines.

    An end is that of the run's last line, before its newline; a side with no lines
    ends just before it starts. Adjacent changed lines are one change, as in a diff,
    and changes are then merged as `_changed_regions` merges a diff's.
    """
    changes: list[list] = []   # [a0, a_end, b0, b_end, edits, a1, a2, b1, b2]: offsets, then line numbers
    line_a = line_b = done = 0   # line numbers in `before` and `after` at offset `done` of `before`
    for u0, u1, v0, v1, group in _touched_lines(before, after, edits):
        between = before.count("\n", done, u0)
        line_a, line_b = line_a + between, line_b + between
        if u1 == len(before):
            a_lines, b_lines, a_end, b_end = before[u0:u1].split("\n"), after[v0:v1].split("\n"), u1, v1
        else:   # both end with a newline, or the lines went
            a_lines, a_end = before[u0:u1 - 1].split("\n"), u1 - 1
            b_lines, b_end = (after[v0:v1 - 1].split("\n"), v1 - 1) if v1 > v0 else ([], v0 - 1)
        a0, b0 = u0, v0
        same = same_end = 0   # lines the edits left as they were, at the start and at the end
        both = min(len(a_lines), len(b_lines))
        while same < both and a_lines[same] == b_lines[same]:
            a0, b0 = a0 + len(a_lines[same]) + 1, b0 + len(b_lines[same]) + 1
            same += 1
        while same_end < both - same and a_lines[-1 - same_end] == b_lines[-1 - same_end]:
            a_end, b_end = a_end - len(a_lines[-1 - same_end]) - 1, b_end - len(b_lines[-1 - same_end]) - 1
            same_end += 1
        a1, a2 = line_a + same, line_a + len(a_lines) - same_end
        b1, b2 = line_b + same, line_b + len(b_lines) - same_end
        if a1 < a2 or b1 < b2:
            a_end, b_end = (a_end if a1 < a2 else a0 - 1), (b_end if b1 < b2 else b0 - 1)
            if changes and changes[-1][6] == a1:   # right after the last change: the same one
                _extend(changes[-1], [a0, a_end, b0, b_end, group, a1, a2, b1, b2])
            else:
                changes.append([a0, a_end, b0, b_end, group, a1, a2, b1, b2])
        line_a, line_b, done = line_a + len(a_lines), line_b + len(b_lines), u1
    regions: list[list] = []
    for change in changes:
        last = regions[-1] if regions else None
        if last and change[5] - last[6] <= MERGE_GAP_LINES and (
                (last[5] == last[6]) != (change[5] == change[6]) or (last[7] == last[8]) != (change[7] == change[8])):
            _extend(last, change)
        else:
            regions.append(change)
    return [tuple(r[:5]) for r in regions]


def _extend(change: list, later: list) -> None:
    """Make `change` run on to the end of `later`."""
    change[1], change[3], change[6], change[8] = later[1], later[3], later[6], later[8]
    change[4] = change[4] + later[4]


def _touched_lines(before: str, after: str, edits: list[Edit]):
    """(start, end) in `before` and in `after` of each run of whole lines, newlines included,
    that the edits touch, and those edits. A run whose last newline went takes in the next line."""
    size, count = len(before), len(edits)
    shift = i = 0   # shift: how much edits[:i] lengthened the text
    while i < count:
        u0 = before.rfind("\n", 0, edits[i][0]) + 1
        v0, u1, group = u0 + shift, -1, []
        while True:
            while i < count:
                s, e, r = edits[i]
                if group and s >= u1 and not s == u1 == size:   # on a later line
                    break
                last = e - 1 if e > s else s   # the last position the edit touches
                if last >= u1:
                    u1 = _line_end(before, last)
                shift += len(r) - (e - s)
                group.append(edits[i])
                i += 1
            v1 = u1 + shift
            if u1 < size and v1 > v0 and after[v1 - 1] != "\n":   # joined to the next line
                u1 = _line_end(before, u1)
                continue
            break
        yield u0, u1, v0, v1, group


def _line_end(text: str, at: int, newline: bool = True) -> int:
    """End of the line holding position `at`, past its newline unless `newline` is false."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end + newline


def _fitted_pieces(before: str, after: str, a0: int, a_end: int, b0: int, b_end: int, edits: list[Edit]):
    """`_pieces` of a run of lines whose edits may reach past its last line."""
    old, new = before[a0:a_end], after[b0:b_end]
    local = []
    for s, e, r in edits:
        if e > a_end:   # the run's last line went with its newline: in the run, that is the one before it
            if r.endswith("\n"):
                e, r = e - 1, r[:-1]
            elif not r and s > a0 and before[s - 1] == "\n":
                s, e = s - 1, e - 1
        if s < a0 or e > a_end:
            return list(_char_changes(old, new))
        if s < e or r:
            local.append((s - a0, e - a0, r))
    if apply_edits(old, local) != new:   # edits that do not fit line by line: diff the run instead
        return list(_char_changes(old, new))
    return _pieces(old, new, 0, len(old), 0, len(new), local)


def _pieces(before: str, after: str, a0: int, a_end: int, b0: int, b_end: int, edits: list[Edit]):
    """(removed, replacement) pieces of the run of lines before[a0:a_end] (after[b0:b_end] after
    the edits), adjacent edits as one, as a diff of the run's characters shows them."""
    if _apart(edits, touching=False):
        coalesced = edits
    else:
        coalesced = []
        for s, e, r in edits:
            if coalesced and coalesced[-1][1] == s:
                coalesced[-1] = (coalesced[-1][0], e, coalesced[-1][2] + r)
            else:
                coalesced.append((s, e, r))
    same_length = _same_length(coalesced)
    if a_end - a0 == b_end - b0 and not same_length:
        return list(_positional_changes(before[a0:a_end], after[b0:b_end]))
    if same_length and all(e - s == 1 for s, e, _ in coalesced):   # single characters swapped
        return [(before[s], r) for s, _, r in coalesced if before[s] != r]
    pieces = []
    for s, e, r in coalesced:
        if e - s != len(r):
            if s < e or r.strip():
                pieces.append((before[s:e], r))
        elif e - s == 1:
            if before[s] != r:
                pieces.append((before[s], r))
        else:
            pieces += _positional_changes(before[s:e], r)
    return pieces


# --- explaining a change by diffing ----------------------------------------

def explain(fix: str, before: str, after: str) -> list[Removal]:
    """What `fix` removed or replaced between `before` and `after`, counted by identical text.

    The diff-based account that `log_edits` reproduces from a fix's own edits; too slow
    to run on every fix, it stays for the tests to cross-check the fixes' edits with.
    Lines are diffed first; each run of changed lines (deleted, inserted or replaced, merged so
    a join is seen as one change) is then diffed by character.
    """
    counts: Counter = Counter()
    a_lines, b_lines = before.split("\n"), after.split("\n")
    for a1, a2, b1, b2 in _changed_regions(a_lines, b_lines):
        if b1 == b2:
            for line in a_lines[a1:a2]:
                counts[(line.strip() or "\\n", "")] += 1
            continue
        if a1 == a2:   # lines only inserted (a line broken in two): nothing removed
            continue
        old, new = "\n".join(a_lines[a1:a2]), "\n".join(b_lines[b1:b2])
        for removed, replacement in _char_changes(old, new):
            counts[(_visible(removed), _visible(replacement))] += 1
    return [Removal(fix, text, replacement, n) for (text, replacement), n in counts.items()]


def _changed_regions(a_lines: list[str], b_lines: list[str]):
    """(a1, a2, b1, b2) for each run of changed lines.

    Consecutive non-equal opcodes form one run; so do an insertion and a deletion a few
    equal lines apart — difflib pairs a repeated line with its twin (A⏎B⏎A → AB⏎A becomes
    "insert AB, keep A, delete B⏎A"), and only the characters of the whole run tell the truth.
    """
    regions: list[list[int]] = []
    gap = 0
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False).get_opcodes():
        if op == "equal":
            gap = a2 - a1
            continue
        last = regions[-1] if regions else None
        one_sided = last and ((last[0] == last[1]) != (a1 == a2) or (last[2] == last[3]) != (b1 == b2))
        if last and (gap == 0 or (gap <= MERGE_GAP_LINES and one_sided)):
            last[1], last[3] = a2, b2
        else:
            regions.append([a1, a2, b1, b2])
        gap = 0
    return [tuple(r) for r in regions]


MERGE_GAP_LINES = 3


_CLAUSE = re.compile(r"\s+|[^\s。，；：！？、,;:!?]+[。，；：！？、,;:!?]*|[。，；：！？、,;:!?]+")


def _char_changes(old: str, new: str):
    """(removed, replacement) pairs between two versions of a few lines.

    Diffing characters directly is quadratic on a 14,000-character run-on line, so the texts
    are diffed as clauses first and only the changed clauses character by character.
    """
    if len(old) == len(new):
        yield from _positional_changes(old, new)
        return
    a, b = _CLAUSE.findall(old), _CLAUSE.findall(new)
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        removed, added = "".join(a[a1:a2]), "".join(b[b1:b2])
        if op == "delete":
            yield removed, ""
        elif op == "insert":
            if added.strip():
                yield "", added
        elif len(removed) == len(added):
            yield from _positional_changes(removed, added)
        else:
            for cop, c1, c2, d1, d2 in difflib.SequenceMatcher(None, removed, added, autojunk=False).get_opcodes():
                if cop in ("delete", "replace"):
                    yield removed[c1:c2], added[d1:d2]
                elif cop == "insert" and added[d1:d2].strip():
                    yield "", added[d1:d2]


def _positional_changes(old: str, new: str):
    """Same length: one-for-one swaps (punctuation, digits); compare positions."""
    i = 0
    while i < len(old):
        if old[i] != new[i]:
            j = i
            while j < len(old) and old[j] != new[j]:
                j += 1
            yield old[i:j], new[i:j]
            i = j
        else:
            i += 1


def _visible(text: str) -> str:
    """Whitespace-only removals are logged by name so the log stays readable."""
    if text and not text.strip():
        return text.replace("\n", "\\n").replace(" ", "␣").replace("\u3000", "␣").replace("\t", "\\t")
    return text
