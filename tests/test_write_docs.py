"""docs/ is written all or nothing, one build at a time (build_corpus/pages/write.py).

Unit tests interrupt the swap at every step; end-to-end tests SIGKILL a real `build-corpus build`
at several moments and run two builds at once, then check that docs/ holds a whole set of pages.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from build_corpus.pages import write as write_docs
from build_corpus.pages.write import GENERATED, JOURNAL, STAGING, WriteError, finish_interrupted_swap, write_pages

ROOT = Path(__file__).resolve().parent.parent


def _pages(version: str, n: int = 5) -> dict[str, str]:
    pages = {f"reports/r{i}.md": f"# {version} {i}\n" for i in range(n)}
    pages.update({"terms/t.md": f"{version}\n", "index.md": f"{version}\n", "places.md": f"{version}\n",
                  "years.md": f"{version}\n", "skipped.md": f"{version}\n"})
    return pages


def _versions(docs: Path) -> set[str]:
    found = set()
    for name in GENERATED:
        target = docs / name
        for path in ([target] if target.is_file() else sorted(target.rglob("*.md")) if target.is_dir() else []):
            found.add(path.read_text().replace("#", "").split()[0])
    return found


def test_a_build_replaces_every_generated_page_and_keeps_the_rest(tmp_path):
    docs = tmp_path / "docs"
    (docs / "assets").mkdir(parents=True)
    (docs / "assets" / "extra.css").write_text("body{}")
    write_pages(_pages("old", 8), {}, docs)
    write_pages(_pages("new", 3), {"downloads/corpus.jsonl": b"{}\n"}, docs)
    assert sorted(p.name for p in (docs / "reports").iterdir()) == ["r0.md", "r1.md", "r2.md"]   # no stale page
    assert _versions(docs) == {"new"} and (docs / "assets" / "extra.css").exists()
    assert not (docs / STAGING).exists() and not (docs / JOURNAL).exists()


def _failing_on(call: int, real, error: BaseException):
    """`real`, except that its `call`-th call raises `error`; also returns the count of calls."""
    calls = {"n": 0}

    def flaky(*args):
        calls["n"] += 1
        if calls["n"] == call:
            raise error
        return real(*args)
    return flaky, calls


@pytest.mark.parametrize("fail_at", range(1, 12))
def test_an_interrupted_swap_leaves_old_or_new_and_is_finished_later(tmp_path, monkeypatch, fail_at):
    docs = tmp_path / "docs"
    write_pages(_pages("old"), {}, docs)
    real_replace = Path.replace
    # What SIGINT raises between two renames.
    flaky_replace, calls = _failing_on(fail_at, real_replace, KeyboardInterrupt("interrupted"))
    monkeypatch.setattr(Path, "replace", flaky_replace)
    with pytest.raises(KeyboardInterrupt):
        write_pages(_pages("new"), {}, docs)
    monkeypatch.setattr(Path, "replace", real_replace)
    if not (docs / JOURNAL).exists():
        assert _versions(docs) == {"old"}, "before the journal, the old pages must be untouched"
    finish_interrupted_swap(docs)   # what the next build or mkdocs (hook) does first
    expected = {"new"} if calls["n"] > 1 else {"old"}
    assert _versions(docs) == expected and len(list((docs / "reports").iterdir())) == 5


def test_a_full_disk_leaves_the_old_pages_no_staging_and_one_line(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    write_pages(_pages("old"), {}, docs)
    flaky_write, _ = _failing_on(4, write_docs._write, OSError(28, "No space left on device"))
    monkeypatch.setattr(write_docs, "_write", flaky_write)
    with pytest.raises(WriteError, match="disk full") as failed:
        write_pages(_pages("new"), {}, docs)
    assert "\n" not in str(failed.value)
    assert _versions(docs) == {"old"} and not (docs / STAGING).exists(), "the half-written staging area must go at once"


def test_a_page_whose_front_matter_mkdocs_would_misread_fails_the_build_and_writes_nothing(tmp_path):
    """MkDocs renders a front matter it cannot load as Markdown, raw HTML included (issue #28)."""
    docs = tmp_path / "docs"
    write_pages(_pages("old"), {}, docs)
    broken = {**_pages("new"), "terms/t.md": '---\ndescription: "排涝水\ufffe"\n---\n<img src=x onerror=alert(1)>\n'}
    with pytest.raises(WriteError, match="terms/t.md"):
        write_pages(broken, {}, docs)
    assert _versions(docs) == {"old"} and not (docs / STAGING).exists()


# --- the real command ------------------------------------------------------------

def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for name in ("mkdocs.yml", "sources", "glossary", "annotations", "docs/assets", "docs/overrides"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, project / name)
    return project


def _build(project: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "build_corpus", "build", "--no-cache", "--jobs", "1", *extra],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _snapshot(docs: Path) -> dict[str, int]:
    return {str(p.relative_to(docs)): p.stat().st_size for name in GENERATED
            for p in ([docs / name] if (docs / name).is_file() else (docs / name).rglob("*")) if p.is_file()}


def test_sigkill_during_a_build_never_leaves_half_a_site(tmp_path):
    project = _project(tmp_path)
    first = _build(project)
    first.communicate(timeout=300)
    assert first.returncode == 0
    docs = project / "docs"
    whole = _snapshot(docs)
    assert len(whole) > 50
    started = time.monotonic()
    whole_run = _build(project)
    whole_run.communicate(timeout=300)
    duration = time.monotonic() - started
    for fraction in (0.3, 0.6, 0.8, 0.9, 0.95, 0.99):
        run = _build(project)
        time.sleep(duration * fraction)
        run.send_signal(signal.SIGKILL)
        run.communicate(timeout=60)
        if (docs / JOURNAL).exists():   # killed mid-swap: the next reader of docs/ finishes it first
            finish_interrupted_swap(docs)
        assert _snapshot(docs) == whole, f"docs/ changed after a SIGKILL at {fraction:.0%} of a build"


def test_two_builds_at_once_both_finish_whole(tmp_path):
    project = _project(tmp_path)
    runs = [_build(project), _build(project)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("another build holds" in err for _, err in outputs), "the second build did not wait"
    reports = sorted(p.name for p in (project / "docs" / "reports").iterdir())
    said = {int(re.search(r"(\d+) 份报告", out).group(1)) for out, _ in outputs}
    assert said == {len(reports)} and len(reports) > 10 and not (project / "docs" / STAGING).exists()
    assert os.path.exists(project / "docs" / "index.md")


def test_unchanged_pages_keep_their_file_and_time(tmp_path):
    """mkdocs serve re-renders what changed: an unchanged page must not look new."""
    docs = tmp_path / "docs"
    write_pages(_pages("v1"), {}, docs)
    page = docs / "reports" / "r0.md"
    os.utime(page, (1_000_000_000, 1_000_000_000))
    changed = {**_pages("v1"), "reports/r1.md": "# v2 1\n"}
    write_pages(changed, {}, docs)
    assert page.stat().st_mtime == 1_000_000_000
    assert (docs / "reports" / "r1.md").read_text() == "# v2 1\n" and (docs / "reports" / "r1.md").stat().st_mtime > 1e9


def _kept(kept: Path) -> set[str]:
    return {p.name for p in kept.rglob("*") if p.is_file()}


def _digests(pages: dict[str, str]) -> set[str]:
    return {hashlib.sha256(text.encode()).hexdigest() for text in pages.values()}


def _staged(docs: Path, kept: Path, pages: dict[str, str]) -> None:
    staging = write_docs.Staging(docs, kept=kept)
    for relative, content in pages.items():
        staging.put(relative, content)
    staging.commit()


def test_a_fresh_checkout_links_the_kept_pages_and_writes_only_new_ones(tmp_path, monkeypatch):
    """CI builds in a fresh checkout (no generated page in docs/): the cache's pages are linked, not written."""
    kept = tmp_path / "cache" / "pages"
    _staged(tmp_path / "first" / "docs", kept, _pages("v1"))
    assert _kept(kept) == _digests(_pages("v1"))   # every page, by digest
    written = []
    real_write = write_docs._write
    monkeypatch.setattr(write_docs, "_write", lambda path, data: (written.append(path.name), real_write(path, data)))
    fresh = tmp_path / "fresh" / "docs"
    _staged(fresh, kept, {**_pages("v1"), "reports/r1.md": "# v2 1\n"})
    assert [name for name in written if not name.startswith(".")] == ["r1.md"] and _versions(fresh) == {"v1", "v2"}
    page = fresh / "reports" / "r0.md"
    assert page.read_text() == "# v1 0\n"
    assert any(os.path.samestat(page.stat(), p.stat()) for p in kept.rglob("*") if p.is_file())   # a link to the kept one
    assert time.time() - page.stat().st_mtime < 60   # new in this docs/: `mkdocs serve --dirty` renders it
    assert _kept(kept) == _digests({**_pages("v1"), "reports/r1.md": "# v2 1\n"})   # the old r1 is gone


def test_a_damaged_kept_page_is_never_used_and_is_replaced(tmp_path):
    kept = tmp_path / "cache" / "pages"
    _staged(tmp_path / "first" / "docs", kept, _pages("v1"))
    for path in kept.rglob("*"):
        if path.is_file():
            path.unlink()   # the build's own docs/ keeps its link: only the kept file is damaged
            path.write_text("# damaged\n")
    fresh = tmp_path / "fresh" / "docs"
    _staged(fresh, kept, _pages("v1"))
    assert _versions(fresh) == {"v1"}
    assert {p.read_text() for p in kept.rglob("*") if p.is_file()} == set(_pages("v1").values())
