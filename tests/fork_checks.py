"""processes.beside: the page steps in two processes, with the same pages as in one.

Not collected by the test suite itself (its name does not start with test_): a fork is refused while
other threads run, and the suite's browser tests keep threads alive, so tests/test_batch.py runs
this file with pytest in a fresh process."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from build_corpus import pipeline
from build_corpus.contributions.curation import load_curated
from build_corpus.pipeline import build_site
from build_corpus.processes import BesideError, beside, can_fork

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def forking():
    if not can_fork():
        pytest.skip("processes.can_fork: not on this platform")


def test_the_second_runs_in_another_process_and_both_results_come_back(forking):
    here, there = beside(lambda: ("here", os.getpid()), lambda: ("there", os.getpid(), {"页": "内容" * 1000}))
    assert here == ("here", os.getpid())
    assert there[0] == "there" and there[1] != os.getpid() and there[2] == {"页": "内容" * 1000}


def test_what_the_second_changes_stays_in_its_copy(forking):
    state = {"n": 1}

    def change() -> int:
        state["n"] += 10
        return state["n"]

    assert beside(lambda: state["n"], change) == (1, 11)
    assert state == {"n": 1}


def test_an_error_in_the_second_is_raised_here_with_its_traceback(forking):
    def fails():
        raise ValueError("坏了")

    with pytest.raises(BesideError, match="ValueError: 坏了"):
        beside(lambda: 1, fails)


def test_a_second_process_that_dies_is_an_error_not_a_hang(forking):
    with pytest.raises(BesideError, match="exit code 3"):
        beside(lambda: 1, lambda: os._exit(3))


def test_an_error_here_stops_the_second_process(forking):
    event = threading.Event()

    def fails():
        raise KeyError("here")

    with pytest.raises(KeyError):
        beside(fails, lambda: event.wait(600))


def test_page_steps_in_two_processes_make_the_same_pages_and_files(corpus, forking, monkeypatch):
    monkeypatch.setattr(pipeline, "SITE_JOBS_FROM", 0)   # the bundled corpus is below it
    curated = load_curated(ROOT / "glossary")[0]
    one, two = build_site(corpus, curated), build_site(corpus, curated, jobs=2)
    assert two.jobs == 2
    assert list(two.pages) == list(one.pages) and two.pages == one.pages
    assert two.files == one.files


# --- process_sources: workers forked after what they share is loaded ---------------------------

_loaded: list[int] = []   # pids of the processes that ran _load


def _load() -> None:
    _loaded.append(os.getpid())


def _seen_by_worker(path: Path):
    from build_corpus.model import Source
    return Source(path=path.name, encoding=f"{os.getpid()}:{_loaded}"), []


def test_workers_share_what_was_loaded_before_they_were_forked(forking, tmp_path):
    from build_corpus.batch import process_sources
    paths = [tmp_path / f"{i}.txt" for i in range(6)]
    for path in paths:
        path.write_text("x", encoding="utf-8")
    results = list(process_sources(paths, tmp_path, None, 2, 1 << 20, _seen_by_worker, before_fork=_load))
    assert _loaded == [os.getpid()]   # once, here
    assert all(source.encoding.split(":")[0] != str(os.getpid()) for source, _ in results)   # run in workers
    assert {source.encoding.split(":")[1] for source, _ in results} == {f"[{os.getpid()}]"}
    _loaded.clear()
    list(process_sources(paths, tmp_path, None, 1, 1 << 20, _seen_by_worker, before_fork=_load))
    assert _loaded == []   # nothing forked, nothing to share
