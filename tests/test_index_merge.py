"""The search index merged again from what changed (renderer/index_merge.py) is byte for byte the index
merged from every share (search_index.merge_indexes), whatever changed."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from build_corpus.renderer import index_merge, search_index
from build_corpus.renderer.index_merge import merge_shares
from build_corpus.renderer.search_index import PARTIAL, SearchDoc, ShardedIndexWriter, merge_indexes

WORDS = ["五水共治", "三改一拆", "治污水", "防洪水", "排涝水", "保供水", "抓节水", "乡村振兴", "共同富裕", "数字经济",
         "营商环境", "高质量发展", "民生实事", "城市更新", "科技创新", "生态保护", "the", "GDP", "5G", "2026年"]


def _documents(rng: random.Random, n: int, name: str) -> list[SearchDoc]:
    docs = []
    for i in range(n):
        text = "，".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8))) + "。"
        docs.append(SearchDoc(f"reports/{name}{i // 6}.html" + (f"#sec-{i % 6}" if i % 6 else ""),
                              f"标题{rng.choice(WORDS)}" if rng.random() < 0.5 else f"第{i}节",
                              text, text_in_page=bool(i % 2)))
    return docs


def _write_share(folder: Path, docs: list[SearchDoc]) -> Path:
    writer = ShardedIndexWriter(folder)
    for doc in docs:
        writer.add(doc)
    writer.finish(partial=True)
    return folder / PARTIAL


def _files(search: Path) -> dict[str, bytes]:
    folder = next(search.glob("idx-*"))
    return {f"{folder.name}/{p.name}": p.read_bytes() for p in folder.iterdir()}


def _edit(rng: random.Random, docs: list[SearchDoc], kind: str) -> list[SearchDoc]:
    docs = list(docs)
    if kind == "text":        # words in and out: keys appear, disappear, repeat (flags)
        for i in rng.sample(range(len(docs)), 5):
            docs[i] = SearchDoc(docs[i].location, docs[i].title, docs[i].text + rng.choice(WORDS) * rng.randint(1, 2),
                                text_in_page=docs[i].text_in_page)
        i = rng.randrange(len(docs))
        docs[i] = SearchDoc(docs[i].location, "新标题", "完全不同的一段话。", text_in_page=docs[i].text_in_page)
    elif kind == "fewer docs":   # the last chunk shorter: the same chunks, fewer documents
        docs = docs[:-3]
    elif kind == "more chunks":
        docs = docs + [SearchDoc(f"reports/x{i}.html", "多", "多出来的文字。" * 50) for i in range(400)]
    return docs


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("common_min", [None, 5], ids=["as built", "common characters thinned"])
def test_merged_again_is_merged_whole(tmp_path, monkeypatch, seed, common_min):
    if common_min:   # most characters common
        monkeypatch.setattr(search_index, "COMMON_MIN", common_min)
    monkeypatch.setattr(search_index, "SHARD_BYTES", 400)   # many shards: the unchanged ones are the last merge's
    rng = random.Random(seed)
    names = ["main", "anhui", "hainan", "zhejiang"]
    shares = {name: _documents(rng, rng.randint(40, 300), name) for name in names}
    parts = [("" if name == "main" else f"{name}/", _write_share(tmp_path / name, docs)) for name, docs in shares.items()]
    state = tmp_path / "state"
    _, how = merge_shares(tmp_path / "build0" / "search", parts, state)
    assert how.startswith("merged whole")
    for build, kind in enumerate(["text", "text", "fewer docs", "none", "text"], start=1):
        for name in rng.sample(names[1:], rng.randint(1, 2)) if kind != "none" else []:
            shares[name] = _edit(rng, shares[name], kind)
            _write_share(tmp_path / name, shares[name])
        _, how = merge_shares(tmp_path / f"build{build}" / "search", parts, state)
        assert how.startswith("merged again"), (kind, how)
        merge_indexes(tmp_path / f"whole{build}" / "search", parts)
        assert _files(tmp_path / f"build{build}" / "search") == _files(tmp_path / f"whole{build}" / "search"), kind


def test_what_cannot_be_merged_again_is_merged_whole(tmp_path):
    rng = random.Random(7)
    shares = {name: _documents(rng, 120, name) for name in ("main", "a", "b")}
    parts = [("" if name == "main" else f"{name}/", _write_share(tmp_path / name, docs)) for name, docs in shares.items()]
    state = tmp_path / "state"
    merge_shares(tmp_path / "b0" / "search", parts, state)

    def again(n: int) -> str:
        _, how = merge_shares(tmp_path / f"b{n}" / "search", parts, state)
        merge_indexes(tmp_path / f"w{n}" / "search", parts)
        assert _files(tmp_path / f"b{n}" / "search") == _files(tmp_path / f"w{n}" / "search")
        return how

    _write_share(tmp_path / "a", _edit(rng, shares["a"], "more chunks"))      # every id after it moves
    assert again(1).startswith("merged whole")
    _write_share(tmp_path / "a", _edit(rng, shares["a"], "text"))
    _write_share(tmp_path / "a", _edit(rng, shares["a"], "text"))             # built twice since the last merge
    assert again(2).startswith("merged whole")
    _write_share(tmp_path / "b", _edit(rng, shares["b"], "text"))
    damaged = next((state / index_merge.FILES).glob("b*.js"))
    damaged.unlink()
    damaged.write_text("__shard(\"b0\",{});\n")                              # a file the record does not know
    assert again(3).startswith("merged whole")
    (state / index_merge.RECORD).write_bytes(b"garbage")
    assert again(4).startswith("merged whole")
    assert again(5).startswith("merged again: 0 of 3")


def test_a_character_becoming_common_and_ceasing_to_be(tmp_path, monkeypatch):
    """Whether a single character keeps only its titles' postings depends on every share's count."""
    monkeypatch.setattr(search_index, "COMMON_MIN", 30)
    monkeypatch.setattr(search_index, "COMMON_SHARE", 0)
    monkeypatch.setattr(search_index, "SHARD_BYTES", 400)
    rng = random.Random(11)
    shares = {name: _documents(rng, 150, name) for name in ("main", "a", "b")}

    def holding(name: str, count: int) -> Path:
        """The share with 翻 in its first `count` sections (and the first one's title)."""
        docs = list(shares[name])
        for i in range(count):
            d = docs[i]
            docs[i] = SearchDoc(d.location, "翻" if i == 0 else d.title, d.text + "翻", text_in_page=d.text_in_page)
        return _write_share(tmp_path / name, docs)

    parts = [("" if name == "main" else f"{name}/", holding(name, 10)) for name in shares]
    state = tmp_path / "state"
    summary, _ = merge_shares(tmp_path / "b0" / "search", parts, state)
    assert "翻" not in summary.common   # 30 sections: common from 31
    for n, (name, count, common) in enumerate([("a", 12, True), ("a", 9, False), ("b", 0, False)], start=1):
        holding(name, count)
        summary, how = merge_shares(tmp_path / f"b{n}" / "search", parts, state)
        assert how.startswith("merged again"), how
        assert ("翻" in summary.common) == common, (n, summary.common)
        merge_indexes(tmp_path / f"w{n}" / "search", parts)
        assert _files(tmp_path / f"b{n}" / "search") == _files(tmp_path / f"w{n}" / "search"), n
