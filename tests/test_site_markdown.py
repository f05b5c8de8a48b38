"""The site's restricted Markdown (build_corpus/renderer/site_markdown.py) renders every generated
page exactly as full Python-Markdown does: the inline patterns it drops are ones no page uses.

If a page starts writing reference links, images, autolinks or hard line breaks, this fails and
names the page; the pattern then goes back into use (remove it from UNUSED_INLINE_PATTERNS).
"""
from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from test_safe_text import site_markdown as configured_markdown

from build_corpus.contributions.curation import load_curated
from build_corpus.pipeline import build_site
from build_corpus.renderer import site_markdown

ROOT = Path(__file__).resolve().parent.parent


def full_markdown() -> markdown.Markdown:
    """mkdocs.yml's extensions, without the one that drops inline patterns."""
    return configured_markdown(without=(site_markdown.__name__,))


def body(page: str) -> str:
    """The Markdown after the front matter."""
    return page.split("\n---\n", 1)[1] if page.startswith("---\n") else page


def differences(pages: dict[str, str]) -> list[str]:
    restricted, full = configured_markdown(), full_markdown()
    changed = []
    for path, page in pages.items():
        restricted.reset()
        full.reset()
        if restricted.convert(body(page)) != full.convert(body(page)):
            changed.append(path)
    return changed


def test_mkdocs_yml_uses_the_restriction_and_it_drops_patterns_python_markdown_has():
    assert not [name for name in site_markdown.UNUSED_INLINE_PATTERNS if name in configured_markdown().inlinePatterns]
    assert all(name in markdown.Markdown().inlinePatterns for name in site_markdown.UNUSED_INLINE_PATTERNS)


@pytest.fixture(scope="module")
def pages(corpus):
    return build_site(corpus, load_curated(ROOT / "glossary")[0]).pages


def test_every_bundled_page_renders_as_full_markdown_renders_it(pages):
    assert len(pages) > 100
    assert differences(pages) == []


def test_a_page_using_a_dropped_pattern_is_caught():
    assert differences({"x.md": "见<https://example.org>与![图](a.png)"}) == ["x.md"]
