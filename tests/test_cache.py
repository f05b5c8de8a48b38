"""The per-source cache: unchanged sources are reused, a changed one (or its sidecar) is processed again."""
from __future__ import annotations

import shutil
from pathlib import Path

from build_corpus.cache import SourceCache
from build_corpus.pages.export import source_json
from build_corpus.pipeline import build_corpus, find_sources

SOURCES = Path(__file__).parent.parent / "sources"


def test_second_build_reuses_every_unchanged_source(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    cache = SourceCache(tmp_path / "cache")
    cold = build_corpus(find_sources(sources)[0], tmp_path, cache)
    assert not any(s.from_cache for s in cold.sources)
    warm = build_corpus(find_sources(sources)[0], tmp_path, SourceCache(tmp_path / "cache"))
    assert all(s.from_cache for s in warm.sources)
    assert [source_json(s) for s in warm.sources] == [source_json(s) for s in cold.sources]

    huzhou = sources / "2024_huzhou_report.txt"
    huzhou.write_bytes(huzhou.read_bytes() + "\n各位代表！新增一句。\n".encode())
    (sources / "2024_jiaxing_report.txt.meta.yml").write_text("speaker: 测试\n", encoding="utf-8")
    changed = build_corpus(find_sources(sources)[0], tmp_path, SourceCache(tmp_path / "cache"))
    fresh = {s.path for s in changed.sources if not s.from_cache}
    assert fresh == {"sources/2024_huzhou_report.txt", "sources/2024_jiaxing_report.txt"}
    assert next(d for d in changed.reports if d.id == "jiaxingshi-2024").meta.speaker == "测试"


def test_parallel_processing_gives_the_same_corpus(tmp_path):
    paths, _ = find_sources(SOURCES)
    serial = build_corpus(paths, SOURCES.parent)
    parallel = build_corpus(paths, SOURCES.parent, workers=2)
    assert [source_json(s) for s in parallel.sources] == [source_json(s) for s in serial.sources]


def test_a_corrupt_cache_entry_is_a_miss(tmp_path):
    cache = SourceCache(tmp_path)
    (tmp_path / "abc.pickle").write_bytes(b"not a pickle")
    assert cache.get("abc") is None and cache.misses == 1


def test_an_unusable_cache_entry_is_discarded_and_recomputed(tmp_path):
    """An entry that unpickles to something else (an old format, a stray file) used to drop its
    report on every later build; now it is deleted and the source processed again."""
    import pickle
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SOURCES / "2024_huzhou_report.txt", sources)
    cache = SourceCache(tmp_path / "cache")
    build_corpus(find_sources(sources)[0], tmp_path, cache)
    [entry] = (tmp_path / "cache").glob("*.pickle")
    for wrong in ("a string", ({"not": "a source"}, []), (None, None)):
        entry.write_bytes(pickle.dumps(wrong))
        again = build_corpus(find_sources(sources)[0], tmp_path, SourceCache(tmp_path / "cache"))
        assert [d.id for d in again.reports] == ["huzhoushi-2024"] and not again.sources[0].from_cache
        assert type(pickle.loads(entry.read_bytes())[0]).__name__ == "Source"   # rewritten with a good entry
