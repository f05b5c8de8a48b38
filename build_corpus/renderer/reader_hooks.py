"""MkDocs hooks (mkdocs.yml `hooks:`) for what a reader and a crawler see beyond the Markdown.

- `on_config`: the site's address and repository from one setting (build_corpus.publishing:
  SITE_REPOSITORY, GITHUB_REPOSITORY in CI, SITE_URL for a custom domain). With it MkDocs
  writes canonical links and a non-empty sitemap, and the 404 page loads its assets from the
  project path (/<repo>/assets/…) instead of the host's root. A local build has none, and
  needs none: its pages link relatively.
- `on_env`: the `script_json` filter, so the templates (docs/overrides/main.html) put page
  data and schema.org JSON-LD into <script> elements that no text can close; and an empty
  `nav_items_cache` for this build, where docs/overrides/partials/nav.html keeps the nav's items
  once per folder, and `toc_cache`, where partials/toc.html keeps a page's table of contents
  between its two places on the page; and the theme's chrome icons as stubs drawn from one
  stylesheet (renderer/icons.py), which `on_post_build` writes.
- `on_post_page`: every page without the theme's indentation and blank lines (`compact_html`): a
  third of the theme's ~22 KB around each page's text, ~10% of a report page; and the theme's
  settings (`<script id="__config">`) with its Chinese as characters, not `\\uXXXX` (`readable_config`).
"""
from __future__ import annotations

import json
import os
import re

from mkdocs.exceptions import PluginError

from build_corpus.pages.citation import script_json
from build_corpus.publishing import AddressError, from_environment
from build_corpus.renderer import icons


def on_config(config, **_):
    try:
        where = from_environment()
    except AddressError as err:
        raise PluginError(str(err)) from None
    if not config.site_url and where.site_url:
        config.site_url = where.site_url
    if not config.repo_url and where.repo_url:
        config.repo_url = where.repo_url
        config.repo_name = where.repo_name
    return config


TEMPLATE_CACHES_OFF_ENV = "BUILD_CORPUS_NO_TEMPLATE_CACHE"   # set: every page renders its nav and toc (tests compare)


class _KeepsNothing(dict):
    """A template cache that stores nothing (TEMPLATE_CACHES_OFF_ENV)."""

    def update(self, *args, **kwargs) -> None:
        pass


_icon_css = ""   # this build's icons.css (on_env), written by on_post_build


# A navigation link as Material's nav-item.html writes it: its text in a span, each tag on a line.
_NAV_LINK = re.compile(r'(<a href="[^"]*" class="md-nav__link">)\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>\s*</a>')


def plain_nav_links(items: str) -> str:
    """The navigation's plain links on one line, their text without Material's md-ellipsis span (the
    navigation wraps a long title, never cuts it): ~45 bytes of each of the ~14 items on every page.

    >>> plain_nav_links('<a href="a.html" class="md-nav__link">\\n<span class="md-ellipsis">\\n首页\\n</span>\\n</a>')
    '<a href="a.html" class="md-nav__link">首页</a>'
    """
    return _NAV_LINK.sub(r"\1\2</a>", items)


def on_env(env, config, **_):
    global _icon_css
    env.filters["script_json"] = script_json
    env.filters["plain_nav_links"] = plain_nav_links
    env.loader = icons.IconStubs(env.loader, icons.chrome_icons(config.theme))
    _icon_css = icons.icon_css(env.loader.icons)
    cache = _KeepsNothing if os.environ.get(TEMPLATE_CACHES_OFF_ENV) else dict
    env.globals["nav_items_cache"] = cache()   # one per build: docs/overrides/partials/nav.html
    env.globals["toc_cache"] = cache()         # and partials/toc.html
    return env


# A run of white space that holds a line break renders as one space, whatever else it holds —
# outside <pre> and <textarea>, which keep theirs (scripts keep a line break wherever they had one).
_BREAK_RUN = re.compile(r"[ \t\r\f\v]*\n\s*")
_BREAK_RUN_OR_KEPT = re.compile(r"(<(pre|textarea)\b.*?</\2\s*>)|[ \t\r\f\v]*\n\s*", re.S | re.I)


def compact_html(html: str) -> str:
    """Each run of white space with a line break in it, as one line break.

    >>> compact_html("<ul>\\n    <li>a</li>  \\n\\n  <li>b</li>\\n</ul>\\n  <pre>x\\n  y</pre>")
    '<ul>\\n<li>a</li>\\n<li>b</li>\\n</ul>\\n<pre>x\\n  y</pre>'
    """
    if "<pre" not in html and "<textarea" not in html:   # nearly every page: the faster pattern
        return _BREAK_RUN.sub("\n", html)
    return _BREAK_RUN_OR_KEPT.sub(lambda m: m.group(1) or "\n", html)


_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def readable_config(html: str) -> str:
    """Material's settings for its scripts, written by Jinja's `tojson` with every Chinese character as
    a six-byte escape (its translations: ~1.1 KB of each page), as script_json writes JSON: characters.

    >>> readable_config('<script id="__config" type="application/json">{"t": "\\u590d\\u5236"}</script>')
    '<script id="__config" type="application/json">{"t": "复制"}</script>'
    """
    found = _CONFIG.search(html)
    if not found:
        return html
    return html[:found.start(1)] + script_json(json.loads(found.group(1))) + html[found.end(1):]


def on_post_page(output, **_):
    return readable_config(compact_html(output))


def on_post_build(config, **_):
    """The icons' stylesheet, in the main site (a sub-site's pages link the main site's assets)."""
    if not config.extra.get("main_root"):
        path = os.path.join(config.site_dir, icons.STYLESHEET)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(_icon_css)
