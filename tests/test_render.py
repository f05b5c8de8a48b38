"""A paragraph's HTML and Markdown escaping: emphasis, footnote references and linker replacements.

The renderer escapes the text between two markup offsets in one piece; these properties hold it
to the plain definition, one character at a time, on generated paragraphs (test_site_markdown.py
checks that the site's Markdown passes a paragraph's HTML through as written). Hypothesis runs
derandomized and without an example database, so the file is deterministic and fast.
"""
from __future__ import annotations

import html
import re
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from build_corpus.model import Document, GlossaryEntry, Paragraph
from build_corpus.pages.report import md_escape, paragraph_html

PROPERTY_SETTINGS = settings(max_examples=300, derandomize=True, database=None, deadline=None)
# Markdown specials, line-start markers, quotes and Han text: what the escaping has to get right.
CHARS = st.sampled_from(list("\\`*_[]|~<>&#+-.)!?{}:1 两化融合“”，。\n\x02"))


def escape_one_by_one(text: str) -> str:
    """md_escape as first written: controls, backslashes, then entities, then the line start."""
    return escape_line_start(inline_one_by_one(text))


def controls_one_by_one(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: " " if m.group() in "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"
                  else "\ufffd", text)


def inline_one_by_one(text: str) -> str:
    text = re.sub(r"([\\`*_{}\[\]#|])", r"\\\1", controls_one_by_one(text))
    return html.escape(text, quote=False)


def escape_line_start(text: str) -> str:
    text = text.lstrip(" ")
    if text.startswith("?"):
        return "&#63;" + text[1:]
    return re.sub(r"^(\s*)([>+\-!]|\d+[.)])", lambda m: m.group(1) + re.sub(r"([>+\-!.)])", r"\\\1", m.group(2), count=1),
                  text)


def html_one_by_one(p: Paragraph, doc: Document, insertions: dict) -> str:
    """paragraph_html's definition: walk the text a character at a time."""
    events: dict[int, list[str]] = defaultdict(list)
    for start, end in p.emphasis:
        events[start].append("<strong>")
        events[end].insert(0, "</strong>")
    definitions = {e.number: e.definition for e in doc.glossary}
    for offset, number in p.notes:
        title = html.escape(html.escape(definitions.get(number, ""), quote=True), quote=True)   # Material: innerHTML
        events[offset].insert(0, f'<sup class="footnote-ref"><a href="#gloss-{number}" title="{title}">[{number}]</a></sup>')
    out, i = [], 0
    while i <= len(p.text):
        out.extend(events.get(i, []))
        if i in insertions:
            end, markup = insertions[i][0]
            out.append(markup)
            for k in range(i + 1, end):
                out.extend(events.get(k, []))
            i = end
            continue
        if i < len(p.text):
            c = controls_one_by_one(p.text[i])
            out.append(f"&#{ord(c)};" if c in "\\`*_{}[]#|" else html.escape(c, quote=False))
        i += 1
    return "".join(out).lstrip(" ")


@st.composite
def paragraphs(draw):
    """A paragraph with emphasis spans, footnote markers and non-overlapping linked spans."""
    text = draw(st.text(CHARS, max_size=30))
    offsets = st.integers(0, len(text))
    spans = draw(st.lists(st.tuples(offsets, offsets).map(sorted).map(tuple), max_size=3))
    notes = draw(st.lists(st.tuples(offsets, st.sampled_from(["1", "2", "9"])), max_size=3))
    cuts = sorted(set(draw(st.lists(offsets, max_size=6))))
    insertions = {start: [(end, f'<a href="#x">{html.escape(text[start:end])}</a>')]
                  for start, end in zip(cuts[::2], cuts[1::2]) if end > start}
    return Paragraph(text=text, emphasis=spans, notes=notes), insertions


DOC = Document(source_path="x.txt", position=1, line=1, raw_text="",
               glossary=[GlossaryEntry(term="两化", definition='工业化和"信息化"<融合>', number="1")])


@PROPERTY_SETTINGS
@given(paragraphs())
def test_paragraph_html_is_the_character_by_character_definition(generated):
    p, insertions = generated
    assert paragraph_html(p, DOC, insertions) == html_one_by_one(p, DOC, insertions)


@PROPERTY_SETTINGS
@given(st.text(CHARS, max_size=12))
def test_md_escape_is_the_step_by_step_definition(text):
    assert md_escape(text) == escape_one_by_one(text)


def test_markup_inside_a_linked_span_follows_the_link():
    p = Paragraph(text="推进两化融合*", emphasis=[(2, 4)], notes=[(4, "1")])
    out = paragraph_html(p, DOC, {2: [(6, '<a href="#x">两化融合</a>')]})
    assert out == '推进<strong><a href="#x">两化融合</a><sup class="footnote-ref"><a href="#gloss-1" ' \
                  'title="工业化和&amp;quot;信息化&amp;quot;&amp;lt;融合&amp;gt;">[1]</a></sup></strong>&#42;'
