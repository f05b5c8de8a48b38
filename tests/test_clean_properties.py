"""Properties of clean(), on every real source document and on generated text.

1. Idempotence: clean(clean(x)[0])[0] == clean(x)[0].
2. No Han character vanishes unrecorded (see `han_balance`).
3. Each fix's log accounts for every character it removed (tests/clean_log.py).

Hypothesis runs derandomized, without an example database and with few
examples, so the file is deterministic and fast.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from clean_log import junk_string, runs, unaccounted
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from build_corpus.document.clean import clean
from build_corpus.document.fixes import _chrome_pattern, _WholeLinePattern, cleaning_data
from build_corpus.document.split import split_documents

SOURCES = Path(__file__).resolve().parent.parent / "sources"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def han(text: str) -> int:
    return len(HAN.findall(text))


def han_balance(text: str, output: str, log) -> int:
    """Han characters of `text` that are neither in its clean `output` nor in the `log` (0 when all are).

    The log is what each fix says it changed: a removed line as its stripped text, a
    replacement as (removed, replacement), an insertion as ("", inserted); whitespace-only
    pieces are logged by name (␣, \\n) and hold no Han; identical pairs are counted
    (Removal.count). So, summing over the whole log:

        han(input) == han(output) + Σ r.count · (han(r.text) − han(r.replacement))

    with a junk reference counted as the junk string it stands for. (When the log
    was a diff of each fix's input and output, this failed wherever the diff paired
    a changed line with an identical twin nearby; the repeated-line example below.)
    """
    logged = sum(r.count * (han(junk_string(r.text)) - han(junk_string(r.replacement))) for r in log)
    return han(text) - han(output) - logged


# --- the real sources ------------------------------------------------------------

def real_documents():
    for path in sorted(SOURCES.glob("*.txt")):
        for doc in split_documents(path.read_text(encoding="utf-8"), path.name)[0]:
            yield f"{path.name}#{doc.position}", doc.raw_text


REAL = dict(real_documents())


@cache
def cleaned(doc_id: str):
    return clean(REAL[doc_id])


def test_every_source_contributes_documents():
    names = {doc_id.split("#")[0] for doc_id in REAL}
    assert names == {p.name for p in SOURCES.glob("*.txt")}
    assert len(REAL) == 7 + 10 + 28 + 52   # seeds, their listing, the 28 provincial reports bundled later, the national 52


@pytest.mark.parametrize("doc_id", REAL)
def test_clean_is_idempotent_on_real_documents(doc_id):
    once, _ = cleaned(doc_id)
    twice, log = clean(once)
    assert twice == once
    assert log == []


@pytest.mark.parametrize("doc_id", list(REAL))
def test_every_han_character_of_real_documents_is_kept_or_logged(doc_id):
    assert han_balance(REAL[doc_id], *cleaned(doc_id)) == 0


@pytest.mark.parametrize("doc_id", list(REAL))
def test_clean_output_is_one_paragraph_per_line(doc_id):
    text, _ = cleaned(doc_id)
    assert text and "\n\n" not in text and not text.startswith("\n") and not text.endswith("\n")


# --- generated text --------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=200, derandomize=True, database=None, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])
# Shrinking a failure of these properties on run-on lines takes long: report the first example.
NO_SHRINKING = settings(PROPERTY_SETTINGS, phases=[Phase.explicit, Phase.generate])

WORDS = ["各位代表", "现在", "我代表市人民政府", "向大会报告工作", "经济", "发展", "推动", "高质量",
         "名词解释", "附件", "政府工作报告", "两新", "三智一网", "服务机", "制", "侯卫东官场笔记"]
HEADINGS = ["一、", "二、", "三、", "（一）", "(二)", "1.", "2．", "10、"]
FULL_PUNCT = list("，。；：！？、“”‘’（）《》【】…—·")
HALF_PUNCT = list(",.;:!?()\"'-%")
NUMBERS = ["2024", "7.2%", "12:30", "1.51", "2024-02-06", "１２", "ＧＤＰ", "0"]
LATIN = ["R&D", "PM2.5", "G60", "Essential Science Indicators", "https://www.gov.cn/a_b.html", "ESI"]
SPACES = [" ", "  ", "\u3000", "\t", "\u00a0"]
LAYOUT = ["\n", "\n", "\n\n", "**", "— 2 —", "分享：", "责任编辑：", "\u200b"]

fragment = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(HEADINGS), st.sampled_from(FULL_PUNCT),
    st.sampled_from(HALF_PUNCT), st.sampled_from(NUMBERS), st.sampled_from(LATIN),
    st.sampled_from(SPACES), st.sampled_from(LAYOUT),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.characters(min_codepoint=0x30, max_codepoint=0x39),
)
mixed_text = st.lists(fragment, max_size=40).map("".join)


def run_on(sentences: list[str]) -> str:
    """A scraped one-line report: numbered sections of the sentences, repeated past the run-on length."""
    line, n = "", 0
    while len(line) < 1600:
        n += 1
        line += f"{'一二三四五六七八九'[(n - 1) % 9]}、" + "".join(sentences) + "。 "
    return line


sentence = st.lists(fragment.filter(lambda f: "\n" not in f), min_size=1, max_size=12).map("".join)
run_on_text = st.lists(sentence, min_size=1, max_size=6).map(run_on)

# Once known failures (now fixed), each kept as an explicit example,
PUNCTUATION_RUN = "难道不是吗?!"
SPACE_BEFORE_COMMA = "持续优化营商环境 ,通过一系列举措高效推进改革。"
BOLD_ACROSS_BREAK = run_on(["**"])
# and a fixed one kept as a regression example (五一、 once crashed _break_line).
WUYI_IN_RUN_ON = run_on(["抓住春节、五一、国庆等节假日消费旺季"])
# A join next to a line's twin, which the diff-based log once got wrong.
JOIN_BESIDE_A_TWIN = "坚持稳中求进工作总基调，\n推动经济实现质的有效提升。\n坚持稳中求进工作总基调，"


@NO_SHRINKING
@example(PUNCTUATION_RUN)
@example(SPACE_BEFORE_COMMA)
@example(BOLD_ACROSS_BREAK)
@given(st.one_of(mixed_text, run_on_text))
def test_clean_is_idempotent_on_generated_text(text):
    once, _ = clean(text)
    assert clean(once)[0] == once


@PROPERTY_SETTINGS
@example(JOIN_BESIDE_A_TWIN)
@given(mixed_text)
def test_every_han_character_of_generated_text_is_kept_or_logged(text):
    output, log = clean(text)
    assert set(HAN.findall(output)) <= set(HAN.findall(text))   # no fix invents characters
    assert han_balance(text, output, log) == 0


@settings(PROPERTY_SETTINGS, max_examples=50)
@example(WUYI_IN_RUN_ON)
@given(run_on_text)
def test_every_han_character_of_generated_run_on_text_is_kept_or_logged(text):
    output, log = clean(text)
    assert set(HAN.findall(output)) <= set(HAN.findall(text))
    assert han_balance(text, output, log) == 0


@NO_SHRINKING
@example(JOIN_BESIDE_A_TWIN)
@example(BOLD_ACROSS_BREAK)
@given(st.one_of(mixed_text, run_on_text))
def test_each_fix_logs_what_it_removed(text):
    """Run as clean() runs them, each fix's log entries account for every character it took out."""
    for fix, before, after, entries in runs(text):
        assert unaccounted(before, after, entries) == [], fix


# --- chrome patterns found from newlines (fixes._WholeLinePattern) ---------------------

def _edge_patterns() -> list[str]:
    """cleaning.yml's chrome patterns, and `^…` patterns that may match empty or span lines."""
    return [*cleaning_data()["chrome_patterns"].values(), r"^\s*$\n?", r"^(分享)?", r"^\s*?分享", r"^(?:大\n)+",
            r"^分享|收藏", r"^[|]分享"]


@settings(PROPERTY_SETTINGS, max_examples=300)
@given(st.lists(st.sampled_from(["分享：", "大", "收藏", "", " ", "\u3000", "当前位置：首页", "责任编辑：", "李莎莎",
                                 "本报记者 王一 摄", "|分享", "正文，", "©版权所有"]), max_size=12),
       st.sampled_from(["\n", "\n\n", " \n"]))
def test_chrome_patterns_found_from_newlines_match_as_finditer_does(pieces, joiner):
    text = joiner.join(pieces)
    for pattern in _edge_patterns():
        found = _chrome_pattern(pattern)
        expected = [m.span() for m in re.compile(pattern, re.MULTILINE).finditer(text)]
        assert [m.span() for m in found.finditer(text)] == expected, (pattern, text)


def test_only_patterns_anchored_as_a_whole_are_found_from_newlines():
    assert isinstance(_chrome_pattern(r"^(上一篇|下一篇)[：:]"), _WholeLinePattern)
    assert not isinstance(_chrome_pattern(r"^分享|收藏"), _WholeLinePattern)      # 收藏 anywhere
    assert not isinstance(_chrome_pattern(r"^(分享)\1"), _WholeLinePattern)       # a backreference
