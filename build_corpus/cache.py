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
import pickle
from functools import lru_cache
from pathlib import Path

from .model import Problem, Source

PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the package's code and data: any change to either invalidates every entry."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


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
        path = self.folder / f"{key}.pickle"
        try:
            with path.open("rb") as f:
                entry = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: tuple[Source, list[Problem]]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f"{key}.tmp"
        with tmp.open("wb") as f:
            pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(self.folder / f"{key}.pickle")
