"""When each source was added and changed (the repository's history), and where each came from
(sources/README.md's table): what the 更新记录 page, its Atom feed and the 关于 page tell readers.

The history is one `git log` over sources/; a build outside a git checkout (a copied project, an
unpacked archive) has none, and the pages say so instead of inventing dates.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ADDED, CHANGED = "added", "changed"
_LOG_FORMAT = "--format=\x1e%cs\x1f%s"
# A row of sources/README.md's table: | `file` | what it holds | provenance | sha256 |
_ROW = re.compile(r"^\|\s*`(?P<file>[^`|]+)`\s*\|(?P<what>[^|]*)\|(?P<provenance>[^|]*)\|")


@dataclass(frozen=True)
class SourceEvent:
    """A source file added or changed by one commit (its sidecar counts as the source)."""
    path: str          # the source, relative to the repository (as Document.source_path shows it)
    date: str          # YYYY-MM-DD, the commit's date
    kind: str          # ADDED | CHANGED
    subject: str       # the commit's first line


def source_history(sources: Path, root: Path | None = None) -> tuple[list[SourceEvent], str]:
    """Every commit touching a source or sidecar, newest first, and "" — or no events and the reason."""
    base = (root or Path.cwd()).resolve()
    try:
        done = subprocess.run(["git", "-C", str(base), "log", "--no-renames", "--name-status", _LOG_FORMAT, "--",
                               str(sources.resolve().relative_to(base))],
                              capture_output=True, text=True, timeout=60, encoding="utf-8", errors="replace")
    except (OSError, ValueError, subprocess.TimeoutExpired) as err:
        return [], f"无法读取版本历史（{type(err).__name__}）"
    if done.returncode:
        return [], "构建时没有版本历史（不在 git 仓库中）"
    return parse_log(done.stdout), ""


def parse_log(text: str) -> list[SourceEvent]:
    """`git log --name-status` output → events, a sidecar's change told as its source's.

    >>> parse_log("\\x1e2026-01-02\\x1fAdd x\\n\\nA\\tsources/x.txt\\nM\\tsources/y.txt.meta.yml\\n")
    [SourceEvent(path='sources/x.txt', date='2026-01-02', kind='added', subject='Add x'), \
SourceEvent(path='sources/y.txt', date='2026-01-02', kind='changed', subject='Add x')]
    """
    events = []
    for commit in text.split("\x1e")[1:]:
        head, _, body = commit.partition("\n")
        date, _, subject = head.partition("\x1f")
        for line in body.splitlines():
            status, _, path = line.partition("\t")
            if not path or status[:1] not in "AM" or path.endswith("README.md"):
                continue
            source = path.removesuffix(".meta.yml")
            kind = ADDED if status == "A" and source == path else CHANGED
            events.append(SourceEvent(source, date.strip(), kind, subject.strip()))
    return events


def source_provenance(sources: Path) -> dict[str, str]:
    """sources/README.md's provenance column by file name, in its own words (its shorthand "same
    repository" written out, code marks dropped), where the table has a row."""
    readme = sources / "README.md"
    try:
        text = readme.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    found, repository = {}, ""
    for line in text.splitlines():
        row = _ROW.match(line)
        if not row:
            continue
        provenance = row["provenance"].strip().replace("`", "")
        if " @ " in provenance:   # owner/name @ commit, …: the repository later rows call "same repository"
            repository = provenance.split(",")[0].strip()
        if provenance.startswith("same repository") and repository:
            provenance = repository + provenance[len("same repository"):]
        found[row["file"].strip()] = provenance
    return found
