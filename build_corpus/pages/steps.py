"""The page steps of pipeline.py: each fills in some of the site's pages (path under docs/ ->
Markdown) or downloads (path -> bytes) from the finished `Site`."""
from __future__ import annotations

from ..model import Site
from ..urls import (
    ABOUT_PAGE,
    ANNOTATIONS_PAGE,
    CHANGES_PAGE,
    DOWNLOADS_PAGE,
    FEED,
    PLACES_PAGE,
    SEARCH_PAGE,
    SPEAKERS_PAGE,
    TERM_INDEX,
    TRENDS_PAGE,
    report_page,
    term_page,
)
from .about import atom_feed, render_about, render_annotations, render_changes
from .compare import compare_data, compare_pages
from .downloads import RELEASE_FILES, download_files, render_downloads
from .indexes import render_home, render_skipped, render_speakers, render_subsite_home, render_years, speakers_csv
from .indicators import indicator_pages, target_downloads
from .moved import moved_page
from .place import place_pages as make_place_pages
from .place import render_places_tree
from .report import render_report
from .report_context import report_context, uses_under_own_entries
from .search import render_search_page, search_files
from .term import render_term, render_term_index
from .term_trends import render_term_trends, reports_by_year, term_timeline


def report_pages(site: Site) -> None:
    own_uses = uses_under_own_entries(site.terms)
    for doc in site.reports:
        site.pages[report_page(doc.id)] = render_report(doc, report_context(doc, site, own_uses))
        if doc.id in site.subsites:   # its address in a single site still leads to it
            old = f"reports/{doc.id}.html"
            site.files[old] = moved_page(old, report_page(doc.id), "", doc.title)


def term_pages(site: Site) -> None:
    by_year = reports_by_year(site.reports)
    for term in site.terms.values():
        if term.key in site.stubbed_terms:   # only one report mentions it: its 名词解释 entry is the page
            explained = term.definitions[0]
            site.files[term_page(term.slug)] = moved_page(term_page(term.slug), report_page(explained.report.id),
                                                          explained.entry.anchor, term.display)
            continue
        site.pages[term_page(term.slug)] = render_term(term, site.terms, site.address, scope=site.scope,
                                                          timeline=term_timeline(term, by_year))
    site.pages[TERM_INDEX] = render_term_index(site.terms)
    site.pages[TRENDS_PAGE] = render_term_trends(site.terms, site.reports)


def target_pages(site: Site) -> None:
    site.pages.update(indicator_pages(site.targets))


def comparison_pages(site: Site) -> None:
    site.pages.update(compare_pages(site.by_place))
    # In sub-sites the view reads the paragraphs from the report pages (no second copy of the text).
    site.files.update(compare_data(site.reports, site.targets, site.terms, with_text=not site.subsites))


def index_pages(site: Site) -> None:
    site.pages["index.md"] = render_home(site)
    site.pages[PLACES_PAGE] = render_places_tree(site)
    site.pages["years.md"] = render_years(site.reports)
    site.pages["skipped.md"] = render_skipped(site.corpus)
    site.pages[SPEAKERS_PAGE] = render_speakers(site.reports)
    for slug, province in site.subsite_names.items():
        site.pages[f"{slug}/index.md"] = render_subsite_home(
            slug, province, [d for d in site.reports if site.subsites.get(d.id) == slug])


def downloads(site: Site) -> None:
    site.pages[DOWNLOADS_PAGE] = render_downloads(site)
    made = download_files(site)
    if site.subsites:   # with the repository's releases, not in the site (downloads.RELEASE_FILES)
        site.release_files.update({path: made.pop(path) for path in RELEASE_FILES if path in made})
    site.files.update(made)
    site.files.update(target_downloads(site.targets))
    site.files["downloads/speakers.csv"] = speakers_csv(site.reports)


def place_pages(site: Site) -> None:
    site.pages.update(make_place_pages(site))


def reader_pages(site: Site) -> None:
    """The full search page and its filter data; 关于, 更新记录 and its feed; every annotation."""
    site.pages[SEARCH_PAGE] = render_search_page()
    site.files.update(search_files(site))
    site.pages[ABOUT_PAGE] = render_about(site)
    site.pages[CHANGES_PAGE] = render_changes(site)
    site.files[FEED] = atom_feed(site)
    site.pages[ANNOTATIONS_PAGE] = render_annotations(site)
