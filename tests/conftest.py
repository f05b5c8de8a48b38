"""Shared test set-up: paths, the whole-corpus fixture, and the golden-file update flag."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/*.json from the current pipeline output (review the diff!)")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs real headless Chromium against the built site")
    # A build takes the site's address from the environment (build_corpus/publishing.py), and GitHub
    # Actions always sets GITHUB_REPOSITORY: the tests build as a local build does, and those that
    # need an address (tests/test_browser.py, tests/test_readers.py) set it themselves.
    for name in ("SITE_REPOSITORY", "GITHUB_REPOSITORY", "SITE_URL"):
        os.environ.pop(name, None)


@pytest.fixture(scope="session")
def corpus():
    """The bundled sources through the whole pipeline, once per test session."""
    from build_corpus.pipeline import build_corpus, find_sources
    return build_corpus(find_sources(SOURCES)[0], ROOT)


@pytest.fixture(scope="session")
def reports(corpus):
    """Work reports by id."""
    return {d.id: d for d in corpus.reports}


# --- the browser, one per session for every browser test module -------------------

# Debian's chromium here and in CI; CHROMIUM_PATH or another system Chromium elsewhere (e.g. a
# GitHub runner's image). Never a browser downloaded by Playwright.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH") or next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
INSTALL_CHROMIUM = ("Debian's Chromium is not installed at /usr/bin/chromium. Install it with "
                    "`apt-get install -y chromium fonts-noto-cjk` (or run `make test`, which does); "
                    "Playwright only drives it and downloads no browser.")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(INSTALL_CHROMIUM, pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright's Python package is missing: `pip install -e '.[test]'` (or `make test`)", pytrace=False)
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as err:   # a broken install fails the same way as a missing one
            pytest.fail(f"{INSTALL_CHROMIUM}\nLaunching it failed: {err}", pytrace=False)
        yield browser
        browser.close()


# --- a small corpus published in sub-sites, built once per session ---------------------------

# Zhejiang's reports (its cities, 桐乡市 over two years, 濮院镇 in a listing), three other provinces and
# two of the State Council's: four sub-sites beside the main site, every kind of link between them.
SPLIT_SOURCES = ("*tongxiang*", "*huzhou*", "*jiaxing*", "*shaoxing*", "2026_zhejiang*", "2026_sichuan*",
                 "2026_hainan*", "2026_guangdong*", "2024_national*", "2025_national*")


@pytest.fixture(scope="session")
def split_site(tmp_path_factory):
    """`build-corpus build --split always` and `mkdocs build --strict` on SPLIT_SOURCES, as CI builds for
    Pages (the address /gov-work-reports/); the project's folder (its site/ is the merged site)."""
    import subprocess
    import sys

    from project_copy import copy_project
    project = copy_project(tmp_path_factory.mktemp("split-project"), inputs=("glossary", "annotations"))
    (project / "sources").mkdir()
    for pattern in SPLIT_SOURCES:
        for source in SOURCES.glob(pattern):
            shutil.copy2(source, project / "sources" / source.name)
    env = {**os.environ, "SITE_REPOSITORY": "example/gov-work-reports", "SITE_URL": "", "NO_MKDOCS_2_WARNING": "1"}
    for cmd in (["build_corpus", "build", "--split", "always"], ["mkdocs", "build", "--strict"]):
        done = subprocess.run([sys.executable, "-m", *cmd], cwd=project, capture_output=True, text=True, timeout=600, env=env)
        if done.returncode:
            pytest.fail(f"`{' '.join(cmd)}` failed (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}",
                        pytrace=False)
    return project
