"""MkDocs hooks (mkdocs.yml `hooks:`): Material's search box over a sharded index of our own, and
the second core put to work.

Material's search plugin puts every page's text, segmented with jieba, into one index that a
reader's browser downloads whole before the first query (12.5 MB at 100 reports, ~100 MB at
1,000), and segmenting every page with jieba was about a quarter of the site build. Instead:

- `on_pre_build` takes the build lock for as long as MkDocs reads docs/ (until `on_post_build`), so
  a `build-corpus build` never swaps pages under it, and finishes an interrupted one (write.py), so
  MkDocs never renders a half-swapped docs/; under `build-corpus serve` it first re-runs the pipeline
  when sources/, glossary/ or annotations/ changed, so a contributor's edit shows on the next reload.
- `on_nav` starts the Markdown helper (render_helper.py), a forked copy of MkDocs that renders every
  third page's Markdown while MkDocs renders the others; `on_pre_page` gives those pages the
  helper's result. `on_env` (right after MkDocs' Markdown loop) ends it and starts the template
  helper, which renders every other page's theme template while MkDocs renders the rest; the
  environment's `get_template` gives those pages the helper's HTML. `on_post_build` ends it.
- `on_page_content` (before Material's plugin sees the page) hands each page's HTML to a second process
  (search_index.BackgroundIndexer), which splits it into sections with Material's own HTML
  parser (same sections, same locations, `data-search-exclude` honoured; fed by a faster tokenizer
  that skips the bodies of excluded sections, search_index.py says when) and indexes them while
  MkDocs renders the next pages; the page is then marked excluded, so Material's plugin neither
  segments it nor puts it in search_index.json.
- `on_post_build`, after Material wrote its (now empty) search_index.json and before the
  offline plugin inlines it, writes the postings shards, records the index's folder in the
  index's `config.shards`, and replaces the built search worker with search_worker.js, which
  speaks Material's worker protocol. Lunr is no longer loaded, so its files are removed.

Material 9.8.1 is pinned: its parser is an internal class and its worker protocol is not
documented; an upgrade that moves either fails the build or tests/test_browser.py's searches.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import InclusionLevel

from build_corpus.pages.write import JOURNAL, LOCK, STAGING, finish_interrupted_swap, hold_lock
from build_corpus.renderer.preview import PREVIEW_ENV, preview_rebuild
from build_corpus.renderer.render_helper import Helper, render_from, start_markdown_helper, start_template_helper, templates_from
from build_corpus.renderer.search_index import WORKER_JS, BackgroundIndexer, SearchIndexError

log = logging.getLogger("mkdocs.hooks.build_corpus")

WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"

_indexer: BackgroundIndexer | None = None
_preview_inputs: dict = {}   # build-corpus serve: the inputs' fingerprint at the last pipeline run
_dirty = False               # `mkdocs serve --dirty` (build-corpus serve): only changed pages are rendered
_last_shards: dict | None = None   # the search index a dirty rebuild keeps (it sees only the changed pages)
_helper: Helper | None = None   # renders a share of the pages' Markdown, then of their templates, in a second process
_nav = None                     # this build's navigation, for the template helper
_docs_lock: int | None = None   # the build lock's file, held (shared) while MkDocs reads docs/


def on_startup(command, dirty, **_):
    global _dirty
    _dirty = dirty


def on_pre_build(config, **_):
    """First finish a `build-corpus build` that was interrupted mid-swap, so MkDocs reads whole pages;
    under `build-corpus serve`, first re-run the pipeline if an input changed."""
    global _indexer, _preview_inputs
    if PREVIEW_ENV in os.environ:
        _preview_inputs = preview_rebuild(_preview_inputs)
    _hold_docs(Path(config["docs_dir"]))
    # A dirty rebuild renders only the changed pages: it keeps the search index of the first build.
    _indexer = None if _dirty and _last_shards else BackgroundIndexer(Path(config["site_dir"]) / "search")


def _hold_docs(docs: Path) -> None:
    """Take the build lock (pages/write.py) for as long as MkDocs reads docs/ (pages, then the static
    files it copies after on_env): a `build-corpus build` swapping pages in meanwhile waits, and this
    build waits for one in progress. Exclusive while it finishes an interrupted swap, then shared, so
    that several readers may read at once. A docs/ no one can write (a read-only checkout) needs none."""
    global _docs_lock
    _release_docs()
    try:
        fd = os.open(docs / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        if (docs / JOURNAL).exists() or (docs / STAGING).exists():
            raise PluginError(f"{docs}/: 上次构建未完成，但无法写入以完成它 / an interrupted build left a swap to finish, "
                              f"but docs/ cannot be written: {err.strerror}") from None
        return
    _docs_lock = fd
    hold_lock(fd, docs)
    if (docs / JOURNAL).exists() or (docs / STAGING).exists():
        finish_interrupted_swap(docs)
    fcntl.flock(fd, fcntl.LOCK_SH)


def _release_docs() -> None:
    global _docs_lock
    if _docs_lock is not None:
        os.close(_docs_lock)
        _docs_lock = None


def on_nav(nav, config, files, **_):
    """The pages are known: start the Markdown helper on its share of them (not for a preview)."""
    global _helper, _nav
    _nav = nav
    if _helpers_wanted():
        _helper = start_markdown_helper(config, files, InclusionLevel.is_included)
    return nav


def _helpers_wanted() -> bool:
    return not _dirty and PREVIEW_ENV not in os.environ


def on_pre_page(page, config, files, **_):
    if _helper is not None and _helper.claim(page):
        page.render = render_from(_helper, page)
    return page


@event_priority(-100)   # after every other on_env (reader_hooks' filter): the helper copies the finished environment
def on_env(env, config, files, **_):
    """Every page's Markdown is rendered (MkDocs calls this right after its loop): the Markdown helper
    is done; the template helper starts on its share of the pages' templates."""
    global _helper
    _end_helper()
    if _helpers_wanted():
        _helper = start_template_helper(config, files, _nav, env, InclusionLevel.is_included)
        if _helper is not None:
            env.get_template = templates_from(_helper, config, env.get_template)
    return env


def _end_helper() -> None:
    global _helper
    if _helper is not None:
        _helper.finish()
        _helper = None


@event_priority(-100)   # after any other plugin's changes to the HTML: the index sees the page as built
def on_page_content(html, page, config, **_):
    """Hand the page to the indexer as soon as its Markdown is rendered, so indexing runs while MkDocs
    renders the other pages' Markdown (it used to wait for the templates phase, and MkDocs then
    waited for it); mark it excluded before Material's search plugin sees it (on_page_context)."""
    search = page.meta.get("search") or {}
    if _indexer is not None and not search.get("exclude"):
        _indexer.add(page.url, str(page.meta.get("title", page.title)), html, float(search.get("boost", 1.0)))
    page.meta["search"] = {**search, "exclude": True}
    return html


def on_build_error(error, **_):
    global _indexer, _nav
    _nav = None
    if _indexer is not None:
        _indexer.stop()
        _indexer = None
    _end_helper()
    _release_docs()


@event_priority(-50)   # after Material wrote search_index.json (0), before offline inlines it (-100)
def on_post_build(config, **_):
    global _indexer, _last_shards, _nav
    _end_helper()   # MkDocs' page loop is over
    _release_docs()   # and it has copied docs/' static files: docs/ is read
    _nav = None
    site = Path(config["site_dir"])
    index_file = site / "search" / "search_index.json"
    if not index_file.exists():
        raise SearchIndexError(f"{index_file} is missing: is Material's search plugin enabled in mkdocs.yml?")
    index = json.loads(index_file.read_text(encoding="utf-8"))
    if _indexer is None:
        if _last_shards:   # a dirty preview rebuild: point Material's new index file at the kept shards
            index["config"]["shards"] = _last_shards
            index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            _replace_worker(site)
        return
    summary, _indexer = _indexer.finish(), None
    _last_shards = {"folder": summary.folder, "count": summary.shards, "docs": summary.docs}
    index["config"]["shards"] = _last_shards
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _replace_worker(site)
    log.info("search: %d sections in %d chunks, %d keys in %d shards, %.1f MB (%s)", summary.docs,
             summary.chunks, summary.keys, summary.shards, summary.bytes / 1e6, summary.folder)


def _replace_worker(site: Path) -> None:
    workers = sorted(site.glob(WORKER_GLOB))
    if len(workers) != 1:
        raise SearchIndexError(f"expected one search worker matching {WORKER_GLOB} in {site}, found {len(workers)}")
    worker = workers[0]
    worker.write_bytes(WORKER_JS.read_bytes())
    worker.with_name(worker.name + ".map").unlink(missing_ok=True)
    shutil.rmtree(site / "assets" / "javascripts" / "lunr", ignore_errors=True)
