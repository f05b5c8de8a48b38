"""Extract glossary: a report's 名词解释 block into `GlossaryEntry` items.

Reports print their glossary in many layouts: one entry a line, all entries
on one line, numbered 1. / ［1］ / ① / （1） or not numbered, the term on one
line and its definition on the next, definitions broken by page breaks or
hyperlinks. The parser only decides where entries start; every other piece
of text belongs to the entry before it, and text before the first entry is
returned as a problem, so nothing is dropped silently.

Entry numbers are the strongest signal: they come in order, so the `7.` of
`增长7.1%` or the `20` of `20个` never opens an entry unless it is the number
due next and a short term with a colon follows it.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..chinese import CLOSING_QUOTES, FULLWIDTH_CODE_TO_ASCII, HAN, NUMERALS, OPENING_QUOTES
from ..chinese import GLOSSARY_HEADING_WORDS as HEADING_WORDS
from ..model import GlossaryEntry

# --- data -------------------------------------------------------------------

# Matched against the line with all whitespace removed, as a whole: a sentence
# that mentions 名词解释, a `注：…` footer or a bare 附件 never matches.
# 名词解释 / 【名词解释】 / ※注释※ / 附件2 名词解释： / 《政府工作报告》有关内容名词注释
HEADING = re.compile(
    r"[【\[（(※★◆●■]?"
    rf"(?:附件?[0-9０-９{NUMERALS}]*[:：、.．]?)?"
    r"(?:《[^》]{1,40}》(?:有关|相关)?(?:内容)?的?)?"
    rf"(?:{'|'.join(HEADING_WORDS)})"
    r"[】\]）)※★◆●■]?[:：]?"
)

NUMBER = r"([0-9０-９]{1,3})"
# How an entry number is printed. A block keeps the style of its first entry,
# so a ① inside a definition of a `1.`-numbered block is never an entry.
MARKER_STYLES = {
    "dot": re.compile(rf"(?<![0-9０-９A-Za-z.．]){NUMBER}[.．](?![0-9０-９])\s*"),
    "comma": re.compile(rf"(?<![0-9０-９]){NUMBER}、\s*"),
    "bracket": re.compile(rf"[［\[【]\s*{NUMBER}\s*[］\]】]\s*"),
    "paren": re.compile(rf"[（(]\s*{NUMBER}\s*[）)]\s*"),
    "circled": re.compile(r"([①-⑳㉑-㉟㊱-㊿])\s*"),
}
# Circled numbers ①–⑳, ㉑–㉟, ㊱–㊿ and their values.
CIRCLED_VALUES = {chr(first + i): str(value + i)
                  for first, count, value in ((0x2460, 20, 1), (0x3251, 15, 21), (0x32B1, 15, 36))
                  for i in range(count)}

TERM_MAX_CHARS = 30
MIN_SPLIT_TERM = 3
NOT_IN_TERM = set("，,。；;！!？?")
COLON = re.compile(r"[:：]")
# Unnumbered entries on one line are separated by a sentence end and a space.
INLINE_BREAK = re.compile(r"[。；;.!！?？]\s+")

# Characters that do not make a new term: quotes, brackets, whitespace.
KEY_DROPS = str.maketrans("", "", OPENING_QUOTES + CLOSING_QUOTES + "\"《》〈〉【】[]［］()（）〔〕、")
QUOTED = re.compile(rf"[{OPENING_QUOTES}\"]([^{OPENING_QUOTES}{CLOSING_QUOTES}\"]+)[{CLOSING_QUOTES}\"]")
HAN_CHARACTER = re.compile(f"[{HAN}]")
CODE = re.compile(r"[0-9A-Za-z]+(?:\+[0-9A-Za-z]+)+")   # 1+3+1+X, 4+1

# [3] / ［3］ (group 1: the number) or ③ (group 2). Written to start with one character class, so the
# regex engine looks for that character instead of trying both alternatives at every position
# (a quarter of the time); the circled digit is captured by the lookbehind.
FOOTNOTE_MARK = re.compile(rf"[\[［①-⑳㉑-㉟㊱-㊿](?:(?<=[\[［]){NUMBER}[\]］]|(?<=([①-⑳㉑-㉟㊱-㊿])))")
# A footnote marker stands right after the term it explains; after these it is
# a list item (`；①…`) or a clause number (`第[3]条`), not a footnote.
NOT_BEFORE_FOOTNOTE = set(" \t\n，。；：、,.;:!！?？（(“‘《【[［第")


# --- headings and numbers ------------------------------------------------------

def glossary_heading(text: str) -> str | None:
    """The heading as written if this line opens a glossary block, e.g. `附件2 名词解释：`."""
    compact = re.sub(r"\s+", "", text)
    return text.strip() if HEADING.fullmatch(compact) else None


def normalise_number(mark: str) -> str:
    """`１` → `1`, `03` → `3`, `①` → `1`: entry numbers compared as plain digits."""
    return CIRCLED_VALUES.get(mark) or str(int(mark.translate(FULLWIDTH_CODE_TO_ASCII)))


# --- terms -----------------------------------------------------------------------

def term_key(term: str) -> str:
    """Identity of a term: “三改一拆” = 「三改一拆」 = 三改一拆, `“两化”融合` = 两化融合, ＲＤ = RD."""
    return re.sub(r"\s+", "", term).translate(FULLWIDTH_CODE_TO_ASCII).translate(KEY_DROPS)


def term_core(term: str) -> str | None:
    """Key of the quoted part of a qualified term, so body text can link the short form.

    Rule: the term holds exactly one quoted part, has text outside it, and the
    part is itself a term — at least two Han characters (`“四位一体”管理` →
    四位一体, `农业“两区”` → 两区) or a `+` code (`“1+3+1+X”产业` → 1+3+1+X).
    Bare numbers (`招商引资“1010”攻坚`, `“141”…体系`) and single characters
    give None: linked alone they would match every 1010 in the text.
    """
    parts = QUOTED.findall(term)
    if len(parts) != 1:
        return None
    core = term_key(parts[0])
    if core == term_key(term):
        return None
    return core if len(HAN_CHARACTER.findall(core)) >= 2 or CODE.fullmatch(core) else None


def split_terms(term: str) -> list[str]:
    """Display forms of the terms one entry names: `三医联动、六医统筹` → two, `“A”“B”` → two.

    Only 、 and adjacent quoted parts outside quotes separate terms; a 、 inside quotes does not.
    """
    parts, current, depth, just_closed = [], "", 0, False
    for ch in term:
        opening = ch in OPENING_QUOTES or (ch == '"' and depth == 0)
        closing = ch in CLOSING_QUOTES or (ch == '"' and depth > 0)
        if depth == 0 and (ch == "、" or (opening and just_closed)):
            parts.append(current)
            current = ""
            if ch == "、":
                just_closed = False
                continue
        depth = depth + 1 if opening else max(depth - 1, 0) if closing else depth
        just_closed = closing and depth == 0
        current += ch
    parts = [p.strip() for p in parts + [current] if p.strip()]
    # 一核、两翼、两带 is one slogan in three parts, not three terms: a term has 3+ characters.
    # Quoted parts side by side (“两重”“两新”, “三大高地”“五大战略”) are always separate terms:
    # the quotes mark each one, whatever its length.
    quoted_pair = len(parts) > 1 and all(QUOTED.fullmatch(p) for p in parts)
    if len(parts) > 1 and not quoted_pair and any(len(term_key(p)) < MIN_SPLIT_TERM for p in parts):
        return [term]
    return parts or [term]


# --- entries ---------------------------------------------------------------------

def term_at(text: str) -> tuple[str, str] | None:
    """(term, rest) when text opens with a short term and a colon, else None.

    A colon further in (`“1”即省疾控中心；时间：2024年`) is part of a definition:
    what precedes it is too long or holds sentence punctuation.
    """
    text = text.strip()
    colon = COLON.search(text, 0, TERM_MAX_CHARS + 1)
    term = text[:colon.start()].strip() if colon else ""
    if not term or NOT_IN_TERM & set(term):
        return None
    return term, text[colon.end():].strip()


def first_marker(line: str) -> tuple[str, re.Match] | None:
    """(style, match) of a number that opens an entry before the line's first colon."""
    colon = COLON.search(line)
    head = line[:colon.start()] if colon else line
    hits = [(m.start(), style, m) for style, rx in MARKER_STYLES.items()
            for m in rx.finditer(head) if term_at(line[m.end():])]
    return min(hits, key=lambda h: h[0])[1:] if hits else None


class Cut(NamedTuple):
    """Where an entry starts in a line: at its number mark, its text after the mark."""
    start: int
    body: int
    number: str | None


# The number due next at a line start, followed by digits (20.2026年10件民生实事：…, 21.5+2就业之家：…):
# the marker patterns refuse digits after the dot (7.1%), so this one is tried for that number alone.
NUMBER_BEFORE_DIGITS = re.compile(rf"{NUMBER}[.．、](?=[0-9０-９])")


def numbered_cuts(lines: list[str], rx: re.Pattern, expected: int, problems: list[str]) -> list[list[Cut]]:
    """Per line, the entries' numbers: the number due next, at a line start or
    followed by a term; a later number (a gap, reported) only at a line start with a term."""
    cuts = []
    for line in lines:
        here = []
        if (m := NUMBER_BEFORE_DIGITS.match(line)) and int(normalise_number(m.group(1))) == expected \
                and term_at(line[m.end():]) and rx is MARKER_STYLES["dot"]:
            here.append(Cut(0, m.end(), str(expected)))
            expected += 1
        for m in rx.finditer(line):
            n = int(normalise_number(m.group(1)))
            opens_line, has_term = m.start() == 0, term_at(line[m.end():]) is not None
            if (n == expected and (opens_line or has_term)) or (n > expected and opens_line and has_term):
                if n != expected:
                    problems.append(f"名词解释缺少第 {expected} 条，编号跳到 {n}：{line[m.start():m.start() + 40]}")
                here.append(Cut(m.start(), m.end(), str(n)))
                expected = n + 1
        cuts.append(here)
    return cuts


def unnumbered_cuts(lines: list[str]) -> list[list[Cut]]:
    """Per line, where an unnumbered entry starts: the line start, or after `。 ` when a term follows."""
    cuts = []
    for line in lines:
        starts = [0] if term_at(line) else []
        starts += [m.end() for m in INLINE_BREAK.finditer(line) if term_at(line[m.end():])]
        cuts.append([Cut(s, s, None) for s in starts])
    return cuts


def locate_entries(lines: list[str], problems: list[str]):
    """(lines, cuts per line, stray text, numbering pattern or None) for a block.

    The block is numbered when its first entry is: everything before that
    entry is stray, e.g. a junk string glued before `1.`.
    """
    start = next((i for i, line in enumerate(lines) if first_marker(line) or term_at(line)), len(lines))
    stray = lines[:start]
    numbering = first_marker(lines[start]) if start < len(lines) else None
    if not numbering:
        return lines[start:], unnumbered_cuts(lines[start:]), stray, None
    style, first = numbering
    stray.append(lines[start][:first.start()])
    lines = [lines[start][first.start():]] + lines[start + 1:]
    rx = MARKER_STYLES[style]
    return lines, numbered_cuts(lines, rx, int(normalise_number(first.group(1))), problems), stray, rx


def gather_chunks(lines: list[str], cuts: list[list[Cut]], stray: list[str]) -> list[tuple[str | None, list[str]]]:
    """(number, text pieces) per entry; text before a line's first cut continues the entry before."""
    chunks: list[tuple[str | None, list[str]]] = []
    for line, here in zip(lines, cuts):
        ends = [cut.start for cut in here] + [len(line)]
        lead = line[:ends[0]].strip()
        if lead:
            (chunks[-1][1] if chunks else stray).append(lead)
        chunks += [(cut.number, [line[cut.body:end].strip()]) for cut, end in zip(here, ends[1:])]
    return chunks


def join_wrapped(pieces: list[str]) -> str:
    """Join text broken over lines: no separator in Chinese, a space between two Latin words."""
    text = ""
    for piece in pieces:
        gap = " " if text[-1:].isascii() and text[-1:].isalnum() and piece[:1].isascii() and piece[:1].isalnum() else ""
        text += gap + piece
    return text


def make_entry(number: str | None, pieces: list[str], problems: list[str]) -> GlossaryEntry | None:
    """An entry from its text; a problem (with all its text) when no term can be found."""
    text = join_wrapped(pieces).replace("**", "")   # PDF bold on a term or a whole entry is typography
    found = term_at(text)
    label = f"第 {number} 条" if number else "条目"
    if not found:
        problems.append(f"名词解释{label}分不出“词条：解释”（缺少冒号或词条过长）：{text}")
        return None
    term, definition = found[0].strip("*"), found[1].strip("*")   # a bold pair a page break split
    if not definition:
        problems.append(f"名词解释{label}「{term}」没有解释文字")
    keys = [term_key(t) for t in split_terms(term)]
    if not all(map(names_something, keys)):
        problems.append(f"名词解释{label}「{term}」中没有汉字或字母的词（{'、'.join(f'“{k}”' for k in keys if not names_something(k))}）"
                        "不作为名词收录，不生成名词页 / a term without a letter or Han character makes no term page")
    return GlossaryEntry(term=term, definition=definition, number=number, terms=[k for k in keys if names_something(k)])


def names_something(key: str) -> bool:
    """A term has a letter or Han character, or is a formula of numbers (4+1, 2+26): “”, +++, .. or a
    bare number (what a garbled entry leaves of a term) would become term pages and links of their own.

    >>> names_something("五水共治"), names_something("1+3+1+X"), names_something("4+1"), names_something("+++"), names_something("2025")
    (True, True, True, False, False)
    """
    return any(ch.isalpha() for ch in key) or _NUMBER_FORMULA.fullmatch(key) is not None


_NUMBER_FORMULA = re.compile(r"\d+(?:[+×xX*]\d+)+")


def swallowed_entries(entry: GlossaryEntry, rx: re.Pattern) -> list[str]:
    """Problems for numbered entries hidden in a definition (a skipped number stops splitting)."""
    return [f"名词解释「{entry.term}」的解释里似乎还有一条（编号 {normalise_number(m.group(1))}），"
            f"请检查编号是否连续：…{entry.definition[max(m.start() - 10, 0):m.start() + 30]}…"
            for m in rx.finditer(entry.definition)
            if m.start() and entry.definition[m.start() - 1] in "。；;.!！?？ " and term_at(entry.definition[m.end():])]


def parse_entries(lines: list[str]) -> tuple[list[GlossaryEntry], list[str]]:
    """Entries of a glossary block (the lines after its heading) and the problems met."""
    problems: list[str] = []
    lines, cuts, stray, numbering = locate_entries([line.strip() for line in lines if line.strip()], problems)
    chunks = gather_chunks(lines, cuts, stray)
    problems[:0] = [f"名词解释中有不属于任何条目的文字：{text}" for text in stray if text.strip()]
    entries = [e for e in (make_entry(n, pieces, problems) for n, pieces in chunks) if e]
    if numbering:
        problems += [p for e in entries for p in swallowed_entries(e, numbering)]
    return entries, problems


# --- body text ---------------------------------------------------------------------

def strip_footnote_markers(text: str, numbers: set[str]) -> tuple[str, list[tuple[int, str]]]:
    """Remove glossary markers (`“一镇三村”[1]`, `产业［2］`, `①`) from body text.

    Only markers whose number is a glossary entry number and that stand right
    after a term are taken; `[2024]`, `；①` list items and `第[3]条` stay.
    Returns the clean text and (offset in the clean text, number) per marker.
    """
    pieces, notes, last, clean_length = [], [], 0, 0
    for m in FOOTNOTE_MARK.finditer(text):
        number = normalise_number(m.group(1) or m.group(2))
        before = text[m.start() - 1] if m.start() else " "
        if number not in numbers or before in NOT_BEFORE_FOOTNOTE:
            continue
        pieces.append(text[last:m.start()])
        clean_length += m.start() - last
        notes.append((clean_length, number))
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces), notes
