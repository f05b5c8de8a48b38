"""Linking: where glossary terms occur in running text, and which definition each occurrence links to.

The links themselves are written by pages/links.py.

Python-Markdown's abbr extension matches `\\b(term)\\b`, and `\\b` never falls
between two Han characters, so it misses 力争夺取五水共治大禹鼎 — and a raw
substring match links 北大 inside 北大概. Instead: find every written form of a
term (longest first; quotes ignored, so “两化”融合 matches 两化融合; a 、 inside a
slogan kept, so “五统一、一开放” matches as written) and keep a match only when
jieba, with the glossary as its user dictionary, puts word boundaries at both
of its ends, and it does not cut a quote pair: a link covers a whole quoted
term (金融“五篇大文章”) or lies inside one, never the first words of “五大战略定位”.

Where a definition applies is scope.py's decision: an occurrence is linked only
to a definition that explains it (the report's own, or one scope.py allows);
other occurrences are recorded as the same wording, for the term page. Only
paragraphs are linked — never headings, existing links or the 名词解释 block.
The first occurrence in each section is linked, every occurrence is recorded.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate

from ..chinese import CLOSING_QUOTES, QUOTES
from ..chinese import QUOTE_PAIRS as OPENING
from ..model import Document, Paragraph
from ..processes import beside
from ..remembered import Memo
from ..segmentation import WordBoundaries, with_words
from .scope import Scope, Target
from .terms import Term, Use

QUOTE = re.compile(f"[{re.escape(QUOTES)}]")
CLOSING = set(CLOSING_QUOTES)
SPACE = re.compile(r"\s+")
MIN_TERM_CHARS = 2
CONTEXT = 8      # characters either side that a curated scope condition may look at (scope.RegionTerm)


@dataclass
class Occurrence:
    start: int          # in the paragraph's text
    end: int
    key: str


def match_form(written: str) -> str:
    """How a written form is looked for in text: quotes and spaces out, everything else kept.

    >>> match_form("“五统一、一开放”"), match_form("稳增长“18”条")
    ('五统一、一开放', '稳增长18条')
    """
    return QUOTE.sub("", SPACE.sub("", written))


def match_forms(terms: dict[str, Term]) -> dict[str, str]:
    """Every form the text may use for a term -> the term's key: the key, each form a report wrote
    (with its 、), and the curators' aliases (glossary/*.yml), which say that a variant such as
    “六横六纵”现代水网体系 is the same term as the defined “六横六纵”现代化水网体系."""
    forms = {key: key for key in terms}
    for key, term in terms.items():
        aliases = (term.curated.data.get("aliases", []) if term.curated else [])
        for written in [*term.forms, *aliases]:
            forms.setdefault(match_form(written), key)
    return forms


class TermMatcher:
    """Leftmost-longest matching of term forms on a quote-free view of the text, checked against
    jieba and against the text's quote pairs."""

    def __init__(self, forms: dict[str, str] | list[str]):
        forms = forms if isinstance(forms, dict) else {k: k for k in forms}
        self.key_of = {form: key for form, key in forms.items() if len(form) >= MIN_TERM_CHARS}
        self.by_opening: dict[str, list[str]] = defaultdict(list)   # first characters -> forms, longest first
        for form in sorted(self.key_of, key=len, reverse=True):
            self.by_opening[form[:MIN_TERM_CHARS]].append(form)
        self.starts = _start_filter([f for same in self.by_opening.values() for f in same])
        self.boundaries = WordBoundaries(with_words(self.key_of))   # the forms as jieba user words
        # What `find` answers from besides the text (and the code, and jieba's version: cache.code_version):
        # the forms, which also make jieba's user dictionary.
        self.vocabulary = hashlib.blake2b(repr(sorted(self.key_of.items())).encode("utf-8"), digest_size=32).digest()

    def key_of_text(self, text: str) -> bytes:
        """A digest of what `find(text)` depends on: the vocabulary and the text (FOUND's key)."""
        return hashlib.blake2b(text.encode("utf-8"), key=self.vocabulary, digest_size=16).digest()

    def find(self, text: str) -> list[Occurrence]:
        view, where = _without_quotes(text)
        pairs: dict[int, int] | None = None if len(view) < len(text) else {}   # made when first needed
        found: list[Occurrence] = []
        done = 0                       # offset in `text` up to which occurrences were taken
        for m in self.starts.finditer(view):
            start = m.start()
            if where[start] < done:
                continue
            for form in self._words_at(view, start):
                if pairs is None:
                    pairs = quote_pairs(text)
                span = quote_safe(text, pairs, where[start], where[start + len(form) - 1] + 1)
                if span:
                    found.append(Occurrence(*span, self.key_of[form]))
                    found.extend(self._shared_prefix(text, pairs, found[-1]))
                    done = found[-1].end
                    break
        return found

    def _words_at(self, view: str, start: int):
        """The forms at `start` that jieba takes for a word, longest first."""
        for form in self.by_opening.get(view[start:start + MIN_TERM_CHARS], ()):
            if view.startswith(form, start) and self.boundaries.is_word(view, start, start + len(form)):
                yield form

    def _shared_prefix(self, text: str, pairs: dict[int, int], o: Occurrence) -> list[Occurrence]:
        """稳增长“21条”“18条”: the report itself says the next quoted item shares the prefix, so
        “18条” is 稳增长“18”条. Only quoted items right after (or after a 、) a term that ends
        with its quoted part, and only when prefix + item is a form of a term."""
        first_quote = next((i for i in range(o.start, o.end) if text[i] in OPENING), None)
        if first_quote is None or first_quote == o.start or text[o.end - 1] not in CLOSING:
            return []
        prefix, out, pos = match_form(text[o.start:first_quote]), [], o.end
        while True:
            at = pos + 1 if text[pos:pos + 1] == "、" else pos
            close = pairs.get(at)
            if text[at:at + 1] not in OPENING or close is None:
                return out
            key = self.key_of.get(prefix + match_form(text[at + 1:close]))
            if key is None:
                return out
            out.append(Occurrence(at, close + 1, key))
            pos = close + 1


def quote_pairs(text: str) -> dict[int, int]:
    """Each quote mark's partner (both directions); unpaired marks have none. ASCII \" alternates."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for mark in QUOTE.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch in OPENING or (ch == '"' and not (stack and text[stack[-1]] == '"')):
            stack.append(i)
        elif ch in CLOSING or ch == '"':
            opener = next((j for j in range(len(stack) - 1, -1, -1)
                           if OPENING.get(text[stack[j]], '"') == ch), None)
            if opener is not None:
                j = stack[opener]
                del stack[opener:]
                pairs[j], pairs[i] = i, j
    return pairs


def quote_safe(text: str, pairs: dict[int, int], start: int, end: int) -> tuple[int, int] | None:
    """The span widened to whole quote pairs (两化”融合 → “两化”融合, 金融“五篇大文章 → 金融“五篇大文章”),
    or None when it cuts a pair it cannot take in, or is the head or tail of a longer quoted
    term (五大战略 in “五大战略定位”, 四库 in “天府森林四库”): a quoted term is one unit.

    >>> text = "锚定“五大战略定位”，完善“标准地+承诺制”，做好金融“五篇大文章”"
    >>> pairs = quote_pairs(text)
    >>> quote_safe(text, pairs, 3, 7), quote_safe(text, pairs, 14, 17), text[slice(*quote_safe(text, pairs, 25, 33))]
    (None, (14, 17), '金融“五篇大文章”')
    """
    for i in range(start, end):
        partner = pairs.get(i)
        if partner is None or start <= partner < end:
            continue
        if partner == start - 1:
            start = partner
        elif partner == end:
            end = partner + 1
        else:
            return None
    # The innermost quoted unit around the span (its opening mark is in `pairs`, before the span):
    # a paragraph has a few quote marks and hundreds of characters.
    for i in sorted((j for j in pairs if j < start), reverse=True):
        if text[i] in OPENING and pairs[i] >= end:
            head, tail = i == start - 1, pairs[i] == end
            # The unit's first or last words, continued by more of its words, not by a + or 、 that
            # joins terms (“标准地+承诺制”): a part of one term.
            if (head and not tail and _word_char(text[end])) or (tail and not head and _word_char(text[start - 1])):
                return None
            break
    return start, end


def _word_char(ch: str) -> bool:
    return ch.isalnum()     # Han characters, letters and digits
# Places checked by the start filter: more find fewer false starts, but make wider character classes.
FILTER_CHARS = 4


def _start_filter(keys: list[str]) -> re.Pattern:
    """Where a key may start, found in C (a Python loop over every character is the slow part).

    Keys are grouped by length, up to FILTER_CHARS; a position matches when its characters are,
    place by place, ones that the keys of some group have there. It never misses a key and finds
    a few times more positions than there are keys; `_words_at` sorts them out.
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


# --- recording ------------------------------------------------------------------

def paragraphs_with_sections(doc: Document):
    for p in doc.preamble:
        yield p, "开头", "preamble"
    for section in doc.all_sections():
        for p in section.paragraphs:
            yield p, section.number + section.title, section.anchor


def record_uses(reports: list[Document], terms: dict[str, Term], scope: Scope | None = None,
                jobs: int = 1) -> Scope:
    """Find every occurrence in every report and decide what each links to (scope.py).

    Linked occurrences become the paragraph's `term_spans` (the linker's input); every
    occurrence, linked or not, is a `Use` of its term, for the term pages. Returns the scope,
    whose decisions the linker asks for again (they are remembered). With jobs > 1 the second
    half of the reports is looked at in a second process (processes.beside); the result is the same.
    """
    scope = scope or Scope(terms)
    matcher = TermMatcher(match_forms(terms))
    half = len(reports) // 2 if jobs > 1 else len(reports)
    if half < len(reports):
        found = beside(lambda: _found_in(reports[:half], matcher, scope, terms),
                       lambda: _found_in(reports[half:], matcher, scope, terms, with_decisions=True))
    else:
        found = (_found_in(reports, matcher, scope, terms),)
    for docs, findings in zip((reports[:half], reports[half:]), found):
        _record(docs, findings, terms, scope)
    return scope


# The reports' findings as plain data, so they can come back from another process: per report, the
# term spans of each paragraph; each use as (term key, paragraph, count, the definition's index among
# the term's definitions or None, rule); the counts of unlinked uses by key. Then, from another
# process, the scope's decisions for these reports as (report, term key, condition held, definition
# index or None, rule), which the report pages' links ask for again (in this process the scope
# remembers them itself). (The FOUND entries the other process asked for come back with its result: processes.beside.)
Findings = tuple[list[list[list[tuple]]], list[list[tuple]], list[dict[str, int]], list[tuple]]

# Each paragraph's occurrences (TermMatcher.find) by its text and the vocabulary, kept from the last build
# with the per-source cache (remembered.py): a one-source change leaves both the same for every other
# report, and finding them was half of this step (0.6 s at 1,000 reports). Which definition each links to
# is decided again every build (scope.py reads the whole glossary).
FOUND = Memo("linking.found")


def _occurrences_in(matcher: TermMatcher, text: str) -> list[Occurrence]:
    key = matcher.key_of_text(text)
    spans = FOUND.get(key)
    if spans is None:
        spans = tuple((o.start, o.end, o.key) for o in matcher.find(text))
        FOUND.put(key, spans)
    return [Occurrence(*span) for span in spans]


def _found_in(docs: list[Document], matcher: TermMatcher, scope: Scope, terms: dict[str, Term],
              with_decisions: bool = False) -> Findings:
    spans_of, uses_of, unlinked_of = [], [], []
    for doc in docs:
        spans, found_uses, unlinked = [], [], defaultdict(int)
        for n, (p, _, _) in enumerate(paragraphs_with_sections(doc)):
            term_spans = []
            uses: dict[tuple, list] = {}     # (key, definition, rule) -> [target, count]
            for o in _occurrences_in(matcher, p.text):
                target = target_of(scope, doc, p, o)
                if target.linked:
                    term_spans.append((o.start, o.end, o.key))
                uses.setdefault((o.key, id(target.definition), target.rule), [target, 0])[1] += 1
            for (key, _, _), (target, count) in uses.items():
                which = scope.position(terms[key], target.definition)
                found_uses.append((key, n, count, which, target.rule))
                if not target.linked:
                    unlinked[key] += count
            spans.append(term_spans)
        spans_of.append(spans)
        uses_of.append(found_uses)
        unlinked_of.append(dict(unlinked))
    decisions = []
    if with_decisions:
        position = {id(doc): i for i, doc in enumerate(docs)}
        decisions = [(position[doc_id], key, holds, scope.position(terms[key], t.definition),
                      t.rule) for (doc_id, key, holds), t in scope.cache.items() if doc_id in position]
    return spans_of, uses_of, unlinked_of, decisions


def _record(docs: list[Document], findings: Findings, terms: dict[str, Term], scope: Scope) -> None:
    """Findings into the paragraphs, the terms' uses, the scope's same-wording counts and (from
    another process) its decisions, in report order."""
    spans_of, uses_of, unlinked_of, decisions = findings
    for doc, spans, found_uses, unlinked in zip(docs, spans_of, uses_of, unlinked_of):
        paragraphs = list(paragraphs_with_sections(doc))
        for (p, _, _), term_spans in zip(paragraphs, spans):
            p.term_spans = term_spans
        for key, n, count, which, rule in found_uses:
            p, section_title, _ = paragraphs[n]
            definition = None if which is None else terms[key].definitions[which]
            terms[key].uses.append(Use(doc, p.anchor, section_title, count, definition, rule, p))
        for key, count in unlinked.items():
            scope.same_wording[doc.id][key] += count
    for i, key, holds, which, rule in decisions:
        scope.cache[(id(docs[i]), key, holds)] = Target(None if which is None else terms[key].definitions[which], rule)


def target_of(scope: Scope, doc: Document, p: Paragraph, o: Occurrence) -> Target:
    """What one occurrence links to; a curated condition may look at the words around it."""
    return scope.target(doc, o.key, match_form(p.text[max(0, o.start - CONTEXT):o.end + CONTEXT]))


def occurrences(p: Paragraph) -> list[Occurrence]:
    return [Occurrence(*span) for span in p.term_spans]
