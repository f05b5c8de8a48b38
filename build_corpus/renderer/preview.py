"""`build-corpus serve`: MkDocs' live-reloading server, whose every rebuild first re-runs the
pipeline when a file in sources/, glossary/ or annotations/ changed (MkDocs itself watches only
docs/). The pipeline writes only the pages whose content changed, so MkDocs' dirty rebuild
renders only those."""
from __future__ import annotations

import json
import os
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
    watched = [str(p) for p in (settings.sources, settings.glossary, settings.annotations) if p.is_dir()]
    try:
        mkdocs_serve(config_file="mkdocs.yml", livereload=True, build_type="dirty", watch=watched, dev_addr=dev_addr)
    except OSError as err:   # the port was taken while the first build ran
        raise ServeError(_busy(dev_addr, err)) from None
    return 0


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


def preview_rebuild(last: dict) -> dict:
    """Called by the MkDocs hook before each preview build: re-run the pipeline and write docs/ when
    an input file changed since `last` (a fingerprint), and print its problems. Returns the new one."""
    from ..cli import report_problems
    from ..pages.write import build_lock
    from ..pipeline import Settings, build, write_site
    saved = json.loads(os.environ[PREVIEW_ENV])
    paths = {f.name for f in fields(Settings) if f.name in ("sources", "glossary", "annotations", "root", "cache")}
    settings = Settings(**{k: Path(v) if k in paths and v is not None else v for k, v in saved.items() if k != "docs"})
    fingerprint = _fingerprint([settings.sources, settings.glossary, settings.annotations])
    if fingerprint == last:
        return last
    docs = Path(saved["docs"])
    with build_lock(docs):
        result = build(settings)
        write_site(result.site, docs)
    report_problems(result.problems, strict=False)
    return fingerprint


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
