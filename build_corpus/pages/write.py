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

import errno
import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..urls import page_path
from .front_matter import unreadable_front_matter

# Generated folders and files; everything else in docs/ (assets/, overrides/) is hand-written.
GENERATED = ("reports", "terms", "downloads", "indicators", "compare", "places", "search", "index.md", "places.md",
             "years.md", "skipped.md", "speakers.md", "search.md", "about.md", "changes.md", "feed.xml", "annotations.md")
STAGING = ".build-staging"
PREVIOUS = ".build-previous"
JOURNAL = ".build-swap"
LOCK = ".build.lock"


class WriteError(Exception):
    """docs/ could not be written (read-only, full, a page MkDocs would misread): one line for the user."""


def _os_problem(err: OSError, docs: Path) -> str:
    """An OSError as one line naming docs/ and what to do."""
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"{docs}/: 无法写入（只读或没有权限）/ cannot write, read-only or not permitted: {err.strerror} ({err.filename or docs})"
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{docs}/: 磁盘已满，未写入任何页面 / disk full: no page was written; free space and build again"
    return f"{docs}/: 写入失败 / cannot write: {err.strerror or err} ({err.filename or docs})"


@contextmanager
def build_lock(docs: Path, shared: bool = False) -> Iterator[None]:
    """Held for a whole build; a second build waits, saying so, until the first has finished.

    `shared`: held by a reader of docs/ (`mkdocs build`, through the hook) for as long as it reads;
    readers share it, a build waits for them and they for it."""
    try:
        docs.mkdir(parents=True, exist_ok=True)
        fd = os.open(docs / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise WriteError(_os_problem(err, docs)) from None
    try:
        hold_lock(fd, docs, shared)
        yield
    finally:
        os.close(fd)   # releases the lock (a forked child holding the descriptor holds it until it exits)


def hold_lock(fd: int, docs: Path, shared: bool = False) -> None:
    """Take the lock on an open lock file, saying so when it has to wait."""
    kind = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"另一个构建正在写入 {docs}/，等待其完成… / another build holds {docs / LOCK}; waiting for it",
              file=sys.stderr)
        fcntl.flock(fd, kind)


def write_pages(pages: dict[str, str], files: dict[str, bytes], docs: Path) -> None:
    """Every page and download under docs/, swapped in only once all are written (hold build_lock).

    Nothing is written when a page opens a front matter MkDocs would not read as data (it would show
    it as Markdown, raw HTML included), nor when docs/ is read-only or fills up: a `WriteError` says
    which, and a half-written staging area is removed."""
    unreadable = unreadable_front_matter(pages)
    if unreadable:
        raise WriteError(f"{docs}/{unreadable[0]}: 生成页面的头部（front matter）无法被 MkDocs 读取，未写入任何页面 / "
                         f"the generated front matter would not be read as data; nothing was written"
                         + (f" (and {len(unreadable) - 1} more pages)" if len(unreadable) > 1 else ""))
    try:
        _write_pages(pages, files, docs)
    except OSError as err:
        if not (docs / JOURNAL).exists():   # (once the journal is written, the staging area is the new pages: the
            shutil.rmtree(docs / STAGING, ignore_errors=True)   # next build or mkdocs build completes the swap)
        raise WriteError(_os_problem(err, docs)) from None


def _write_pages(pages: dict[str, str], files: dict[str, bytes], docs: Path) -> None:
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
