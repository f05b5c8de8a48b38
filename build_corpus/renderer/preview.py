"""`build-corpus serve`: MkDocs' live-reloading server, with the pipeline re-run when a file in
sources/, glossary/ or annotations/ changes. A thread watches those folders and writes docs/; MkDocs
watches only docs/, so a save reloads the page once (when MkDocs watched the inputs too, the
pipeline's own writes made it build and reload a second time). The pipeline writes only the pages
whose content changed, so MkDocs' dirty rebuild renders only those.

A contributor's mistake shows in the page itself, not only in the terminal: while the inputs have
problems, the home page and the pages of the files at fault (glossary/x.yml → terms/x.md,
annotations/<id>.yml and sidecars → the report) open with the list of them.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # the hook imports this module on every `mkdocs build`: the pipeline only when it runs
    from ..pipeline import Settings

PREVIEW_ENV = "BUILD_CORPUS_PREVIEW"   # the settings, from the command to the hook (same process)


class ServeError(Exception):
    """The preview cannot start: one line for the user."""


def serve(settings: Settings, docs: Path, dev_addr: str) -> int:
    """MkDocs' server on `dev_addr`, whose port is tried first: MkDocs binds it only after the whole
    build, and then stopped with a traceback when another program had it."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    free_address(dev_addr)
    os.environ[PREVIEW_ENV] = json.dumps({**{k: v if not isinstance(v, Path) else str(v)
                                             for k, v in asdict(settings).items()}, "docs": str(docs)})
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _show_mkdocs_log()
    print(f"预览 / preview: http://{dev_addr}/ （保存 sources/、glossary/、annotations/ 中的文件后自动更新；Ctrl-C 结束）",
          file=sys.stderr, flush=True)
    threading.Thread(target=_watch_inputs, name="preview-inputs", daemon=True).start()
    _wait_for_whole_writes()
    try:
        mkdocs_serve(config_file="mkdocs.yml", livereload=True, build_type="dirty", dev_addr=dev_addr)
    except OSError as err:   # the port was taken while the first build ran
        raise ServeError(_busy(dev_addr, err)) from None
    return 0


# MkDocs builds once file events have stopped for 0.1 s. The pipeline's write of docs/ stages every
# page in docs/.build-staging before the swap (pages/write.py), which on a busy machine pauses longer
# than that: MkDocs built the half-written state, then again. Events inside the write's own dot-folders
# (.build-staging, .build-previous, the lock and journal) are not changes to the site; the swap's are.
# Nor is a file opened or closed unwritten (watchdog reports reads on Linux): MkDocs reads mkdocs.yml on
# every build, and Material's projects plugin, which watches it, then scheduled a second build and reload.
# Nor a change of a file's metadata alone (watchdog 7 reports it as `attrib`): a read that updates its
# access time, a hard link the write makes to a page it keeps; such an event on mkdocs.yml, while the
# pipeline wrote docs/, started a build before the swap, and a second came after it.
BUILD_DELAY_S = 0.4
WRITE_FOLDERS = "/.build"
NOT_CHANGES = frozenset({"opened", "closed_no_write", "attrib"})


def _wait_for_whole_writes() -> None:
    from mkdocs import livereload
    init = livereload.LiveReloadServer.__init__

    def patient(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.build_delay = max(self.build_delay, BUILD_DELAY_S)
        schedule = self.observer.schedule

        def schedule_site_changes(handler, path, **options):
            on_any_event = handler.on_any_event

            def site_change(event):
                where = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
                if event.event_type in NOT_CHANGES or all(WRITE_FOLDERS in p or not p for p in where):
                    return
                on_any_event(event)
            handler.on_any_event = site_change
            return schedule(handler, path, **options)
        self.observer.schedule = schedule_site_changes
    livereload.LiveReloadServer.__init__ = patient


def free_address(dev_addr: str) -> None:
    """Raise ServeError unless `host:port` can be listened on now."""
    import socket
    host, _, port = dev_addr.rpartition(":")
    try:
        number = int(port)
        family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as MkDocs' server binds it
            probe.bind((host.strip("[]"), number))
    except ValueError:
        raise ServeError(f"--dev-addr {dev_addr}: 应为 主机:端口 / expected host:port, e.g. 127.0.0.1:8000") from None
    except OSError as err:
        raise ServeError(_busy(dev_addr, err)) from None


def _busy(dev_addr: str, err: OSError) -> str:
    return (f"--dev-addr {dev_addr}: 无法监听（端口已被占用或地址无效），请换一个端口，如 --dev-addr 127.0.0.1:8001 / "
            f"cannot listen: {err.strerror or err}; choose another port")


class _DirtyBuildNotice(logging.Filter):
    """MkDocs warns on every dirty build that links may be stale; the preview builds dirty on purpose
    (the pipeline rewrites every page whose links changed), so the warning says nothing here. Nor does
    the list of pages left out of the nav on purpose (indicators, comparisons), printed on every save."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "'dirty' build" not in message and 'not included in the "nav" configuration' not in message


def _show_mkdocs_log() -> None:
    """MkDocs' own messages (its address, each build), as its command line shows them."""
    log = logging.getLogger("mkdocs")
    if not any(isinstance(h, logging.StreamHandler) for h in log.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler.addFilter(_DirtyBuildNotice())
        log.addHandler(handler)
    log.setLevel(logging.INFO)


_lock = threading.Lock()
_last: dict = {}    # the inputs' fingerprint at the last pipeline run


def _watch_inputs(interval: float = 0.3) -> None:
    """Run the pipeline once the inputs have changed and then stayed the same for one look: a file
    caught half-written (an editor's truncate, then write) would be built twice, and reloaded twice."""
    seen = None
    while True:
        time.sleep(interval)
        try:
            settings, _ = _settings()
            now = _fingerprint([settings.sources, settings.glossary, settings.annotations])
            if now == _last or now != seen:
                seen = now
                continue
            preview_rebuild()
        except Exception as error:   # a failed run is reported; the preview keeps serving the last pages
            print(f"预览更新失败 / preview update failed: {error}", file=sys.stderr, flush=True)


def _settings():
    """The pipeline's settings and docs/ folder, as `build-corpus serve` passed them on."""
    from ..pipeline import Settings
    saved = json.loads(os.environ[PREVIEW_ENV])
    paths = {f.name for f in fields(Settings) if f.name in ("sources", "glossary", "annotations", "root", "cache")}
    settings = Settings(**{k: Path(v) if k in paths and v is not None else v for k, v in saved.items() if k != "docs"})
    return settings, Path(saved["docs"])


def preview_rebuild(_unused: dict | None = None) -> dict:
    """Re-run the pipeline and write docs/ when an input file changed since the last run, and print its
    problems (and put them on the pages concerned). Called by the watching thread and by the MkDocs
    hook before each build (the first one runs the pipeline). Returns the inputs' fingerprint."""
    global _last
    from ..cli import report_problems
    from ..pages.write import build_lock
    from ..pipeline import build, write_site
    settings, docs = _settings()
    with _lock:
        fingerprint = _fingerprint([settings.sources, settings.glossary, settings.annotations])
        if fingerprint == _last:
            return _last
        with build_lock(docs):
            result = build(settings)
            show_problems(result.site.pages, [p for p in result.problems if p.severity != "notice"])
            write_site(result.site, docs)
        report_problems(result.problems, strict=False)
        _last = fingerprint
        return fingerprint


def show_problems(pages: dict[str, str], problems: list) -> None:
    """Open the home page, and the page of each file at fault, with the problems (preview only)."""
    if not problems:
        return
    from ..safe_text import md_escape
    block = ['!!! failure "预览：输入文件有问题（修正后本提示消失，问题同时打印在终端）"', ""]
    block += [f"    - {md_escape(str(p))}" for p in problems[:50]]
    text = "\n".join(block) + "\n\n"
    wanted = {"index.md"}
    for problem in problems:
        name = Path(problem.path).name
        stem = name.removesuffix(".meta.yml").removesuffix(".yml")
        wanted.update({f"terms/{stem}.md", f"reports/{stem}.md"})
    for page in wanted & pages.keys():
        body = pages[page]
        end = body.find("\n---\n", 4) + 5 if body.startswith("---\n") else 0
        pages[page] = body[:end] + text + body[end:]


def _fingerprint(folders: list[Path]) -> dict:
    """Name, size and time of every file in the input folders: what a rebuild depends on."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else ():
            try:
                stat = path.stat()
            except OSError:
                continue
            found[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return found
