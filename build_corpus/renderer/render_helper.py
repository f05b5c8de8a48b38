"""Forked copies of MkDocs take a share of its two page loops: the Markdown, then the templates.

MkDocs builds in one process: it converts every page's Markdown, then renders every page's theme
template, one page after another. At 1,000 reports that was ~55 s and ~13 s of CPU, while the
second core ran only the search indexer (mkdocs_hooks.py) and sat idle for much of the build.
Here a helper, a forked copy of the MkDocs process, works through every n-th page in MkDocs' order
and sends one result per page; when MkDocs' own loop reaches such a page it takes the result:

- the Markdown helper, forked once the pages are known (`on_nav`), renders every MARKDOWN_SHARE-th
  page exactly as MkDocs' _populate_page does (read, `on_page_markdown`, `Page.render`) and sends
  what rendering fills in: the HTML, the table of contents, the title, the anchors and links for
  MkDocs' anchor check. `on_pre_page` gives those pages a `render` that takes the result.
- the template helper, forked once every page's Markdown is rendered (`on_env`), renders every
  TEMPLATE_SHARE-th page's theme template exactly as MkDocs' _build_page does (context,
  `on_page_context`, template) and sends the page's HTML; MkDocs' environment then gives those
  pages a template whose `render` is that HTML. MkDocs still runs `on_post_page` and writes the file.

Every log record a helper's work makes is sent too and logged here, so `--strict` counts a warning
as before. A result is used only if it was made from exactly what MkDocs now holds for the page
(its Markdown; its HTML content); otherwise, or if a helper failed or died, MkDocs does the page
itself, as it always did. No helper starts where a fork could copy another thread's lock (`mkdocs
serve`, whose preview rebuilds render few pages anyway), nor off Linux (processes.can_fork says why).
Everything here depends on MkDocs 1.6's build loop (mkdocs/commands/build.py: _populate_page,
_build_page) and Page.render, pinned in pyproject.
"""
from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from mkdocs.commands.build import get_context
from mkdocs.structure.pages import Page

from ..processes import can_fork, name_process, widen_pipe

MARKDOWN_SHARE = 3   # every third page's Markdown: with the indexer, that keeps the second core busy
TEMPLATE_SHARE = 2   # every other page's template: MkDocs still runs on_post_page and writes all of them
OFF_ENV = "BUILD_CORPUS_NO_RENDER_HELPER"   # set: MkDocs does every page itself (the tests compare the two)
WAIT_SECONDS = 120   # no page takes a second; a helper this late is stuck, and MkDocs goes on without it
log = logging.getLogger("mkdocs.hooks.build_corpus")


@dataclass
class Result:
    """One page's result from a helper, in a form that crosses a process boundary."""
    uri: str
    made_from: str = ""   # digest of what it was made from: the page's Markdown, or its HTML content
    records: list[tuple[str, int, str]] = field(default_factory=list)   # (logger, level, message)
    error: str = ""


@dataclass
class Rendered(Result):
    """What Page.render fills in."""
    content: str = ""
    toc: object = None
    title: str | None = None
    anchors: set[str] = field(default_factory=set)
    links_to_anchors: dict[str, dict[str, str]] | None = None   # by the linked file's src_uri


@dataclass
class Built(Result):
    """The page's HTML from its theme template, before on_post_page."""
    html: str = ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Helper:
    """A forked copy of MkDocs working through its pages in MkDocs' order; each result is asked for once."""

    def __init__(self, name: str, uris: list[str], work: Callable[[str], Result]):
        self.name = name
        self.uris = set(uris)
        self.claimed: set[str] = set()
        self.waiting: dict[str, Result] = {}
        self.done = False
        self.used = 0
        context = multiprocessing.get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        widen_pipe(sending.fileno())   # the helper may run a few pages ahead of MkDocs
        self.process = context.Process(target=_work_through, args=(uris, work, sending, PROCESS_NAMES.get(name, "bc-helper")),
                                       name=name, daemon=True)
        self.process.start()
        sending.close()

    def claim(self, page: Page) -> bool:
        """True once for each of the helper's pages (while it runs): MkDocs takes its result for this page."""
        uri = page.file.src_uri
        if self.done or uri not in self.uris or uri in self.claimed:
            return False
        self.claimed.add(uri)
        return True

    def result(self, uri: str) -> Result | None:
        """This page's result, reading the helper's results in order until it comes; None if it never will."""
        while uri not in self.waiting and not self.done:
            try:
                if not self.receiving.poll(WAIT_SECONDS):
                    self._stop(f"the {self.name} sent nothing for {WAIT_SECONDS} s; MkDocs does the rest itself")
                    break
                item = self.receiving.recv()
            except (EOFError, OSError):
                self._stop(f"the {self.name} stopped (exit code {self.process.exitcode}); MkDocs does the rest itself")
                break
            self.waiting[item.uri] = item
        return self.waiting.pop(uri, None)

    def usable(self, done: Result | None, digest: str) -> bool:
        """A result made from what MkDocs now holds for the page; re-logs its records."""
        if done is not None and done.error:
            log.info("%s: %s: %s; MkDocs does it itself", self.name, done.uri, done.error.splitlines()[-1])
        if done is None or done.error or done.made_from != digest:
            return False
        self.used += 1
        for name, level, message in done.records:
            logging.getLogger(name).log(level, message)
        return True

    def finish(self) -> None:
        """After MkDocs' loop: the helper has sent everything, or is stopped."""
        log.debug("%s: did %d of its %d pages", self.name, self.used, len(self.uris))
        self._stop("")

    def _stop(self, why: str) -> None:
        if why:
            log.info(why)
        self.done = True
        self.receiving.close()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _share(doc_files, every: int) -> list[str]:
    """Every `every`-th of the pages MkDocs builds, in its order (drafts, which MkDocs marks while
    building, excepted)."""
    return [f.src_uri for n, f in enumerate(doc_files) if n % every == every - 1 and not f.inclusion.is_excluded()]


def _enabled() -> bool:
    return can_fork() and not os.environ.get(OFF_ENV)


# --- Markdown: MkDocs' first loop ---------------------------------------------------

def start_markdown_helper(config, files, inclusion) -> Helper | None:
    """Fork the Markdown helper (at on_nav); None where helpers are off."""
    uris = _share(files.documentation_pages(inclusion=inclusion), MARKDOWN_SHARE) if _enabled() else []
    return Helper("render helper", uris, _render_markdown(config, files)) if uris else None


def _render_markdown(config, files) -> Callable[[str], Rendered]:
    def work(uri: str) -> Rendered:
        file = files.get_file_from_path(uri)
        page = file.page if file.page is not None else Page(None, file, config)
        config._current_page = page
        try:
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            page.render(config, files)
            return Rendered(uri, made_from=_digest(page.markdown), content=page.content, toc=page.toc,
                            title=page._title_from_render, anchors=set(page.present_anchor_ids or ()),
                            links_to_anchors=None if page.links_to_anchors is None else
                            {f.src_uri: links for f, links in page.links_to_anchors.items()})
        finally:
            config._current_page = None
    return work


def render_from(helper: Helper, page: Page):
    """A `render` for this page that takes the helper's result, or renders as MkDocs does."""
    def render(config, files) -> None:
        del page.render   # back to Page.render
        done = helper.result(page.file.src_uri)
        if page.markdown is None or not helper.usable(done, _digest(page.markdown)):
            page.render(config, files)
            return
        page.content = done.content
        page.toc = done.toc
        page._title_from_render = done.title
        page.present_anchor_ids = done.anchors
        if done.links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in done.links_to_anchors.items()}
    return render


# --- templates: MkDocs' second loop -------------------------------------------------

def start_template_helper(config, files, nav, env, inclusion) -> Helper | None:
    """Fork the template helper (at on_env, every page's Markdown rendered); None where helpers are off."""
    if not _enabled() or nav is None:
        return None
    doc_files = files.documentation_pages(inclusion=inclusion)
    uris = _share(doc_files, TEMPLATE_SHARE)
    if not uris:
        return None
    return Helper("template helper", uris, _render_template(config, files, nav, env, doc_files))


def _render_template(config, files, nav, env, doc_files) -> Callable[[str], Built]:
    def work(uri: str) -> Built:
        page = files.get_file_from_path(uri).page
        config._current_page = page
        page.active = True
        try:
            context = get_context(nav, doc_files, config, page)
            template = env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            return Built(uri, made_from=_digest(page.content or ""), html=template.render(context))
        finally:
            page.active = False
            config._current_page = None
    return work


def templates_from(helper: Helper, config, get_template):
    """`env.get_template` for MkDocs' page loop: a helper page's template is its finished HTML."""
    def get(name, *args, **kwargs):
        page = config._current_page
        if page is not None and helper.claim(page):
            return _Finished(helper, page, lambda: get_template(name, *args, **kwargs))
        return get_template(name, *args, **kwargs)
    return get


class _Finished:
    """Stands in for a page's template in MkDocs' _build_page: render() is the helper's HTML."""

    def __init__(self, helper: Helper, page: Page, template):
        self.helper, self.page, self.template = helper, page, template

    def render(self, context) -> str:
        done = self.helper.result(self.page.file.src_uri)
        if not self.helper.usable(done, _digest(self.page.content or "")):
            return self.template().render(context)
        return done.html


# --- in the forked copy -------------------------------------------------------------

class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


PROCESS_NAMES = {"render helper": "bc-markdown", "template helper": "bc-templates"}   # processes.name_process


def _work_through(uris: list[str], work: Callable[[str], Result], sending, process_name: str = "bc-helper") -> None:
    """Do each page's work, send its result. Never returns normally: os._exit skips the exit
    handlers the copy inherited (they belong to MkDocs' process)."""
    name_process(process_name)
    try:
        collect = _Collect()
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.handlers = [collect]
        mkdocs_log.propagate = False
        for uri in uris:
            collect.records = []
            try:
                result = work(uri)
                result.records = collect.records
            except Exception:
                result = Result(uri, error=traceback.format_exc())
            sending.send(result)
        sending.close()
    except BaseException:   # the pipe closed (MkDocs stopped): nothing to tell
        pass
    finally:
        os._exit(0)
