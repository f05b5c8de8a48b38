"""Sub-sites as MkDocs projects, built side by side by Material's projects plugin and merged into one site.

`build-corpus build` writes a split corpus (corpus/subsites.py) as the main site's pages in docs/ and
each province's under `docs/.projects/<slug>/` (`placed`, `finish_projects`): its `docs/` and an `mkdocs.yml` that inherits the main
one (INHERIT) and names only what a path relative to it must say (theme overrides, hooks). MkDocs
ignores docs/.projects in the main site (a dot-folder); the projects plugin (mkdocs.yml: `projects_dir`)
builds each sub-site in a process of its own into `site/<slug>/` before the main site, and hoists
Material's own assets to the main site (each sub-site would otherwise carry a copy). The hooks then:

- in a sub-site (`adapt_subsite_config`): the main site's nav, stylesheets and scripts, as addresses
  one folder up (`../places.html`); the logo leads to the main site's home; links to pages of the main
  site or of another sub-site (which MkDocs cannot see from here) are not reported as missing (at DEBUG:
  MkDocs looks for a page the link may have meant only above it, and 10,000 reports have ~170,000 such
  links; tests/test_subsites.py checks every link of a built split site instead);
- in the main site: the same for its links into the sub-sites; search_index.merge_indexes makes the one
  index every sub-site's search box reads, and a sub-site whose pages and build did not change since
  its last build (its digest) is not built again (`up_to_date`).

The projects plugin is Material 9.8.1's (`material/plugins/projects`, deprecated upstream and pinned here
like the search parser): it builds every project it finds each time, so the hooks hide the up-to-date ones
from it (`skip_projects`).
"""
from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import shutil
import threading
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import SimpleNamespace

from ..pages.front_matter import read_front_matter
from ..urls import PROJECTS_FOLDER as PROJECTS  # under docs/: the sub-sites' projects (mkdocs.yml: projects_dir)
from ..urls import subsite_of

SUBSITE_KEY = "build_corpus_subsite"   # in a sub-site's `extra`: its slug
DIGEST = ".build-digest"               # in docs/.projects/<slug>/ (what it is built from) and its state (what it was)
MAIN_SHARE = "_main"                   # the main site's state; its digest is docs/.projects/_main.build-digest

log = logging.getLogger("mkdocs.hooks.build_corpus")


# --- written by `build-corpus build` ---------------------------------------------------------

def placed(path: str) -> str:
    """Where a page of the site goes under docs/: a sub-site's `<slug>/x` into its project,
    `.projects/<slug>/docs/x` (urls.subsite_of knows this build's sub-sites)."""
    slug = subsite_of(path)
    return f"{PROJECTS}/{slug}/docs/{path[len(slug) + 1:]}" if slug else path


def finish_projects(staging, subsites: dict[str, str], docs: Path, address: str = "") -> None:
    """Each sub-site's mkdocs.yml, and the digests of what each part of the site is built from: its
    pages (their SHA-256s, from the staging area), the build environment and the site's address (it is
    in the pages: canonical links, sitemap). A part whose digest did not change is not built again."""
    if not subsites:
        return
    environment = build_environment(docs) + address
    digests = staging.digests()

    def digest_of_pages(wanted) -> bytes:
        digest = hashlib.sha256(environment.encode())
        for path in sorted(p for p in digests if wanted(p)):
            digest.update(f"{path}\0{digests[path]}\n".encode())
        return digest.hexdigest().encode()

    for slug, province in subsites.items():
        staging.put(f"{PROJECTS}/{slug}/mkdocs.yml", subsite_config(slug, province).encode())
        staging.put(f"{PROJECTS}/{slug}/{DIGEST}", digest_of_pages(lambda p, own=f"{PROJECTS}/{slug}/docs/": p.startswith(own)))
    # The main site's own pages (its Markdown: its static files, downloads and data, are copied every
    # build): a change to a report that no main page shows leaves them as they were, and they are not
    # rendered again either.
    staging.put(f"{PROJECTS}/{MAIN_SHARE}{DIGEST}",
                digest_of_pages(lambda p: p.endswith(".md") and not p.startswith(PROJECTS + "/")))


def subsite_config(slug: str, province: str) -> str:
    """A sub-site's mkdocs.yml: the main one, and what a path relative to this file must say."""
    return "\n".join([
        f"# {province}的报告：build-corpus build 生成（build_corpus/renderer/subsites.py），勿手改。",
        "INHERIT: ../../../mkdocs.yml",
        "theme:",
        "  custom_dir: ../../overrides",
        "hooks:",
        "  - ../../../build_corpus/renderer/mkdocs_hooks.py",
        "  - ../../../build_corpus/renderer/reader_hooks.py",
        "extra:",
        f"  {SUBSITE_KEY}: {slug}",
        ""])


def build_environment(docs: Path) -> str:
    """What every sub-site is built with besides its pages: the main mkdocs.yml (beside docs/), the theme
    overrides and assets, the hooks' code and the versions of the packages that render pages. A change to
    any of them rebuilds every sub-site (and every page of it: renderer/kept_pages.py)."""
    digest = hashlib.sha256()
    config = docs.parent / "mkdocs.yml"
    digest.update(config.read_bytes() if config.is_file() else b"")
    for folder in (docs / "overrides", docs / "assets", Path(__file__).parent):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    for package in RENDERING_PACKAGES:
        digest.update(f"{package} {_version_of(package)}\n".encode())
    return digest.hexdigest()


RENDERING_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "jinja2", "pymdown-extensions")


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


# --- read by the hooks ------------------------------------------------------------------------

def subsite_slug(config) -> str | None:
    """The slug of the sub-site this build is, None for the main site."""
    return (config.extra or {}).get(SUBSITE_KEY)


def projects(docs_dir: str | Path) -> list[str]:
    """The sub-sites `build-corpus build` wrote (none for a site in one piece)."""
    folder = Path(docs_dir) / PROJECTS
    return sorted(p.parent.name for p in folder.glob("*/mkdocs.yml")) if folder.is_dir() else []


def up_one(url: str) -> str:
    """An address of the main site as a sub-site page reaches it.

    >>> up_one("assets/extra.css"), up_one("places.md"), up_one("https://x.org/a.js")
    ('../assets/extra.css', '../places.html', 'https://x.org/a.js')
    """
    if "://" in url or url.startswith(("/", "#")):
        return url
    return "../" + (url[:-len(".md")] + ".html" if url.endswith(".md") else url)


def adapt_subsite_config(config, slug: str) -> None:
    """A sub-site is part of the main site: its nav, stylesheets, scripts and logo are the main site's
    (one folder up), with the sub-site's own first page added to the nav."""
    from mkdocs.config.config_options import ExtraScriptValue

    def nav(items):
        out = []
        for item in items:
            if isinstance(item, dict):
                out.append({title: nav(value) if isinstance(value, list) else up_one(value) for title, value in item.items()})
            else:
                out.append(up_one(item))
        return out

    config.nav = [*nav(config.nav or []), {_subsite_title(config): "index.md"}]
    config.extra_css = [up_one(url) for url in config.extra_css]
    config.extra_javascript = [ExtraScriptValue(up_one(str(s.path)), type=s.type, defer=s.defer, async_=s.async_)
                               if isinstance(s, ExtraScriptValue) else up_one(str(s)) for s in config.extra_javascript]
    extra = config.extra
    extra["polyfills"] = [up_one(url) for url in extra.get("polyfills", [])]
    extra["homepage"] = "../index.html"
    extra["main_root"] = "../"   # the main site's pages a template links to (the full results page)
    config.validation.nav.not_found = logging.DEBUG         # the nav's pages are the main site's
    config.validation.links.not_found = logging.DEBUG       # and so are most links' targets


def _subsite_title(config) -> str:
    """The sub-site's own nav entry: its province, as its first page's title says (index.md's front matter)."""
    index = Path(config.docs_dir) / "index.md"
    title = (read_front_matter(index.read_text(encoding="utf-8")) or {}).get("title") if index.is_file() else None
    return title if isinstance(title, str) and title else "本省报告"


def main_project(config) -> Path:
    """The main site's folder (its mkdocs.yml's), from the main site's config or a sub-site's."""
    here = Path(config.config_file_path).resolve().parent
    return here.parents[2] if subsite_slug(config) else here   # <main>/docs/.projects/<slug>/


def state_folder(main: Path, name: str) -> Path:
    """What a sub-site's last build left outside the published site: its pages, the digest of what they
    were built from and its share of the search index (`_main`: the main site's share). CI keeps it
    with the per-source cache (.cache/)."""
    return main / STATE / name


STATE = ".cache/subsites"


def digest_of(folder: Path) -> str | None:
    path = folder / DIGEST
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


def main_up_to_date(main: Path, docs_dir: str | Path) -> bool:
    """The main site's own pages and build did not change since its last build, which its state kept."""
    digest = digest_of_file(Path(docs_dir) / PROJECTS / f"{MAIN_SHARE}{DIGEST}")
    state = state_folder(main, MAIN_SHARE)
    return bool(digest) and digest == digest_of(state) and (state / BUILT).is_dir() and (state / "partial").is_dir()


def digest_of_file(path: Path) -> str | None:
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


# What a build writes again even when it keeps a site's pages (the theme's own templates, the search
# configuration, the merged sitemap): restored as copies, not links to the kept build.
REWRITTEN = ("404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "search/search_index.js")


def keep_main(main: Path, site_dir: str | Path, copied: set[str], docs_dir: str | Path) -> None:
    """After the main site's build: its rendered pages into its state, with their digest. Not the
    sub-sites', not what MkDocs copied (`copied`: static files and theme assets, copied every build, so
    that a file gone from docs/ is gone from the site), not the index (merged every build)."""
    folder = state_folder(main, MAIN_SHARE)
    site = Path(site_dir)
    target = folder / BUILT
    if target.exists():
        shutil.rmtree(target)
    slugs = set(projects(Path(docs_dir)))
    for path in site.rglob("*"):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or relative in copied or relative.split("/", 1)[0] in slugs \
                or relative.startswith("search/idx-"):
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(path, target / relative)
    digest = digest_of_file(Path(docs_dir) / PROJECTS / f"{MAIN_SHARE}{DIGEST}")
    if digest:
        (folder / DIGEST).write_text(digest + "\n", encoding="utf-8")


def restore_main_templates(main: Path, site_dir: str | Path) -> None:
    """The theme's own pages as the main site's kept build had them: with no page to render, MkDocs wrote
    a 404 page whose nav knows no page and a sitemap with no address (before the sub-sites' are merged in)."""
    kept = state_folder(main, MAIN_SHARE) / BUILT
    for name in ("404.html", "sitemap.xml", "sitemap.xml.gz"):
        if (kept / name).is_file():
            (Path(site_dir) / name).unlink(missing_ok=True)
            shutil.copy2(kept / name, Path(site_dir) / name)


def restore_main(main: Path, site_dir: str | Path) -> None:
    """The main site's last build back into site/ (beside the sub-sites), its rewritten files as copies."""
    site = Path(site_dir)
    kept = state_folder(main, MAIN_SHARE) / BUILT
    for entry in kept.iterdir():
        if entry.is_dir():
            _copy_tree(entry, site / entry.name)
        else:
            link_or_copy(entry, site / entry.name)
    for name in REWRITTEN:
        path = site / name
        if path.is_file():
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)


def up_to_date(main: Path) -> set[str]:
    """The sub-sites not to build again: built last from the same pages with the same code, their built
    pages and their share of the index kept in their state."""
    docs = main / "docs" / PROJECTS
    return {slug for slug in projects(main / "docs")
            if (digest := digest_of(docs / slug)) and digest == digest_of(state_folder(main, slug))
            and (state_folder(main, slug) / BUILT).is_dir() and (state_folder(main, slug) / "partial").is_dir()}


BUILT = "site"   # in a sub-site's state: its last build's pages, as site/<slug>/ had them


def keep_built(main: Path, slug: str, site_dir: str | Path) -> None:
    """After a sub-site's build: its pages into its state (hard links: no second copy on the disk), and
    the digest of what they were built from."""
    folder = state_folder(main, slug)
    _copy_tree(Path(site_dir), folder / BUILT)
    digest = digest_of(main / "docs" / PROJECTS / slug)
    if digest:
        (folder / DIGEST).write_text(digest + "\n", encoding="utf-8")


def restore_built(main: Path, slug: str, site_dir: str | Path) -> None:
    """An up-to-date sub-site's pages back into site/<slug>/ from its state."""
    _copy_tree(state_folder(main, slug) / BUILT, Path(site_dir) / slug)


def forget_built(main: Path, slug: str) -> None:
    """Before a sub-site's build: if it fails halfway, its old state must not pass for its new one."""
    (state_folder(main, slug) / DIGEST).unlink(missing_ok=True)


def _copy_tree(source: Path, target: Path) -> None:
    """`target` made a copy of `source`, each file a hard link where the file system allows."""
    if target.exists():
        shutil.rmtree(target)
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)


def link_or_copy(source: Path, target: Path) -> None:
    """`target` the same file as `source` (a hard link), or a copy where the file system has none."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def clean_site(site_dir: str | Path) -> None:
    """What MkDocs' own cleaning did (the projects plugin turns it off, so that the sub-sites it has just
    built survive the main site's build): site/ emptied."""
    site = Path(site_dir)
    if not site.is_dir():
        return
    for entry in site.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def merge_sitemaps(site_dir: str | Path, slugs: list[str]) -> int:
    """One sitemap for the one site: every sub-site's pages added to the main site's sitemap.xml (and
    its .gz), the sub-sites' own removed. Their addresses are absolute already (each sub-site's
    site_url is the main one's and its folder). The number of addresses added."""
    site = Path(site_dir)
    main = site / "sitemap.xml"
    if not main.is_file():
        return 0
    entries = []
    for slug in slugs:
        own = site / slug / "sitemap.xml"
        if own.is_file():
            text = own.read_text(encoding="utf-8")
            entries += re.findall(r"<url>.*?</url>", text, re.S)
            own.unlink()
        (site / slug / "sitemap.xml.gz").unlink(missing_ok=True)
    text = main.read_text(encoding="utf-8")
    at = text.rindex("</urlset>")
    merged = text[:at] + "".join(f"{entry}\n" for entry in entries) + text[at:]
    for path, data in ((main, merged.encode("utf-8")), (site / "sitemap.xml.gz", gzip.compress(merged.encode("utf-8"), mtime=0))):
        path.unlink(missing_ok=True)   # maybe a link to the main site's kept build: not changed there
        path.write_bytes(data)
    return len(entries)


SITE_JOBS_ENV = "BUILD_CORPUS_SITE_JOBS"   # sub-sites built at once (default: the machine's cores)


def _projects_plugin(config):
    """Material's projects plugin in this build's configuration (None: not enabled)."""
    return config.plugins.get("material/projects") or config.plugins.get("projects")


def list_projects_lightly(config) -> None:
    """Before the projects plugin's on_config, which reads every sub-site's configuration only to write
    a manifest of their slugs and paths (~0.3 s at 31 sub-sites, every build): its builder made here,
    listing them from their folders alone; `skip_projects` then lists the sub-sites to build, read."""
    plugin = _projects_plugin(config)
    if plugin is None or not plugin.config.enabled or getattr(plugin, "builder", None) is not None:
        return
    from material.plugins.projects.builder import ProjectsBuilder
    plugin.builder = ProjectsBuilder(config, plugin.config)
    # What the plugin's on_config sets before it makes its builder, and the sub-sites inherit from the
    # builder's root (without it, each took itself for the top-level project: no assets hoisted).
    plugin.builder.root.plugin.projects_root_dir = os.path.dirname(config.config_file_path)
    folder = Path(config.config_file_path).parent / plugin.config.projects_dir

    def listed():
        for path in sorted(folder.glob("*/mkdocs.yml")):
            yield SimpleNamespace(project=SimpleNamespace(slug=f".{path.parent.name}",
                                                          config=SimpleNamespace(config_file_path=str(path))))
    plugin.builder.root.jobs = listed


def skip_projects(config, keep: set[str]) -> None:
    """Hide the up-to-date sub-sites from the projects plugin, which builds every project it finds, and
    let it build as many at once as there are cores (its default leaves one for the main site, which
    only starts once they are all built)."""
    plugin = _projects_plugin(config)
    builder = getattr(plugin, "builder", None)
    if builder is None:
        return
    builder.root.plugin.concurrency = max(1, int(os.environ.get(SITE_JOBS_ENV) or os.cpu_count() or 1))
    root = builder.root

    def stale_jobs():
        """The plugin's own listing (Project.jobs) without the up-to-date sub-sites, whose configuration it
        would read for nothing (~0.3 s at 31 sub-sites): sub-sites hold no projects of their own."""
        from material.plugins.projects.structure import Project, ProjectJob
        folder = Path(root.config.config_file_path).parent / root.plugin.projects_dir
        found = []
        for config in sorted(folder.glob("*/mkdocs.yml")):
            if config.parent.name not in keep:
                project = Project(str(config), root.plugin, f".{config.parent.name}")
                found.append(ProjectJob(project, []))
        return found
    builder.root.jobs = stale_jobs


def build_projects_beside(config) -> Callable[[], None] | None:
    """Have the projects plugin's on_pre_build start the sub-sites' builds in a thread rather than wait
    for them there, so the main site's own work (its files listed, its static files copied, its theme
    pages) runs meanwhile; the returned wait joins them (before the index is merged), raising what their
    build raised. Only when the main site renders no page: its helpers fork, and a fork with a thread
    running is not safe. None if there is no projects plugin."""
    plugin = _projects_plugin(config)
    builder = getattr(plugin, "builder", None)
    if builder is None:
        return None
    build, outcome = builder.build, {}

    def run(*args, **kwargs):
        try:
            build(*args, **kwargs)
        except BaseException as err:   # raised again by wait(), in MkDocs' own thread
            outcome["error"] = err

    def start(*args, **kwargs):
        outcome["thread"] = threading.Thread(target=run, args=args, kwargs=kwargs, name="sub-sites")
        outcome["thread"].start()

    def wait() -> None:
        builder.__dict__.pop("build", None)   # the plugin's own method again, for a next build (mkdocs serve)
        if "thread" in outcome:
            outcome.pop("thread").join()
        if "error" in outcome:
            raise outcome.pop("error")

    builder.build = start
    return wait

