"""Repair: the damage an export, a scraper or a character-set conversion did to a text, undone
before anything reads it (the metadata, the classifier, the cleaning).

Damage is not chrome: nothing of the report is removed, the text is given back its own form.
Each repair is a small function from text to text and what it changed, as cleaning's fixes are
(fixes.py), and is logged the same way:

- line breaks and tabs stored as the two characters `\\r\\n`, `\\n`, `\\t` (a database export's
  escaping), when they are the text's line structure (`unescape_line_breaks`, per source: the
  split into documents needs the lines);
- HTML character references left in the text, with or without their `;` (`&nbsp`, `&amp;`,
  `&#8220;`) (`decode_html_entities`);
- no-break and other typographic spaces, which are layout (`plain_spaces`);
- characters a conversion lost (`????` where a character set had no code for them, U+FFFD):
  a run standing where layout stands (a line's start or end, beside spaces) was layout and goes;
  a run inside the text is kept, visible as U+FFFD, and counted (`mark_lost_characters`).
"""
from __future__ import annotations

import html
import re

from .fixes import Change, Fixed, _replace

# `\r\n`, `\n`, `\r`, `\t` written out as a backslash and a letter.
_ESCAPED_BREAK = re.compile(r"\\r\\n|\\n|\\r|\\t")
# Fewer than this many escaped breaks is text that mentions one (a URL, a formula), not a structure.
MIN_ESCAPED_BREAKS = 3


def unescape_line_breaks(text: str) -> Fixed:
    r"""Line breaks stored as `\r\n` (two characters) become line breaks again — when they are the
    text's structure: at least three, and more of them than real line breaks.

    >>> unescape_line_breaks(r"各位代表：\r\n现在，我代表县人民政府\r\n一、工作回顾\r\n2009年，")[0]
    '各位代表：\n现在，我代表县人民政府\n一、工作回顾\n2009年，'
    >>> unescape_line_breaks("路径写作 C:\\\\new\\\\data。\n第二行\n第三行")[1]
    []
    """
    escaped = len(_ESCAPED_BREAK.findall(text))
    if escaped < MIN_ESCAPED_BREAKS or escaped <= text.count("\n"):
        return text, []
    changes: list[Change] = []
    return _replace(_ESCAPED_BREAK, text, changes, lambda escape: "\t" if escape == r"\t" else "\n"), changes


# A character reference: named (&nbsp; &ldquo), decimal (&#8220;) or hexadecimal (&#x201C;).
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")


def decode_html_entities(text: str) -> Fixed:
    """HTML character references a scraper left as text become the characters they stand for
    (HTML5's rules, `html.unescape`: `&nbsp` without `;` too); `R&D` and `&` alone stay.

    >>> decode_html_entities("创新&nbsp驱动&amp;引领，&#8220;两重&#8221;，R&D")
    ('创新\\xa0驱动&引领，“两重”，R&D', [('&nbsp', '\\xa0'), ('&amp;', '&'), ('&#8220;', '“'), ('&#8221;', '”')])
    """
    changes: list[Change] = []
    if "&" not in text:
        return text, changes
    return _replace(_ENTITY, text, changes, _unescaped), changes


def _unescaped(reference: str) -> str:
    """A reference as HTML reads it, if it names a character; text like `&Co` stays as it is.
    (HTML drops references to control characters and noncharacters: so does this.)"""
    return html.unescape(reference)


# No-break space, the typographic spaces, the narrow no-break and the mathematical space: layout
# a web page or PDF set, never a character of Chinese text. (The ideographic space U+3000 is the
# indentation cleaning strips; it stays for it.)
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f]+")


def plain_spaces(text: str) -> Fixed:
    """No-break and typographic spaces become ordinary spaces, which cleaning then treats as layout.

    >>> plain_spaces("许\\xa0\\xa0喆")
    ('许  喆', [('\\xa0\\xa0', '  ')])
    """
    changes: list[Change] = []
    return _replace(_ODD_SPACES, text, changes, lambda spaces: " " * len(spaces)), changes


LOST = "\ufffd"
# Two or more ASCII question marks, or the replacement character: what a conversion writes for a
# character its target set lacks. (One `?` is a question mark as often as not, and stays.)
_LOST_RUN = re.compile(r"\?{2,}|\ufffd+")
_LAYOUT = " \t\u3000"


def mark_lost_characters(text: str) -> Fixed:
    """Characters lost in a conversion: where layout stands (a line's start or end, beside a space
    or tab), the run was layout (no-break spaces a GBK export could not write) and goes; inside the
    text it is kept as U+FFFD, one per lost character, so a reader sees the gap and no word is
    joined across it.

    >>> mark_lost_characters("??（一）进一步提升\\n时间：2025-02-22????\\t作者\\n发展??经济")
    ('（一）进一步提升\\n时间：2025-02-22\\t作者\\n发展\\ufffd\\ufffd经济', [('??', ''), ('????', ''), ('??', '\\ufffd\\ufffd')])
    """
    changes: list[Change] = []
    if "??" not in text and LOST not in text:
        return text, changes
    parts, at = [], 0
    for m in _LOST_RUN.finditer(text):
        before = text[m.start() - 1] if m.start() else "\n"
        after = text[m.end()] if m.end() < len(text) else "\n"
        layout = before in _LAYOUT + "\n" or after in _LAYOUT + "\n"
        replacement = "" if layout else LOST * len(m.group())
        if replacement != m.group():
            parts += (text[at:m.start()], replacement)
            at = m.end()
            changes.append((m.group(), replacement))
    if not parts:
        return text, changes
    return "".join(parts) + text[at:], changes


# The document's repairs, in order: references may hold no-break spaces, which are then plain.
DOCUMENT_REPAIRS = (
    ("decode_html_entities", decode_html_entities),
    ("plain_spaces", plain_spaces),
    ("mark_lost_characters", mark_lost_characters),
)

