"""Term links in running Chinese text: recall, word boundaries, first-per-section, tooltips."""
from __future__ import annotations

import html
import random
import re

import jieba
import pytest

from build_corpus.corpus.linking import (
    TermMatcher,
    _without_quotes,
    match_forms,
    paragraphs_with_sections,
    quote_pairs,
    quote_safe,
)
from build_corpus.corpus.scope import whose
from build_corpus.pipeline import build_site
from build_corpus.safe_text import TOOLTIP_CHARS
from build_corpus.segmentation import CONTEXT_CHARS, WordBoundaries, word_boundaries

# A term link in a report's HTML (a footnote reference, in <sup>, is not one).
# A term link: the first to its definition on a page has the tooltip, later ones the class (pages/links.py).
LINK = re.compile(r'(?<!<sup class="footnote-ref">)<a href="(?P<href>[^"]+)"(?: title="(?P<title>[^"]*)"| class="term-link")>'
                  r'(?P<text>[^<]+)</a>')


@pytest.fixture(scope="module")
def site(corpus):
    return build_site(corpus)


def test_recall_against_a_plain_scan(site):
    """Every exact occurrence of a term in report paragraphs is found (linked, or recorded as the same
    wording), unless a longer term covers it or it is part of a longer quoted term (“五大战略定位”)."""
    matcher = TermMatcher(match_forms(site.terms))
    missed, total, cut = [], 0, 0
    for doc in site.corpus.reports:
        for p, _, _ in paragraphs_with_sections(doc):
            view, where = _without_quotes(p.text)
            found = matcher.find(p.text)
            linked = {(s, e, k) for s, e, k in p.term_spans}
            assert linked <= {(o.start, o.end, o.key) for o in found}
            pairs = quote_pairs(p.text)
            for key in site.terms:
                for m in re.finditer(re.escape(key), view):
                    total += 1
                    start, end = where[m.start()], where[m.end() - 1] + 1
                    if any(o.start <= start and o.end >= end for o in found):
                        continue
                    if quote_safe(p.text, pairs, start, end) is None:
                        cut += 1
                        continue
                    missed.append((doc.id, key, p.text[max(0, start - 10):end + 10]))
    assert total > 150
    assert missed == []
    assert cut < total / 20


def test_every_occurrence_is_a_use(site):
    """Linked or not, each occurrence counts on its term's page: uses add up to what the matcher finds."""
    matcher = TermMatcher(match_forms(site.terms))
    found = sum(len(matcher.find(p.text)) for doc in site.corpus.reports for p, _, _ in paragraphs_with_sections(doc))
    assert sum(u.count for t in site.terms.values() for u in t.uses) == found


@pytest.mark.parametrize("sentence,expected", [
    ("力争夺取五水共治大禹鼎", ["五水共治"]),          # Han characters on both sides
    ("持续实施“两新”政策", ["两新"]),                # quoted form
    ("推进“两化”融合", ["“两化”融合"]),              # quotes inside the term
    ("他北大概是不来了", []),                        # 北大 inside 北/大概
    ("四库全书", []),                               # 四库 inside a longer word
    ("这是严重两重性问题", []),                       # 两重 inside 两重性
    ("划定三区三线", ["三区三线"]),
])
def test_word_boundaries(sentence, expected):
    matcher = TermMatcher(["北大", "五水共治", "两新", "两化融合", "四库", "两重", "三区三线", "三区"])
    assert [sentence[o.start:o.end] for o in matcher.find(sentence)] == expected


def test_longest_term_wins():
    matcher = TermMatcher(["三医联动", "三医联动一张网"])
    found = matcher.find("加快“三医联动一张网”二期建设")
    assert [o.key for o in found] == ["三医联动一张网"]


def _report_sections(markdown: str) -> list[tuple[str, str]]:
    """(heading line, body) pairs of a rendered report, up to the glossary block."""
    body = markdown.split("\n## 名词解释")[0].split("\n## 注释")[0].split("\n## 本报告使用的名词")[0]
    parts = re.split(r"^(#{2,6} .*)$", body, flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2]))


def test_first_occurrence_in_each_section_is_linked(site):
    for doc in site.corpus.reports:
        page = site.pages[f"reports/{doc.id}.md"]
        for heading, body in _report_sections(page):
            keys = [html.unescape(m.group("text")) for m in LINK.finditer(body)]
            linked_terms = [re.sub("[“”]", "", k) for k in keys]
            assert len(linked_terms) == len(set(linked_terms)), (doc.id, heading, linked_terms)


def test_every_section_with_an_occurrence_has_its_link(site):
    for doc in site.corpus.reports:
        page = site.pages[f"reports/{doc.id}.md"]
        sections = {f"{{#{s.anchor}}}": s for s in doc.all_sections()}
        for heading, body in _report_sections(page):
            anchor = re.search(r"\{#[^}]+\}", heading).group(0)
            section = sections.get(anchor)
            if section is None:
                continue
            first: dict[str, str] = {}     # term key -> the text of its first linked occurrence
            for p in section.paragraphs:
                for s, e, k in p.term_spans:
                    first.setdefault(k, p.text[s:e])
            linked = [html.unescape(m.group("text")) for m in LINK.finditer(body)]
            assert sorted(linked) == sorted(first.values()), heading


def _excerpt(text: str) -> str:
    """What a tooltip shows of a text: all of it, or its first TOOLTIP_CHARS - 1 characters and …"""
    return text if len(text) <= TOOLTIP_CHARS else text[:TOOLTIP_CHARS - 1] + "…"


def test_tooltip_is_the_definition_shown(site):
    """Another report's definition says whose it is (海南省 2026：…), once a page; a long one is cut
    (safe_text.TOOLTIP_CHARS): the whole definition is a tap away. A link to the report's own entry
    carries no title: readers.js reads the entry on the page (a browser test hovers one)."""
    checked = own_links = 0
    for doc in site.corpus.reports:
        page = site.pages[f"reports/{doc.id}.md"]
        own = {e.anchor for e in doc.glossary}
        titled: set[str] = set()
        for m in LINK.finditer(page.split("\n## 来源与清理记录")[0]):
            href, title = m.group("href", "title")
            if href.startswith("#gloss-"):
                assert title is None and href[1:] in own, (doc.id, href)
                own_links += 1
                continue
            if title is None:   # readers.js gives it the title of the first link to the same definition
                assert href in titled, (doc.id, href)
                continue
            assert href not in titled, (doc.id, href, "a tooltip written twice")
            titled.add(href)
            if href.startswith("../terms/"):
                page_path, anchor = href[len("../terms/"):].split("#")
                term = next(t for t in site.terms.values() if f"{t.slug}.html" == page_path)
                wording = term.wordings[int(anchor.removeprefix("wording-")) - 1]
                assert html.unescape(html.unescape(title)) in {_excerpt(f"{whose(d)}：{d.entry.definition}")
                                                               for d in wording.definitions}
                assert all(d.report is not doc for d in term.definitions)
                checked += 1
    assert checked > 100 and own_links > 100


def test_glossary_block_and_headings_are_not_linked(site):
    page = site.pages["reports/tongxiangshi-2023.md"]
    block = page.split("## 名词解释 {#glossary}")[1].split("\n## ")[0]
    assert not LINK.search(block)
    for line in page.splitlines():
        if line.startswith("#"):
            assert not LINK.search(line), line


# Letters, digits and symbols jieba keeps in its dictionary runs, spaces and \r\n it does not.
UNUSUAL = ["5G网络和C++、R&D经费增长2.5%", "abc 12 34x\r\ny", "3D打印\r\n\r\n北大", "ab\r\ncd\r\r\nef", "", "　两化融合 "]


def jieba_boundaries(text: str, tokenizer=jieba) -> set[int]:
    """What the linker and the sections stage ask jieba for: every token's start and end."""
    bounds = {0}
    for _, start, end in tokenizer.tokenize(text, HMM=False):
        bounds.update((start, end))
    return bounds


def jieba_is_word(view: str, start: int, end: int, tokenizer=jieba) -> bool:
    """The linker's check, made with jieba itself: boundaries at both ends in the window around it."""
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(view), end + CONTEXT_CHARS)
    bounds = jieba_boundaries(view[lo:hi], tokenizer) | {hi - lo}
    return start - lo in bounds and end - lo in bounds


def jieba_with_glossary(forms) -> jieba.Tokenizer:
    """jieba itself with the glossary's forms as user words, added one by one as a user of jieba would."""
    tokenizer = jieba.Tokenizer()
    tokenizer.check_initialized()
    for form in sorted(forms):
        tokenizer.add_word(form, freq=max(tokenizer.FREQ.get(form) or 0, 20000))
    return tokenizer


@pytest.fixture(scope="module")
def linked(site):
    """The matcher of the site's glossary, and jieba with those words added."""
    matcher = TermMatcher(match_forms(site.terms))
    return matcher, jieba_with_glossary(matcher.key_of)


def test_word_boundaries_are_jiebas(site, linked):
    """With the glossary as user words, on every paragraph and odd text."""
    matcher, reference = linked
    texts = [_without_quotes(p.text)[0] for doc in site.corpus.reports for p, _, _ in paragraphs_with_sections(doc)]
    for text in texts + UNUSUAL:
        assert matcher.boundaries.in_text(text) == sorted(jieba_boundaries(text, reference)), text


def test_the_sections_stages_boundaries_are_those_of_jiebas_own_dictionary(site, linked):
    """After linking laid the glossary over jieba's dictionary, the sections stage still cuts as a fresh jieba does."""
    fresh = jieba.Tokenizer()
    texts = [_without_quotes(p.text)[0] for doc in site.corpus.reports[:3] for p, _, _ in paragraphs_with_sections(doc)]
    for text in texts + UNUSUAL:
        assert word_boundaries(text) == sorted(jieba_boundaries(text, fresh)), text
        assert WordBoundaries().in_text(text) == sorted(jieba_boundaries(text, fresh)), text


def test_is_word_is_jiebas_in_the_window(site, linked):
    matcher, reference = linked
    rng = random.Random(1)
    views = [_without_quotes(p.text)[0] for doc in site.corpus.reports for p, _, _ in paragraphs_with_sections(doc)]
    checked = 0
    for view in [v for v in views if len(v) > 2] + [u for u in UNUSUAL if len(u) > 2]:
        for _ in range(3):
            start = rng.randrange(len(view) - 1)
            end = rng.randint(start + 1, min(len(view), start + 8))
            assert matcher.boundaries.is_word(view, start, end) == jieba_is_word(view, start, end, reference), \
                (view, start, end)
            checked += 1
    assert checked > 300
