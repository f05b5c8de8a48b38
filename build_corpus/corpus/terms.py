"""Terms: merge every report's 名词解释 entries into one term per concept.

Identity is `term_key` (quotes and brackets don't make a new term). A
qualified form whose quoted core is itself a defined term (“四位一体”管理 →
四位一体) joins the core's page and keeps its own wording for display.
Identical definitions are grouped; different wordings stay side by side.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..document.glossary import names_something, split_terms, term_core, term_key
from ..model import Document, GlossaryEntry, Paragraph
from ..remembered import remembered
from ..urls import slugify


@dataclass
class Definition:
    entry: GlossaryEntry
    report: Document
    written: str                       # the form the entry names, as written


@dataclass
class Wording:
    """One definition text and every report that uses exactly it."""
    text: str
    definitions: list[Definition] = field(default_factory=list)


@dataclass
class Use:
    report: Document
    anchor: str                        # paragraph anchor
    section: str                       # section title, for display
    count: int = 1
    definition: Definition | None = None   # the definition it links to; None: same words, not linked
    rule: str = ""                     # why that definition applies (scope.RULES)
    paragraph: Paragraph | None = None   # where it is: the term page quotes the sentence around it


@dataclass
class Term:
    key: str
    slug: str = ""
    forms: list[str] = field(default_factory=list)        # as written, first seen first
    definitions: list[Definition] = field(default_factory=list)
    curated: object | None = None                      # curation.CuratedTerm
    uses: list[Use] = field(default_factory=list)
    # What display/wordings computed, for the definitions and forms counted: pages ask for them per
    # link and per use, and regrouping every definition each time made the site N² (merge_terms only
    # ever appends definitions and forms).
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def _remembered(self, name: str, make):
        stamp = (len(self.definitions), len(self.forms))
        if name not in self._memo or self._memo[name][0] != stamp:
            self._memo[name] = (stamp, make())
        return self._memo[name][1]

    @property
    def display(self) -> str:
        """The form the reports write most often (城市品质提升“七大专项行动”), quotes and all."""
        return self._remembered("display", self._display)

    def _display(self) -> str:
        written = Counter(d.written for d in self.definitions if term_key(d.written) == self.key)
        return max(self.forms, key=lambda f: (written[f], -self.forms.index(f))) if written else self.key

    @property
    def wordings(self) -> list[Wording]:
        return self._remembered("wordings", self._wordings)

    def _wordings(self) -> list[Wording]:
        groups: dict[str, Wording] = {}
        for d in self.definitions:
            norm = _normalise_wording(d.entry.definition)
            groups.setdefault(norm, Wording(d.entry.definition)).definitions.append(d)
        return list(groups.values())

    @property
    def defining_reports(self) -> list[Document]:
        return _unique([d.report for d in self.definitions])

    @property
    def using_reports(self) -> list[Document]:
        """Reports whose text uses the term under a definition that applies to them (linked)."""
        return _unique([u.report for u in self.uses if u.definition is not None])

    @property
    def same_wording_reports(self) -> list[Document]:
        """Reports that use the same words with no definition that applies to them (not linked)."""
        return _unique([u.report for u in self.uses if u.definition is None])

    def wording_number(self, definition: Definition) -> int:
        """1-based number of the wording (释义一, 释义二 …) holding this definition."""
        numbers = self._remembered("wording numbers", lambda: {id(d): n for n, w in enumerate(self.wordings, 1)
                                                                for d in w.definitions})
        return numbers.get(id(definition), 1)

    @property
    def initial(self) -> str:
        return pinyin_sort_key(self.key)[0][:1].upper() or "#"


def _unique(docs: list[Document]) -> list[Document]:
    seen, out = set(), []
    for d in docs:
        if d.id not in seen:
            seen.add(d.id)
            out.append(d)
    return out


SPACES = re.compile(r"\s+")
FINAL_PUNCTUATION = re.compile(r"[\s。；;.]+$")


def _normalise_wording(text: str) -> str:
    """Wordings that differ only in final punctuation or spacing are the same wording."""
    return FINAL_PUNCTUATION.sub("", SPACES.sub("", text))


def merge_terms(reports: list[Document]) -> dict[str, Term]:
    """All terms of the corpus, keyed by term key."""
    terms: dict[str, Term] = {}
    pending_qualified: list[tuple[str, str, Definition]] = []
    for doc in reports:
        for entry in doc.glossary:
            for written in split_terms(entry.term):
                key = term_key(written)
                if not names_something(key):   # “”, +++: the glossary stage's rule, which noted it on the report
                    continue
                definition = Definition(entry, doc, written)
                core = term_core(written)
                if core and core != key:
                    pending_qualified.append((key, core, definition))
                    continue
                _add(terms, key, definition)
    for key, core, definition in pending_qualified:
        _add(terms, core if core in terms else key, definition)
    _assign_slugs(terms)
    for term in terms.values():
        for d in term.definitions:
            if term.key not in d.entry.terms:
                d.entry.terms.append(term.key)
    for doc in reports:   # a qualified form merged into its core links to the core page
        for entry in doc.glossary:
            entry.terms = [k for k in entry.terms if k in terms]
    return terms


def _add(terms: dict[str, Term], key: str, definition: Definition) -> None:
    term = terms.setdefault(key, Term(key))
    term.definitions.append(definition)
    if definition.written not in term.forms:
        term.forms.append(definition.written)


@remembered
def pinyin_sort_key(text: str) -> tuple[str, str]:
    """Chinese indexes sort by pinyin; ties (同音) fall back to the characters.

    Remembered (from one build to the next): the same terms and places are sorted on every page that lists them.
    """
    from pypinyin import Style, lazy_pinyin  # here: 0.2 s to import, and a rebuild finds every answer remembered
    return ("".join(lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: s.lower())).lower(), text)


@remembered
def pinyin_syllables(text: str) -> tuple[str, ...]:
    """Toneless syllables, as people type them: `五水共治` → ('wu', 'shui', 'gong', 'zhi'); no other characters."""
    from pypinyin import Style, lazy_pinyin
    return tuple(lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))


def _assign_slugs(terms: dict[str, Term]) -> None:
    used: set[str] = set()
    for key in sorted(terms, key=pinyin_sort_key):
        base = slugify(key)
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        terms[key].slug = slug
