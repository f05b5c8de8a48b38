"""Offline bundle: the built site as one zip that works when opened from file://.

    check     pages fetch nothing from outside the site,   find_external_resources
              and everything they fetch is there           find_missing_resources
    collect   site files, sorted, minus what only a server
              or DevTools uses (404.html, sitemaps, .map)  site_files
    write     fixed timestamps and modes                   make_bundle

The zip holds one folder, `<name>-offline/`: the site itself plus `打开我.html`
(redirects to index.html) and `README.txt`. Everything the pages load must be
inside it, because a reader may open it with no network at all:

- Material's offline plugin inlines the search index (search/search_index.js);
- its search worker cannot start from file:// without the iframe-worker shim,
  which the plugin would load from unpkg.com — mkdocs.yml lists our vendored
  copy (docs/assets/javascripts/iframe-worker-shim.js, from tools/offline-shim/)
  under `extra.polyfills`, and then the plugin adds no CDN script;
- `theme.font: false` keeps Google Fonts out.

Before zipping, every page and stylesheet is read for what the browser would
fetch on opening it (scripts, styles, icons, fonts, preconnects): a change to
mkdocs.yml that brings a CDN back, drops the offline plugin or points at a file
that is not there fails the bundle with a BundleError saying what to change,
instead of shipping a zip whose search is silently dead. tests/test_browser.py
checks the same in Chromium, request by request.

The zip is reproducible: entries sorted by path, every timestamp fixed
(SOURCE_DATE_EPOCH if set, else 1980-01-01), fixed permissions and
compression level. Only the file name carries the date.
"""
from __future__ import annotations

import datetime as dt
import html
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

# Source maps are only fetched by an open DevTools; they are a seventh of the site.
EXCLUDED_SUFFIXES = (".map",)
# Only a web server shows 404.html, and its links are absolute (/assets/…), which
# from file:// point at the root of the disk. Sitemaps are for crawlers.
EXCLUDED_FILES = ("404.html", "sitemap.xml", "sitemap.xml.gz")

# Tags whose URL the browser fetches by itself when the page loads (a plain
# <a href> is only followed on a click, so links out are fine).
_FETCHING_TAG = re.compile(
    r"""<(?P<tag>script|img|iframe|source|audio|video|embed|link)\b(?P<attrs>[^>]*)>""", re.I)
_URL_ATTR = re.compile(r"""\b(?P<name>src|href|srcset)\s*=\s*(?P<q>["']?)(?P<url>[^"'\s>]+)(?P=q)""", re.I)
_REL_ATTR = re.compile(r"""\brel\s*=\s*["']?(?P<rel>[^"'>]+)""", re.I)
# <link rel=…> values that make the browser connect or fetch.
_FETCHING_RELS = {"stylesheet", "preconnect", "preload", "prefetch", "modulepreload", "dns-prefetch",
                  "icon", "shortcut", "apple-touch-icon", "manifest"}
# Lower-case and not part of a longer name, so scripts' `new URL(".."…)` is not taken for CSS.
_CSS_URL = re.compile(r"""(?:(?<![\w$.])url\(\s*["']?|@import\s+["'])(?P<url>[^"')\s]+)""")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_NOT_A_FILE = re.compile(r"^(?:data|blob|about|javascript|mailto):|^#", re.I)

OPEN_ME = "打开我.html"
README = "README.txt"

_OPEN_ME_HTML = """<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=index.html">
<title>{title}</title>
</head>
<body>
<p>正在打开 <a href="index.html">{title}</a>……如果没有自动跳转，请点击链接。</p>
</body>
</html>
"""

_README_TXT = """{title}（离线版）

用浏览器打开本文件夹中的“打开我.html”（或 index.html）即可阅读。
不需要网络，也不需要安装任何软件：页面、名词解释提示框和全文搜索都在本机运行。
请先把整个压缩包解压，再打开；直接在压缩包里打开页面，链接和搜索都无法使用。

Offline edition: unzip the whole archive, then open 打开我.html (or index.html)
in a browser. Everything, search included, works from the local files with no
network access.
"""


class BundleError(ValueError):
    """The built site cannot be bundled as it is (the message says what to change)."""


@dataclass(frozen=True)
class Resource:
    """A URL that a page (or stylesheet) of the site fetches as soon as it is opened."""
    file: str     # path inside the site
    url: str

    def __str__(self) -> str:
        return f"{self.file}: {self.url}"


def find_external_resources(site_dir: Path) -> list[Resource]:
    """Every script, stylesheet, image, font or connection a page would request outside the site."""
    found: list[Resource] = []
    for path, url in _fetched_urls(site_dir):
        if _REMOTE.match(url):
            found.append(Resource(path.relative_to(site_dir).as_posix(), url))
    return found


def find_missing_resources(site_dir: Path) -> list[Resource]:
    """Local files a page or stylesheet refers to (scripts, styles, images) that the site does not have."""
    missing: list[Resource] = []
    for path, url in _fetched_urls(site_dir):
        if _REMOTE.match(url) or _NOT_A_FILE.match(url):
            continue
        local = unquote(url.split("#", 1)[0].split("?", 1)[0])
        target = (site_dir / local.lstrip("/")) if local.startswith("/") else (path.parent / local)
        if local and not target.resolve().is_file():
            missing.append(Resource(path.relative_to(site_dir).as_posix(), url))
    return missing


def _fetched_urls(site_dir: Path):
    for path in site_files(site_dir):
        if path.suffix not in (".html", ".css"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        urls = _fetched_urls_in_html(text) if path.suffix == ".html" else [m["url"] for m in _CSS_URL.finditer(text)]
        for url in urls:
            yield path, url


def _fetched_urls_in_html(text: str) -> list[str]:
    urls = []
    for tag in _FETCHING_TAG.finditer(text):
        attrs = tag["attrs"]
        if tag["tag"].lower() == "link":
            rel = _REL_ATTR.search(attrs)
            if not rel or not _FETCHING_RELS & set(rel["rel"].lower().split()):
                continue
        urls += [html.unescape(a["url"]) for a in _URL_ATTR.finditer(attrs)]
    urls += [m["url"] for m in _CSS_URL.finditer(text)]   # inline <style> and style=""
    return urls


def site_files(site_dir: Path) -> list[Path]:
    """The files of the built site that go into the bundle, in a fixed (sorted) order."""
    files = [p for p in site_dir.rglob("*")
             if p.is_file() and not p.name.endswith(EXCLUDED_SUFFIXES)
             and p.relative_to(site_dir).as_posix() not in EXCLUDED_FILES]
    return sorted(files, key=lambda p: p.relative_to(site_dir).as_posix())


def _check_site(site_dir: Path) -> None:
    if not site_dir.is_dir():
        raise FileNotFoundError(2, "built site not found", str(site_dir))
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(2, "built site has no index.html", str(site_dir / "index.html"))
    problems = []
    if (site_dir / "search" / "search_index.json").is_file() and not (site_dir / "search" / "search_index.js").is_file():
        problems.append("search/search_index.js 不存在：mkdocs.yml 的 plugins 需要 offline，否则离线版无法搜索"
                        " / enable the `offline` plugin in mkdocs.yml, or search cannot work from file://")
    external = find_external_resources(site_dir)
    if external:
        urls = sorted({r.url for r in external})
        files = sorted({r.file for r in external})
        problems.append(
            f"{len(files)} 个页面会从网络加载资源，离线版不能使用 / {len(files)} page(s) load resources from the network: "
            + ", ".join(urls) + f" (e.g. {files[0]}). "
            "Vendor the file under docs/assets/ and reference it locally; for the iframe-worker shim run "
            "`make offline-shim` and keep `extra.polyfills: [assets/javascripts/iframe-worker-shim.js]` in mkdocs.yml; "
            "for fonts keep `theme.font: false`.")
    missing = find_missing_resources(site_dir)
    if missing:
        problems.append(
            "页面引用的文件不存在 / pages refer to files the site does not have: "
            + "; ".join(str(m) for m in missing[:5]) + (f" … ({len(missing)} in all)" if len(missing) > 5 else "")
            + ". A file listed in mkdocs.yml (extra.polyfills, extra_css, extra_javascript) is missing from docs/"
            " — for the iframe-worker shim run `make offline-shim`.")
    if problems:
        raise BundleError(f"{site_dir}: " + "\n".join(problems))


def _timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        t = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        if t.year >= 1980:   # the zip format cannot store earlier dates
            return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)
    return (1980, 1, 1, 0, 0, 0)


def _site_title(site_dir: Path) -> str:
    match = re.search(r"<title>([^<]*)</title>", (site_dir / "index.html").read_text(encoding="utf-8", errors="replace"))
    return html.unescape(match[1]).strip() if match else "政府工作报告注释语料"


def split_site(site_dir: Path) -> bool:
    """A site in sub-sites (renderer/subsites.py): each has its own search configuration."""
    return any(Path(site_dir).glob("*/search/search_index.json"))


def make_bundle(site_dir: Path, out_dir: Path, name: str, *, date: dt.date | None = None) -> tuple[Path, int]:
    """Zip `site_dir` as `out_dir/<name>-offline-<date>.zip`; return the zip's path and its number of files.

    Raises FileNotFoundError (with `filename`) when the site has not been built,
    and BundleError when a page would still need the network.
    """
    site_dir, out_dir = Path(site_dir), Path(out_dir)
    _check_site(site_dir)
    folder = f"{name}-offline"
    date = date or _today()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{folder}-{date.isoformat()}.zip"
    stamp = _timestamp()
    title = _site_title(site_dir)
    html_title = html.escape(title)

    entries: list[tuple[str, bytes | Path]] = [(p.relative_to(site_dir).as_posix(), p) for p in site_files(site_dir)]
    entries += [(OPEN_ME, _OPEN_ME_HTML.format(title=html_title).encode("utf-8")),
                (README, _README_TXT.format(title=title).encode("utf-8"))]
    entries.sort(key=lambda e: e[0])

    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w") as zf:
        for rel, content in entries:
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=stamp)
            info.create_system = 3                    # unix, so the mode below is honoured
            info.external_attr = 0o100644 << 16       # regular file, rw-r--r--
            info.compress_type = zipfile.ZIP_DEFLATED
            data = content.read_bytes() if isinstance(content, Path) else content
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    partial.replace(target)
    return target, len(entries)


def _today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()
