"""Shared test set-up: paths, the whole-corpus fixture, and the golden-file update flag."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*.json from the current pipeline output (review the diff!)")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs real headless Chromium against the built site")


@pytest.fixture(scope="session")
def corpus():
    """The bundled sources through the whole pipeline, once per test session."""
    from build_corpus.pipeline import build_corpus, find_sources
    return build_corpus(find_sources(SOURCES)[0], ROOT)


@pytest.fixture(scope="session")
def reports(corpus):
    """Work reports by id."""
    return {d.id: d for d in corpus.reports}
