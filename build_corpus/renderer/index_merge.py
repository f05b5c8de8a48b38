"""A split site's one search index, merged again from the shares that changed since the last merge.

`search_index.merge_indexes` reads every share (a million lines at 1,000 reports, ~3 s of every warm CI
build). After one report changed, one share changed, and in it the postings of a few hundred keys. So
each merge leaves a record beside its files (`MergeRecord`: every share's digest and chunk count, the
single Han characters' shares, the merged files' SHA-256s), and the next one starts from it:

- a share with the digest of the last merge is not read: its document chunks are the last merge's
  files, linked (a file is used only with the bytes the record says it had);
- a changed share is compared with the share the last merge read (`partial.previous`, kept by its
  writer): only the keys whose lines differ are merged again, in their shards, by decoding the last
  merged postings, putting the share's new ones in place of its old ones (a share's documents are one
  run of ids), and encoding them again; the single Han characters are merged again from the record
  (whether one is common depends on them all);
- the other shards are the last merge's files, linked.

The result is byte for byte what merging every share gives (tests/test_index_merge.py checks it on
changes of every kind). It merges everything again when that cannot hold or is not worth it: another
list of shares, a share with more or fewer chunks (every id after it moves), a share that was built
twice since the last merge, more than MAX_CHANGED changed shares, another number of shards, a
missing or damaged record or file.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import shutil
from bisect import bisect_left
from collections import defaultdict
from pathlib import Path

from .search_index import (
    CHUNK_DOCS,
    FLAG_BITS,
    PARTIAL_META,
    POSTINGS_BY_KEY,
    PREVIOUS_PARTIAL,
    IndexSummary,
    MergeRecord,
    ShardedIndexWriter,
    _from_gaps,
    _gaps,
    _one_han,
    _read_shard,
    _shard_count,
    _value_encoder,
    decode_values,
    encode_values,
    is_common,
    merge_indexes,
    merge_one_han,
    prefixed,
    shard_of,
    share_digest,
)
from .subsites import link_or_copy

RECORD = "merge.pickle"   # in the merge's state folder
FILES = "index"           # beside it: the merged index's files (hard links)
VERSION = 1
MAX_CHANGED = 4           # more changed shares than this: most keys changed, merged whole

log = logging.getLogger("mkdocs.hooks.build_corpus")


class _Unusable(Exception):
    """The last merge cannot be started from (the reason, for the log at DEBUG)."""


def merge_shares(search_dir: Path, parts: list[tuple[str, Path]], state: Path) -> tuple[IndexSummary, str]:
    """The merged index of `parts` (merge_indexes' arguments) in `search_dir`, from the last merge
    (its record in `state`) where it can be, and a few words on how, for the log."""
    record = _load(state)
    summary = None
    if record is not None:
        try:
            summary, record, how = _merge_again(search_dir, parts, record, state / FILES)
        except _Unusable as reason:
            log.debug("search: merged whole (%s)", reason)
        except (OSError, ValueError, KeyError, IndexError) as error:   # a damaged state: merged whole
            log.debug("search: merged whole (%s)", error)
    if summary is None:
        record = MergeRecord()
        summary = merge_indexes(search_dir, parts, record)
        how = f"merged whole from {len(parts)} shares"
    _save(state, record, search_dir.parent / summary.folder)
    return summary, how


def _merge_again(search_dir: Path, parts: list[tuple[str, Path]], record: MergeRecord,
                 files: Path) -> tuple[IndexSummary, MergeRecord, str]:
    if [prefix for prefix, _ in parts] != [prefix for prefix, _, _ in record.shares]:
        raise _Unusable("another list of shares")
    metas = [json.loads((folder / PARTIAL_META).read_text(encoding="utf-8")) for _, folder in parts]
    digests = [share_digest(folder) for _, folder in parts]
    changed = [n for n, digest in enumerate(digests) if digest != record.shares[n][1]]
    if not all(digests) or len(changed) > MAX_CHANGED:
        raise _Unusable(f"{len(changed)} shares changed")
    offsets, total = [], 0
    for _, _, chunks in record.shares:
        offsets.append(total * CHUNK_DOCS)
        total += chunks
    for n in changed:
        if metas[n]["chunks"] != record.shares[n][2]:
            raise _Unusable(f"share {n} has {metas[n]['chunks']} chunks, had {record.shares[n][2]}")
        if share_digest(parts[n][1].parent / PREVIOUS_PARTIAL) != record.shares[n][1]:
            raise _Unusable(f"share {n} is not the one after the last merge's")
    docs = sum(meta["docs"] for meta in metas)

    # The keys whose postings changed, in each changed share: their new fields (None: gone from it).
    one_han = dict(record.one_han)
    others: dict[str, list[tuple[int, int, list[str] | None]]] = defaultdict(list)   # key -> (start, end, fields)
    for n in changed:
        previous = _lines(parts[n][1].parent / PREVIOUS_PARTIAL / POSTINGS_BY_KEY)
        current = _lines(parts[n][1] / POSTINGS_BY_KEY)
        fields_of = {line.split("\t", 1)[0]: line[:-1].split("\t")[1:] for line in current - previous}
        for key in {line.split("\t", 1)[0] for line in previous ^ current}:
            fields = fields_of.get(key)
            if _one_han(key):
                shares = [share for share in one_han.get(key, []) if share[0] != offsets[n]]
                if fields is not None:
                    shares.append((offsets[n], int(fields[0]), fields[1:]))
                    shares.sort(key=lambda share: share[0])
                if shares:
                    one_han[key] = shares
                else:
                    one_han.pop(key, None)
            else:
                end = offsets[n] + metas[n]["chunks"] * CHUNK_DOCS
                others[key].append((offsets[n], end, fields[1:4] if fields is not None else None))

    one_han_lines, adjustment = merge_one_han(one_han, docs, _value_encoder())
    pairs = sum(meta["pairs"] for meta in metas) + adjustment
    shards = _shard_count(pairs)
    if shards != record.shards:
        raise _Unusable(f"{shards} shards, were {record.shards}")
    lines_changed = {key: line for key, line in one_han_lines.items() if record.one_han_lines.get(key) != line}
    lines_changed.update((key, "") for key in record.one_han_lines if key not in one_han_lines)
    in_shard: dict[int, list[str]] = defaultdict(list)
    for key in (*others, *lines_changed):
        in_shard[shard_of(key, shards)].append(key)

    writer = ShardedIndexWriter(search_dir)
    writer.page_of = []
    for n, ((prefix, folder), meta) in enumerate(zip(parts, metas)):
        pages = [writer.page_numbers.setdefault(prefix + page, len(writer.page_numbers)) for page in meta["pages"]]
        writer.page_of += [[pages[i] for i in chunk] for chunk in meta["of"]]
        for i in range(meta["chunks"]):
            name = f"d{writer.chunks}"
            if n in changed:
                writer._write(name, prefixed(_read_shard(folder / f"d{i}.js"), prefix))
            else:
                _adopt(writer, files, f"{name}.js", record)
            writer.chunks += 1
    writer.docs, writer.pairs = docs, pairs
    keys = record.keys
    for n in range(shards):
        if n not in in_shard:
            _adopt(writer, files, f"b{n}.js", record)
            continue
        bucket = _read_shard(_checked(files, f"b{n}.js", record)[0])
        before = len(bucket)
        for key in in_shard[n]:
            line = lines_changed[key] if key in lines_changed else _patched(bucket.get(key, ""), others[key])
            if line:
                bucket[key] = line
            else:
                bucket.pop(key, None)
        keys += len(bucket) - before
        writer._write(f"b{n}", {key: bucket[key] for key in sorted(bucket)})
    common = "".join(sorted(key for key, shares in one_han.items() if is_common(key, sum(s[1] for s in shares), docs)))
    summary = writer._publish(shards, keys, common)
    again = MergeRecord([(prefix, digest, meta["chunks"]) for (prefix, _), digest, meta in zip(parts, digests, metas)],
                        one_han, one_han_lines, shards, dict(writer.files), summary.folder, keys)
    return summary, again, (f"merged again: {len(changed)} of {len(parts)} shares changed, "
                            f"{len(others) + len(lines_changed)} keys in {len(in_shard)} of {shards} shards")


def _lines(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as f:
        return set(f)


def _patched(line: str, changes: list[tuple[int, int, list[str] | None]]) -> str:
    """A key's merged postings with the documents from `start` to `end` (one share's) replaced by the
    share's new ones (its line's first value, last document, other values encoded; None: none)."""
    values = _from_gaps(decode_values(line))
    for start, end, fields in changes:
        new = []
        if fields is not None:
            first, _last, rest = fields
            value = int(first) + (start << FLAG_BITS)
            new = [value, *_from_gaps(decode_values(rest), value)]
        values[bisect_left(values, start << FLAG_BITS):bisect_left(values, end << FLAG_BITS)] = new
    return encode_values(_gaps(values))


def _checked(files: Path, name: str, record: MergeRecord) -> tuple[Path, bytes]:
    path = files / name
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != record.files.get(name):
        raise ValueError(f"{path} is not the file the last merge wrote")
    return path, data


def _adopt(writer: ShardedIndexWriter, files: Path, name: str, record: MergeRecord) -> None:
    path, data = _checked(files, name, record)
    writer._adopt(name, path, data)


def _load(state: Path) -> MergeRecord | None:
    """The last merge's record, deleted as it is read (a merge that fails leaves none)."""
    path = state / RECORD
    try:
        with path.open("rb") as f:
            version, record = pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:   # truncated, another format: merged whole
        version, record = None, None
    path.unlink(missing_ok=True)
    return record if version == VERSION and isinstance(record, MergeRecord) else None


def _save(state: Path, record: MergeRecord, folder: Path) -> None:
    """The record and the merged index's files (hard links to the published ones: never written in place)."""
    try:
        state.mkdir(parents=True, exist_ok=True)
        (state / RECORD).unlink(missing_ok=True)
        shutil.rmtree(state / FILES, ignore_errors=True)
        (state / FILES).mkdir()
        for name in record.files:
            link_or_copy(folder / name, state / FILES / name)
        tmp = state / f".{RECORD}.{os.getpid()}.tmp"
        with tmp.open("wb") as f:
            pickle.dump((VERSION, record), f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(state / RECORD)
    except OSError:   # a full disk: the next merge reads every share, as this one may have
        (state / RECORD).unlink(missing_ok=True)
