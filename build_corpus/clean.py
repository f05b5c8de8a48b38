"""Stage 4 — clean: an ordered table of small named fixes, each `str -> str`.

The text between stages is one paragraph per line, no blank lines. `clean()`
runs every fix in FIXES order and, like ftfy's `fix_and_explain`, records for
each fix that changed something exactly what it removed or replaced (found by
diffing its input and output), so the report page and `inspect` can show it.

Generic Unicode normalisers (NFKC, ftfy defaults) would turn ，（： into ,(:
— the opposite of what Chinese text needs — so every fix here is targeted.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import yaml

from .model import Removal

DATA = Path(__file__).parent / "data" / "cleaning.yml"

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
# Characters that end a sentence or a clause a paragraph may end on.
TERMINAL = "。！？；：…!?;:"
CLOSERS = "”’）》」』】)"
HEADING_START = re.compile(r"^(?:第[一二三四五六七八九十]{1,3}部分|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)]"
                           r"|[（(]\d{1,2}[）)]|\d{1,2}[.．、](?!\d))")


@lru_cache(maxsize=1)
def cleaning_data() -> dict:
    with DATA.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


# --- the fixes -------------------------------------------------------------

def remove_invisible_characters(text: str) -> str:
    """BOM, zero-width spaces/joiners and soft hyphens carry nothing a reader sees.

    >>> remove_invisible_characters("\\ufeff各位\\u200b代表")
    '各位代表'
    """
    return re.sub("[\ufeff\u200b\u200c\u200d\u2060\u00ad]", "", text)


def drop_injected_junk(text: str) -> str:
    """Remove strings scraped pages inject into the text (listed in data/cleaning.yml).

    >>> drop_injected_junk("繁荣发展文化事业。侯卫东官场笔记把加快")
    '繁荣发展文化事业。把加快'
    """
    for junk in cleaning_data()["junk_strings"]:
        text = text.replace(junk, "")
    return text


def drop_web_chrome(text: str) -> str:
    """Drop page chrome: toolbars, font-size switches, share buttons, breadcrumbs, captions.

    >>> drop_web_chrome("【字体：\\n大\\n中\\n小\\n】\\n分享：\\n各位代表：")
    '各位代表：'
    """
    data = cleaning_data()
    for pattern in data["chrome_patterns"].values():
        text = re.sub(pattern, "", text, flags=re.MULTILINE)
    chrome = set(data["chrome_lines"])
    return "\n".join(line for line in text.split("\n") if line.strip() not in chrome)


def drop_page_footer(text: str) -> str:
    """Cut the page footer: from a footer marker in the last third of the text to the end.

    Portals end a report with editor credits, related links and often the title
    and opening again; all of it follows one of a few fixed markers.

    >>> drop_page_footer("各位代表：" + "正文。" * 20 + "\\n责任编辑：\\n相关链接>>\\n政府工作报告")
    '各位代表：正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。正文。'
    """
    starts = tuple(cleaning_data()["footer_starts"])
    offset = 0
    for line in text.split("\n"):
        if offset > len(text) * 2 / 3 and line.strip().startswith(starts):
            return text[:offset].rstrip("\n")
        offset += len(line) + 1
    return text


def drop_page_numbers(text: str) -> str:
    """Lines that are only a page number (`— 2 —`, `第 3 页`, `4/45`).

    >>> drop_page_numbers("服务机\\n— 2 —\\n制")
    '服务机\\n制'
    """
    patterns = [re.compile(p) for p in cleaning_data()["page_number_patterns"]]
    return "\n".join(line for line in text.split("\n") if not any(p.match(line) for p in patterns))


def drop_running_headers(text: str) -> str:
    """Short lines a PDF repeats on every page (the report's title, the meeting).

    A line counts when it appears at least 3 times spread over most of the
    text, is at most 30 characters, and neither ends in punctuation nor looks
    like a heading. (A word split off by hyperlinks repeats too, but close together.)

    >>> drop_running_headers("政府工作报告\\n甲。\\n政府工作报告\\n乙。\\n政府工作报告\\n丙。")
    '甲。\\n乙。\\n丙。'
    """
    lines = text.split("\n")
    offsets: dict[str, list[int]] = {}
    at = 0
    for line in lines:
        if line.strip():
            offsets.setdefault(line.strip(), []).append(at)
        at += len(line) + 1
    repeated = {line for line, seen in offsets.items()
                if len(seen) >= 3 and len(line) <= 30 and seen[-1] - seen[0] >= len(text) / 2
                and line[-1] not in TERMINAL + CLOSERS + "！" and not HEADING_START.match(line)}
    return "\n".join(line for line in lines if line.strip() not in repeated)


def balance_bold_markers(text: str) -> str:
    """Keep `**…**` pairs (rendered as emphasis); a span broken over two lines is closed and
    reopened; unpaired or empty markers go.

    >>> balance_bold_markers("**重点领域改革多点突破**。开展**")
    '**重点领域改革多点突破**。开展'
    >>> balance_bold_markers("**坚持稳中求进。\\n推动高质量发展。**")
    '**坚持稳中求进。**\\n**推动高质量发展。**'
    """
    lines = [line.replace("****", "") for line in text.split("\n")]
    odd = [line.count("**") % 2 == 1 for line in lines]
    for i, line in enumerate(lines):
        if not odd[i]:
            continue
        if i + 1 < len(lines) and odd[i + 1]:   # a span that continues on the next line
            lines[i] = line + "**"
            lines[i + 1] = "**" + lines[i + 1]
            odd[i + 1] = False
        else:
            last = line.rfind("**")
            lines[i] = line[:last] + line[last + 2:]
    return "\n".join(lines)


_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}


def fullwidth_alphanumerics_to_ascii(text: str) -> str:
    """Full-width digits and letters become ASCII; full-width punctuation stays.

    >>> fullwidth_alphanumerics_to_ascii("增长７．２％，ＧＤＰ")
    '增长7．2％，GDP'
    """
    return text.translate(_FULLWIDTH_ALNUM)


_CN = f"[{HAN}{CJK_PUNCT}]"
_HALF_TO_FULL = {",": "，", ";": "；", "?": "？", "!": "！", ":": "："}


def halfwidth_punctuation_to_fullwidth(text: str) -> str:
    """`, ; ? ! :` and `( )` next to Chinese become full-width; numbers, times, URLs, Latin stay.

    >>> halfwidth_punctuation_to_fullwidth("2017年,增长7.2%;PM2.5下降 (一)拉高标杆,时间12:30, R&D")
    '2017年，增长7.2%；PM2.5下降 （一）拉高标杆，时间12:30, R&D'
    """
    def swap(m: re.Match) -> str:
        return "".join(_HALF_TO_FULL[ch] for ch in m.group(1))
    # A space PDF extraction left before the mark goes with it (营商环境 ,通过).
    text = re.sub(rf"(?<={_CN})[ \t]+(?=[,;?!:])", "", text)
    # Before the mark(s): a Chinese character, or a digit/percent closing a Chinese clause.
    text = re.sub(rf"(?<={_CN})([,;?!:]+)", swap, text)
    text = re.sub(rf"(?<=[0-9%）)])([,;?!])(?={_CN})", swap, text)
    # 增长7.1%;财政 — but not a thousands separator (1,200亿元).
    text = re.sub(rf"(?<=[{HAN}])([0-9][0-9.%]*)([,;?!]+)(?![0-9])",
                  lambda m: m.group(1) + "".join(_HALF_TO_FULL[ch] for ch in m.group(2)), text)
    text = re.sub(rf"(?<=[0-9%])(:)(?=[{HAN}])", swap, text)
    # Brackets whose content holds Chinese: (一) (作坊) (国卫复查)
    return re.sub(rf"\(([^()\n]*[{HAN}][^()\n]*)\)", r"（\1）", text)


def strip_line_indentation(text: str) -> str:
    """Leading/trailing spaces, ideographic spaces and tabs are layout, not text; blank lines go.

    >>> strip_line_indentation("\\u3000\\u3000各位代表：\\n\\n  现在，")
    '各位代表：\\n现在，'
    """
    lines = (line.strip(" \t\u3000\u00a0") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def join_wrapped_lines(text: str) -> str:
    """Join a paragraph that a page break or hyperlink split over several lines.

    A line continues on the next one when it does not end a clause and either
    holds clause punctuation, is long, or leaves a quote or bracket open;
    headings and the lines they are followed by are never joined.

    >>> join_wrapped_lines("推动发展，建立了经济运行监测服务机\\n制，推动经济稳步增长。\\n一、2022年工作回顾\\n2022年，")
    '推动发展，建立了经济运行监测服务机制，推动经济稳步增长。\\n一、2022年工作回顾\\n2022年，'
    """
    out: list[str] = []
    for line in text.split("\n"):
        if out and _continues(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _continues(previous: str, line: str) -> bool:
    if not previous or not line or HEADING_START.match(line):
        return False
    if line[0] in "，、。；：！？）”’》" and previous[-1] not in TERMINAL:
        return True
    if HEADING_START.match(previous) and len(previous) <= 40 and not _open_quote(previous):
        return False
    if previous[-1] in TERMINAL or (previous[-1] in CLOSERS and previous.rstrip(CLOSERS)[-1:] in TERMINAL):
        return False
    if previous.endswith("**") and previous[:-2][-1:] in TERMINAL:
        return False
    return _open_quote(previous) or bool(re.search("[，。；、,]", previous)) or len(previous) >= 40


def _open_quote(line: str) -> bool:
    return line.count("“") > line.count("”") or line.count("（") > line.count("）") or line.count("《") > line.count("》")


RUN_ON_MIN_CHARS = 1500


def break_run_on_lines(text: str) -> str:
    """Split a line that holds a whole report (scraped into one line) into paragraphs.

    Breaks go where a space follows the end of a sentence, and before a heading
    number or a glossary heading that follows the end of a sentence.

    >>> break_run_on_lines("提出意见。 一、2017年工作回顾2017年，我们" + "很好。" * 500)[:30]
    '提出意见。\\n一、2017年工作回顾2017年，我们很好。很好'
    """
    return "\n".join(_break_line(line) if len(line) >= RUN_ON_MIN_CHARS else line for line in text.split("\n"))


_SENTENCE_END = "。！？!?；;"
_NUMERALS = "一二三四五六七八九十"
# Where a run-on line may break, by numbering style. Group "n" is the heading number.
_BREAK_CANDIDATES = {
    "cn": re.compile(rf"(?P<n>[{_NUMERALS}]{{1,3}})、"),
    "paren": re.compile(rf"[（(](?P<n>[{_NUMERALS}]{{1,3}})[）)]"),
    "digit": re.compile(rf"(?P<n>\d{{1,2}})[.．](?=[{HAN}“「《(（A-Za-z])"),
}
_STRONG_BEFORE = set(_SENTENCE_END + "：:”")
_BLOCK_HEADING = re.compile(r"(名词解释|名词注释|附件\d*|附表\d*)(?=[\s:：\d]|$)")


def _break_line(line: str) -> str:
    """Break before sentences after a space, glossary/appendix headings, and numbered headings.

    A heading number right after the end of a sentence is a sure break. One
    after a Chinese character or a space (the source lost the 。) is taken only
    when it fills a gap in the numbering, e.g. 二、 between a sure 一、 and 三、
    with no other 二、 between them — which rejects 第 一、全省第五 and 新建 二、三级.
    """
    breaks = {m.end() for m in re.finditer(rf"[{_SENTENCE_END}]\s+(?=\S)", line)}
    for m in _BLOCK_HEADING.finditer(line):
        before = line[:m.start()].rstrip()
        if before and (before[-1] in _STRONG_BEFORE or before[-1] == "!" or line[m.start() - 1].isspace()):
            breaks.add(m.start())
            if line[m.end():m.end() + 1].isspace():
                breaks.add(m.end())
    for pattern in _BREAK_CANDIDATES.values():   # each numbering style is its own sequence
        found = []
        for m in pattern.finditer(line):
            if m.start() == 0:
                continue
            number = chinese_numeral_value(m.group("n"))
            if number is None:
                continue
            before = line[:m.start()].rstrip()
            strong = bool(before) and before[-1] in _STRONG_BEFORE
            found.append((m.start(), number, strong))
        for i, (at, _, strong) in enumerate(found):
            if strong or _fills_gap(found, i):
                breaks.add(at)
    out, last = [], 0
    for at in sorted(breaks):
        out.append(line[last:at].strip())
        last = at
    out.append(line[last:].strip())
    return "\n".join(part for part in out if part)


def _fills_gap(found: list[tuple[int, int, bool]], i: int) -> bool:
    _, n, _ = found[i]
    later = [m for k, (_, m, strong) in enumerate(found) if k > i and strong]
    earlier = [m for k, (_, m, strong) in enumerate(found) if k < i and strong]
    if not later or later[0] != n + 1:
        return False
    if n == 1:   # a list starting again after a finished one, or the first list
        return not earlier or earlier[-1] >= 2
    return bool(earlier) and earlier[-1] == n - 1


_CHINESE_NUMERAL = re.compile(r"^(?:(?P<tens>[一二三四五六七八九])?(?P<ten>十))?(?P<ones>[一二三四五六七八九])?$")


def chinese_numeral_value(numeral: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20; ASCII digits pass through; 一一 or 十十 → None.

    >>> [chinese_numeral_value(n) for n in ("三", "十", "十二", "二十一", "7", "一一")]
    [3, 10, 12, 21, 7, None]
    """
    if numeral.isdigit():
        return int(numeral)
    m = _CHINESE_NUMERAL.match(numeral)
    if not m or not numeral:
        return None
    digits = "一二三四五六七八九"
    tens = (digits.index(m["tens"]) + 1 if m["tens"] else 1) if m["ten"] else 0
    return tens * 10 + (digits.index(m["ones"]) + 1 if m["ones"] else 0)


_SPACE = "[ \t\u3000\u00a0]+"


def remove_spaces_next_to_chinese(text: str) -> str:
    """Spaces PDF extraction put between Chinese and digits, Latin or other Chinese go; Latin keeps its spaces.

    >>> remove_spaces_next_to_chinese("增长 2.4%，新增 3 个 Essential Science Indicators。王 坚")
    '增长2.4%，新增3个Essential Science Indicators。王坚'
    """
    text = re.sub(rf"(?<=[{HAN}{CJK_PUNCT}]){_SPACE}(?=\S)", "", text)
    return re.sub(rf"(?<=\S){_SPACE}(?=[{HAN}{CJK_PUNCT}])", "", text)


# The order matters: chrome is recognised on raw lines, punctuation before joining
# (joining looks at sentence ends), run-on lines are broken at spaces before those go,
# and bold pairs are balanced once the final lines exist.
FIXES: list[tuple[str, Callable[[str], str]]] = [
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
    """
    log: list[Removal] = []
    for _ in range(MAX_PASSES):
        changed = False
        for name, fix in fixes:
            fixed = fix(text)
            if fixed != text:
                log.extend(explain(name, text, fixed))
                text, changed = fixed, True
        if not changed:
            break
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


# --- explaining a change ---------------------------------------------------

def explain(fix: str, before: str, after: str) -> list[Removal]:
    """What `fix` removed or replaced between `before` and `after`, counted by identical text.

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
