"""A sub-site built again page by page: a page made from the same inputs as at its last build is not
rendered again; its last build's HTML is published, and its search sections are indexed as they were.

MkDocs renders every page of a project. A warm CI build after one report changed rendered every other
report of its province again (Zhejiang's 331 at 1,000 reports: ~9 s, most of a warm build). What a
page's HTML is made of, all in its key (`page_keys`):

- its Markdown file (front matter included), its path and address;
- the build environment: the main mkdocs.yml and the sub-site's, the theme overrides and assets, the
  hooks' code, the versions of the packages that render (subsites.build_environment);
- the site's address and repository (canonical links, the edit button) and the nav (every page shows it);
- the names of all of the sub-site's files: a link to a file that is gone renders differently.

Its search sections, its anchors and the anchors it links to (MkDocs checks those after every page is
rendered) are kept with it, so a kept page is indexed and checked as a rendered one. A page that logged
a warning is not kept: its next build renders it again, and says it again. What a build kept is
written only once it is complete, after its pages (subsites.keep_built); the record of the previous
one is deleted when a build starts, so a build that fails halfway leaves nothing to trust.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from .search_index import SearchDoc
from .subsites import BUILT, build_environment

RECORD = "pages.pickle"   # in a sub-site's state folder (subsites.state_folder), beside its built pages
VERSION = 1               # of the record's format


@dataclass
class KeptPage:
    """What a page's last build made, beyond its HTML (kept in the state's built site)."""
    key: str                                   # page_keys: the digest of everything the page is made of
    dest_uri: str
    html_digest: str                           # SHA-256 of the published HTML: a damaged copy is not used
    title_from_render: str | None
    anchors: set[str] | None                   # Page.present_anchor_ids
    links_to_anchors: dict[str, dict[str, str]] | None   # Page.links_to_anchors, by the linked file's src_uri
    search: list[SearchDoc]                    # its sections as the indexer took them (none: not searched)


def page_keys(files, config, main: Path) -> dict[str, str]:
    """Every Markdown page's key (src_uri → hex digest): what its HTML is made of (the module says what)."""
    common = hashlib.sha256()
    config_file = Path(config.config_file_path)
    nav = json.dumps(config.nav, ensure_ascii=False, sort_keys=True, default=str)
    for part in (build_environment(main / "docs"), config_file.read_text(encoding="utf-8"), config.site_url or "",
                 config.repo_url or "", nav, "\n".join(sorted(f.src_uri for f in files))):
        data = part.encode("utf-8")
        common.update(len(data).to_bytes(8, "big") + data)
    keys = {}
    for f in files.documentation_pages():
        digest = common.copy()
        digest.update(f"{f.src_uri}\0{f.dest_uri}\0".encode())
        digest.update(Path(f.abs_src_path).read_bytes())
        keys[f.src_uri] = digest.hexdigest()
    return keys


def usable(records: dict[str, KeptPage], keys: dict[str, str], state: Path) -> dict[str, str]:
    """The pages not to render again (src_uri → their HTML): same key as at their last build, and the
    HTML that build published, intact, in its state."""
    found = {}
    for src_uri, key in keys.items():
        record = records.get(src_uri)
        if record is None or record.key != key:
            continue
        try:
            data = (state / BUILT / record.dest_uri).read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == record.html_digest:
            found[src_uri] = data.decode("utf-8")
    return found


def load(state: Path) -> dict[str, KeptPage]:
    """The last complete build's records; none if there are none or they cannot be read. Deleted from
    the state as they are read: a build that fails from here on leaves none."""
    path = state / RECORD
    try:
        with path.open("rb") as f:
            version, records = pickle.load(f)
    except FileNotFoundError:
        return {}
    except Exception:   # truncated, another format, not ours: a full build
        version, records = None, {}
    path.unlink(missing_ok=True)
    return records if version == VERSION and isinstance(records, dict) else {}


def save(state: Path, records: dict[str, KeptPage]) -> None:
    path = state / RECORD
    tmp = path.with_name(f".{RECORD}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as f:
            pickle.dump((VERSION, records), f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:   # a full disk: the next build renders every page, as the first one did
        tmp.unlink(missing_ok=True)


def restore_render(page, record: KeptPage, files):
    """Page.render for a kept page: what its last render left on the page, without converting its
    Markdown (nothing shows its content: the template is not rendered either, `KeptTemplate`)."""
    def render(config, files_=None) -> None:
        page.content = ""
        page._title_from_render = record.title_from_render
        page.present_anchor_ids = set(record.anchors) if record.anchors is not None else None
        if record.links_to_anchors is not None:
            page.links_to_anchors = {target: dict(links) for src_uri, links in record.links_to_anchors.items()
                                     if (target := files.get_file_from_path(src_uri)) is not None}
    return render


def record_of(page, key: str, search: list[SearchDoc], html: bytes) -> KeptPage:
    """A rendered page's record, once its HTML is final (after every on_post_page)."""
    links = page.links_to_anchors
    return KeptPage(key, page.file.dest_uri, hashlib.sha256(html).hexdigest(), page._title_from_render,
                    set(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
                    {f.src_uri: dict(anchors) for f, anchors in links.items()} if links is not None else None, search)


class KeptTemplate:
    """Stands in for a kept page's template in MkDocs' _build_page: its output is replaced by the last
    build's HTML after every other plugin's on_post_page (mkdocs_hooks.on_post_page)."""
    PLACEHOLDER = "<!-- kept -->"

    def render(self, context) -> str:
        return self.PLACEHOLDER


class Warnings(logging.Handler):
    """Which pages logged a warning or an error during this build (None: outside any page)."""

    def __init__(self, config):
        super().__init__(logging.WARNING)
        self.config, self.pages = config, set()

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.config, "_current_page", None)
        self.pages.add(page.file.src_uri if page is not None else None)

