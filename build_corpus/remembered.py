"""Pure functions whose answers are kept from one build to the next.

Romanising a term or a place (pypinyin: its slug, its pinyin sort key) is the slowest thing a rebuild
repeats for nothing: 10,000 reports have ~17,000 terms, two romanisations each at ~0.35 ms, every
build, for the same answers. Functions marked `@remembered` answer from a table as functools.cache
does; `build` loads the tables from the per-source cache's folder before it starts and saves them
after, under the same code version as the cache (cache.code_version: this package and pypinyin's
version), so an answer is never older than the code that gave it.

A `Memo` is the same for answers keyed by a digest of their input (a paragraph's term occurrences, by
its text and the vocabulary): it keeps only what this build asked for, so it follows an edited corpus
instead of growing with every edit.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

_TABLES: dict[str, dict] = {}
_LOADED: dict[str, int] = {}   # table name -> its size when loaded (a table that did not grow is not saved)
_MEMOS: dict[str, Memo] = {}


def remembered(fn: Callable) -> Callable:
    """functools.cache, with a table `load` and `save` can keep between builds (arguments hashable)."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    table = _TABLES.setdefault(name, {})

    @functools.wraps(fn)
    def answer(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        try:
            return table[key]
        except KeyError:
            value = table[key] = fn(*args, **kwargs)
            return value

    answer.cache_clear = table.clear   # as functools.cache's
    return answer


class Memo:
    """Answers by key, kept from the last build for the keys this build asks again (`get`) or answers
    (`put`); `load` fills `kept`, `save` keeps `used`. The key must say everything the answer depends
    on beyond the code version."""

    def __init__(self, name: str):
        self.kept: dict = {}
        self.used: dict = {}
        _MEMOS[name] = self

    def get(self, key):
        """The answer kept for `key`, or None."""
        value = self.used.get(key)
        if value is None:
            value = self.kept.get(key)
            if value is not None:
                self.used[key] = value
        return value

    def put(self, key, value) -> None:
        self.used[key] = value

    def changed(self) -> bool:
        return self.used.keys() != self.kept.keys()


def key_of(value) -> bytes:
    """A memo's key for plain data (str, numbers, None, tuples, lists, dicts, dates): a digest of its repr,
    which tells apart what differs in type as well as value (1 and "1", 1 and 1.0 and True, a tuple and a list)."""
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def mark() -> tuple[dict[str, int], dict[str, int]]:
    """How many answers each memo has used, and each table holds, so far (a forked process, before its work: `since`)."""
    return ({name: len(memo.used) for name, memo in _MEMOS.items()},
            {name: len(table) for name, table in _TABLES.items()})


def since(start: tuple[dict[str, int], dict[str, int]]) -> tuple[dict[str, list], dict[str, list]]:
    """What each memo used and each table learned after `start` (in insertion order: the new ones are last),
    for the process that forked this one (`adopt`): what a forked page step learned is kept too (a slug
    made there was made again by every build). A memo's answer it took from the last build's (`kept`,
    which that process has too) goes as its key alone: at 10,000 reports the memos hold ~250 MB, nearly
    all of them kept answers on a warm build."""
    memo_start, table_start = start
    memos = {}
    for name, memo in _MEMOS.items():
        items = list(memo.used.items())[memo_start.get(name, 0):]
        if items:
            kept = memo.kept
            memos[name] = [(key, None if kept.get(key) is value else value) for key, value in items]
    tables = {name: list(table.items())[table_start.get(name, 0):] for name, table in _TABLES.items()
              if len(table) > table_start.get(name, 0)}
    return memos, tables


def adopt(learned: tuple[dict[str, list], dict[str, list]]) -> None:
    memos, tables = learned
    for name, items in memos.items():
        memo = _MEMOS.get(name)
        if memo is not None:
            memo.used.update((key, memo.kept[key] if value is None else value) for key, value in items)
    for name, items in tables.items():
        if name in _TABLES:
            _TABLES[name].update(items)


def load(path: Path, version: str) -> None:
    """Every table saved at `path` under this code version (nothing if it is missing or another version's);
    the memos start this build with nothing used."""
    for memo in _MEMOS.values():
        memo.kept, memo.used = {}, {}
    try:
        with path.open("rb") as f:
            saved_version, tables, memos = pickle.load(f)
    except Exception:   # missing, truncated, from another version of Python or of this file: start empty
        return
    if saved_version != version or not isinstance(tables, dict) or not isinstance(memos, dict):
        return
    for name, saved in tables.items():
        if name in _TABLES and isinstance(saved, dict):
            _TABLES[name].update(saved)
            _LOADED[name] = len(_TABLES[name])
    for name, saved in memos.items():
        if name in _MEMOS and isinstance(saved, dict):
            _MEMOS[name].kept = saved


def save(path: Path, version: str) -> None:
    """The tables and memos, if any has changed since they were loaded; atomically (a temporary file, then a rename)."""
    if all(len(table) == _LOADED.get(name, -1) for name, table in _TABLES.items()) \
            and not any(memo.changed() for memo in _MEMOS.values()):
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as f:
            pickle.dump((version, _TABLES, {name: memo.used for name, memo in _MEMOS.items()}), f,
                        protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        _LOADED.update((name, len(table)) for name, table in _TABLES.items())
        for memo in _MEMOS.values():
            memo.kept = dict(memo.used)
    except OSError:
        tmp.unlink(missing_ok=True)
