"""Answers kept between builds (remembered.py): a memo keeps what its build used, under the code version;
the linking step's memos (FOUND, scope.DECIDED) answer only for the same text, vocabulary and definitions."""
from __future__ import annotations

import copy

from build_corpus import remembered
from build_corpus.corpus.linking import FOUND, TermMatcher, match_forms, paragraphs_with_sections, record_uses
from build_corpus.corpus.scope import DECIDED, Scope
from build_corpus.corpus.terms import merge_terms
from build_corpus.remembered import Memo


def test_a_memo_keeps_what_its_build_used_under_its_code_version(tmp_path):
    memo = Memo("test.memo")
    path = tmp_path / "remembered.pickle"
    remembered.load(path, "v1")
    memo.put("a", 1)
    memo.put("b", 2)
    remembered.save(path, "v1")
    remembered.load(path, "v1")
    assert memo.kept == {"a": 1, "b": 2} and memo.used == {}
    assert memo.get("a") == 1 and memo.get("z") is None
    memo.put("c", 3)
    remembered.save(path, "v1")
    remembered.load(path, "v1")
    assert memo.kept == {"a": 1, "c": 3}        # b was not asked for: gone
    remembered.load(path, "v2")                 # another code version: nothing kept
    assert memo.kept == {} and memo.get("a") is None


def test_an_unreadable_or_old_format_file_is_an_empty_start(tmp_path):
    memo = Memo("test.memo2")
    path = tmp_path / "remembered.pickle"
    path.write_bytes(b"not a pickle")
    remembered.load(path, "v1")
    assert memo.kept == {}
    import pickle
    path.write_bytes(pickle.dumps(("v1", {})))   # the format before memos
    remembered.load(path, "v1")
    assert memo.kept == {}


def _linked(corpus, jobs: int = 1):
    """Fresh copies of the reports with their terms, linked: (spans per paragraph, uses per term)."""
    reports = copy.deepcopy(corpus.reports)
    terms = merge_terms(reports)
    record_uses(reports, terms, jobs=jobs)
    spans = [[p.term_spans for p, _, _ in paragraphs_with_sections(doc)] for doc in reports]
    uses = {key: [(u.report.id, u.anchor, u.count, u.rule) for u in term.uses] for key, term in terms.items()}
    return spans, uses, terms


def test_linking_answers_from_the_memo_only_for_the_same_text_and_vocabulary(corpus, tmp_path, monkeypatch):
    path = tmp_path / "remembered.pickle"
    remembered.load(path, "v")
    cold = _linked(corpus)
    asked = dict(FOUND.used)
    assert len(asked) > 100
    remembered.save(path, "v")
    remembered.load(path, "v")

    def no_matching(self, text):
        raise AssertionError("every paragraph's occurrences should come from the memo")
    with monkeypatch.context() as patch:
        patch.setattr(TermMatcher, "find", no_matching)
        warm = _linked(corpus, jobs=2)   # half of it in a forked process: what it asked for is kept too
    assert warm[:2] == cold[:2]
    assert FOUND.used == asked

    # Another vocabulary (a term less): no paragraph's kept answer is its answer.
    terms = cold[2]
    dropped = next(iter(terms))
    fewer = TermMatcher(match_forms({k: t for k, t in terms.items() if k != dropped}))
    assert fewer.vocabulary != TermMatcher(match_forms(terms)).vocabulary
    text = next(p.text for doc in corpus.reports for p, _, _ in paragraphs_with_sections(doc))
    assert FOUND.get(fewer.key_of_text(text)) is None
    assert FOUND.get(TermMatcher(match_forms(terms)).key_of_text(text)) is not None


def test_the_corpus_download_compressed_again_from_kept_pieces_is_the_same_file():
    """corpus.jsonl.gz: each report's deflate blocks kept by its line and the window before it; one
    changed report gives the file compressing everything again gives (and gzip reads it as one stream)."""
    import gzip
    import random

    from build_corpus.pages.downloads import DEFLATED, gzipped_by_piece
    rng = random.Random(5)
    words = ["五水共治", "三改一拆", "治污水", "高质量发展", "the", "2026"]
    lines = [("".join(rng.choice(words) for _ in range(rng.randint(1, 9000))) + "\n").encode() for _ in range(12)]
    DEFLATED.kept, DEFLATED.used = {}, {}
    cold = gzipped_by_piece(lines)
    assert gzip.decompress(cold) == b"".join(lines) and len(DEFLATED.used) == len(lines)
    lines[4] = b'{"changed": true}\n'
    DEFLATED.kept, DEFLATED.used = DEFLATED.used, {}
    warm = gzipped_by_piece(lines)
    DEFLATED.kept, DEFLATED.used = {}, {}
    assert warm == gzipped_by_piece(lines) and gzip.decompress(warm) == b"".join(lines)
    # smaller than one member per report, about as small as one stream
    assert len(warm) < len(b"".join(gzip.compress(line, 6, mtime=0) for line in lines))
    assert len(warm) < len(gzip.compress(b"".join(lines), 6, mtime=0)) * 1.02


def test_what_a_forked_step_learned_comes_back_kept_answers_as_keys():
    """processes.beside: the forked process's new answers come back whole; those it took from the last
    build's (which the parent has too) as their keys alone; a remembered function's new answers too."""
    memo = Memo("test.since")
    memo.kept, memo.used = {"a": "kept answer"}, {}

    @remembered.remembered
    def double(x):
        return 2 * x
    double(1)
    start = remembered.mark()
    assert memo.get("a") == "kept answer"
    memo.put("b", "new answer")
    assert double(1) == 2 and double(5) == 10
    memos, tables = learned = remembered.since(start)
    assert memos["test.since"] == [("a", None), ("b", "new answer")]
    assert list(tables) == [double.__module__ + "." + double.__qualname__] and list(tables.values())[0] == [((5,), 10)]
    memo.used = {}
    double.cache_clear()
    remembered.adopt(learned)
    assert memo.used == {"a": "kept answer", "b": "new answer"}
    assert remembered._TABLES[list(tables)[0]] == {(5,): 10}


def test_scope_decisions_come_from_the_memo_only_for_the_same_definitions_and_report(corpus, tmp_path, monkeypatch):
    """A rebuild takes each report's decisions from the last build's (DECIDED) while the term's definitions
    and the report's place and year are the same; a definition moved to another place is decided again."""
    path = tmp_path / "remembered.pickle"
    remembered.load(path, "v")
    cold = _linked(corpus)
    assert len(DECIDED.used) > 100
    remembered.save(path, "v")
    remembered.load(path, "v")

    def no_deciding(self, doc, term, region):
        raise AssertionError("every decision should come from the memo")
    with monkeypatch.context() as patch:
        patch.setattr(Scope, "_decide", no_deciding)
        warm = _linked(corpus, jobs=2)
    assert warm[:2] == cold[:2]

    # A defining report placed elsewhere: its terms' decisions are not the kept ones.
    reports = copy.deepcopy(corpus.reports)
    terms = merge_terms(reports)
    term = next(t for t in terms.values() if len(t.definitions) > 1)
    scope = Scope(terms)
    before = scope._term_key(term)
    term.definitions[0].report.meta.place = "别处县"
    assert Scope(terms)._term_key(term) != before
    user = term.definitions[1].report
    assert DECIDED.get(remembered.key_of((Scope(terms)._term_key(term), user.id, user.meta.place, user.meta.parent,
                                          user.meta.year, False))) is None
