"""The rules of Chinese text the stages share: one home for each, so they agree.

Which characters are Han, the punctuation, numerals and heading numbers, the
salutation and block headings of a work report, full-width forms and quotes.
A heading clean() keeps on a line of its own is then one sections finds, and a
glossary block the cleaning leaves alone is one the glossary stage reads.
"""
from __future__ import annotations

import re

# --- characters ------------------------------------------------------------

# Han characters of the Basic Multilingual Plane: Extension A, the unified block, compatibility ideographs.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# The same with the supplementary planes (Extensions B–F), as the search worker's regex has them
# (renderer/search_worker.js: HAN): the index and the query must cut text alike.
HAN_ALL_PLANES = HAN + "\U00020000-\U0002ebef"
# CJK symbols and punctuation, full-width punctuation, and the dashes, ellipsis, quotes and
# middle dot Chinese text uses.
CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"
# Marks that end a sentence (a heading with one inside already holds body text).
SENTENCE_ENDS = "。！？；"
# Marks that end a sentence or a clause a paragraph may end on.
TERMINAL = "。！？；：…!?;:"
# Closing quotes and brackets, which may follow a sentence's last mark.
CLOSERS = "”’）》」』】)"

# --- numerals and heading numbers ------------------------------------------

NUMERALS = "一二三四五六七八九十"
# With the zeros of dates and ordinals (二〇二六年, 第十四届).
NUMERALS_WITH_ZERO = "〇零" + NUMERALS
_DIGITS = "一二三四五六七八九"
_CHINESE_NUMERAL = re.compile(rf"^(?:(?P<tens>[{_DIGITS}])?(?P<ten>十))?(?P<ones>[{_DIGITS}])?$")


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
    tens = (_DIGITS.index(m["tens"]) + 1 if m["tens"] else 1) if m["ten"] else 0
    return tens * 10 + (_DIGITS.index(m["ones"]) + 1 if m["ones"] else 0)


_DECIMAL_DIGITS = "〇零" + _DIGITS
_PERCENT_NUMBER = rf"[{NUMERALS}]{{1,3}}(?:点[{_DECIMAL_DIGITS}]{{1,3}})?"
_PERCENT_IN_WORDS = re.compile(rf"百分之(?P<low>{_PERCENT_NUMBER})(?:(?P<dash>至|到)(?P<high>{_PERCENT_NUMBER}))?")


def _numeral_with_decimals(numeral: str) -> str | None:
    whole, _, decimals = numeral.partition("点")
    value = chinese_numeral_value(whole)
    if value is None:
        return None
    return str(value) + ("." + "".join(str(_DECIMAL_DIGITS.index(d) - 1 if d not in "〇零" else 0) for d in decimals)
                         if decimals else "")


def percentages_in_digits(text: str) -> str:
    """A percentage in words as the older reports write it, in digits: one pattern then reads both.

    >>> percentages_in_digits("国民生产总值增长百分之六，增长百分之十三点四，定为百分之八至九。")
    '国民生产总值增长6%，增长13.4%，定为8%至9%。'
    """
    def digits(m: re.Match) -> str:
        low = _numeral_with_decimals(m["low"])
        high = _numeral_with_decimals(m["high"]) if m["high"] else None
        if low is None or (m["high"] and high is None):
            return m[0]
        return f"{low}%" + (f"{m['dash']}{high}%" if high else "")
    return _PERCENT_IN_WORDS.sub(digits, text) if "百分之" in text else text


def chinese_ordinal(n: int) -> str:
    """一 … 十 for 1 … 10, the digits beyond (as a heading of a short list writes them).

    >>> chinese_ordinal(3), chinese_ordinal(12)
    ('三', '12')
    """
    return NUMERALS[n - 1] if n <= 10 else str(n)


_CHINESE_NUMBER = f"[{NUMERALS}]{{1,3}}"
_DIGIT_NUMBER = r"\d{1,2}"
# How reports number their headings, outermost first as they usually nest them:
# style → (the number as written, `{n}` standing for the number; the number's pattern).
HEADING_NUMBERS = {
    "part": ("第{n}部分", _CHINESE_NUMBER),
    "cn": ("{n}、", _CHINESE_NUMBER),
    "paren": ("[（(]{n}[）)]", _CHINESE_NUMBER),
    "digit": (r"{n}[.．、](?!\d)", _DIGIT_NUMBER),
    "paren_digit": ("[（(]{n}[）)]", _DIGIT_NUMBER),
}


def heading_number(style: str, group: str | None = "n") -> str:
    """The regex of a heading number of `style`, its number captured as `group` (not at all if None).

    >>> heading_number("cn")
    '(?P<n>[一二三四五六七八九十]{1,3})、'
    >>> re.fullmatch(heading_number("paren_digit", None), "（12）") is not None
    True
    """
    written, number = HEADING_NUMBERS[style]
    return written.replace("{n}", f"(?P<{group}>{number})" if group else number)


# A line that starts with a heading number of any style.
HEADING_START = re.compile("^(?:" + "|".join(heading_number(style, None) for style in HEADING_NUMBERS) + ")")
# A Chinese heading number on its own (一、 with its title on the next line).
CHINESE_HEADING_NUMBER = re.compile("|".join(heading_number(style, None) for style in ("part", "cn", "paren")))
# What every heading number starts with: most lines are body text and fail this one quick test.
HEADING_NUMBER_START = re.compile(rf"[第（({NUMERALS}]|\d")

# --- dates ------------------------------------------------------------------

def calendar_date(year: int | str, month: int | str, day: int | str) -> str | None:
    """A date as written (2024年1月20日, 2024-01-20) in ISO form, or None when no calendar has it:
    text can say 2024年13月45日 or 0000-00-00, and such a date reaches no page, citation or download.

    >>> calendar_date(2024, 1, 20), calendar_date("2024", "02", "30"), calendar_date(0, 0, 0), calendar_date(2024, 13, 45)
    ('2024-01-20', None, None, None)
    """
    import datetime
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


# --- the parts of a work report --------------------------------------------

SALUTATION_WORD = "各位代表"
# 各位委员 — the same report as printed for the members of the CPPCC, who sit in (the 政协稿).
COMMITTEE_SALUTATION_WORD = "各位委员"
SALUTATION_WORDS = (SALUTATION_WORD, COMMITTEE_SALUTATION_WORD)
# 各位代表： — how a report addresses the deputies, opening its body (and again in its closing appeal).
SALUTATION = re.compile(rf"(?:{SALUTATION_WORD}|{COMMITTEE_SALUTATION_WORD})\s*[:：,，!！、]")
# 各位代表：现在，… — a salutation with the body on its line, as scraped sources have it.
GLUED_SALUTATION = re.compile(rf"^((?:{SALUTATION_WORD}|{COMMITTEE_SALUTATION_WORD})[：:！!，,])\s*(?=\S)")

# The headings of the glossary block most reports print (名词解释), then the rarer ones.
GLOSSARY_HEADINGS = ("名词解释", "名词注释")
GLOSSARY_HEADING_WORDS = GLOSSARY_HEADINGS + ("名词解读", "名词术语解释", "注释", "注解")
APPENDIX_HEADINGS = ("附件", "附表")
# A glossary or appendix heading inside a run-on line (名词解释1.…, 附件2：…).
# (The rarer glossary headings — 注释 is a common word — only when the first entry follows: 注释［1］….)
BLOCK_HEADING = re.compile("(" + "|".join([*GLOSSARY_HEADINGS, *(rf"{word}\d*" for word in APPENDIX_HEADINGS)])
                           + r")(?=[\s:：\d]|$)|(" + "|".join(GLOSSARY_HEADING_WORDS[len(GLOSSARY_HEADINGS):])
                           + r")(?=[:：]?\s*[［\[【〔（(]\s*[1１][］\]】〕）)]|[:：]?\s*①)")
# 名词解释：1.… — a glossary heading with its first entry on its line.
GLUED_GLOSSARY_HEADING = re.compile(rf"^({'|'.join(GLOSSARY_HEADINGS)})[：:]?\s*(?=\S)")
# 附件2：…民生实事 — an appendix heading and its short title.
APPENDIX_HEADING = re.compile(rf"^({'|'.join(APPENDIX_HEADINGS)})\s*\d*\s*[：:]?\s*(?P<title>\S.{{0,30}})?$")

# --- full-width forms ------------------------------------------------------

# Full-width digits and Latin letters and their ASCII forms (a `str.translate` table).
FULLWIDTH_ALNUM_TO_ASCII = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
# The same with ＋＆－, which join the parts of a code-like term (1＋3＋1＋X, R＆D): terms compare alike.
FULLWIDTH_CODE_TO_ASCII = FULLWIDTH_ALNUM_TO_ASCII | {0xFF0B: 0x2B, 0xFF06: 0x26, 0xFF0D: 0x2D}
# The ASCII clause marks Chinese text writes full-width (only these: ． and ％ stay as they are).
HALFWIDTH_TO_FULLWIDTH_PUNCTUATION = str.maketrans({",": "，", ";": "；", "?": "？", "!": "！", ":": "："})
# Brackets around Chinese text: （一）, not (一).
HALFWIDTH_TO_FULLWIDTH_BRACKETS = str.maketrans("()", "（）")

# --- quotes and brackets ---------------------------------------------------

QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
OPENING_QUOTES = "".join(QUOTE_PAIRS)
CLOSING_QUOTES = "".join(QUOTE_PAIRS.values())
# Every quote mark, the ASCII " (which opens and closes alike) included.
QUOTES = OPENING_QUOTES + CLOSING_QUOTES + '"'
# Pairs a heading line's split point must not fall inside.
# A phrase the report itself sets in quotes: how slogans are written (“四个现代化”, “两个毫不动摇”).
QUOTED_PHRASE = re.compile(r"“([^“”\s，。；、：！？]{2,12})”")

QUOTE_AND_BRACKET = (("“", "”"), ("（", "）"))
# Pairs a wrapped line may leave open: a book title 《…》 too, as long titles wrap.
QUOTE_BRACKET_AND_TITLE = QUOTE_AND_BRACKET + (("《", "》"),)


def leaves_open(text: str, pairs: tuple[tuple[str, str], ...] = QUOTE_BRACKET_AND_TITLE) -> bool:
    """Does `text` open more of one of the pairs than it closes (so the sentence goes on)?

    >>> leaves_open("发布“三智一"), leaves_open("（一）拉高标杆"), leaves_open("《纲要", QUOTE_AND_BRACKET)
    (True, False, False)
    """
    for opening, closing in pairs:
        if text.count(opening) > text.count(closing):
            return True
    return False


# --- words in context ---------------------------------------------------------------

CONTEXT_CHARS = 120   # the most a quoted sentence around a use may hold (a use in context, a search excerpt)


def sentence_around(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> tuple[str, int, int]:
    """The sentence holding text[start:end] (cut at 。！？；), at most `limit` characters: a longer one
    is cut to the words around the span, with … where it was cut. Returns (excerpt, span start, span end)
    within the excerpt. Indexes are code points (Python's), so no character is cut in half.

    >>> sentence_around("去年很好。深入推进五水共治，成效明显。明年继续。", 9, 13)
    ('深入推进五水共治，成效明显。', 4, 8)
    >>> sentence_around("甲" * 200 + "五水共治" + "乙" * 200, 200, 204, limit=20)
    ('…甲甲甲甲甲甲甲甲五水共治乙乙乙乙乙乙乙乙…', 9, 13)
    """
    begin = max((text.rfind(mark, 0, start) for mark in SENTENCE_ENDS), default=-1) + 1
    stops = [i for i in (text.find(mark, end) for mark in SENTENCE_ENDS) if i >= 0]
    finish = min(stops) + 1 if stops else len(text)
    while finish < len(text) and text[finish] in CLOSERS:
        finish += 1
    while begin < start and text[begin].isspace():
        begin += 1
    if finish - begin > limit:
        room = max(0, limit - (end - start)) // 2
        begin, finish = max(begin, start - room), min(finish, end + room)
    prefix = "…" if begin > 0 and text[begin - 1] not in SENTENCE_ENDS else ""
    suffix = "…" if finish < len(text) and text[finish - 1] not in SENTENCE_ENDS + CLOSERS else ""
    return prefix + text[begin:finish] + suffix, start - begin + len(prefix), end - begin + len(prefix)


_CLAUSE_END = re.compile(rf"[{CJK_PUNCT}\s,.;:!?()\"']")


def first_clause(text: str, limit: int) -> str:
    """The text's first clause (up to the first punctuation mark), at most `limit` characters; the text's
    opening when that clause is shorter than four characters (“是指”). What a phrase search for a passage
    types: long enough to be that passage's, short enough to stay within one sentence.

    >>> first_clause("是指国家重大战略实施和重点领域安全能力建设。", 16)
    '是指国家重大战略实施和重点领域安'
    >>> first_clause("即：生产、供销、信用", 16)
    '即：生产、供销、信用'
    """
    text = text.strip()
    clause = _CLAUSE_END.split(text, maxsplit=1)[0]
    return (clause if len(clause) >= 4 else text)[:limit]


# A line break inside a paragraph between two Chinese characters or marks: YAML's folded and literal
# blocks wrap a contributor's note there, and Markdown would print a space where Chinese has none.
_WRAP_BETWEEN_CJK = re.compile(rf"(?<=[{HAN}{CJK_PUNCT}])[ \t]*\n[ \t]*(?=[{HAN}{CJK_PUNCT}])"
                               # a folded block (>) has already made the break a space: after a full-width mark
                               rf"|(?<=[{CJK_PUNCT}])[ \t]+(?=[{HAN}{CJK_PUNCT}])")


def join_wrapped_chinese(text: str) -> str:
    """Lines of one paragraph joined without a space where both sides are Chinese; blank lines,
    list items and Latin words keep theirs.

    >>> join_wrapped_chinese("两山理论的突破口。\\n此后，“两山”并提，\\n指国家\\n\\n- 一\\n- 二 word\\nnext")
    '两山理论的突破口。此后，“两山”并提，指国家\\n\\n- 一\\n- 二 word\\nnext'
    >>> join_wrapped_chinese("突破口。 此后，并提， 指国家 2013 年")
    '突破口。此后，并提，指国家 2013 年'
    """
    return _WRAP_BETWEEN_CJK.sub("", text)
