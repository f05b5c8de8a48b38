"""Every page path, slug and anchor the site uses, made only from a restricted alphabet.

Ids come from untrusted text (a place in a sidecar can be "../../tmp/x"), so
they are built here and nowhere else: lowercase ASCII letters, digits and
single hyphens. `page_path` is the last gate before a file is written: a path
outside that alphabet, or one that would leave docs/, is an error.

A large corpus is published as sub-sites (corpus/subsites.py): a report's page is then
`<sub-site>/reports/<id>.md`, and a term that only one report mentions has a moved-page stub
instead of a page. `publish_as` sets that layout for a build; the paths below follow it, and a
link between two sub-sites is written as the built page's address (MkDocs sees one sub-site at a time).
"""
from __future__ import annotations

import os
import posixpath
import re
from functools import cache
from pathlib import Path

from .remembered import remembered

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A generated page path: folders and a file name of slug characters, one known suffix.
PAGE_PATH = re.compile(r"^(\.projects/)?([a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_-]*\.(md|jsonl|json|csv|bib|svg|js|css|html|yml|xml)(\.gz)?$|"
                       r"^\.projects/[a-z0-9][a-z0-9_-]*/\.build-digest$|^\.projects/_main\.build-digest$")
# docs/.projects/<sub-site>/: a sub-site's MkDocs project (renderer/subsites.py); MkDocs skips dot-folders.
PROJECTS_FOLDER = ".projects"
# Slugs that are file names of pages the site writes itself in the same folder.
RESERVED_SLUGS = frozenset({"index"})


class UnsafePath(ValueError):
    """A page path built from input left the allowed alphabet or docs/ (a bug or an attack)."""


@remembered   # the same terms and places every build, and pypinyin was half of a cached rebuild
def slugify(text: str, fallback: str = "term", joiner: str = "-") -> str:
    """`三改一拆` → `san-gai-yi-chai`, `1+3+1+X产业` → `1-3-1-x-chan-ye`, `../x` → `x`: readable, URL-safe.

    >>> slugify("../../../../tmp/x/PWNED")
    'tmp-x-pwned'
    >>> slugify("“”", fallback="report")
    'report'
    """
    from pypinyin import lazy_pinyin  # here: MkDocs' hooks import this module and never make a slug
    parts = lazy_pinyin(text, errors=lambda s: [s])
    slug = joiner.join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")[:80].strip("-")
    if not slug:
        return fallback
    return f"{slug}-page" if slug in RESERVED_SLUGS else slug


def report_id(place: str | None, year: int | None, digest: str) -> str:
    """`tongxiangshi-2023`; without a place, `report-<digest>`.

    >>> report_id("桐乡市", 2023, "ab12cd34ef")
    'tongxiangshi-2023'
    >>> report_id("../../etc", None, "ab12cd34ef")
    'etc-undated-ab12cd'
    >>> report_id("内蒙古自治区", 2026, "ab12cd34ef")
    'neimengguzizhiqu-2026'
    >>> report_id("中华人民共和国", None, "ab12cd34ef")
    'zhonghuarenmingongheguo-undated-ab12cd'
    """
    if not place:
        return f"report-{slugify(digest[:8], 'x')}"
    base = slugify(place, fallback="", joiner="") or f"report-{slugify(digest[:8], 'x')}"
    # a year is the id's second half; without one, the text's digest keeps two undated reports apart
    return f"{base}-{int(year)}" if year else f"{base}-undated-{slugify(digest[:6], 'x')}"


_WEB_ADDRESS = re.compile(r"^https?://[^\s/\\\\?#@]+(?:[/?#][^\s\\\\]*)?$", re.I)


def web_address(value: str | None) -> str | None:
    """An address a page may link to outside the site: http(s) with a host, no spaces, no
    credentials; anything else (javascript:, data:, //host, a relative path) is None.

    >>> web_address("https://www.gov.cn/zhengce/2024-03/12/content_1.htm")
    'https://www.gov.cn/zhengce/2024-03/12/content_1.htm'
    >>> [web_address(v) for v in ("javascript:alert(1)", "//x.org/a", "https://u:p@x.org/", "http://x .org")]
    [None, None, None, None]
    """
    value = (value or "").strip()
    return value if _WEB_ADDRESS.match(value) else None


def gloss_anchor(number: str | int) -> str:
    """The anchor of a glossary entry: `gloss-5`; a number in another script keeps only what is safe.

    >>> gloss_anchor("12"), gloss_anchor('"><x'), gloss_anchor("①")
    ('gloss-12', 'gloss-x', 'gloss-①')
    """
    text = str(number)
    if re.fullmatch(r"[0-9]+|[\u2460-\u24ff\u2776-\u2793]", text):   # digits, or a circled number ①
        return f"gloss-{text}"
    return f"gloss-{slugify(text, 'n')}"


def wording_anchor(number: int) -> str:
    """`wording-2`: the anchor of a term page's second wording (释义二), where other reports link."""
    return f"wording-{int(number)}"


def place_anchor(place: str) -> str:
    """`place-tongxiangshi`: the anchor of a place on the places page."""
    return "place-" + slugify(place, "unknown", joiner="")


def speaker_anchor(speaker: str) -> str:
    """`speaker-li-qiang`: a speaker's entry on the speakers' page."""
    return "speaker-" + slugify(speaker, "unknown")


def compare_anchor(place: str) -> str:
    """`compare-tongxiangshi`: a place's entry on the comparisons' index."""
    return "compare-" + slugify(place, "unknown", joiner="")


# --- pages, as paths under docs/ --------------------------------------------------------

PLACES_PAGE = "places.md"
TERM_INDEX = "terms/index.md"
TRENDS_PAGE = "terms/trends.md"
COMPARE_INDEX = "compare/index.md"
SEARCH_PAGE = "search.md"
SEARCH_REPORTS = "search/reports.js"           # what the search page filters by (pages/search.py)
ABOUT_PAGE = "about.md"
DOWNLOADS_PAGE = "downloads/index.md"
CHANGES_PAGE = "changes.md"
FEED = "feed.xml"                              # Atom feed of reports added or changed
ANNOTATIONS_PAGE = "annotations.md"
COMPARE_DATA_LIST = "compare/data/reports.js"    # every report, for the compare view's picker
SPEAKERS_PAGE = "speakers.md"


# --- the layout of this build: one site, or a main site and sub-sites ----------------------

_subsite_of: dict[str, str] = {}       # report id -> its sub-site's slug; empty: one site
_subsites: frozenset[str] = frozenset()
_stubbed_terms: frozenset[str] = frozenset()   # term slugs whose address is a moved-page stub


def publish_as(subsite_of: dict[str, str] | None = None, stubbed_terms=()) -> None:
    """Set the layout every path below follows until the next call: which sub-site holds each report
    (none: one site), and which terms have a stub instead of a page. Each build sets it first."""
    global _subsite_of, _subsites, _stubbed_terms
    _subsite_of = dict(subsite_of or {})
    _subsites = frozenset(_subsite_of.values())
    _stubbed_terms = frozenset(stubbed_terms)


def subsite_of(page: str) -> str | None:
    """The sub-site a path is in (its first folder), None for the main site.

    >>> publish_as({"a-2024": "zhejiangsheng"}); subsite_of("zhejiangsheng/reports/a-2024.md"), subsite_of("terms/x.md")
    ('zhejiangsheng', None)
    >>> publish_as()
    """
    first = page.split("/", 1)[0]
    return first if first in _subsites else None


def report_page(report: str) -> str:
    """`reports/<id>.md`, or `<sub-site>/reports/<id>.md` in a site published in sub-sites."""
    site = _subsite_of.get(report)
    return f"{site}/reports/{report}.md" if site else f"reports/{report}.md"


def place_page(romanised: str) -> str:
    """A place's own page from its romanisation, as report ids spell it (corpus.places.place_page_of):
    `places/tongxiangshi.md`, `places/shaanxisheng.md`."""
    return f"places/{slugify(romanised, 'unknown', joiner='')}.md"


def term_page(slug: str) -> str:
    """`terms/<slug>.md`; a term without a page of its own is at `terms/<slug>.html`, a stub that sends the
    reader to the one report that explains it (a static file: links to it are not rewritten)."""
    return f"terms/{slug}.html" if slug in _stubbed_terms else f"terms/{slug}.md"


def compare_data_file(report: str) -> str:
    """What the compare view reads of one report: `compare/data/tongxiangshi-2023.js`."""
    return f"compare/data/{report}.js"


def indicator_page(key: str) -> str:
    return f"indicators/{key}.md"


def citation_file(report: str, suffix: str) -> str:
    """A report's citation download: `downloads/cite/<id>.bib` or `.json`."""
    return f"downloads/cite/{report}.{suffix}"


def built_path(page: str, anchor: str = "") -> str:
    """Where a page is in the built site (mkdocs.yml has use_directory_urls: false, so the same
    links work from file://): `reports/x.md` → `reports/x.html`.

    >>> built_path("reports/a-2024.md", "sec-1")
    'reports/a-2024.html#sec-1'
    """
    path = page[:-len(".md")] + ".html" if page.endswith(".md") else page
    return f"{path}#{anchor}" if anchor else path


def href(from_page: str, to_page: str, anchor: str = "") -> str:
    """The relative link from one generated page to another (or to an anchor on it), as Markdown
    wants it: MkDocs checks it and rewrites it for the built site (and for file://).

    >>> href("reports/a-2024.md", "terms/x.md", "wording-2")
    '../terms/x.md#wording-2'
    >>> href("reports/a-2024.md", "reports/a-2023.md")
    'a-2023.md'
    >>> href("index.md", "reports/a-2023.md")
    'reports/a-2023.md'

    Between the main site and a sub-site, or two sub-sites, it is the built page's address instead:
    MkDocs builds each on its own and would not find the other's page.
    """
    if subsite_of(from_page) != subsite_of(to_page):
        return built_href(from_page, to_page, anchor)
    link = _relative(to_page, posixpath.dirname(from_page) or ".")
    return f"{link}#{anchor}" if anchor else link


def built_href(from_page: str, to_page: str, anchor: str = "") -> str:
    """The same link as `href`, as MkDocs writes it into the built page: for links in HTML that MkDocs
    neither checks nor rewrites (long generated lists, where every Markdown link cost both
    Python-Markdown and MkDocs time).

    >>> built_href("terms/x.md", "reports/a-2024.md", "sec-1-p2")
    '../reports/a-2024.html#sec-1-p2'
    """
    return built_path(_relative(to_page, posixpath.dirname(from_page) or "."), anchor)


@cache
def _relative(to_page: str, from_folder: str) -> str:
    """posixpath.relpath, remembered: a site asks for the same few thousand pairs ~300,000 times at N=1000."""
    return posixpath.relpath(to_page, from_folder)


@cache
def _folder_inside(folder: str, docs: str) -> bool:
    """Is `folder`, its symbolic links resolved, inside `docs` (resolved too)? Once a build per folder."""
    return Path(folder).resolve().is_relative_to(Path(docs).resolve())


def page_path(docs: Path, relative: str) -> Path:
    """The file under docs/ for a generated page, refusing anything outside the alphabet or docs/ (a
    symbolic link on the way out). Its folder is checked once a build (~7,000 pages at 1,000 reports
    are staged, each checked twice: resolving the whole path each time was 0.7 s); the page itself is
    looked at every time."""
    if not PAGE_PATH.match(relative) or "/../" in f"/{relative}/":
        raise UnsafePath(f"生成的页面路径不安全 / unsafe page path {relative!r}")
    target = os.path.join(docs, relative)
    if not _folder_inside(os.path.dirname(target), str(docs)) or (
            os.path.islink(target) and not _folder_inside(os.path.realpath(target), str(docs))):
        raise UnsafePath(f"页面路径越出 docs/ / page path {relative!r} leaves {docs}")
    return Path(target)
