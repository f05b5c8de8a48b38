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

import contextlib
import errno
import fcntl
import hashlib
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..urls import PROJECTS_FOLDER, page_path
from .front_matter import unreadable_front_matter

# Generated folders and files; everything else in docs/ (assets/, overrides/) is hand-written.
GENERATED_FILES = ("index.md", "places.md", "years.md", "skipped.md", "speakers.md", "search.md", "about.md", "changes.md",
                   "feed.xml", "annotations.md")
GENERATED = ("reports", "terms", "downloads", "indicators", "compare", "places", "search", "index.md", "places.md",
             "years.md", "skipped.md", "speakers.md", "search.md", "about.md", "changes.md", "feed.xml", "annotations.md",
             PROJECTS_FOLDER)
STAGING = ".build-staging"
PREVIOUS = ".build-previous"
JOURNAL = ".build-swap"
LOCK = ".build.lock"


class WriteError(Exception):
    """docs/ could not be written (read-only, full, a page MkDocs would misread): one line for the user."""


def _unreadable_message(docs: Path, unreadable: list[str]) -> str:
    return (f"{docs}/{unreadable[0]}: 生成页面的头部（front matter）无法被 MkDocs 读取，未写入任何页面 / "
            f"the generated front matter would not be read as data; nothing was written"
            + (f" (and {len(unreadable) - 1} more pages)" if len(unreadable) > 1 else ""))


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
        raise WriteError(_unreadable_message(docs, unreadable))
    staging = Staging(docs)
    for relative, content in pages.items():
        staging.put(relative, content)
    for relative, data in files.items():
        staging.put(relative, data)
    staging.commit()


class Staging:
    """docs/'s staging area, filled a page at a time, swapped in whole by `commit` (hold build_lock).

    A large corpus's pages are written as they are made, never all in memory (`Site.pages` then keeps
    only their names, PageSink): from this process, and from a page step's forked copy, which writes
    here too. Each page's SHA-256 goes into a list per process (`digests` reads them all back), so
    what a set of pages was built from can be told without reading them again. An unchanged page is
    the same file as docs/ holds (a hard link), which is how `commit` sees that nothing changed.

    `kept`: a folder of the last build's pages by SHA-256 (the cache's, `KeptPages`): a page docs/ does
    not hold (a fresh checkout, as CI has) is linked from there instead of written again.
    """
    MANIFEST = ".digests-"
    FAILED = ".failed-"   # a page that could not be staged (its front matter, a full disk): commit refuses

    def __init__(self, docs: Path, place=lambda relative: relative, kept: Path | None = None):
        self.docs, self.place = docs, place
        self.kept = KeptPages(kept) if kept is not None else None
        self.root = docs / STAGING
        self._manifest: tuple[int, object] | None = None   # (pid, open file) of this process's digest list
        self._failed_in: int | None = None                 # the process a page could not be staged in
        try:
            finish_interrupted_swap(docs)
            shutil.rmtree(self.root, ignore_errors=True)
            self.root.mkdir(parents=True)
        except OSError as err:
            raise WriteError(_os_problem(err, docs)) from None

    def put(self, relative: str, content: str | bytes) -> None:
        """One page or file into the staging area. A failure is written down for `commit` (this may be a
        forked copy, whose exceptions would come back as a traceback), and this process stages nothing more."""
        if self._failed_in == os.getpid():
            return
        try:
            if isinstance(content, str) and unreadable_front_matter({relative: content}):
                raise WriteError(_unreadable_message(self.docs, [relative]))
            data = content.encode("utf-8") if isinstance(content, str) else content
            placed = self.place(relative)
            digest = hashlib.sha256(data).hexdigest()
            _stage(self.docs, self.root, placed, data, self.kept.file(digest) if self.kept else None)
            if self._manifest is None or self._manifest[0] != os.getpid():   # a forked copy has its own list
                self._manifest = (os.getpid(), (self.root / f"{self.MANIFEST}{os.getpid()}").open("a", encoding="utf-8"))
            self._manifest[1].write(f"{digest}\t{placed}\n")
        except (WriteError, OSError) as err:
            message = str(err) if isinstance(err, WriteError) else _os_problem(err, self.docs)
            self._failed_in = os.getpid()
            with contextlib.suppress(OSError):
                (self.root / f"{self.FAILED}{os.getpid()}").write_text(message, encoding="utf-8")

    def flush(self) -> None:
        """This process's digest list, written out (a forked copy calls it before it sends its results)."""
        if self._manifest is not None and self._manifest[0] == os.getpid():
            self._manifest[1].flush()

    def digests(self) -> dict[str, str]:
        """Every staged file's SHA-256, by its path under docs/ (from every process's list)."""
        self.flush()
        found = {}
        for manifest in self.root.glob(f"{self.MANIFEST}*"):
            for line in manifest.read_text(encoding="utf-8").splitlines():
                digest, relative = line.split("\t", 1)
                found[relative] = digest
        return found

    def commit(self) -> None:
        """Swap the staged pages in; if they are exactly what docs/ holds, leave docs/ untouched (a
        preview then does not rebuild for nothing). A page that could not be staged: nothing is swapped,
        the staging area goes, and a WriteError says why."""
        failed = sorted(self.root.glob(f"{self.FAILED}*"))
        if failed:
            message = failed[0].read_text(encoding="utf-8")
            shutil.rmtree(self.root, ignore_errors=True)
            raise WriteError(message)
        staged = self.digests()
        try:
            self._commit(staged)
        except OSError as err:
            if not (self.docs / JOURNAL).exists():   # (once the journal is written, the staging area is the new pages:
                shutil.rmtree(self.root, ignore_errors=True)   # the next build or mkdocs build completes the swap)
            raise WriteError(_os_problem(err, self.docs)) from None
        if self.kept:
            self.kept.keep_only(set(staged.values()))

    def _commit(self, staged: dict[str, str]) -> None:
        if self._manifest is not None and self._manifest[0] == os.getpid():
            self._manifest[1].close()
            self._manifest = None
        for manifest in self.root.glob(f"{self.MANIFEST}*"):
            manifest.unlink()
        if _unchanged(staged, self.docs, self.root):
            shutil.rmtree(self.root, ignore_errors=True)
            return
        for name in GENERATED:   # every generated folder is replaced, even by an empty one: no stale page survives
            if name not in GENERATED_FILES:
                (self.root / name).mkdir(exist_ok=True)
        journal = self.docs / JOURNAL
        _write(journal.with_suffix(".tmp"), "\n".join(GENERATED).encode())
        journal.with_suffix(".tmp").replace(journal)   # from here on the new pages win
        finish_interrupted_swap(self.docs)


class PageSink(dict):
    """A Site's pages (or its files) written into a Staging as they are made: it keeps their names only
    (`len`, `in` and iteration work; a page's text is on the disk)."""

    def __init__(self, staging: Staging):
        super().__init__()
        self.staging = staging

    def __setitem__(self, relative: str, content) -> None:
        self.staging.put(relative, content)
        super().__setitem__(relative, None)

    def update(self, *args, **kwargs) -> None:
        for relative, content in dict(*args, **kwargs).items():
            self[relative] = content

    def adopt(self, names) -> None:
        """Names of pages another process has staged already."""
        for relative in names:
            super().__setitem__(relative, None)

    def __reduce__(self):   # to another process: the names (the staging area is this build's)
        return dict, (dict.fromkeys(self),)


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


def _unchanged(staged: dict[str, str], docs: Path, staging: Path) -> bool:
    """docs/ already holds exactly these generated files, each the very file staged (a hard link: _stage
    links an unchanged page instead of writing it)."""
    existing = {str(p.relative_to(docs)) for name in GENERATED
                for p in ([docs / name] if (docs / name).is_file() else (docs / name).rglob("*")) if p.is_file()}
    if existing != set(staged):
        return False
    return all(os.path.samestat(os.stat(docs / relative), os.stat(staging / relative)) for relative in staged)


class KeptPages:
    """The last build's pages and files by SHA-256 (`<folder>/<2 digits>/<digest>`), hard links to docs/' own,
    so that a build in a fresh checkout (CI's: docs/ holds only hand-written files) links an unchanged
    page instead of writing it: writing a file was ~0.5 ms here, a link 0.02 ms, and a warm CI build
    wrote ~7,000 at 1,000 reports. An entry is used only when its bytes are the page's (a cache
    restored halfway publishes nothing of it). No file under docs/ is ever written in place (a build
    swaps new files in), so one inode can serve both."""

    def __init__(self, folder: Path):
        self.folder = folder

    def file(self, digest: str) -> Path:
        return self.folder / digest[:2] / digest

    def keep_only(self, digests: set[str]) -> None:
        """After a build: the entries of its pages only (the store does not grow with every edit)."""
        with contextlib.suppress(OSError):
            for group in os.scandir(self.folder):
                for entry in os.scandir(group.path):
                    if entry.name not in digests:
                        os.unlink(entry.path)


def _stage(docs: Path, staging: Path, relative: str, data: bytes, kept: Path | None = None) -> None:
    """A page into the staging area; an unchanged page is the same file (a hard link), so it keeps its
    modification time and `mkdocs serve` re-renders only the pages that changed. `kept`: where the page
    is kept (KeptPages), linked from there when docs/ has no such page, else linked there."""
    target = page_path(staging, relative)
    current = page_path(docs, relative)
    try:
        if not current.is_symlink() and _same_bytes(current, data):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(current, target)
            _keep(target, kept)
            return
        if kept is not None and not current.exists() and _same_bytes(kept, data):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(kept, target)
            os.utime(target)   # new in docs/: `mkdocs serve --dirty` renders it
            return
    except OSError:   # no hard links on this file system: write it
        pass
    _write(target, data)
    _keep(target, kept, replace=True)   # (a kept file with other bytes: damaged)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _keep(page: Path, kept: Path | None, replace: bool = False) -> None:
    """A staged page into the kept pages, unless they hold it (or cannot: another file system)."""
    if kept is None or (kept.exists() and not replace):
        return
    with contextlib.suppress(OSError):
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.unlink(missing_ok=True)
        os.link(page, kept)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def write_release_files(files: dict[str, bytes], folder: Path, names: dict[str, str]) -> None:
    """The corpus-wide downloads of a site in sub-sites into `folder` (dist/corpus/), as `names` call them,
    for the repository's release: the folder emptied first; left alone for a single site (no files)."""
    if not files:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path, data in files.items():
        tmp = folder / f".{names[path]}.tmp"
        tmp.write_bytes(data)
        tmp.replace(folder / names[path])
