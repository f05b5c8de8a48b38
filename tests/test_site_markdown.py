"""The site's restricted Markdown (build_corpus/renderer/site_markdown.py) renders every generated
page exactly as full Python-Markdown does: the inline patterns it drops are ones no page uses, and
the HTML blocks it passes through unparsed come out as Python-Markdown's parser kept them (only
the blank lines md_in_html puts around a block are not there).

If a page starts writing reference links, images, autolinks or hard line breaks, this fails and
names the page; the pattern then goes back into use (remove it from UNUSED_INLINE_PATTERNS).
"""
from __future__ import annotations

import re
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


def without_blank_lines(html: str) -> str:
    return re.sub(r"\n\s*\n", "\n", html)


def differences(pages: dict[str, str]) -> list[str]:
    restricted, full = configured_markdown(), full_markdown()
    changed = []
    for path, page in pages.items():
        restricted.reset()
        full.reset()
        if without_blank_lines(restricted.convert(body(page))) != without_blank_lines(full.convert(body(page))):
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


def stashed(text: str) -> list[str]:
    """The blocks HtmlBlocks hands to Python-Markdown's stash, unparsed."""
    md = configured_markdown()
    site_markdown.HtmlBlocks(md).run(text.split("\n"))
    return list(md.htmlStash.rawHtmlBlocks)


def test_report_paragraphs_reach_the_page_unparsed(pages):
    page = body(pages["reports/tongxiangshi-2023.md"])
    paragraphs = re.findall(r"^<p id=.*</p>$", page, flags=re.M)
    assert len(paragraphs) > 20
    assert set(paragraphs) <= set(stashed(page))


@pytest.mark.parametrize("text", [
    '<div class="timeline" markdown>\n**2017** · [2018](a.md)\n</div>',   # md_in_html renders its inside
    "<p>一</p>后面还有文字",                                                # more than the element
    "<p>一</p><p>二</p>",                                                   # two elements
    "<p>一</p>\n<p>二</p>",                                                 # two elements, two lines
    "文字\n<p>一</p>",                                                      # not after a blank line
    "    <p>一</p>",                                                        # indented: code, or inside a block
    "<span>一</span>",                                                      # not a block-level tag
    "<p>一<p>二</p>",                                                       # unbalanced
    "<pre>一</pre>x",
])
def test_html_blocks_leaves_anything_but_one_whole_element_to_python_markdown(text):
    assert stashed(text) == []
    assert differences({"x.md": text}) == []


@pytest.mark.parametrize("text", [
    '<p id="sec-1-p1">推进<a href="../terms/x.html#wording-1" title="释义">两化融合</a>*{: onclick=x}*</p>',
    "<ul>\n<li>一</li>\n<li>二<ul><li>三</li></ul></li>\n</ul>",
    "<table><tr><td>一</td></tr></table>",
])
def test_html_blocks_passes_one_whole_element_through_as_python_markdown_keeps_it(text):
    page = f"# 标题\n\n{text}\n\n正文"
    assert stashed(page) == [text]
    assert differences({"x.md": page}) == []
