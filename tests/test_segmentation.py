"""jieba's dictionary as segmentation.py reads it: from its SQLite table, loaded whole, with glossary words laid over."""
from __future__ import annotations

import random

import jieba
import pytest

from build_corpus import segmentation
from build_corpus.segmentation import JiebaDictionary, WithWords, WordBoundaries, dictionary_cuts

TEXT = ("全面推进“五水共治”，深化三改一拆，加快建设长三角一体化示范区，推动5G网络和R&D经费增长2.5%，"
        "北大概是他说的，两化融合、两新政策持续发力，他北大概是不来了。")


@pytest.fixture(scope="module")
def jiebas():
    tokenizer = jieba.Tokenizer()
    tokenizer.check_initialized()
    return tokenizer


@pytest.fixture
def table(tmp_path, monkeypatch):
    """A folder for the table, and the table written there by a first, loading dictionary."""
    monkeypatch.setattr(segmentation, "_index_folder", tmp_path)
    JiebaDictionary().load()
    return segmentation._index_path(tmp_path)


def sample_words(jiebas, n=3000) -> list[str]:
    rng = random.Random(7)
    words = rng.sample(sorted(jiebas.FREQ), n)
    return words + [w[:1] for w in words[:200]] + ["不在词典里的词", "x", "五水共治", "三改一拆", "长三角一体化"]


def test_the_table_answers_as_the_dictionary_without_loading_it(table, jiebas):
    assert table.exists() and table.with_suffix(".sha256").exists()
    fresh = JiebaDictionary()
    assert fresh.total == jiebas.total
    for word in sample_words(jiebas):
        assert fresh.get(word) == jiebas.FREQ.get(word), word
    assert fresh.freq is None   # never loaded
    for run in segmentation.DICTIONARY_RUN.findall(TEXT):
        assert dictionary_cuts(run, fresh, fresh.total) == dictionary_cuts(run, jiebas.FREQ, jiebas.total), run


def test_a_damaged_table_is_not_read(table, jiebas):
    data = bytearray(table.read_bytes())
    data[len(data) // 2] ^= 0xFF
    table.write_bytes(bytes(data))
    fresh = JiebaDictionary()
    assert fresh.get("五水") == jiebas.FREQ.get("五水")
    assert fresh.freq is not None   # loaded: the table's bytes are not those it was written with


def test_a_dictionary_asked_much_is_loaded_whole(table, jiebas, monkeypatch):
    monkeypatch.setattr(segmentation, "SWITCH_AFTER", 10)
    fresh = JiebaDictionary()
    answers = [fresh.get(word) for word in sample_words(jiebas, 50)]
    assert fresh.freq is not None and fresh.asked == 10
    assert answers == [jiebas.FREQ.get(word) for word in sample_words(jiebas, 50)]


def test_no_folder_no_table(tmp_path, monkeypatch):
    monkeypatch.setattr(segmentation, "_index_folder", None)
    fresh = JiebaDictionary()
    assert fresh.get("政府") > 0 and fresh.freq is not None
    assert list(tmp_path.iterdir()) == []


def test_words_laid_over_are_jiebas_add_word(jiebas):
    """WithWords gives what jieba.add_word(word, max(its frequency, 20000)) gives, word by word: frequencies,
    prefixes, total; and the dictionary under it is left as it was."""
    words = ["五水共治", "三改一拆", "北大", "政府", "两新", "长三角一体化示范区", "R&D"]
    base = JiebaDictionary()
    laid = WithWords(base, words)
    added = jieba.Tokenizer()
    added.check_initialized()
    for word in sorted(words):
        added.add_word(word, freq=max(added.FREQ.get(word) or 0, 20000))
    assert laid.total == added.total
    for word in [*words, "五", "五水", "五水共", "长三角一", "长三角一体化示范", "北", "R", "R&"] + sample_words(jiebas, 500):
        assert laid.get(word) == added.FREQ.get(word), word
    for run in segmentation.DICTIONARY_RUN.findall(TEXT):
        assert WordBoundaries(laid)._cuts(run) == dictionary_cuts(run, added.FREQ, added.total), run
    assert base.get("五水共治") == jiebas.FREQ.get("五水共治")


def test_the_runs_are_jiebas():
    """The patterns written out in segmentation.py (a build that needs no dictionary does not import jieba)."""
    assert segmentation.DICTIONARY_RUN.pattern == jieba.re_han_default.pattern
    assert segmentation.ASCII_LETTER_OR_DIGIT.pattern == jieba.re_eng.pattern
