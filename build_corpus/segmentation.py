"""Word boundaries as jieba draws them, computed from its dictionary without calling it.

Linking keeps a term match only where jieba puts word boundaries at both ends, and the
sections stage asks where a heading glued to its body may end. jieba.tokenize is ~0.5 MB/s;
this reproduces its no-HMM cut (same dictionary, same floats, same tie-breaks) on just the
runs around a candidate, remembering each run's cut. It reads jieba 0.42.1's internals
(dt.FREQ, dt.total, re_han_default, re_eng); the pin and tests/test_linking.py, which compare
with jieba.tokenize itself, keep it honest.
"""
from __future__ import annotations

import re
from math import log

import jieba

# Characters of context segmented on each side of a candidate. Segmenting only this window,
# not the whole paragraph, is what keeps linking linear (jieba is ~0.5 MB/s); the words at
# the candidate's ends come out the same, as the tests on real sentences check.
CONTEXT_CHARS = 12
# What jieba segments with its dictionary; every other character is a token of its own.
DICTIONARY_RUN = re.compile(jieba.re_han_default.pattern)
CRLF = re.compile("\r\n")   # one token to jieba


class WordBoundaries:
    """Where `jieba.tokenize(text, HMM=False)` puts word boundaries, computed without calling it.

    jieba cuts text into runs of DICTIONARY_RUN characters, each cut with its dictionary, and
    single other characters (\\r\\n excepted); so a position is a boundary unless it lies inside a run,
    and then only that run's cut matters. Cuts are remembered per run: clauses recur across reports.
    """

    def __init__(self, pristine: bool = False):
        self.cuts: dict[str, tuple[int, ...]] = {}
        self.dictionary: tuple[int, int, int] | None = None
        self.pristine = pristine    # jieba's own dictionary only, whatever linking has added since

    def follow_dictionary(self) -> None:
        """Forget the cuts if words were added to jieba's dictionary since they were made."""
        if self.pristine:
            return
        jieba.dt.check_initialized()
        dictionary = (id(jieba.dt.FREQ), jieba.dt.total, _removals)
        if dictionary != self.dictionary:
            self.cuts.clear()
            self.dictionary = dictionary

    def in_text(self, text: str) -> list[int]:
        """Every offset where a token starts or ends, 0 included, in order."""
        self.follow_dictionary()
        bounds: list[int] = []
        last = 0
        for run in DICTIONARY_RUN.finditer(text):
            start = run.start()
            bounds.extend(range(last, start + 1))   # other characters are a token each
            bounds.extend(start + cut for cut in self._cuts(run.group()))
            last = run.end()
        bounds.extend(range(last, len(text) + 1))
        if "\r\n" in text:
            inside_crlf = {m.start() + 1 for m in CRLF.finditer(text)}
            bounds = [p for p in bounds if p not in inside_crlf]
        return bounds

    def is_word(self, view: str, start: int, end: int) -> bool:
        """Does jieba put word boundaries at both ends of view[start:end], in a window around it?"""
        lo, hi = max(0, start - CONTEXT_CHARS), min(len(view), end + CONTEXT_CHARS)
        for p in (start, end):
            if lo < p < hi and view[p - 1:p + 1] == "\r\n":
                return False
        for run in DICTIONARY_RUN.finditer(view, lo, hi):
            if run.start() >= end:
                break
            inside = [p - run.start() for p in (start, end) if run.start() < p < run.end()]
            if inside and not set(inside).issubset(self._cuts(run.group())):
                return False
        return True

    def _cuts(self, run: str) -> tuple[int, ...]:
        cuts = self.cuts.get(run)
        if cuts is None:
            if len(self.cuts) >= MAX_REMEMBERED_RUNS:
                self.cuts.clear()
            freq, total = pristine_dictionary() if self.pristine else (jieba.dt.FREQ, jieba.dt.total)
            cuts = self.cuts[run] = dictionary_cuts(run, freq, total)
        return cuts


def words_removed() -> None:
    """Say that words were taken out of jieba's dictionary: jieba.del_word leaves its total as it was,
    so without this the remembered cuts would outlive the words they were made with."""
    global _removals
    _removals += 1


_removals = 0
MAX_REMEMBERED_RUNS = 200_000   # a few tens of MB at most
_pristine: tuple[dict[str, int], int] | None = None


def pristine_dictionary() -> tuple[dict[str, int], int]:
    """jieba's own dictionary (words → frequencies, and their total), copied once per process
    before linking adds any glossary word to it (linking calls this first). The sections stage
    reads only this, so a source's sections never depend on which corpus was linked before in
    the same process (a preview rebuilds many times), and jieba's version is all its cache key needs."""
    global _pristine
    if _pristine is None:
        jieba.dt.check_initialized()
        _pristine = (dict(jieba.dt.FREQ), jieba.dt.total)
    return _pristine


# One per process: headings recur across reports (sections stage).
_pristine_boundaries = WordBoundaries(pristine=True)


def word_boundaries(text: str) -> list[int]:
    """Every offset where `jieba.tokenize(text, HMM=False)` with jieba's own dictionary starts or
    ends a token, 0 included, in order."""
    return _pristine_boundaries.in_text(text)


def dictionary_cuts(run: str, freq: dict[str, int], total: int) -> tuple[int, ...]:
    """Word starts inside `run` as jieba's no-HMM cut finds them (its DAG, its maximum-probability
    route, consecutive single ASCII letters and digits merged), the same floats compared in the same
    order so ties break alike."""
    logtotal = log(total)
    unknown = log(1) - logtotal     # a character the dictionary lacks, as jieba scores it
    known = freq.get
    n = len(run)
    score = [0.0] * (n + 1)
    step = list(range(1, n + 1))
    for k in range(n - 1, -1, -1):
        best = None
        for end in range(k + 1, n + 1):
            f = known(run[k:end])
            if f is None:   # no longer a prefix of any word
                break
            if f:
                value = log(f) - logtotal + score[end]
                if best is None or value >= best:   # max over (value, end): the later end wins a tie
                    best, step[k] = value, end
        score[k] = best if best is not None else unknown + score[k + 1]
    cuts = []
    k, previous_single = 0, False
    while k < n:
        single = step[k] == k + 1 and bool(jieba.re_eng.match(run[k]))
        if k and not (single and previous_single):
            cuts.append(k)
        previous_single, k = single, step[k]
    return tuple(cuts)
