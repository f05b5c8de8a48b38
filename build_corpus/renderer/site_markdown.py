"""The site's Markdown: Python-Markdown with only the inline syntax our pages are written in.

Every page in docs/ is generated (build_corpus/pages/), and what it writes is links, `**bold**`,
code spans, backslash escapes, entities and a few inline HTML tags. Python-Markdown tries each
of its inline patterns on every run of text between two links, which made the patterns for
reference links, images, autolinks and hard line breaks, none of which a page uses, about a
third of MkDocs' Markdown time (the tests check the HTML is unchanged). They also could only
ever have turned text into something we did not mean: untrusted text is escaped
(safe_text.md_escape) so that none of them can match it.

mkdocs.yml lists this module under `markdown_extensions`.
"""
from __future__ import annotations

from markdown import Extension, Markdown

# Inline patterns no generated page uses (names as Python-Markdown 3 registers them).
UNUSED_INLINE_PATTERNS = ("reference", "image_link", "image_reference", "short_reference", "short_image_ref",
                          "autolink", "automail", "linebreak")


class SiteMarkdown(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        for name in UNUSED_INLINE_PATTERNS:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)


def makeExtension(**kwargs) -> SiteMarkdown:
    return SiteMarkdown(**kwargs)
