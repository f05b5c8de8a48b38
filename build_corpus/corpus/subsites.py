"""Sub-sites: a large corpus is published as a main site and one sub-site per province.

One MkDocs site of ~10,000 reports holds every page in one process (several GB), takes as long to
rebuild for one changed report as for all of them, and outgrows GitHub Pages' 1 GB at ~60 KB a
report of copies (search text, compare data). From publishing.SPLIT_FROM reports on (or always, or never:
`build-corpus build --split`), a build is published in parts, built side by side by Material's
projects plugin (renderer/subsites.py) and merged into one site with one search:

    main site      the State Council's reports, every page about the whole corpus (places, years,
                   terms, trends, indicators, the compare view, downloads), reports whose province
                   is not known
    <province>/    each province's reports (its own, its cities', counties' and towns'), at
                   `<province>/reports/<id>.html`

What a reader of a split site does not get that a single site gives (what its bytes would cost):
- a page of its own for a term only one report mentions: its address is a stub that opens that
  report's 名词解释 entry, which holds the same definition (the page was ~26 KB of theme and a
  one-bar chart around it; at 1,000 synthetic reports 90% of the term pages were such);
- search results and the compare view from file://: both read the text from the report pages over
  http (the index and the compare data hold no second copy of it), so a split site has no offline
  bundle (a large corpus's would be over a GB anyway).
"""
from __future__ import annotations

from ..document.metadata import gazetteer, place_pinyin
from ..model import Document, Site
from ..publishing import is_split
from ..urls import publish_as, slugify
from .scope import report_chain

PROVINCE_LEVELS = frozenset({"省", "自治区", "直辖市"})
# Folder names of the main site a sub-site must never take (they cannot be a province's romanisation
# anyway, but the rule is cheap).
MAIN_FOLDERS = frozenset({"reports", "terms", "downloads", "indicators", "compare", "assets", "search", "places"})


def province_of(doc: Document) -> str | None:
    """The province (省, 自治区, 直辖市) a report's place lies in, itself included; None for the State
    Council's reports and for a place whose province the gazetteer cannot tell (朝阳区 of which city?)."""
    chain = report_chain(doc)
    if not chain:
        return None
    top = gazetteer().get(chain[0])
    return chain[0] if top is not None and top.level in PROVINCE_LEVELS else None


def subsite_slug(province: str) -> str:
    """The province's romanisation as in report ids (浙江省 → zhejiangsheng, 陕西省 → shaanxisheng)."""
    slug = slugify(place_pinyin(province), fallback="", joiner="")
    return slug if slug and slug not in MAIN_FOLDERS else f"site-{slug or 'x'}"


def plan_subsites(site: Site) -> None:
    """SITE_STEPS' last step: which sub-site holds each report, and which terms need no page (only one
    report mentions them and no curator wrote a note); every path of the pages follows (urls.publish_as)."""
    site.subsites, site.subsite_names = {}, {}
    if is_split(len(site.reports), site.split):
        for doc in site.reports:
            province = province_of(doc)
            if province:
                slug = subsite_slug(province)
                site.subsites[doc.id] = slug
                site.subsite_names[slug] = province
    site.stubbed_terms = {key for key, term in site.terms.items() if site.subsites and single_report(term)}
    publish_as(site.subsites, {site.terms[key].slug for key in site.stubbed_terms})


def single_report(term) -> bool:
    """Only one report explains or uses the term (its words anywhere else would be a use), and no curator
    wrote a note on it: its page would repeat that report's 名词解释 entry."""
    reports = {d.report.id for d in term.definitions} | {u.report.id for u in term.uses}
    return len(reports) <= 1 and term.curated is None and bool(term.definitions)
