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

import html
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import jieba

from .model import Document, Paragraph
from .render import md_escape, paragraph_markdown
from .terms import Term, Use

QUOTES = "“”‘’「」『』\""
MIN_TERM_CHARS = 2


@dataclass
class Occurrence:
    start: int          # in the paragraph's text
    end: int
    key: str


class TermMatcher:
    """Leftmost-longest term matching on a quote-free view of the text, checked against jieba."""

    def __init__(self, keys: list[str]):
        self.by_first: dict[str, list[str]] = defaultdict(list)
        for key in sorted(set(keys), key=len, reverse=True):
            if len(key) >= MIN_TERM_CHARS:
                self.by_first[key[0]].append(key)
        _register_user_words(tuple(sorted(set(keys))))

    def find(self, text: str) -> list[Occurrence]:
        view, where = _without_quotes(text)
        candidates = []
        i = 0
        while i < len(view):
            for key in self.by_first.get(view[i], ()):
                if view.startswith(key, i):
                    candidates.append((i, i + len(key), key))
            i += 1
        found, last_end = [], 0
        for start, end, key in candidates:   # sorted by start, longest first at each start
            if start < last_end or not _is_word(view, start, end):
                continue
            found.append(Occurrence(where[start], where[end - 1] + 1, key))
            last_end = end
        return [_widen_to_quotes(text, o) for o in found]


def _without_quotes(text: str) -> tuple[str, list[int]]:
    kept = [(ch, i) for i, ch in enumerate(text) if ch not in QUOTES]
    return "".join(ch for ch, _ in kept), [i for _, i in kept]


def _widen_to_quotes(text: str, o: Occurrence) -> Occurrence:
    """“两化”融合: a link over 两化”融合 would split the quote pair; take the opening quote in."""
    inner = text[o.start:o.end]
    if sum(inner.count(c) for c in "”’」』") > sum(inner.count(c) for c in "“‘「『") and o.start > 0 \
            and text[o.start - 1] in "“‘「『":
        return Occurrence(o.start - 1, o.end, o.key)
    return o


@lru_cache(maxsize=8)
def _register_user_words(keys: tuple[str, ...]) -> None:
    for key in keys:
        jieba.add_word(key, freq=max(jieba.get_FREQ(key) or 0, 20000))


# Characters of context segmented on each side of a candidate. Segmenting only this window,
# not the whole paragraph, is what keeps linking linear (jieba is ~0.5 MB/s); the words at
# the candidate's ends come out the same, as the tests on real sentences check.
CONTEXT_CHARS = 12


def _is_word(view: str, start: int, end: int) -> bool:
    """Does jieba put word boundaries at both ends of view[start:end]?"""
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(view), end + CONTEXT_CHARS)
    bounds = {0, hi - lo}
    for _, s, e in jieba.tokenize(view[lo:hi], HMM=False):
        bounds.add(s)
        bounds.add(e)
    return start - lo in bounds and end - lo in bounds


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


def paragraph_linker(doc: Document, terms: dict[str, Term]):
    """A function rendering one paragraph with its first-in-section term occurrences linked."""
    own = {key: entry for entry in doc.glossary for key in entry.terms}
    linked_in_section: dict[str, set[str]] = defaultdict(set)
    section_of = {id(p): anchor for p, _, anchor in _paragraphs_with_sections(doc)}

    def link(p: Paragraph, _doc: Document) -> str:
        seen = linked_in_section[section_of.get(id(p), "")]
        insertions = {}
        for o in occurrences(p):
            if o.key in seen:
                continue
            seen.add(o.key)
            href, definition = link_target(o.key, own, terms)
            title = html.escape(definition, quote=True)
            insertions[o.start] = [(o.end, f'[{md_escape(p.text[o.start:o.end])}]({href} "{title}")')]
        return paragraph_markdown(p, doc, insertions)
    return link


def link_target(key: str, own: dict, terms: dict[str, Term]) -> tuple[str, str]:
    """The report's own definition first (same page); otherwise the term page."""
    if key in own:
        return f"#{own[key].anchor}", own[key].definition
    term = terms[key]
    wordings = term.wordings
    definition = max(wordings, key=lambda w: len(w.definitions)).text if wordings else ""
    return f"../terms/{term.slug}.md", definition


def terms_used_block(doc: Document, terms: dict[str, Term]) -> str:
    counts: Counter = Counter()
    for p, _, _ in _paragraphs_with_sections(doc):
        counts.update(o.key for o in occurrences(p))
    if not counts:
        return ""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    links = "、".join(f"[{md_escape(k)}](../terms/{terms[k].slug}.md)（{n}）" for k, n in items)
    return f"## 本报告使用的名词 {{#terms-used data-search-exclude}}\n\n正文中出现的名词及次数：{links}\n"
