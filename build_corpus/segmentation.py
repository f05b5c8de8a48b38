"""Word boundaries as jieba draws them, computed from its dictionary without calling it.

Linking keeps a term match only where jieba puts word boundaries at both ends, and the
sections stage asks where a heading glued to its body may end. jieba.tokenize is ~0.5 MB/s;
this reproduces its no-HMM cut (same dictionary, same floats, same tie-breaks) on just the
runs around a candidate, remembering each run's cut. It reads jieba 0.42.1's internals
(Tokenizer.FREQ and total, re_han_default, re_eng); the pin and tests/test_linking.py, which compare
with jieba.tokenize itself, keep it honest.

The dictionary is read, never changed: linking's glossary words are laid over it (`with_words`, as
jieba.add_word would add them), so the sections stage and every glossary see the same words whatever
was linked before in the process. Loading it takes ~0.6 s (half a million words), and a rebuild after
one changed source asks it only a few thousand times: given a folder (`keep_dictionary_in`, the
per-source cache's), it is also written there once as an SQLite table, which answers the first
SWITCH_AFTER lookups without loading it.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
from collections.abc import Iterable
from importlib.metadata import version
from math import log
from pathlib import Path

# Characters of context segmented on each side of a candidate. Segmenting only this window,
# not the whole paragraph, is what keeps linking linear (jieba is ~0.5 MB/s); the words at
# the candidate's ends come out the same, as the tests on real sentences check.
CONTEXT_CHARS = 12
# What jieba segments with its dictionary (jieba.re_han_default); every other character is a token of its
# own. Written out here, as its single ASCII letters and digits (jieba.re_eng) are, so that a build that
# needs no dictionary does not import jieba (tests/test_segmentation.py checks they are jieba's).
DICTIONARY_RUN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
ASCII_LETTER_OR_DIGIT = re.compile("[a-zA-Z0-9]")
CRLF = re.compile("\r\n")   # one token to jieba
# A glossary word's frequency, at least: what linking gives jieba for each term form.
USER_WORD_FREQ = 20000
# Lookups answered from the SQLite table (~7 µs each) before the dictionary is loaded whole (~0.6 s).
SWITCH_AFTER = 50_000


class JiebaDictionary:
    """jieba's own dictionary (a Tokenizer of our own: jieba.dt may have user words): a word's frequency,
    0 for a prefix of a word, None for neither; and their total. From the SQLite table while it is
    asked little, then loaded whole (`load`)."""

    def __init__(self):
        self.freq: dict[str, int] | None = None
        self._total: int | None = None
        self._index: tuple[int, sqlite3.Connection] | None = None   # (pid, connection): not shared across a fork
        self.asked = 0

    @property
    def total(self) -> int:
        if self._total is None:
            table = self._table()
            if table is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._total = table.execute("SELECT n FROM meta WHERE k = 'total'").fetchone()[0]
            if self._total is None:
                self.load()
        return self._total

    def get(self, word: str) -> int | None:
        if self.freq is None and self.asked < SWITCH_AFTER:
            table = self._table()
            if table is not None:
                self.asked += 1
                try:
                    row = table.execute("SELECT n FROM words WHERE w = ?", (word,)).fetchone()
                    return None if row is None else row[0]
                except (sqlite3.Error, ValueError):   # (a damaged page of it): the dictionary itself answers
                    pass
        return self.load().get(word)

    def load(self) -> dict[str, int]:
        """The whole dictionary in memory (before forking workers, which share it); written to the table
        for the next build if there is a folder for it and none is there."""
        if self.freq is None:
            import logging

            import jieba
            jieba.setLogLevel(logging.WARNING)   # it announces every dictionary load on stderr; the CLI says its own
            tokenizer = jieba.Tokenizer()
            tokenizer.check_initialized()
            self.freq, self._total = tokenizer.FREQ, tokenizer.total
            self._close()
            if _index_folder is not None and not _intact(_index_path(_index_folder)):
                _write_table(_index_path(_index_folder), self.freq, self._total)
        return self.freq

    def _table(self) -> sqlite3.Connection | None:
        if _index_folder is None:
            return None
        if self._index is None or self._index[0] != os.getpid():
            path = _index_path(_index_folder)
            if not _intact(path):
                return None
            try:
                self._index = (os.getpid(), sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))
            except sqlite3.Error:
                return None
        return self._index[1]

    def _close(self) -> None:
        if self._index is not None and self._index[0] == os.getpid():
            self._index[1].close()
        self._index = None


_index_folder: Path | None = None


def keep_dictionary_in(folder: Path | None) -> None:
    """Where jieba's dictionary is kept as an SQLite table between builds (None: nowhere)."""
    global _index_folder
    _index_folder = folder


def _index_path(folder: Path) -> Path:
    return folder / f"jieba-{version('jieba')}-dictionary.sqlite"


def _intact(path: Path) -> bool:
    """Are the table's bytes those it was written with (a digest beside it: a cache restored halfway is not read)?"""
    try:
        expected = path.with_suffix(".sha256").read_text(encoding="utf-8").strip()
        return hashlib.sha256(path.read_bytes()).hexdigest() == expected
    except OSError:
        return False


def _write_table(path: Path, freq: dict[str, int], total: int) -> None:
    """The dictionary as a table (~9 MB, ~0.6 s, once per jieba version): written aside, then renamed."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(tmp)) as db:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("CREATE TABLE words (w TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, n INTEGER NOT NULL)")
            db.executemany("INSERT INTO words VALUES (?, ?)", sorted(freq.items()))
            db.execute("INSERT INTO meta VALUES ('total', ?)", (total,))
            db.commit()
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        tmp.replace(path)
        path.with_suffix(".sha256").write_text(digest, encoding="utf-8")
    except (OSError, sqlite3.Error):   # a read-only or full cache folder: the next build loads the dictionary again
        tmp.unlink(missing_ok=True)


class WithWords:
    """A dictionary with words added as jieba.add_word(word, freq=max(its frequency, USER_WORD_FREQ)) adds
    them, in one go: each its frequency, its prefixes 0 where the dictionary has none, the total grown by
    their frequencies. Laid over the dictionary, which stays as it was."""

    def __init__(self, base, words: Iterable[str]):
        self.base = base
        self.added = {word: max(base.get(word) or 0, USER_WORD_FREQ) for word in words}
        self.prefixes = {word[:n] for word in self.added for n in range(1, len(word))}
        self.total = base.total + sum(self.added.values())

    def get(self, word: str) -> int | None:
        found = self.added.get(word)
        if found is not None:
            return found
        found = self.base.get(word)
        return 0 if found is None and word in self.prefixes else found


_pristine = JiebaDictionary()


def jieba_dictionary() -> JiebaDictionary:
    """jieba's own dictionary, one per process."""
    return _pristine


def with_words(words: Iterable[str]) -> WithWords:
    """jieba's dictionary with these words added (linking's glossary)."""
    return WithWords(_pristine, words)


def load_dictionary() -> None:
    """jieba's dictionary, loaded whole (before forking workers that will all read it)."""
    _pristine.load()


class WordBoundaries:
    """Where `jieba.tokenize(text, HMM=False)` puts word boundaries, computed without calling it.

    jieba cuts text into runs of DICTIONARY_RUN characters, each cut with its dictionary, and
    single other characters (\\r\\n excepted); so a position is a boundary unless it lies inside a run,
    and then only that run's cut matters. Cuts are remembered per run: clauses recur across reports.
    `dictionary`: jieba's own (the default) or one with words added (`with_words`).
    """

    def __init__(self, dictionary=None):
        self.cuts: dict[str, tuple[int, ...]] = {}
        self.dictionary = dictionary if dictionary is not None else _pristine

    def in_text(self, text: str) -> list[int]:
        """Every offset where a token starts or ends, 0 included, in order."""
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
            cuts = self.cuts[run] = dictionary_cuts(run, self.dictionary, self.dictionary.total)
        return cuts


MAX_REMEMBERED_RUNS = 200_000   # a few tens of MB at most

# One per process: headings recur across reports (sections stage).
_pristine_boundaries = WordBoundaries()


def word_boundaries(text: str) -> list[int]:
    """Every offset where `jieba.tokenize(text, HMM=False)` with jieba's own dictionary starts or
    ends a token, 0 included, in order."""
    return _pristine_boundaries.in_text(text)


def dictionary_cuts(run: str, freq, total: int) -> tuple[int, ...]:
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
        single = step[k] == k + 1 and bool(ASCII_LETTER_OR_DIGIT.match(run[k]))
        if k and not (single and previous_single):
            cuts.append(k)
        previous_single, k = single, step[k]
    return tuple(cuts)
