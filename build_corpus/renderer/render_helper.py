"""A second process renders a share of the pages' Markdown while MkDocs renders the rest.

MkDocs converts every page's Markdown in one process, one page after another; at 1,000 reports
that was ~55 s of CPU, most of the build, while the second core ran only the search indexer
(mkdocs_hooks.py) and sat idle for half the build. Here a forked copy of the MkDocs process,
started once the pages are known (`on_nav`), renders every SHARE-th page exactly as MkDocs would
(read, `on_page_markdown`, `Page.render`) and sends back what rendering fills in: the HTML, the
table of contents, the title, the anchors and links for MkDocs' anchor check, and every log
record, which is then logged here, so `--strict` counts a warning as before. When MkDocs' own
loop reaches such a page, `on_pre_page` gives it a `render` that takes the finished result.

A result is used only if it was rendered from exactly the Markdown MkDocs now holds for the page;
otherwise, or if the helper failed or died, MkDocs renders the page itself, as it always did. The
helper is not started where a fork could copy another thread's lock (`mkdocs serve`, whose
preview rebuilds render few pages anyway), nor off Linux (batch.can_fork says why). Everything here depends on MkDocs
1.6's build loop (mkdocs/commands/build.py: _populate_page) and Page.render, pinned in pyproject.
"""
from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import traceback
from dataclasses import dataclass, field

from mkdocs.structure.pages import Page

from ..batch import can_fork

SHARE = 3          # the helper renders every third page: with the indexer it then keeps the second core busy
OFF_ENV = "BUILD_CORPUS_NO_RENDER_HELPER"   # set: MkDocs renders every page itself (the tests compare the two)
WAIT_SECONDS = 120  # no page takes a second; a helper this late is stuck, and MkDocs goes on without it
log = logging.getLogger("mkdocs.hooks.build_corpus")


@dataclass
class Rendered:
    """What Page.render fills in, in a form that crosses a process boundary."""
    uri: str
    markdown_digest: str = ""
    content: str = ""
    toc: object = None
    title: str | None = None
    anchors: set[str] = field(default_factory=set)
    links_to_anchors: dict[str, dict[str, str]] | None = None   # by the linked file's src_uri
    records: list[tuple[str, int, str]] = field(default_factory=list)   # (logger, level, message)
    error: str = ""


def _digest(markdown: str) -> str:
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


class RenderHelper:
    """The forked renderer: started with the pages in MkDocs' order, asked for each of its pages in turn."""

    def __init__(self, uris: list[str], config, files):
        self.uris = set(uris)
        self.waiting: dict[str, Rendered] = {}
        self.done = False
        self.used = 0
        context = multiprocessing.get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        self.process = context.Process(target=_render_share, args=(uris, config, files, sending),
                                       name="render-helper", daemon=True)
        self.process.start()
        sending.close()

    @classmethod
    def start(cls, config, files, inclusion) -> RenderHelper | None:
        if not can_fork() or os.environ.get(OFF_ENV):
            return None
        uris = [f.src_uri for n, f in enumerate(files.documentation_pages(inclusion=inclusion)) if n % SHARE == SHARE - 1]
        return cls(uris, config, files) if uris else None

    def takes(self, page: Page) -> bool:
        return page.file.src_uri in self.uris and not self.done

    def result(self, uri: str) -> Rendered | None:
        """This page's result, reading the helper's results in order until it comes; None if it never will."""
        while uri not in self.waiting and not self.done:
            try:
                if not self.receiving.poll(WAIT_SECONDS):
                    self._stop(f"the render helper sent nothing for {WAIT_SECONDS} s; MkDocs renders the rest")
                    break
                item = self.receiving.recv()
            except (EOFError, OSError):
                self._stop(f"the render helper stopped (exit code {self.process.exitcode}); MkDocs renders the rest")
                break
            self.waiting[item.uri] = item
        return self.waiting.pop(uri, None)

    def finish(self) -> None:
        """After MkDocs' loop: the helper has sent everything, or is stopped."""
        log.debug("render helper: rendered %d of its %d pages", self.used, len(self.uris))
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


def render_from(helper: RenderHelper, page: Page):
    """A `render` for this page that takes the helper's result, or renders as MkDocs does."""
    def render(config, files) -> None:
        del page.render   # back to Page.render
        done = helper.result(page.file.src_uri)
        if done is None or done.error or page.markdown is None or done.markdown_digest != _digest(page.markdown):
            if done is not None and done.error:
                log.info("render helper: %s: %s; MkDocs renders it", page.file.src_uri, done.error.splitlines()[-1])
            page.render(config, files)
            return
        helper.used += 1
        for name, level, message in done.records:
            logging.getLogger(name).log(level, message)
        page.content = done.content
        page.toc = done.toc
        page._title_from_render = done.title
        page.present_anchor_ids = done.anchors
        if done.links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in done.links_to_anchors.items()}
    return render


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _render_share(uris: list[str], config, files, sending) -> None:
    """In the forked copy: render each page as _populate_page does, send the result. Never returns
    normally: os._exit skips the exit handlers the copy inherited (they belong to MkDocs' process)."""
    try:
        collect = _Collect()
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.handlers = [collect]
        mkdocs_log.propagate = False
        for uri in uris:
            collect.records = []
            result = Rendered(uri)
            try:
                file = files.get_file_from_path(uri)
                page = file.page if file.page is not None else Page(None, file, config)
                config._current_page = page
                page.read_source(config)
                page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
                page.render(config, files)
                result.markdown_digest = _digest(page.markdown)
                result.content, result.toc, result.title = page.content, page.toc, page._title_from_render
                result.anchors = set(page.present_anchor_ids or ())
                if page.links_to_anchors is not None:
                    result.links_to_anchors = {f.src_uri: links for f, links in page.links_to_anchors.items()}
                result.records = collect.records
            except Exception:
                result = Rendered(uri, error=traceback.format_exc())
            finally:
                config._current_page = None
            sending.send(result)
        sending.close()
    except BaseException:   # the pipe closed (MkDocs stopped): nothing to tell
        pass
    finally:
        os._exit(0)
