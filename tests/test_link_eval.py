"""Term links measured against hand-labelled real sentences (tests/data/link_eval.yml).

The set holds every sentence of the 2026 provincial reports (and the seeds) where the linker
finds a term or a term's words appear, each judged by hand, plus sentences holding parts of
terms. The test prints precision and recall and fails below 0.98; `python tests/link_eval.py`
lists every error.
"""
from __future__ import annotations

import pytest
from link_eval import build, evaluate, load, source_files

MIN_SENTENCES = 300
MIN_SCORE = 0.98


@pytest.fixture(scope="module")
def labelled():
    return load()


@pytest.fixture(scope="module")
def result(labelled):
    sources, sentences = labelled
    return evaluate(build(source_files()), sources, sentences)


def test_every_labelled_sentence_is_in_the_corpus(result):
    assert result.missing == []


def test_precision_and_recall(result):
    print("\n" + result.summary())
    for line in result.errors():
        print("  " + line)
    assert result.sentences >= MIN_SENTENCES
    assert result.precision >= MIN_SCORE, result.errors()
    assert result.recall >= MIN_SCORE, result.errors()


# The cases issue 14 found in a sample of 40 links: each must be in the labelled set.
ISSUE_CASES = [
    ("2026_jilin_report_web.txt", "政府“三资”", 0),                 # another place's concept
    ("2026_hubei_report_web.txt", "国有“三资”", 0),
    ("2026_xinjiang_report_web.txt", "“五个必须”的规律性认识", 0),
    ("2026_jilin_report_web.txt", "“五个必须”规律性认识", 0),
    ("2026_ningxia_report_web.txt", "实施“五大战略”", 0),
    ("2026_jiangxi_report_web.txt", "治安“三张图”", 1),             # quote pairs: the whole quoted term
    ("2026_gansu_report_web.txt", "金融“五篇大文章”", 1),
    ("2026_henan_report_web.txt", "“五统一、一开放”", 1),          # a key keeps its 、
    ("2026_fujian_report_web.txt", "“五统一、一开放”", 1),
    ("2026_sichuan_report_web.txt", "现代水网体系", 1),  # a curated variant
    ("2026_sichuan_report_web.txt", "“18条”", 2),        # a prefix the report shares
]


@pytest.mark.parametrize("source,words,links", ISSUE_CASES)
def test_the_cases_of_the_issue_are_labelled(labelled, source, words, links):
    _, sentences = labelled
    found = [s for s in sentences if s.source == source and words in s.text]
    assert found, (source, words)
    assert any(len(s.links) == links for s in found), [(s.text, s.links) for s in found]
