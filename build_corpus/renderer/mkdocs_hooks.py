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

A large corpus is built as a main site and sub-sites (renderer/subsites.py), each by its own MkDocs
in a process of Material's projects plugin, before the main site (or, when the main site's pages are
unchanged, while it copies its files: subsites.build_projects_beside). Then:

- a sub-site renders without the helpers (the other sub-site being built takes the second core),
  indexes in its own process, and leaves its share of the index with its state (.cache/subsites/);
- the main site empties site/ (the projects plugin turns MkDocs' own cleaning off) and puts back
  the sub-sites that need no new build (kept in their state), which the plugin then skips; at the
  end it merges its own share and every sub-site's into the one index (index_merge.py: what changed since the last merge),
  which every sub-site's search box reads: the index's locations are the main site's, and each
  sub-site's search_index.json says how far up the main site is (`root`).
- report pages' text is not in the index (the query side reads it from the page, over http).

Material 9.8.1 is pinned: its parser is an internal class and its worker protocol is not
documented; an upgrade that moves either fails the build or tests/test_browser.py's searches.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import types
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel

from build_corpus.pages.write import JOURNAL, LOCK, STAGING, finish_interrupted_swap, hold_lock
from build_corpus.processes import name_process
from build_corpus.renderer import index_merge, kept_pages, subsites
from build_corpus.renderer.preview import PREVIEW_ENV, preview_rebuild
from build_corpus.renderer.render_helper import Helper, render_from, start_markdown_helper, start_template_helper, templates_from
from build_corpus.renderer.search_index import (
    PARTIAL,
    WORKER_JS,
    BackgroundIndexer,
    InlineIndexer,
    SearchIndexError,
    page_documents,
)

log = logging.getLogger("mkdocs.hooks.build_corpus")

WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"
MERGED = "_index"   # the state folder of the last merge of the search index (index_merge.py)

_indexer: BackgroundIndexer | None = None
_preview_inputs: dict = {}   # build-corpus serve: the inputs' fingerprint at the last pipeline run
_dirty = False               # `mkdocs serve --dirty` (build-corpus serve): only changed pages are rendered
_serving = False             # `mkdocs serve` (build-corpus serve)
_last_shards: dict | None = None   # the search index a dirty rebuild keeps (it sees only the changed pages)
_helper: Helper | None = None   # renders a share of the pages' Markdown, then of their templates, in a second process
_nav = None                     # this build's navigation, for the template helper
_subsite: str | None = None     # this build is that sub-site's
_split = False                  # this build is the main site of a site in sub-sites
_main: Path | None = None       # the main site's folder (where its mkdocs.yml is)
_finished_subsite: str | None = None   # the site folder of the sub-site just built, to keep
_main_kept = False              # a split site's main pages did not change: its last build is used
_copied: set[str] = set()       # what this build copies rather than renders (on_files)
_subsites_built = None          # waits for the sub-sites being built beside the main site (subsites.build_projects_beside)
_docs_lock: int | None = None   # the build lock's file, held (shared) while MkDocs reads docs/
# A sub-site built page by page (kept_pages.py), reset by each build (a process of the projects plugin
# builds one sub-site after another):
_kept_records: dict = {}        # its last build's records, by src_uri
_page_keys: dict[str, str] = {}  # this build's keys of its pages
_kept_html: dict[str, str] = {}  # the pages not rendered again: their last build's HTML
_searched: dict[str, list] = {}  # a rendered page's search sections, until its HTML is final
_new_records: dict = {}         # this build's records, saved with its pages (on_shutdown)
_warnings: kept_pages.Warnings | None = None   # pages that logged a warning: not kept


def on_startup(command, dirty, **_):
    global _dirty, _serving
    _dirty, _serving = dirty, command == "serve"


@event_priority(50)   # before the projects plugin's (subsites.list_projects_lightly)
def on_config(config, **_):
    """A sub-site takes the main site's nav and assets; in a split site, links that leave the sub-site
    (or the main site) are not MkDocs' to find (renderer/subsites.py)."""
    global _subsite, _split, _main
    _subsite = subsites.subsite_slug(config)
    _main = subsites.main_project(config)
    if _subsite:   # a process of the projects plugin's: named for what it builds now
        name_process("bc-subsite")
    _split = not _subsite and bool(subsites.projects(config.docs_dir))
    if _subsite:
        subsites.adapt_subsite_config(config, _subsite)
    elif _split:   # links into the sub-sites (renderer/subsites.py says why DEBUG)
        config.validation.links.not_found = logging.DEBUG
        subsites.list_projects_lightly(config)
    return config


@event_priority(100)   # before the projects plugin builds the sub-sites
def on_pre_build(config, **_):
    """First finish a `build-corpus build` that was interrupted mid-swap, so MkDocs reads whole pages;
    under `build-corpus serve`, first re-run the pipeline if an input changed. Then empty site/ (keeping
    the sub-sites that need no new build) and start the indexer."""
    global _indexer, _preview_inputs, _subsites_built
    if PREVIEW_ENV in os.environ:
        _preview_inputs = preview_rebuild(_preview_inputs)
    docs = Path(config["docs_dir"])
    if not _subsite:   # (a sub-site's pages are in docs/.projects/: the main site's build holds the lock)
        _hold_docs(docs)
    if not _dirty:
        subsites.clean_site(config.site_dir)
    global _main_kept
    _main_kept = False
    if _split:   # the sub-sites whose pages and build did not change: their last build, kept aside
        kept = subsites.up_to_date(_main)
        for slug in kept:
            subsites.restore_built(_main, slug, config.site_dir)
        subsites.skip_projects(config, kept)
        _main_kept = not _dirty and subsites.main_up_to_date(_main, docs)
        if _main_kept:   # and the main site's own pages: its last build, not rendered again (on_files)
            subsites.restore_main(_main, config.site_dir)
            if not _serving:   # nothing of the main site's forks: its sub-sites build meanwhile
                _subsites_built = subsites.build_projects_beside(config)
        log.info("sub-sites: %d to build, %d unchanged since their last build; the main site's pages %s",
                 len(subsites.projects(docs)) - len(kept), len(kept), "unchanged" if _main_kept else "to build")
    # A dirty rebuild renders only the changed pages: it keeps the search index of the first build.
    if (_dirty and _last_shards) or _main_kept:
        _indexer = None
    elif _subsite:
        subsites.forget_built(_main, _subsite)
        _start_page_by_page(config)
        _indexer = InlineIndexer(subsites.state_folder(_main, _subsite), partial=True)
    elif _split:
        _indexer = BackgroundIndexer(subsites.state_folder(_main, subsites.MAIN_SHARE), partial=True)
    else:
        _indexer = BackgroundIndexer(Path(config["site_dir"]) / "search")


def _start_page_by_page(config) -> None:
    """A sub-site's build: its last build's records of its pages (kept_pages.py), and a watch for warnings."""
    global _kept_records, _page_keys, _kept_html, _searched, _new_records, _warnings
    _stop_watching()
    _page_keys, _kept_html, _searched, _new_records = {}, {}, {}, {}
    _kept_records = kept_pages.load(subsites.state_folder(_main, _subsite)) if not _dirty else {}
    _warnings = kept_pages.Warnings(config)
    logging.getLogger("mkdocs").addHandler(_warnings)


def _stop_watching() -> None:
    global _warnings
    if _warnings is not None:
        logging.getLogger("mkdocs").removeHandler(_warnings)
        _warnings = None


def on_files(files, config, **_):
    """The main site's pages are as its last build left them (on_pre_build put them back): none to
    render, its static files and assets copied as always (the theme's own templates, 404 and sitemap,
    are written again all the same). Otherwise, what is copied rather than rendered: not kept. A
    sub-site: the pages made from what their last build was made from are not rendered again."""
    global _copied, _page_keys, _kept_html
    if _subsite and not _dirty:
        _page_keys = kept_pages.page_keys(files, config, _main)
        _kept_html = kept_pages.usable(_kept_records, _page_keys, subsites.state_folder(_main, _subsite))
        log.info("%d of %d pages as their last build made them", len(_kept_html), len(_page_keys))
    _copied = {f.dest_uri for f in files if not f.is_documentation_page()}
    docs = str(Path(config.docs_dir).resolve())
    for f in files:   # the generated downloads, data scripts and stubs: linked, not copied (thousands of them)
        if not f.is_documentation_page() and f.abs_src_path and f.abs_src_path.startswith(docs) and f._content is None:
            f.copy_file = types.MethodType(_link_file, f)
    if _main_kept:
        config.validation.nav.not_found = logging.DEBUG   # the nav's pages are not rendered this time
        return Files([f for f in files if not f.is_documentation_page()])
    return files


def _link_file(file, dirty: bool = False) -> None:
    """File.copy_file for a file of docs/: a hard link where the file system allows (the build never
    writes into such a file: a new build writes new files into docs/ and swaps them in)."""
    if dirty and not file.is_modified():
        return
    target = file.abs_dest_path
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)
    try:
        os.link(file.abs_src_path, target)
    except OSError:   # another file system (mkdocs serve's temporary folder), or no hard links
        shutil.copyfile(file.abs_src_path, target)


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
    return not _dirty and PREVIEW_ENV not in os.environ and not _subsite and not _main_kept


def on_pre_page(page, config, files, **_):
    if page.file.src_uri in _kept_html:
        page.render = kept_pages.restore_render(page, _kept_records[page.file.src_uri], files)
    elif _helper is not None and _helper.claim(page):
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
    if _kept_html:
        env.get_template = _kept_templates(config, env.get_template)
    return env


def _kept_templates(config, get_template):
    """`env.get_template` for a sub-site's page loop: a kept page's template is a placeholder."""
    def get(name, *args, **kwargs):
        page = config._current_page
        if page is not None and page.file.src_uri in _kept_html:
            return kept_pages.KeptTemplate()
        return get_template(name, *args, **kwargs)
    return get


@event_priority(-100)   # after every other plugin's: the HTML as it is published
def on_post_page(output, page, config, **_):
    """A kept page: its last build's HTML. A rendered page of a sub-site: its record for the next build."""
    src_uri = page.file.src_uri
    if src_uri in _kept_html:
        _new_records[src_uri] = _kept_records[src_uri]
        return _kept_html.pop(src_uri)
    if src_uri in _searched and src_uri in _page_keys:
        _new_records[src_uri] = kept_pages.record_of(page, _page_keys[src_uri], _searched.pop(src_uri),
                                                      output.encode("utf-8", errors="xmlcharrefreplace"))
    return output


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
    src_uri = page.file.src_uri
    if src_uri in _kept_html:   # a sub-site's page not rendered again: its sections as they were
        if _indexer is not None:
            _indexer.add_documents(_kept_records[src_uri].search, kept=True)
    elif _indexer is not None and not search.get("exclude"):
        # A split site's report pages: their text stays on the page, which the query side reads.
        text_in_page = (_split or bool(_subsite)) and src_uri.startswith("reports/")
        title, boost = str(page.meta.get("title", page.title)), float(search.get("boost", 1.0))
        if _subsite:   # (indexed here: kept for the next build)
            _searched[src_uri] = page_documents(html, page.url, title, boost, text_in_page)
            last = _kept_records.get(src_uri)   # (its sections at the last build: the share is patched)
            _indexer.add_documents(_searched[src_uri], before=last.search if last is not None else None)
        else:
            _indexer.add(page.url, title, html, boost, text_in_page)
    elif _subsite:
        _searched[src_uri] = []
    page.meta["search"] = {**search, "exclude": True}
    return html


def _wait_for_subsites() -> None:
    global _subsites_built
    wait, _subsites_built = _subsites_built, None
    if wait is not None:
        wait()


def on_build_error(error, **_):
    global _indexer, _nav, _new_records
    _nav, _new_records = None, {}
    try:
        _wait_for_subsites()
    except Exception as err:   # the main site's error is the one MkDocs reports; the sub-sites' is said too
        log.error("sub-sites: %s", err)
    _stop_watching()
    if _indexer is not None:
        _indexer.stop()
        _indexer = None
    _end_helper()
    _release_docs()


@event_priority(-50)   # after Material wrote search_index.json (0), before offline inlines it (-100)
def on_post_build(config, **_):
    _end_helper()   # MkDocs' page loop is over
    try:
        _wait_for_subsites()   # their pages and shares of the index, for the merge
        _post_build(config)
    finally:
        _release_docs()   # MkDocs has copied docs/' static files, and a split site's state is kept: docs/ is read


def _post_build(config) -> None:
    global _indexer, _last_shards, _nav
    _nav = None
    site = Path(config["site_dir"])
    index_file = site / "search" / "search_index.json"
    if not index_file.exists():
        raise SearchIndexError(f"{index_file} is missing: is Material's search plugin enabled in mkdocs.yml?")
    index = json.loads(index_file.read_text(encoding="utf-8"))
    if _indexer is None and not _main_kept:
        if _last_shards:   # a dirty preview rebuild: point Material's new index file at the kept shards
            index["config"]["shards"] = _last_shards
            index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            _replace_worker(site)
        return
    summary = None
    if _indexer is not None:
        summary = _indexer.finish()
        if isinstance(_indexer, InlineIndexer):
            log.info("search: %d of %d sections indexed%s", _indexer.indexed, summary.docs,
                     "" if _indexer.indexed == summary.docs else ", the others as the last share has them")
        _indexer = None
    if _subsite:   # its share waits for the main site's build, which merges them all
        global _finished_subsite
        _finished_subsite = config.site_dir   # its pages are kept once every plugin is done (on_shutdown)
        return
    if _split:
        parts = [("", subsites.state_folder(_main, subsites.MAIN_SHARE) / PARTIAL)]
        parts += [(f"{slug}/", subsites.state_folder(_main, slug) / PARTIAL) for slug in subsites.projects(config.docs_dir)]
        summary, how = index_merge.merge_shares(site / "search", parts, subsites.state_folder(_main, MERGED))
        log.info("search: %s", how)
    _last_shards = {"folder": summary.folder, "count": summary.shards, "docs": summary.docs, "common": summary.common}
    index["config"]["shards"] = _last_shards
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    _replace_worker(site)
    if _split:   # every sub-site's search box reads the one index, one folder up; one sitemap
        slugs = subsites.projects(config.docs_dir)
        for slug in slugs:
            _point_to_index(site / slug / "search", {**_last_shards, "root": "../"})
        if _main_kept:   # the theme wrote its pages for no pages: the kept ones, again
            subsites.restore_main_templates(_main, site)
        else:
            subsites.keep_main(_main, site, _copied, config.docs_dir)
        subsites.merge_sitemaps(site, slugs)
    log.info("search: %d sections in %d chunks, %d keys in %d shards, %.1f MB (%s)", summary.docs,
             summary.chunks, summary.keys, summary.shards, summary.bytes / 1e6, summary.folder)


def on_shutdown(**_):
    """A sub-site built (the projects plugin runs this right after each build): its pages, as every
    plugin left them, kept for the next build (subsites.keep_built)."""
    global _finished_subsite, _new_records
    if _finished_subsite and _subsite and _main:
        subsites.keep_built(_main, _subsite, _finished_subsite)
        warned = _warnings.pages if _warnings is not None else {None}
        if None not in warned:   # (a warning outside any page: nothing is kept, every page is rendered again)
            kept_pages.save(subsites.state_folder(_main, _subsite),
                            {src_uri: record for src_uri, record in _new_records.items() if src_uri not in warned})
    _finished_subsite, _new_records = None, {}
    _stop_watching()


def _point_to_index(search: Path, shards: dict) -> None:
    """A sub-site's search_index.json (and the offline plugin's copy of it) reading the main site's index."""
    index_file = search / "search_index.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    index["config"]["shards"] = shards
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    for path, text in ((index_file, data), (search / "search_index.js", f"var __index = {data}")):
        path.unlink(missing_ok=True)   # a link to the sub-site's kept build (subsites.keep_built): not changed there
        path.write_text(text, encoding="utf-8")


def _replace_worker(site: Path) -> None:
    workers = sorted(site.glob(WORKER_GLOB))
    if len(workers) != 1:
        raise SearchIndexError(f"expected one search worker matching {WORKER_GLOB} in {site}, found {len(workers)}")
    worker = workers[0]
    worker.write_bytes(WORKER_JS.read_bytes())
    worker.with_name(worker.name + ".map").unlink(missing_ok=True)
    shutil.rmtree(site / "assets" / "javascripts" / "lunr", ignore_errors=True)
