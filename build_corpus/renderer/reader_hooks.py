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
  between its two places on the page.
"""
from __future__ import annotations

import os

from mkdocs.exceptions import PluginError

from build_corpus.pages.citation import script_json
from build_corpus.publishing import AddressError, from_environment


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


def on_env(env, **_):
    env.filters["script_json"] = script_json
    cache = _KeepsNothing if os.environ.get(TEMPLATE_CACHES_OFF_ENV) else dict
    env.globals["nav_items_cache"] = cache()   # one per build: docs/overrides/partials/nav.html
    env.globals["toc_cache"] = cache()         # and partials/toc.html
    return env
