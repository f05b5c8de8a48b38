"""Stage 8a — linking: glossary terms in running text become links with a tooltip.

Python-Markdown's abbr extension matches `\\b(term)\\b`, and `\\b` never falls
between two Han characters, so it misses 力争夺取五水共治大禹鼎 — and a raw
substring match links 北大 inside 北大概. Instead: find every term (longest
first; quotes ignored, so “两化”融合 matches 两化融合) and keep a match only
when jieba, with the glossary as its user dictionary, puts word boundaries at
both of its ends. Only paragraphs are linked — never headings, existing links
or the 名词解释 block. The first occurrence in each section is linked, every
occurrence is recorded (backlinks on the term page).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import jieba

from .model import Document, Paragraph
from .render import md_escape, paragraph_markdown
from .safe_text import tooltip_attr
from .segmentation import WordBoundaries
from .terms import Term, Use

QUOTES = "“”‘’「」『』\""
QUOTE = re.compile(f"[{re.escape(QUOTES)}]")
MIN_TERM_CHARS = 2


@dataclass
class Occurrence:
    start: int          # in the paragraph's text
    end: int
    key: str


class TermMatcher:
    """Leftmost-longest term matching on a quote-free view of the text, checked against jieba."""

    def __init__(self, keys: list[str]):
        self.by_opening: dict[str, list[str]] = defaultdict(list)   # first characters -> keys, longest first
        for key in sorted(set(keys), key=len, reverse=True):
            if len(key) >= MIN_TERM_CHARS:
                self.by_opening[key[:MIN_TERM_CHARS]].append(key)
        self.starts = _start_filter([k for same in self.by_opening.values() for k in same])
        _register_user_words(tuple(sorted(set(keys))))
        self.boundaries = WordBoundaries()

    def find(self, text: str) -> list[Occurrence]:
        view, where = _without_quotes(text)
        self.boundaries.follow_dictionary()
        found, pos = [], 0
        for m in self.starts.finditer(view):
            start = m.start()
            if start < pos or (key := self._longest_word_at(view, start)) is None:
                continue
            pos = start + len(key)
            found.append(_widen_to_quotes(text, Occurrence(where[start], where[pos - 1] + 1, key)))
        return found

    def _longest_word_at(self, view: str, start: int) -> str | None:
        """The longest key at `start` that jieba takes for a word."""
        for key in self.by_opening.get(view[start:start + MIN_TERM_CHARS], ()):
            if view.startswith(key, start) and self.boundaries.is_word(view, start, start + len(key)):
                return key
        return None


# Places checked by the start filter: more find fewer false starts, but make wider character classes.
FILTER_CHARS = 4


def _start_filter(keys: list[str]) -> re.Pattern:
    """Where a key may start, found in C (a Python loop over every character is the slow part).

    Keys are grouped by length, up to FILTER_CHARS; a position matches when its characters are,
    place by place, ones that the keys of some group have there. It never misses a key and finds
    a few times more positions than there are keys; `_longest_word_at` sorts them out.
    """
    if not keys:
        return re.compile("(?!)")
    by_length: dict[int, list[str]] = defaultdict(list)
    for key in keys:
        by_length[min(len(key), FILTER_CHARS)].append(key)

    def chars_at(place: int, group: list[str]) -> str:
        return "[" + "".join(sorted({re.escape(key[place]) for key in group})) + "]"
    rests = ["".join(chars_at(place, group) for place in range(1, length)) for length, group in sorted(by_length.items())]
    return re.compile(chars_at(0, keys) + "(?=" + "|".join(rests) + ")")


def _without_quotes(text: str) -> tuple[str, QuoteFreeOffsets]:
    """The text without quote marks, and for each of its characters the offset in `text`."""
    parts = QUOTE.split(text)
    return "".join(parts), QuoteFreeOffsets(list(accumulate(len(part) for part in parts[:-1])))


class QuoteFreeOffsets:
    """`where[i]`: the offset in the original text of character i of the quote-free view."""

    def __init__(self, removed_at: list[int]):
        self.removed_at = removed_at    # view offsets in front of which a quote was taken out

    def __getitem__(self, i: int) -> int:
        return i + bisect_right(self.removed_at, i)


def _widen_to_quotes(text: str, o: Occurrence) -> Occurrence:
    """“两化”融合: a link over 两化”融合 would split the quote pair; take the opening quote in."""
    if o.end - o.start == len(o.key):   # no quote inside
        return o
    inner = text[o.start:o.end]
    if sum(inner.count(c) for c in "”’」』") > sum(inner.count(c) for c in "“‘「『") and o.start > 0 \
            and text[o.start - 1] in "“‘「『":
        return Occurrence(o.start - 1, o.end, o.key)
    return o


@lru_cache(maxsize=8)
def _register_user_words(keys: tuple[str, ...]) -> None:
    for key in keys:
        jieba.add_word(key, freq=max(jieba.get_FREQ(key) or 0, 20000))


# --- recording and rendering -------------------------------------------------

def _paragraphs_with_sections(doc: Document):
    for p in doc.preamble:
        yield p, "开头", "preamble"
    for section in doc.all_sections():
        for p in section.paragraphs:
            yield p, section.number + section.title, section.anchor


def record_uses(reports: list[Document], terms: dict[str, Term]) -> None:
    """Find every occurrence in every report; keep them for the term pages and the linker."""
    matcher = TermMatcher(list(terms))
    for doc in reports:
        for p, section_title, _ in _paragraphs_with_sections(doc):
            found = matcher.find(p.text)
            p.term_spans = [(o.start, o.end, o.key) for o in found]
            for key, n in Counter(o.key for o in found).items():
                terms[key].uses.append(Use(doc, p.anchor, section_title, n))


def occurrences(p: Paragraph) -> list[Occurrence]:
    return [Occurrence(*span) for span in p.term_spans]


def paragraph_linker(doc: Document, terms: dict[str, Term], tooltips: dict[str, str] | None = None):
    """A function rendering one paragraph with its first-in-section term occurrences linked.

    `tooltips` (term key -> the definition shown on links to its page) is filled as terms are
    linked; share one dict between the reports so each term's wording is chosen once.
    """
    own = {key: entry for entry in doc.glossary for key in entry.terms}
    tooltips = {} if tooltips is None else tooltips
    linked_in_section: dict[str, set[str]] = defaultdict(set)
    section_of = {id(p): anchor for p, _, anchor in _paragraphs_with_sections(doc)}

    def link(p: Paragraph, _doc: Document) -> str:
        seen = linked_in_section[section_of.get(id(p), "")]
        insertions = {}
        for o in occurrences(p):
            if o.key in seen:
                continue
            seen.add(o.key)
            href, definition = link_target(o.key, own, terms, tooltips)
            title = tooltip_attr(definition)
            insertions[o.start] = [(o.end, f'[{md_escape(p.text[o.start:o.end])}]({href} "{title}")')]
        return paragraph_markdown(p, doc, insertions)
    return link


def link_target(key: str, own: dict, terms: dict[str, Term], tooltips: dict[str, str]) -> tuple[str, str]:
    """The report's own definition first (same page); otherwise the term page."""
    if key in own:
        return f"#{own[key].anchor}", own[key].definition
    term = terms[key]
    if key not in tooltips:
        tooltips[key] = most_shared_wording(term)
    return f"../terms/{term.slug}.md", tooltips[key]


def most_shared_wording(term: Term) -> str:
    """The definition most reports word alike: what a link to the term page shows on hover."""
    wordings = term.wordings
    return max(wordings, key=lambda w: len(w.definitions)).text if wordings else ""


def terms_used_block(doc: Document, terms: dict[str, Term]) -> str:
    counts: Counter = Counter()
    for p, _, _ in _paragraphs_with_sections(doc):
        counts.update(o.key for o in occurrences(p))
    if not counts:
        return ""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    links = "、".join(f"[{md_escape(k)}](../terms/{terms[k].slug}.md)（{n}）" for k, n in items)
    return f"## 本报告使用的名词 {{#terms-used data-search-exclude}}\n\n正文中出现的名词及次数：{links}\n"
