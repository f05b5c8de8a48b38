"""Stage 8a — scope: which report's definition explains a term where another report uses it.

Numbered slogans are local: 三资 is 农村集体的资金、资产、资源 in 海南, the government's own
funds and assets in 吉林; 五大战略 are 江西's five strategies, not 宁夏's. So a term in a
report's text is linked only to a definition that plausibly applies there:

    own           the report's own 名词解释 (always)
    same_place    the same place in another year
    above/below   a place above or below it in the hierarchy (省 → 市 → 县 → 镇)
    national      a national report's definition (any report)
    shared        several unrelated places define it in the same words: a national policy
    region        curated in data/link_scope.yml: the term means one thing across a region
                  (全国, or a province), with the reason shown on the term page

Anything else is "same wording": not linked, listed on the term page so a reader can judge.
The rules and the curated regions are data (data/link_scope.yml); the term page explains them.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from ..chinese import QUOTES
from ..document.glossary import term_key
from ..document.metadata import gazetteer
from ..model import Document
from ..remembered import Memo, key_of
from .terms import Definition, Term

SCOPE_FILE = Path(__file__).parent.parent / "data" / "link_scope.yml"
NATION = "全国"

# Order of preference when several definitions apply: the nearest one explains best.
RULES = ("own", "same_place", "below", "above", "national", "region", "shared")
RULE_LABELS = {
    "own": "本报告自己的名词解释",
    "same_place": "同一地区其他年份的名词解释",
    "above": "上级地区的名词解释",
    "below": "下级地区的名词解释",
    "national": "全国性报告的名词解释",
    "region": "整理者认定的通用提法",
    "shared": "多个互不隶属的地区措辞相同的解释（视为全国性提法）",
}


@dataclass
class RegionTerm:
    """A curated term whose meaning is fixed across `region`, with the words that tell, around an
    occurrence, whether it is that meaning (农村集体“三资”, not 国有“三资”)."""
    region: str
    why: str
    with_words: tuple[str, ...] = ()       # one of these must be near the occurrence
    without_words: tuple[str, ...] = ()    # none of these may be near it

    def holds(self, around: str) -> bool:
        return ((not self.with_words or any(w in around for w in self.with_words))
                and not any(w in around for w in self.without_words))


@dataclass
class ScopeRules:
    same_place: bool = True
    hierarchy: bool = True
    max_years_apart: int | None = None     # for same_place/above/below: older wordings get revised
    national_places: tuple[str, ...] = ()
    shared_wording_places: int = 2
    regions: dict[str, RegionTerm] = field(default_factory=dict)    # term key -> curated region


@cache
def load_rules(path: Path = SCOPE_FILE) -> ScopeRules:
    """The scope rules from data/link_scope.yml (ours, not a contributor's file)."""
    with path.open(encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    rules = raw.get("rules", {})
    regions = {}
    for region, items in (raw.get("regions") or {}).items():
        for term, spec in (items or {}).items():
            regions[term_key(term)] = RegionTerm(region, spec["why"], tuple(spec.get("with", ())),
                                                 tuple(spec.get("without", ())))
    return ScopeRules(same_place=rules.get("same_place", True), hierarchy=rules.get("hierarchy", True),
                      max_years_apart=rules.get("max_years_apart"),
                      national_places=tuple(rules.get("national_places", ())),
                      shared_wording_places=int(rules.get("shared_wording_places", 2)), regions=regions)


# --- places ------------------------------------------------------------------------

@cache
def _known_places() -> dict:
    return gazetteer()


@cache
def place_chain(place: str, parent: str | None) -> tuple[str, ...]:
    """桐乡市 → (浙江省, 嘉兴市, 桐乡市) using the report's parent and the gazetteer. Remembered:
    the scope asks for it for every candidate definition of every occurrence."""
    chain = [place]
    known = _known_places()
    current = parent or (known[place].parent if place in known else None)
    while current and current not in chain:
        chain.insert(0, current)
        current = known[current].parent if current in known else None
    return tuple(chain)


def report_chain(doc: Document) -> tuple[str, ...]:
    return place_chain(doc.meta.place, doc.meta.parent) if doc.meta.place else ()


def relation(user: Document, definer: Document, rules: ScopeRules) -> str | None:
    """Why `definer`'s definitions apply to `user`'s text (a rule name), or None."""
    if definer is user:
        return "own"
    place, other = user.meta.place, definer.meta.place
    if not place or not other:
        return None
    years = abs((user.meta.year or 0) - (definer.meta.year or 0))
    if rules.max_years_apart is not None and years > rules.max_years_apart:
        return None
    if other in rules.national_places:
        return "national"
    if place == other:
        return "same_place" if rules.same_place else None
    if rules.hierarchy:
        if other in report_chain(user):
            return "above"
        if place in report_chain(definer):
            return "below"
    return None


# --- wordings ------------------------------------------------------------------------

LEADING = re.compile(r"^(?:是指|系指|意指|指的是|指|即|是)")
NOT_WORDING = re.compile(rf"[\s{QUOTES}。；;，,、：:.（）()]")


def same_words(definition: str) -> str:
    """A definition reduced to its words: `是指大规模设备更新和消费品以旧换新。` = `大规模设备更新和消费品以旧换新`."""
    return NOT_WORDING.sub("", LEADING.sub("", definition.strip()))


def shared_wording(term: Term, rules: ScopeRules) -> list[Definition]:
    """Definitions of a wording that enough unrelated places give: such a term is a national policy."""
    groups: dict[str, list[Definition]] = {}
    for d in term.definitions:
        groups.setdefault(same_words(d.entry.definition), []).append(d)
    shared = []
    for same in groups.values():
        families: list[list[str]] = []    # places above or below each other count once
        for d in same:
            chain = report_chain(d.report)
            if chain and not any(f[-1] in chain or chain[-1] in f for f in families):
                families.append(chain)
                if len(families) >= rules.shared_wording_places:   # enough: a wording in every report
                    break                                          # made this N² (10,000 reports)
        if len(families) >= rules.shared_wording_places:
            shared.extend(same)
    return shared


# --- the decision ----------------------------------------------------------------------

@dataclass
class Target:
    """What an occurrence links to: a definition and the rule that makes it apply (None: not linked)."""
    definition: Definition | None
    rule: str = ""                 # a RULES name; "" when not linked

    @property
    def linked(self) -> bool:
        return self.definition is not None


# Decisions kept from the last build (remembered.py): a rebuild after one changed source asks again the
# ~20,000 of every other report, about the same definitions (0.9 s at 1,000 reports). A decision reads
# the rules, the term's definitions (their reports' ids, places, parents and years, their wordings, in
# order) and the report's id, place, parent and year (report_chain reads the gazetteer: code and data,
# which the memo's version covers): all of that is its key, the answer the definition's position and the rule.
DECIDED = Memo("scope.decided")


class Scope:
    """Per corpus: decides for (report, term, context) which definition, if any, applies."""

    def __init__(self, terms: dict[str, Term], rules: ScopeRules | None = None):
        self.rules = rules or load_rules()
        self.terms = terms
        self.rules_key = key_of(self.rules)
        self.term_keys: dict[str, bytes] = {}   # term key -> DECIDED's key of what its decisions read of it
        self.positions: dict[str, dict[int, int]] = {}   # term key -> id(definition) -> position (`position`)
        self.shared = {key: {id(d) for d in shared_wording(term, self.rules)} for key, term in terms.items()}
        self.cache: dict[tuple, Target] = {}
        self.wording_ranks: dict[str, dict[int, int]] = {}   # term key -> id(definition) -> rank
        self.indexes: dict[str, _DefinitionIndex] = {}
        self.choices: dict[tuple, Target] = {}   # (rule, term key, year, levels) -> a region or shared target
        self.shared_groups: dict[str, dict] = {}   # term key -> (year, levels) -> the best shared definition there
        self.same_wording: dict[str, Counter] = defaultdict(Counter)   # report id -> unlinked term keys, counts

    def target(self, doc: Document, key: str, around: str = "") -> Target:
        """The definition an occurrence of `key` in `doc` links to; `around` is the quote-free text
        of the occurrence with a few characters either side, for a curated term's conditions."""
        region = self.rules.regions.get(key)
        holds = region.holds(around) if region else False
        cache_key = (id(doc), key, holds)
        found = self.cache.get(cache_key)
        if found is None:
            found = self.cache[cache_key] = self._kept_decision(doc, self.terms[key], region if holds else None, holds)
        return found

    def _kept_decision(self, doc: Document, term: Term, region: RegionTerm | None, holds: bool) -> Target:
        """`_decide`, or the last build's answer to the same question (DECIDED)."""
        memo_key = key_of((self._term_key(term), doc.id, doc.meta.place, doc.meta.parent, doc.meta.year, holds))
        kept = DECIDED.get(memo_key)
        if kept is not None:
            position, rule = kept
            return Target(None if position is None else term.definitions[position], rule)
        found = self._decide(doc, term, region)
        DECIDED.put(memo_key, (self.position(term, found.definition), found.rule))
        return found

    def position(self, term: Term, definition: Definition | None) -> int | None:
        """The definition's position in the term's definitions (None for none): how a decision is kept and
        sent between processes. Indexed once a term (a popular term has thousands)."""
        if definition is None:
            return None
        positions = self.positions.get(term.key)
        if positions is None:
            positions = self.positions[term.key] = {id(d): i for i, d in enumerate(term.definitions)}
        return positions[id(definition)]

    def _term_key(self, term: Term) -> bytes:
        found = self.term_keys.get(term.key)
        if found is None:
            found = self.term_keys[term.key] = key_of((self.rules_key, term.key, [
                (d.report.id, d.report.meta.place, d.report.meta.parent, d.report.meta.year, d.written, d.entry.definition)
                for d in term.definitions]))
        return found

    def _decide(self, doc: Document, term: Term, region: RegionTerm | None) -> Target:
        """The nearest rule wins (RULES), then the nearest years and levels, the most shared wording,
        the report id, and the term's own order. A popular term has a definition in most reports, so
        not every one is asked: the rules up to `national` are found through an index by place; only
        when none applies do `region`, then `shared`, compete, and their choice depends only on the
        report's year and level (so it is made once for each)."""
        index = self.indexes.get(term.key)
        if index is None:
            index = self.indexes[term.key] = _DefinitionIndex(term, self.rules, self.shared[term.key])
        found = self._best(doc, term, index.related(doc, term), None, shared=False)
        if found.linked:
            return found
        when = (doc.meta.year or 0, len(report_chain(doc)))
        if region and self._in_region(doc, region):
            found = self._remembered(("region", term.key, *when), lambda: self._best(
                doc, term, [d for d in term.definitions if self._in_region(d.report, region)], region, shared=False))
            if found.linked:
                return found
        return self._remembered(("shared", term.key, *when), lambda: self._nearest_shared(doc, term, index))

    def _remembered(self, key: tuple, decide) -> Target:
        if key not in self.choices:
            self.choices[key] = decide()
        return self.choices[key]

    def _best(self, doc: Document, term: Term, definitions: list[Definition], region: RegionTerm | None,
              shared: bool = True) -> Target:
        candidates = []
        for d in definitions:
            rule = relation(doc, d.report, self.rules)
            if rule is None and region and self._in_region(doc, region) and self._in_region(d.report, region):
                rule = "region"
            if rule is None and shared and id(d) in self.shared[term.key] and self._near(doc, d.report):
                rule = "shared"
            if rule is not None:
                candidates.append((RULES.index(rule), self._distance(doc, d.report), self._wording_rank(term, d),
                                   d.report.id, d, rule))
        if not candidates:
            return Target(None)
        *_, best, rule = min(candidates, key=lambda c: c[:4])
        return Target(best, rule)

    def _nearest_shared(self, doc: Document, term: Term, index: _DefinitionIndex) -> Target:
        """`_best` over the term's shared definitions, where no other rule applied (so each is "shared",
        if near enough in years): the nearest year, then level, then the most shared wording, then the
        report id. Asked once for each year and level; the definitions are grouped by theirs once a term,
        so a term whose wording every report shares does not make every decision go through all of them."""
        groups = self.shared_groups.get(term.key)
        if groups is None:
            groups = self.shared_groups[term.key] = {}
            for position, i in enumerate(index.shared):
                d = term.definitions[i]
                rank = (self._wording_rank(term, d), d.report.id, position)
                where = (d.report.meta.year or 0, len(report_chain(d.report)))
                if where not in groups or rank < groups[where][0]:
                    groups[where] = (rank, d)
        year, levels = doc.meta.year or 0, len(report_chain(doc))
        best = None
        for (y, n), (rank, d) in groups.items():
            if self.rules.max_years_apart is not None and abs(year - y) > self.rules.max_years_apart:
                continue
            order = (abs(year - y), abs(levels - n), rank)
            if best is None or order < best[0]:
                best = (order, d)
        return Target(best[1], "shared") if best else Target(None)

    def _near(self, user: Document, definer: Document) -> bool:
        years = abs((user.meta.year or 0) - (definer.meta.year or 0))
        return self.rules.max_years_apart is None or years <= self.rules.max_years_apart

    def _wording_rank(self, term: Term, d: Definition) -> int:
        """Among equally near definitions, the wording most reports share. Computed once a term:
        `Term.wordings` groups every definition again on each call."""
        ranks = self.wording_ranks.get(term.key)
        if ranks is None:
            ranks = self.wording_ranks[term.key] = {id(x): -len(wording.definitions)
                                                    for wording in term.wordings for x in wording.definitions}
        return ranks.get(id(d), 0)

    @staticmethod
    def _in_region(doc: Document, region: RegionTerm) -> bool:
        return region.region == NATION or region.region in report_chain(doc)

    @staticmethod
    def _distance(user: Document, definer: Document) -> tuple[int, int]:
        """Nearer years and nearer levels first (then the most shared wording, then the report id,
        so the choice is stable)."""
        years = abs((user.meta.year or 0) - (definer.meta.year or 0))
        levels = abs(len(report_chain(user)) - len(report_chain(definer)))
        return years, levels


class _DefinitionIndex:
    """A term's definitions (their positions in term.definitions) by what `relation` looks at:
    the defining report, its place, every place of its chain (省 → 市 → 县), national places,
    and the definitions shared wording made national."""

    def __init__(self, term: Term, rules: ScopeRules, shared: set[int]):
        self.by_report: dict[int, list[int]] = defaultdict(list)
        self.by_place: dict[str, list[int]] = defaultdict(list)
        self.in_chain: dict[str, list[int]] = defaultdict(list)
        self.national: list[int] = []
        self.shared = [i for i, d in enumerate(term.definitions) if id(d) in shared]
        for i, d in enumerate(term.definitions):
            self.by_report[id(d.report)].append(i)
            place = d.report.meta.place
            if not place:
                continue
            self.by_place[place].append(i)
            for p in report_chain(d.report):
                self.in_chain[p].append(i)
            if place in rules.national_places:
                self.national.append(i)

    def related(self, doc: Document, term: Term) -> list[Definition]:
        """Every definition `relation` may give a rule for `doc` (own, same place, above, below,
        national), in the term's order; `relation` itself decides."""
        chain = report_chain(doc)
        found = {*self.by_report.get(id(doc), ()), *self.national,
                 *(i for place in chain for i in self.by_place.get(place, ())),
                 *(self.in_chain.get(doc.meta.place, ()) if doc.meta.place else ())}
        return [term.definitions[i] for i in sorted(found)]


def whose(d: Definition) -> str:
    """`海南省 2026`: whose definition it is, for tooltips and the term page."""
    m = d.report.meta
    return " ".join(str(x) for x in (m.place, m.year) if x) or d.report.title
