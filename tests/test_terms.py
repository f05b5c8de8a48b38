"""Merging 名词解释 entries into one term per concept across reports and years."""
from __future__ import annotations

import pytest

from build_corpus.corpus.terms import merge_terms, pinyin_sort_key, slugify
from build_corpus.pages.term import diff_html


@pytest.fixture(scope="module")
def terms(corpus):
    return merge_terms(corpus.reports)


def test_every_seed_entry_becomes_a_term(terms, reports):
    for doc in reports.values():
        for entry in doc.glossary:
            assert entry.terms, entry.term
            assert all(key in terms for key in entry.terms), (doc.id, entry.term)


def test_quotes_do_not_make_a_new_term(terms):
    """2017 濮院镇 writes “四位一体”管理; 2018 writes 四位一体: one page, both wordings."""
    term = terms["四位一体"]
    assert {d.report.id for d in term.definitions} == {"puyuanzhen-2017", "puyuanzhen-2018"}
    assert "“四位一体”管理" in term.forms
    assert "四位一体管理" not in terms
    assert {d.report.id for d in terms["两化融合"].definitions} == {"puyuanzhen-2017", "puyuanzhen-2018"}


def test_identical_wordings_are_grouped_and_different_ones_kept(terms):
    same = terms["三改一拆"]
    assert len(same.definitions) == 2 and len(same.wordings) == 1
    different = terms["一园两区"]
    assert len(different.wordings) == 2
    four = terms["四个平台"]
    assert {d.report.id for d in four.definitions} == {"tongxiangshi-2018", "puyuanzhen-2018"}
    assert len(four.wordings) == 2


def test_an_entry_naming_two_terms_gives_two_terms(terms):
    assert "三医联动" in terms and "六医统筹" in terms
    assert terms["三医联动"].definitions[0].entry is terms["六医统筹"].definitions[0].entry
    assert {"两个基地", "两个枢纽", "两个网络"} <= set(terms)


def test_a_slogan_in_short_parts_is_one_term(terms):
    """一核、两翼、两带 (2017) and 一核两翼两带 (2018) name one slogan, not three terms."""
    assert "一核" not in terms
    assert {d.report.id for d in terms["一核两翼两带"].definitions} == {"puyuanzhen-2017", "puyuanzhen-2018"}


def test_slugs_are_readable_and_unique(terms):
    slugs = [t.slug for t in terms.values()]
    assert len(slugs) == len(set(slugs))
    assert terms["三改一拆"].slug == "san-gai-yi-chai"
    assert slugify("“1+3+1+X”产业") == "1-3-1-x-chan-ye"


def test_pinyin_order_and_initials(terms):
    ordered = sorted(["五水共治", "三改一拆", "两化融合", "R&D占比"], key=pinyin_sort_key)
    assert ordered == ["两化融合", "R&D占比", "三改一拆", "五水共治"]
    assert terms["五水共治"].initial == "W"


def test_diff_marks_what_each_wording_has_alone():
    left, right = diff_html("“一园”指浙江濮院毛衫针织产业园区", "“一园”指濮院针织产业园区")
    assert "<del>浙江</del>" in left and "<del>毛衫</del>" in left
    assert "<ins>" not in right   # the second wording only drops text
