"""Extent: where a report begins and ends in the page that holds it.

A report begins at its title, its header (the date and meeting, the speaker) or its opening
(各位代表：…), and ends after its closing appeal (让我们…而努力奋斗！) and what belongs to it
(名词解释, 注释, 附件, a 注： note). Whatever lies outside is the page around it — an aggregator's
header (时间/作者/来源/阅读/评论), a 内容摘要 that repeats the opening, disclaimers, tags, share
widgets, 上一篇/下一篇, related and most-read lists, tag clouds, editor lines — and is removed and
logged by its place, whatever its words: a portal nobody has listed is cleaned as well. (Phrases
of chrome, data/cleaning.yml, remain for chrome *inside* the report.)

Only what the evidence places outside goes: without an opening or a heading to start from, the
start stays; without a closing appeal late in the text, the end stays (cleaning's footer markers
still apply).
"""
from __future__ import annotations

import re

from ..chinese import GLOSSARY_HEADING_WORDS, HAN, NUMERALS, SALUTATION_WORDS, SENTENCE_ENDS
from .classify import OPENING
from .fixes import is_chrome_line, starts_page_footer
from .metadata import metadata_data

# The salutation opening a line: 各位代表： (a 内容摘要 repeats it inside a longer line).
_SALUTATION_LINE = re.compile(rf"^\s*(?:{'|'.join(SALUTATION_WORDS)})\s*[:：,，!！]")
_LEVEL1_HEADING = re.compile(rf"^\s*(?:第[{NUMERALS}]{{1,3}}部分|[{NUMERALS}]{{1,3}}、)\s*\S")
_SPACES = re.compile(r"[ \t\u3000]+")
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[〇○Ｏ零一二三四五六七八九]{4}\s*年[〇○零一二三四五六七八九十]{1,3}月")
# The speaker: an office and a name (四川省人民政府省长 施小琳, 国务院总理　李克强, 自治区主席 艾尔肯·吐尼亚孜),
# or the government alone on its line (河北省人民政府) — not a footer's 主办：河北省人民政府办公厅.
_OFFICE = re.compile(rf"(?:总理|省长|市长|县长|区长|州长|盟长|旗长|镇长|乡长|主席|主任)[{HAN}·]{{2,12}}$|^[{HAN}]{{2,14}}人民政府$")
_BARE_NAME = re.compile(rf"^[{HAN}·]{{2,8}}$")
# A line that may stand in a report's header: its title, the date and meeting, the speaker.
MAX_HEADER_LINE = 80
# Short lines of page chrome (来源：…, 【字号：大 中 小】, a date) may stand between the title and
# the rest of the header; at most this many in a row are passed over on the way up.
MAX_CHROME_RUN = 8
MAX_CHROME_LINE = 40
# A header is short: the walk up from the opening looks at no more lines than this (a portal's
# navigation, with 政府工作报告 among its menu items, is not the report's header).
MAX_HEADER_SPAN = 16

# The closing appeal: 让我们……而努力奋斗！, or a last 各位代表！… paragraph ending in ！.
_APPEAL = re.compile(r"让我们[^。\n]{0,160}?(?:奋斗|努力|前进|奋进|拼搏|进军|开创|谱写|创造|实现|再创|推进|迈进|建设)")
_LAST_SALUTATION = re.compile(rf"^\s*(?:{'|'.join(SALUTATION_WORDS)})\s*[！!]")
# The appeal stands in the last part of a report (a 名词解释 block of a few pages may follow it).
APPEAL_IN_LAST = 0.5
_BLOCK_HEADING = re.compile(r"^\s*[【\[（(※〔]*\s*(?:附件\s*\d*|附表\s*\d*|附[:：]|附录|说明|注[:：]|"
                            + "|".join(r"\s*".join(word) for word in GLOSSARY_HEADING_WORDS) + r")")
_NUMBERED_ENTRY = re.compile(rf"^\s*(?:[\[［【〔（(]\s*[\d０-９{NUMERALS}]{{1,3}}\s*[\]］】〕）)]|[\d０-９]{{1,3}}\s*[.．、]|[①-⑳]|[{NUMERALS}]{{1,3}}、)")
_ENTRY_START = re.compile(rf"{_NUMBERED_ENTRY.pattern}|^\s*(?:[“\"][^”\"\n]{{1,30}}[”\"]|[^，。；：:\n]{{1,30}}[：:])")
# 免责声明：… / 标签： — a labelled line; after numbered entries it is no entry of theirs.
_LABEL = re.compile(r"^\s*[^，。；：:“”\n]{1,12}[：:]")
# 注：… / （本报告中2025年数据为初步统计数）: a note of the report's own, after its appeal.
_NOTE = re.compile(r"^\s*(?:[（(]?\s*注[:：]|[（(][^（()）]{4,200}[）)]\s*$)")
_SENTENCE_END = re.compile(rf"[{SENTENCE_ENDS}][”’）)]*\s*$")
# Text glued after the appeal's last mark (a vendor's watermark): short, no sentence in it.
_TRAILER = re.compile(r"(?<=[！!。])(?P<trailer>[^。！？!?；\n“”（）()]{1,30})\s*$")


def find_extent(lines: list[str]) -> tuple[int, int, str | None]:
    """(first, end, trailer): the report is lines[first:end]; `trailer` is text glued to the end
    of its last line that is not the report's (or None). A page that holds the report twice (its
    opening again further down) ends before the second copy."""
    first, anchor = _start(lines)
    again = _repeated_opening(lines, anchor)
    end, trailer = _end(lines[:again], first)
    return first, end, trailer


# An opening this long repeated further down is the page holding the report again, not a phrase.
MIN_REPEATED_OPENING = 15


def _repeated_opening(lines: list[str], anchor: int | None) -> int:
    """Where the report's opening line comes again (a second copy of the page), or the end."""
    if anchor is None:
        return len(lines)
    at = next((i for i in range(anchor + 1, min(anchor + 4, len(lines))) if lines[i].strip()), None)
    if at is None or len(lines[at].strip()) < MIN_REPEATED_OPENING:
        return len(lines)
    opening = lines[at].strip()
    again = next((i for i in range(at + 1, len(lines)) if lines[i].strip() == opening), None)
    if again is None:
        return len(lines)
    while again > at + 1 and (_SALUTATION_LINE.match(lines[again - 1]) or _is_header_line(lines[again - 1].strip())
                              or not lines[again - 1].strip()):
        again -= 1   # its salutation and header go with it
    return again


def _start(lines: list[str]) -> tuple[int, int | None]:
    anchor = next((i for i, line in enumerate(lines) if _SALUTATION_LINE.match(line)), None)
    if anchor is None:
        anchor = next((i for i, line in enumerate(lines[:200]) if OPENING.search(line) and len(line) < 400
                       and not _is_digest(line)), None)
    if anchor is None:
        anchor = next((i for i, line in enumerate(lines) if _LEVEL1_HEADING.match(line)), None)
    if anchor is None:
        return 0, None
    first, i, chrome_run, seen = anchor, anchor - 1, 0, 0
    while i >= 0 and seen < MAX_HEADER_SPAN:
        line = lines[i].strip()
        if not line:
            i -= 1
            continue
        seen += 1
        if _is_header_line(line):
            first, chrome_run = i, 0
        elif (len(line) <= MAX_CHROME_LINE and not _SENTENCE_END.search(line) or is_chrome_line(line)) and chrome_run < MAX_CHROME_RUN:
            chrome_run += 1
        else:
            break
        i -= 1
    return first, anchor


def _is_digest(line: str) -> bool:
    """A 内容摘要 repeats the title, header and opening in one line, cut off with an ellipsis."""
    return line.rstrip().endswith(("……", "...", "…"))


def _is_header_line(line: str) -> bool:
    """A title (政府工作报告, spaced or not), the date and meeting, the speaker with the office."""
    compact = _SPACES.sub("", line)
    if len(compact) > MAX_HEADER_LINE or _is_digest(compact):
        return False
    if "工作报告" in compact and len(compact) <= 40:
        return True
    if "人民代表大会" in compact or compact.endswith(("会议上", "会议")):
        return True
    if _DATE.search(compact) and len(compact) <= 40 and not _SENTENCE_END.search(compact):
        return True
    if _OFFICE.search(compact) and len(compact) <= 30 and not _SENTENCE_END.search(compact):
        return True
    return bool(_BARE_NAME.match(compact)) and not any(word in compact for word in metadata_data()["not_names"]) \
        or compact.strip("—-－–") == ""


def _end(lines: list[str], first: int) -> tuple[int, str | None]:
    total = sum(len(line) + 1 for line in lines)
    offset, appeal = 0, None
    for i, line in enumerate(lines):
        if i >= first and offset >= total * (1 - APPEAL_IN_LAST) and (_APPEAL.search(line) or _LAST_SALUTATION.match(line)
                                                                   and line.rstrip().endswith(("！", "!"))):
            appeal = i
        offset += len(line) + 1
    if appeal is None:
        return len(lines), None
    end, in_block, previous, numbered = appeal + 1, False, "", 0
    for i in range(appeal + 1, len(lines)):
        line = lines[i].strip()
        if not line:
            continue
        if is_chrome_line(line) or starts_page_footer(line):
            break
        if _BLOCK_HEADING.match(line) and len(line) <= 40 or _NOTE.match(line):
            in_block, numbered = True, 0
        elif not (in_block and _in_block(line, previous, lines[i - 1].strip())):
            break
        elif _NUMBERED_ENTRY.match(line):
            numbered += 1
        elif numbered >= 2 and _LABEL.match(line) and _SENTENCE_END.search(previous):
            break
        end, previous = i + 1, line
    trailer = _TRAILER.search(lines[appeal].rstrip())
    return end, trailer.group("trailer") if trailer and _APPEAL.search(lines[appeal]) else None


def _in_block(line: str, previous: str, above: str) -> bool:
    """A line of a 名词解释 or 附件 block: an entry, a sentence, the block's title under its heading,
    or the rest of a line a hyperlink broke (the line before ends no sentence)."""
    if _ENTRY_START.match(line) or _SENTENCE_END.search(line):
        return True
    if _BLOCK_HEADING.match(previous) and len(line) <= MAX_CHROME_LINE:   # 附件1 / 2026年省十件民生实事
        return True
    return bool(previous) and above == previous and not _SENTENCE_END.search(previous) and not _BLOCK_HEADING.match(previous)
