"""Writing the generated pages into docs/: all or nothing, one build at a time.

A build writes every page into `docs/.build-staging/` first; only when that is
complete does it swap the generated folders and files into place, recording
the swap in a journal. An interrupted build (Ctrl-C, SIGKILL, a full disk)
therefore leaves either the previous pages, or a finished staging area that
the next build — or the next `mkdocs build`, through the hook — moves into
place before reading docs/. A lock file makes a second build in the same
checkout wait for the first instead of interleaving with it.

MkDocs ignores these dot-names in docs/ (its default `exclude_docs`).
"""
from __future__ import annotations

import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..urls import page_path

# Generated folders and files; everything else in docs/ (assets/, overrides/) is hand-written.
GENERATED = ("reports", "terms", "downloads", "indicators", "compare", "places", "search", "index.md", "places.md",
             "years.md", "skipped.md", "speakers.md", "search.md", "about.md", "changes.md", "feed.xml", "annotations.md")
STAGING = ".build-staging"
PREVIOUS = ".build-previous"
JOURNAL = ".build-swap"
LOCK = ".build.lock"


@contextmanager
def build_lock(docs: Path) -> Iterator[None]:
    """Held for a whole build; a second build waits, saying so, until the first has finished."""
    docs.mkdir(parents=True, exist_ok=True)
    fd = os.open(docs / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"另一个构建正在写入 {docs}/，等待其完成… / another build holds {docs / LOCK}; waiting for it",
                  file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)   # releases the lock


def write_pages(pages: dict[str, str], files: dict[str, bytes], docs: Path) -> None:
    """Every page and download under docs/, swapped in only once all are written (hold build_lock)."""
    finish_interrupted_swap(docs)
    if _unchanged({**{k: v.encode("utf-8") for k, v in pages.items()}, **files}, docs):
        return   # nothing to do: docs/ is not touched, so a preview does not rebuild for nothing
    staging = docs / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for relative, content in pages.items():
        _stage(docs, staging, relative, content.encode("utf-8"))
    for relative, data in files.items():
        _stage(docs, staging, relative, data)
    for name in GENERATED:   # every generated folder is replaced, even by an empty one: no stale page survives
        if "." not in name:
            (staging / name).mkdir(exist_ok=True)
    journal = docs / JOURNAL
    _write(journal.with_suffix(".tmp"), "\n".join(GENERATED).encode())
    journal.with_suffix(".tmp").replace(journal)   # from here on the new pages win
    finish_interrupted_swap(docs)


def finish_interrupted_swap(docs: Path) -> None:
    """Move a complete staging area into place (its journal says it is complete); drop an incomplete one.

    Each generated name is moved aside, then replaced; a name no longer in the staging area has
    been swapped already, so running this again after an interruption finishes the same swap.
    """
    staging, previous, journal = docs / STAGING, docs / PREVIOUS, docs / JOURNAL
    if journal.exists():
        previous.mkdir(exist_ok=True)
        for name in GENERATED:
            new, current, old = staging / name, docs / name, previous / name
            if not new.exists():
                continue
            if current.exists() or current.is_symlink():
                _remove(old)
                current.replace(old)
            new.replace(current)
        journal.unlink()
    _remove(staging)
    _remove(previous)


def _unchanged(contents: dict[str, bytes], docs: Path) -> bool:
    """docs/ already holds exactly these generated files with exactly these bytes."""
    existing = {str(p.relative_to(docs)) for name in GENERATED
                for p in ([docs / name] if (docs / name).is_file() else (docs / name).rglob("*")) if p.is_file()}
    if existing != set(contents):
        return False
    return all((docs / relative).read_bytes() == data for relative, data in contents.items())


def _stage(docs: Path, staging: Path, relative: str, data: bytes) -> None:
    """A page into the staging area; an unchanged page is the same file (a hard link), so it keeps its
    modification time and `mkdocs serve` re-renders only the pages that changed."""
    target = page_path(staging, relative)
    current = page_path(docs, relative)
    try:
        if current.is_file() and not current.is_symlink() and current.stat().st_size == len(data) \
                and current.read_bytes() == data:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(current, target)
            return
    except OSError:   # no hard links on this file system: write it
        pass
    _write(target, data)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
