"""Addresses that stay: a small static page that sends the reader on, where a page is no longer.

In a site split into sub-sites (corpus/subsites.py) a report's page moves to its province's sub-site
(`reports/<id>.html` → `<province>/reports/<id>.html`), and a term only one report mentions has no page
of its own (`terms/<slug>.html` → that report's 名词解释 entry). A stub at the old address keeps every
link to it working, a paragraph's #anchor included. It is a file MkDocs copies as it is (no theme: ~400
bytes, not ~16 KB), not searched and not in the sitemap.
"""
from __future__ import annotations

from ..safe_text import html_attr, html_text
from ..urls import built_href
from .citation import script_json


def moved_page(here: str, to_page: str, anchor: str, title: str) -> bytes:
    """The stub at `here` (a path under docs/) for `to_page`'s anchor: a refresh for any browser, a
    script that keeps the address's own #anchor (a paragraph of a moved report), and a link.

    >>> b"url=../zj/reports/a-2024.html" in moved_page("reports/a-2024.html", "zj/reports/a-2024.md", "", "A")
    True
    """
    target = built_href(here, to_page, anchor)
    keep_anchor = "" if anchor else "+location.hash"   # an anchor of its own replaces the address's
    return (f'<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>{html_text(title)}</title>'
            f'<meta name="robots" content="noindex"><link rel="canonical" href="{html_attr(target)}">'
            f'<meta http-equiv="refresh" content="0; url={html_attr(target)}">'
            f"<script>location.replace({script_json(target)}{keep_anchor})</script></head>\n"
            f'<body><p>已移至：<a href="{html_attr(target)}">{html_text(title)}</a></p></body></html>\n').encode()
