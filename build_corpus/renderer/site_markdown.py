"""The site's Markdown: Python-Markdown with only the inline syntax our pages are written in, and
the HTML blocks they hold passed through unparsed.

Every page in docs/ is generated (build_corpus/pages/), and what it writes is links, `**bold**`,
code spans, backslash escapes, entities and a few inline HTML tags. Python-Markdown tries each
of its inline patterns on every run of text between two links, which made the patterns for
reference links, images, autolinks and hard line breaks, none of which a page uses, about a
third of MkDocs' Markdown time (the tests check the HTML is unchanged). They also could only
ever have turned text into something we did not mean: untrusted text is escaped
(safe_text.md_escape) so that none of them can match it.

Most of a page's bytes are HTML blocks the generators wrote (report paragraphs, term pages' lists
of uses, comparison tables). Python-Markdown would feed each through its HTML parser only to
keep it as it is; `HtmlBlocks` keeps it as it is without the parse.

mkdocs.yml lists this module under `markdown_extensions`.
"""
from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

# Inline patterns no generated page uses (names as Python-Markdown 3 registers them).
UNUSED_INLINE_PATTERNS = ("reference", "image_link", "image_reference", "short_reference", "short_image_ref",
                          "autolink", "automail", "linebreak")
OPENING_TAG = re.compile(r"<([a-z][a-z0-9]*)(?=[\s>])[^>]*>")
MARKDOWN_ATTRIBUTE = re.compile(r"\smarkdown(?=[\s=>])")


class HtmlBlocks(Preprocessor):
    """Stash each HTML block that is one element as raw HTML, as Python-Markdown's own HTML block
    preprocessor (md_in_html's, which runs next) would after parsing it.

    A block here is lines between blank lines, starting at the left margin with a block-level tag
    that has no `markdown` attribute (md_in_html renders the inside of those) and ending with the
    tag that closes it: nothing before or after the element, so the stash holds exactly what the
    parser would have kept. Anything else is left to Python-Markdown. No text from a report or a
    contributor can start such a line: safe_text escapes every `<` of it.
    """

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(lines):
            element = self._element(lines, i) if lines[i].startswith("<") and (i == 0 or not lines[i - 1]) else None
            if element is None:
                out.append(lines[i])
                i += 1
                continue
            i, block = element
            out.append(self.md.htmlStash.store(block))
        return out

    def _element(self, lines: list[str], start: int) -> tuple[int, str] | None:
        """(the index of the blank line or the end after it, the block) if the block starting at
        `start` is one element."""
        opening = OPENING_TAG.match(lines[start])
        if not opening or not self.md.is_block_level(opening[1]) or MARKDOWN_ATTRIBUTE.search(opening[0]):
            return None
        end = start + 1
        while end < len(lines) and lines[end]:
            end += 1
        block = "\n".join(lines[start:end])
        tag = opening[1]
        if not block.endswith(f"</{tag}>"):
            return None
        depth = 0
        for m in re.finditer(rf"<(/?){tag}(?=[\s>])", block):
            depth += -1 if m[1] else 1
            if depth == 0:
                return (end, block) if m.end() + 1 == len(block) else None
        return None


class SiteMarkdown(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        for name in UNUSED_INLINE_PATTERNS:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        # After normalize_whitespace (30) and after MkDocs' anchor collector (mkdocs_raw_html, 21), which
        # must see every id to check links to anchors; before md_in_html's html_block (20).
        md.preprocessors.register(HtmlBlocks(md), "site_html_blocks", 20.5)


def makeExtension(**kwargs) -> SiteMarkdown:
    return SiteMarkdown(**kwargs)
