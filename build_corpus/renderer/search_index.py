"""Search: a static index cut into small files, so a query downloads a few of them.

Material's own search ships one index (every page's text, jieba-segmented) that the browser
loads whole before the first query: 12.5 MB at 100 reports, ~100 MB at 1,000. Here the index
is cut two ways, and a query loads only what it needs:

- postings (`b<n>.js`): for every character and every pair of adjacent Han characters (and
  every Latin/digit word), the documents holding it, as one string of variable-length digits
  (`encode_values`). A key lives in shard hash(key) mod S, so a query of k keys loads at most k shards. Bigrams need no word segmentation, which is what
  made Material's build slow (jieba over every page) and what missed slogans jieba did not know.
  A character in most sections (`is_common`) keeps only the sections whose title holds it: listed
  as `common` in the index's config, the worker checks it in the text of the other words' candidates.
- documents (`d<n>.js`): title, location and plain text of each page section, in chunks of
  about CHUNK_BYTES; a query loads only the chunks of its best candidates, to check that the
  query occurs as a phrase (bigrams alone also match 三…改 一…拆) and to show a snippet. A record
  names its page and the page's title once a chunk (`read_chunk` says how).
- pages (`pages.js`): the page of every document (by chunk, then position), for the full results
  page, which groups and filters the candidates by report before it loads any text.

Shards are scripts calling `__shard(name, data)`, loaded with importScripts: that works in a
real worker and in the iframe Material uses from file://, where fetch() does not.
`search_worker.js` is the query side; it reads the same key rules (`keys_of`, `shard_of`).
"""
from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import traceback
import unicodedata
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..chinese import HAN_ALL_PLANES
from ..processes import name_process, widen_pipe

# The query side, copied over Material's search worker by mkdocs_hooks.py.
WORKER_JS = Path(__file__).with_name("search_worker.js")

HAN = HAN_ALL_PLANES   # the worker's regular expression uses the same ranges (search_worker.js: HAN)
HAN_RUN = re.compile(f"[{HAN}]+")
LATIN_WORD = re.compile("[a-z0-9]+")

CHUNK_BYTES = 32_000          # a document chunk: ~10 KB gzipped
CHUNK_DOCS = 256              # a document id is chunk * CHUNK_DOCS + position in the chunk
SHARD_BYTES = 32_000          # aim for postings shards of about this size
# A single Han character in more than this share of the sections, and in at least COMMON_MIN of them,
# keeps only its title postings (`is_common`). Its postings said "most sections": at 1,000 synthetic
# reports such characters were a sixth of the index (3.5 of 23 MB), for one-character queries alone
# (a longer word is found by its bigrams). Such a character next to other words, or inside a longer
# one, is checked in their candidates' text; alone, the search box lists the sections whose title holds
# it and says so, and the full results page checks every section (search_worker.js: isOpen).
COMMON_SHARE = 0.1
COMMON_MIN = 2000
# Posting value: (doc id − previous doc id in the list) << FLAG_BITS | in title << 1 | used more than
# once in the text. One bit of term frequency, not two (saturating at 3): postings 9% smaller at 1,000
# synthetic reports (1.8 of 17.8 MB), precision@5 of the benchmark's queries unchanged. A query's
# results are ordered by their text once checked; the index's score only picks which to check first.
FLAG_BITS = 2
TITLE_FLAG = 2
MANY_FLAG = 1
IDS = ~((1 << FLAG_BITS) - 1)   # a posting value's document id bits
# A key's postings are one string of these values as variable-length digits (search_worker.js: DIGITS):
# a value is v % 64 in one of 64 final digits, after v // 64 in the 29 other printable ASCII characters
# JSON leaves as they are (not " or \\), base 29, lowest first. Values under 64 take one character,
# under 1,856 two: 12% fewer bytes than five bits a character (39.0 → 34.6 MB of postings at 3,000
# synthetic reports), half of JSON numbers.
FINAL_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
MORE_DIGITS = " !#$%&'()*+,./:;<=>?@[]^`{|}~"
DIGITS = FINAL_DIGITS + MORE_DIGITS
_FINAL, _MORE = len(FINAL_DIGITS), len(MORE_DIGITS)


@dataclass
class SearchDoc:
    """One searchable unit, as Material's index has them: a page's preface or one heading's section."""
    location: str             # "reports/x.html#sec-1"; the page itself has no "#"
    title: str
    text: str                 # plain text
    page_title: str = ""      # for sections: the page's title, shown above the group
    boost: float = 1.0
    text_in_page: bool = False   # the text is not stored: the query side reads it from the page (sub-sites)


def normalise(text: str) -> str:
    """NFKC and lower case: full-width letters, digits and compatibility forms as a query types them."""
    return unicodedata.normalize("NFKC", text).lower()


# Quotation marks inside a phrase do not cut it: “三医”联动 is 三医联动 to a reader, so the index has
# its bigram 医联 (search_worker.js: QUOTE_MARKS, and its phrase check skips them too).
QUOTE_MARKS = "“”‘’「」『』\"'"
_QUOTES_OUT = str.maketrans("", "", QUOTE_MARKS)


def keys_of(text: str) -> Counter:
    """Index keys of a text with their counts: Han characters, Han bigrams, Latin/digit words.

    >>> sorted(keys_of("五水共治，GDP"))
    ['gdp', '五', '五水', '共', '共治', '水', '水共', '治']
    >>> "医联" in keys_of("“三医”联动")
    True
    """
    text = normalise(text).translate(_QUOTES_OUT)
    runs = HAN_RUN.findall(text)
    keys = Counter("".join(runs))   # counted in one call each, not per run: a quarter of the indexer's time
    keys.update(chain.from_iterable(map(_bigrams, runs)))
    keys.update(LATIN_WORD.findall(text))
    return keys


def _bigrams(run: str):
    return map(str.__add__, run, run[1:])


def shard_of(key: str, shards: int) -> int:
    """The postings shard of a key; search_worker.js computes the same number.

    >>> shard_of("五水", 1 << 32) == (ord("五") * 31 + ord("水"))
    True
    """
    h = 0
    for ch in key:
        h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    return h % shards


_BLOCK_TAG = re.compile(r"</?(?:p|li|ol|ul|pre|br)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def _one_han(key: str) -> bool:
    return len(key) == 1 and HAN_RUN.fullmatch(key) is not None


def is_common(key: str, holding: int, docs: int) -> bool:
    """A single Han character in so many sections that its postings keep only titles (COMMON_SHARE).

    >>> is_common("的", 9_000, 10_000), is_common("的", 900, 1_000), is_common("水共", 9_000, 10_000)
    (True, False, False)
    """
    return _one_han(key) and holding > max(COMMON_SHARE * docs, COMMON_MIN)


def _titles_only(stored: array) -> array:
    return array("I", (v for v in stored if v & TITLE_FLAG))


def plain_text(markup: str) -> str:
    """Text of the HTML Material's parser keeps (p, li, code…): tags out, entities decoded."""
    text = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", markup))
    return _SPACES.sub(" ", html.unescape(text)).strip()


@dataclass
class IndexSummary:
    folder: str               # under the site: search/idx-<version>/
    version: str
    docs: int
    chunks: int
    shards: int
    keys: int
    postings: int
    bytes: int
    common: str = ""          # the characters is_common thinned, for the index's config


def _append_all(arrays, values) -> None:
    deque(map(array.append, arrays, values), maxlen=0)


def _gaps(stored) -> list[int]:
    """doc_id << FLAG_BITS | flags, in document order (an array or a list) → the posting values: each id
    as the gap from the previous.

    >>> _gaps(array("I", [5 << FLAG_BITS | 1, 9 << FLAG_BITS | 3]))
    [21, 19]
    """
    values = stored.tolist() if isinstance(stored, array) else stored
    return [v - (previous & IDS) for v, previous in zip(values, [0, *values])]


def _from_gaps(gaps, previous: int = 0) -> list[int]:
    """_gaps' inverse, the first gap counted from `previous` (the value before it, if any).

    >>> _from_gaps([21, 19])
    [21, 39]
    """
    values = []
    for gap in gaps:
        previous = gap + (previous & IDS)
        values.append(previous)
    return values


def encode_values(values: list[int]) -> str:
    """Posting values as DIGITS: the value's quotient by 64 in MORE_DIGITS (base 29, lowest first),
    then its remainder in FINAL_DIGITS. Most values are small gaps, read from a table (`_small_codes`:
    every sub-site's share encodes ~100,000 keys' postings).

    >>> encode_values([0, 63, 64, 64 * 29]), decode_values(encode_values([0, 63, 64, 1 << 40]))
    ('A_!A !A', [0, 63, 64, 1099511627776])
    """
    codes = _small_codes()
    return "".join([codes[v] if v < _SMALL else _encode_value(v) for v in values])


_SMALL = 1 << 12


@cache
def _small_codes() -> list[str]:
    return [_encode_value(v) for v in range(_SMALL)]


def _encode_value(v: int) -> str:
    out = []
    more, final = divmod(v, _FINAL)
    while more:
        more, digit = divmod(more, _MORE)
        out.append(MORE_DIGITS[digit])
    out.append(FINAL_DIGITS[final])
    return "".join(out)


def decode_values(text: str) -> list[int]:
    """encode_values' inverse (search_worker.js decodes the same way)."""
    values, more, scale = [], 0, 1
    for ch in text:
        digit = DIGITS.index(ch)
        if digit >= _FINAL:
            more += (digit - _FINAL) * scale
            scale *= _MORE
        else:
            values.append(digit + _FINAL * more)
            more, scale = 0, 1
    return values


class ShardedIndexWriter:
    """Takes documents in order, writes document chunks as they fill, postings shards at the end.

    Memory holds only the postings (one small int per document and key), never the texts.
    `finish()` writes the index a site's search reads; `finish(partial=True)` writes what
    `merge_indexes` joins into one (a sub-site's share, renderer/subsites.py).
    """

    def __init__(self, search_dir: Path):
        self.search_dir = search_dir
        self.building = search_dir / ".building"
        self.postings: dict[str, array] = defaultdict(lambda: array("I"))   # key -> doc_id << FLAG_BITS | flags
        self.chunk: list[list] = []
        self.chunk_size = 0
        self.chunks = 0
        self.docs = 0
        self.pairs = 0
        self.bytes = 0
        self.digest = hashlib.sha256()
        self.files: dict[str, str] = {}   # each file written: its SHA-256 (index_merge.py checks what it reuses)
        self.page_numbers: dict[str, int] = {}
        self.page_of: list[list[int]] = [[]]   # per chunk, per document in it: its page's number
        self.chunk_page = self.chunk_page_title = ""   # the last record's, in this chunk (read_chunk)

    def add(self, doc: SearchDoc) -> None:
        self.post(self.place(doc), doc)

    def place(self, doc: SearchDoc) -> int:
        """The document into its chunk (a full one is written first); its id."""
        if self.chunk and (self.chunk_size >= CHUNK_BYTES or len(self.chunk) >= CHUNK_DOCS):
            self._flush_chunk()
        doc_id = self.chunks * CHUNK_DOCS + len(self.chunk)
        page, hash_, anchor = doc.location.partition("#")
        same_page = hash_ and page == self.chunk_page
        record = [f"#{anchor}" if same_page else doc.location, doc.title, None if doc.text_in_page else doc.text]
        self.chunk_page = page
        if doc.page_title or doc.boost != 1.0:
            record.append(0 if doc.page_title and doc.page_title == self.chunk_page_title else doc.page_title)
            self.chunk_page_title = doc.page_title or self.chunk_page_title
        if doc.boost != 1.0:
            record.append(doc.boost)
        self.chunk.append(record)
        shown = 0 if doc.text_in_page else len(doc.text.encode("utf-8"))
        self.chunk_size += shown + len(doc.title.encode("utf-8")) + len(doc.location) + 12
        self.docs += 1
        self.page_of[-1].append(self.page_numbers.setdefault(doc.location.split("#")[0], len(self.page_numbers)))
        return doc_id

    def post(self, doc_id: int, doc: SearchDoc) -> None:
        """The document's keys into the postings."""
        in_title = keys_of(doc.title)
        in_text = keys_of(doc.text)
        # Stored as doc_id << FLAG_BITS | flags; finish() turns the ids into gaps. The keys of the text alone
        # (nearly all) are appended by C loops (map), the few of the title one by one.
        base = doc_id << FLAG_BITS
        text_only = in_text.keys() - in_title.keys()
        _append_all(map(self.postings.__getitem__, text_only),
                    [base | MANY_FLAG if tf > 1 else base for tf in map(in_text.__getitem__, text_only)])
        for key in in_title:
            self.postings[key].append(base | TITLE_FLAG | (MANY_FLAG if in_text.get(key, 0) > 1 else 0))
        self.pairs += len(text_only) + len(in_title)

    def finish(self, partial: bool = False) -> IndexSummary:
        """Write the postings shards, then move the folder to its versioned name (or, partial, to
        `partial/`: the postings by key, for merge_indexes)."""
        if self.chunk:
            self._flush_chunk()
        if partial:
            return self._finish_partial()
        common = [key for key, stored in self.postings.items() if is_common(key, len(stored), self.docs)]
        for key in common:
            self.pairs -= len(self.postings[key])
            self.postings[key] = _titles_only(self.postings[key])
            self.pairs += len(self.postings[key])
        shards = _shard_count(self.pairs)
        buckets: list[dict[str, str]] = [{} for _ in range(shards)]
        for key in sorted(self.postings):
            if self.postings[key]:
                buckets[shard_of(key, shards)][key] = encode_values(_gaps(self.postings[key]))
        for n, bucket in enumerate(buckets):
            self._write(f"b{n}", bucket)
        summary = self._publish(shards, sum(map(len, buckets)), "".join(sorted(common)))
        self.postings.clear()
        return summary

    def _publish(self, shards: int, keys: int, common: str) -> IndexSummary:
        # of[chunk][position]: a document id is chunk * CHUNK_DOCS + position, and chunks are not full.
        self._write("pages", {"pages": list(self.page_numbers), "of": self.page_of[:self.chunks]})
        version = self.digest.hexdigest()[:12]
        folder = self.search_dir / f"idx-{version}"
        for old in self.search_dir.glob("idx-*"):
            shutil.rmtree(old)
        self.building.rename(folder)
        return IndexSummary(f"{folder.relative_to(self.search_dir.parent).as_posix()}/", version, self.docs,
                            self.chunks, shards, keys, self.pairs, self.bytes, common)

    def _finish_partial(self) -> IndexSummary:
        lines = []
        for key, stored in self.postings.items():
            lines.append(_partial_line(key, stored))
        return self._publish_partial("".join(lines), len(self.postings))

    def finish_patched(self, previous: Path, changed: list[tuple[int, SearchDoc]], replaced: list[SearchDoc]) -> IndexSummary | None:
        """The share, from the last build's (`previous`, its folder) where only some documents changed and
        every document kept its id (`place` was called for every document, `post` for none): `changed`, the
        (id, document) of each new one, `replaced`, the documents the last build had in their place. The
        keys of neither keep their lines as they were; the others' postings are the old ones with the
        changed documents' replaced. None (and nothing written) when the last share is not this one's
        layout, or not intact: index every document then."""
        if self.chunk:
            self._flush_chunk()
        try:
            meta = json.loads((previous / PARTIAL_META).read_text(encoding="utf-8"))
            intact = _share_files_digest(previous, meta["chunks"]) == share_digest(previous)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not intact or (meta["docs"], meta["chunks"], meta["pages"], meta["of"]) != (
                self.docs, self.chunks, list(self.page_numbers), self.page_of[:self.chunks]):
            return None
        for doc_id, doc in changed:
            self.post(doc_id, doc)
        ids = {doc_id for doc_id, _ in changed}
        touched = set(self.postings)
        for doc in replaced:
            touched.update(keys_of(doc.title), keys_of(doc.text))
        lines, pairs, keys = [], 0, 0
        with (previous / POSTINGS_BY_KEY).open(encoding="utf-8") as f:
            for line in f:
                key, holding, rest = line.split("\t", 2)
                if key in touched:
                    touched.discard(key)
                    values = [v for v in _share_values(rest) if v >> FLAG_BITS not in ids]
                    values += self.postings.get(key, ())
                    if not values:
                        continue
                    line = _partial_line(key, array("I", sorted(values)))
                    holding = len(values)
                lines.append(line)
                pairs += int(holding)
                keys += 1
        for key in self.postings:   # new keys, in the order the documents have them
            if key in touched and self.postings[key]:
                lines.append(_partial_line(key, self.postings[key]))
                pairs += len(self.postings[key])
                keys += 1
        self.pairs = pairs
        return self._publish_partial("".join(lines), keys)

    def _publish_partial(self, postings: str, keys: int) -> IndexSummary:
        self._write_raw(POSTINGS_BY_KEY, postings.encode("utf-8"))
        meta = {"docs": self.docs, "chunks": self.chunks, "pairs": self.pairs, "keys": keys,
                "pages": list(self.page_numbers), "of": self.page_of[:self.chunks]}
        self._write_raw(PARTIAL_META, json.dumps(meta).encode())
        (self.building / PARTIAL_DIGEST).write_text(self.digest.hexdigest(), encoding="utf-8")
        folder = self.search_dir / PARTIAL
        if folder.is_dir():   # the share the last merge may have read (index_merge.py merges what changed)
            shutil.rmtree(self.search_dir / PREVIOUS_PARTIAL, ignore_errors=True)
            folder.rename(self.search_dir / PREVIOUS_PARTIAL)
        self.building.rename(folder)
        summary = IndexSummary(f"{folder.relative_to(self.search_dir.parent).as_posix()}/", "", self.docs, self.chunks,
                               0, keys, self.pairs, self.bytes)
        self.postings.clear()
        return summary

    def _flush_chunk(self) -> None:
        self._write(f"d{self.chunks}", self.chunk)
        self.chunks += 1
        self.chunk, self.chunk_size = [], 0
        self.chunk_page = self.chunk_page_title = ""
        self.page_of.append([])

    def _write(self, name: str, data) -> None:
        body = f'__shard("{name}",{json.dumps(data, ensure_ascii=False, separators=(",", ":"))});\n'
        self._write_raw(f"{name}.js", body.encode("utf-8"))

    def _write_raw(self, name: str, encoded: bytes) -> None:
        if not self.bytes:   # first file: MkDocs clears the site folder after on_pre_build
            shutil.rmtree(self.building, ignore_errors=True)
            self.building.mkdir(parents=True)
        self.digest.update(encoded)
        self.bytes += len(encoded)
        self.files[name] = hashlib.sha256(encoded).hexdigest()
        (self.building / name).write_bytes(encoded)

    def _adopt(self, name: str, path: Path, encoded: bytes) -> None:
        """A file of the last merged index, the same again (`encoded`, its bytes): linked, not written."""
        if not self.bytes:
            shutil.rmtree(self.building, ignore_errors=True)
            self.building.mkdir(parents=True)
        self.digest.update(encoded)
        self.bytes += len(encoded)
        self.files[name] = hashlib.sha256(encoded).hexdigest()
        try:
            os.link(path, self.building / name)
        except OSError:
            (self.building / name).write_bytes(encoded)


# A sub-site's share of the index (ShardedIndexWriter.finish(partial=True)), in its state folder: its
# document chunks as they are, and its postings one key a line: the key, how many documents hold it,
# its first value (the first document's id and flags), the last document's id, and the other values
# encoded (they are gaps, and stay the same wherever the share's documents land in the merged index);
# for a single Han character the same three again for its title postings alone (is_common decides
# on the whole index's counts which of the two the merged index takes).
PARTIAL = "partial"
PREVIOUS_PARTIAL = "partial.previous"   # the share before it, beside it
POSTINGS_BY_KEY = "postings.tsv"
PARTIAL_META = "meta.json"
PARTIAL_DIGEST = "digest"               # of the share's files, as written (ShardedIndexWriter.digest)


@dataclass
class MergeRecord:
    """What a merge leaves for the next one to start from (index_merge.py): enough to merge again
    what changed in one share without reading the others."""
    shares: list[tuple[str, str, int]] = field(default_factory=list)   # prefix, digest, chunks of each share
    one_han: dict[str, list] = field(default_factory=dict)   # single Han characters: merge_indexes' (offset, holding, lists)
    one_han_lines: dict[str, str] = field(default_factory=dict)   # their merged postings ("" none)
    shards: int = 0
    files: dict[str, str] = field(default_factory=dict)    # the merged index's files: SHA-256 by name
    folder: str = ""                                       # its folder (search/idx-…/)
    keys: int = 0


def _share_line(stored: array) -> list[str]:
    """A share's postings of a key as a line's three fields: first value, last document, the rest encoded."""
    if not stored:
        return ["", "", ""]
    values = _gaps(stored)
    return [str(values[0]), str(stored[-1] >> FLAG_BITS), encode_values(values[1:])]


def _partial_line(key: str, stored: array) -> str:
    """A share's line for a key (PARTIAL's format): its postings, and a single Han character's title postings."""
    line = [key, str(len(stored)), *_share_line(stored)]
    if _one_han(key):   # and its titles' postings, in case it is common
        line += _share_line(_titles_only(stored))
    return "\t".join(line) + "\n"


def _share_values(fields: str) -> list[int]:
    """A share's line after its key and count ("first, last document, rest[, title fields]"): its posting
    values again (doc_id << FLAG_BITS | flags), in document order."""
    first, _last, rest = fields.rstrip("\n").split("\t")[:3]
    return [int(first), *_from_gaps(decode_values(rest), int(first))]


def _share_files_digest(folder: Path, chunks: int) -> str:
    """The digest of a share's files, read again in the order its writer wrote them (chunks, postings, meta)."""
    digest = hashlib.sha256()
    for name in [*(f"d{n}.js" for n in range(chunks)), POSTINGS_BY_KEY, PARTIAL_META]:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def merge_indexes(search_dir: Path, parts: list[tuple[str, Path]], record: MergeRecord | None = None) -> IndexSummary:
    """One index from the shares of the main site and its sub-sites, in order: (the sub-site's folder
    with a slash, or "" for the main site; its partial folder). Each share's documents follow the
    previous share's, their locations prefixed with its folder (the index speaks from the main site's
    root); a key's postings are the shares' lists one after the other, each list's first value counted
    from the previous share's last document. Nothing is decoded: every line carries its first value.

    A warm CI build merges every share again after one changed (a million lines at 1,000 reports), so
    each line is settled as it is read: its first value re-encoded (`_value_encoder`: remembered, since large ones recur too), its
    pieces appended to its key's. Only a single Han character waits for the whole index's counts
    (is_common chooses its title postings or all of them). `record`: filled for index_merge.py."""
    writer = ShardedIndexWriter(search_dir)
    writer.page_of = []
    pieces: dict[str, list[str]] = defaultdict(list)
    last_of: dict[str, int] = {}    # key -> the last document holding it so far
    one_han: dict[str, list] = defaultdict(list)   # single Han characters: (offset, holding, lists) per share
    encode_one = _value_encoder()
    chunk_counts = []
    for prefix, folder in parts:
        meta = json.loads((folder / PARTIAL_META).read_text(encoding="utf-8"))
        chunk_counts.append(meta["chunks"])
        offset = writer.chunks * CHUNK_DOCS
        pages = [writer.page_numbers.setdefault(prefix + page, len(writer.page_numbers)) for page in meta["pages"]]
        writer.page_of += [[pages[n] for n in chunk] for chunk in meta["of"]]
        for n in range(meta["chunks"]):
            chunk = _read_shard(folder / f"d{n}.js")
            writer._write(f"d{writer.chunks}", prefixed(chunk, prefix))
            writer.chunks += 1
        writer.docs += meta["docs"]
        writer.pairs += meta["pairs"]
        with (folder / POSTINGS_BY_KEY).open(encoding="utf-8") as lines:
            for line in lines:
                key, holding, first, last, rest, *titles = line[:-1].split("\t")
                if titles and _one_han(key):
                    one_han[key].append((offset, int(holding), [first, last, rest, *titles]))
                    continue
                joined = pieces[key]
                joined.append(encode_one(int(first) + ((offset - last_of.get(key, 0)) << FLAG_BITS)))
                joined.append(rest)
                last_of[key] = offset + int(last)
    one_han_lines, adjustment = merge_one_han(one_han, writer.docs, encode_one)
    writer.pairs += adjustment
    pieces.update((key, [line]) for key, line in one_han_lines.items())
    shards = _shard_count(writer.pairs)
    buckets: list[dict[str, str]] = [{} for _ in range(shards)]
    for key in sorted(pieces):
        if pieces[key]:
            line = "".join(pieces[key])
            if line:
                buckets[shard_of(key, shards)][key] = line
    for n, bucket in enumerate(buckets):
        writer._write(f"b{n}", bucket)
    common = "".join(sorted(key for key in one_han if is_common(key, sum(s[1] for s in one_han[key]), writer.docs)))
    summary = writer._publish(shards, sum(map(len, buckets)), common)
    if record is not None:
        record.shares = [(prefix, share_digest(folder), chunks) for (prefix, folder), chunks in zip(parts, chunk_counts)]
        record.one_han, record.one_han_lines, record.shards = dict(one_han), one_han_lines, shards
        record.files, record.folder, record.keys = dict(writer.files), summary.folder, summary.keys
    return summary


def prefixed(chunk: list[list], prefix: str) -> list[list]:
    """A share's document chunk as the merged index has it: locations from the main site's root."""
    if prefix:
        for entry in chunk:
            if not entry[0].startswith("#"):   # "#…": on the previous record's page (read_chunk)
                entry[0] = prefix + entry[0]
    return chunk


def merge_one_han(one_han: dict[str, list], docs: int, encode_one: Callable[[int], str]) -> tuple[dict[str, str], int]:
    """The merged postings of every single Han character (its shares' (offset, holding, lists), in order),
    and what they change in the count of postings: a common one keeps its titles' postings alone."""
    lines, adjustment = {}, 0
    for key, shares in one_han.items():
        if is_common(key, sum(s[1] for s in shares), docs):   # its title postings, where a share has any
            adjustment -= sum(share[1] for share in shares)
            shares = [(offset, 0, lists[3:]) for offset, _, lists in shares if lists[3]]
            adjustment += sum(1 + len(lists[2]) for _, _, lists in shares)   # about: gaps are ≥ 1 character
        previous, pieces = 0, []
        for offset, _, (first, last, rest, *_titles) in shares:
            pieces += [encode_one(int(first) + ((offset - previous) << FLAG_BITS)), rest]
            previous = offset + int(last)
        lines[key] = "".join(pieces)
    return lines, adjustment


def share_digest(folder: Path) -> str:
    """A share's digest as its writer wrote it beside its files ("": none, an older share)."""
    try:
        return (folder / PARTIAL_DIGEST).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _value_encoder() -> Callable[[int], str]:
    """encode_values of one value, remembered: a merge encodes a million first values, most of them
    small and many the same."""
    known: dict[int, str] = {}

    def encode_one(value: int) -> str:
        text = known.get(value)
        if text is None:
            text = known[value] = _encode_value(value)
        return text
    return encode_one


def read_chunk(path: Path) -> list[list]:
    """A document chunk's records as search_worker.js reads them (expandChunk): [location, title, text,
    page title, boost]. Written shorter: a location "#anchor" is on the previous record's page, a page
    title 0 is the previous record's (~85 bytes of a report section's 150 at 1,000 reports)."""
    records = _read_shard(path)
    page = page_title = ""
    for record in records:
        if record[0].startswith("#"):
            record[0] = page + record[0]
        page = record[0].partition("#")[0]
        if len(record) > 3:
            if record[3] == 0:
                record[3] = page_title
            page_title = record[3] or page_title
    return records


def _read_shard(path: Path):
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def _shard_count(pairs: int) -> int:
    """A power of two giving shards of about SHARD_BYTES (a posting takes ~2.5 bytes, with its key's share)."""
    wanted = max(1, pairs * 5 // 2 // SHARD_BYTES)
    return 1 << (wanted - 1).bit_length()


# --- indexing MkDocs' pages, in a second process ---------------------------------

class SearchIndexError(PluginError):
    """MkDocs prints a PluginError as one error line, not a traceback."""


def page_documents(content: str, page_url: str, page_title: str, boost: float = 1.0,
                   text_in_page: bool = False) -> list[SearchDoc]:
    """A page's sections as Material's search plugin cuts them: the preface, then one per heading.
    `text_in_page`: the index keeps their keys but not their text (the query side reads the page)."""
    try:
        from material.plugins.search.plugin import Parser, void
    except ImportError as error:   # only with another Material version than the pinned one
        raise SearchIndexError(f"Material's search parser moved ({error}); update build_corpus/renderer/search_index.py") from error
    parser = Parser()
    if not _feed_sections(parser, content, void):   # markup left to HTMLParser: parse it all again
        parser = Parser()
        parser.feed(content)
    parser.close()
    docs = []
    for section in parser.data:
        if section.is_excluded():
            continue
        title = plain_text("".join(section.title)) or page_title
        location = f"{page_url}#{section.id}" if section.id else page_url
        docs.append(SearchDoc(location, title, plain_text("".join(section.text)),
                              "" if location == page_url else page_title, boost, text_in_page))
    return docs


# Material's Parser is an HTMLParser. Two shortcuts, each giving the Parser's handlers the calls
# HTMLParser would give them, or leaving the page to HTMLParser:
# - Python-Markdown writes regular HTML (text escaped, attribute values quoted), which one regular
#   expression splits into tags and text (HTMLParser's own tokenizing was ~9% of the parser's time);
# - a section whose heading is marked data-search-exclude is dropped from the index whole; when its
#   elements all close before the next heading with an id, its body is skipped instead of fed tag by
#   tag. Term pages' lists of uses are such sections: 20 of the 49 MB of HTML at 1,000 reports.
_MARKUP = re.compile(r"<[a-zA-Z/!?]")
_TAG = re.compile(r"""<(?:([a-zA-Z][^\t\n\r\f />\x00]*)((?:\s+[^\s/>"'=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(/?)>"""
                  r"|/([a-zA-Z][^\t\n\r\f />\x00]*)\s*>|!--.*?-->)", re.S)
_ATTRIBUTE = re.compile(r"""\s+([^\s/>"'=]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_RAW_TEXT_END = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in ("script", "style")}   # HTMLParser's CDATA elements
_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))


def _attributes(markup: str) -> list[tuple[str, str | None]]:
    """As HTMLParser gives them: names in lower case, values unquoted and unescaped, None if absent."""
    attrs = []
    for found in _ATTRIBUTE.finditer(markup):
        name, has_value, double, single, bare = found.groups()
        value = None if has_value is None else next(v for v in (double, single, bare) if v is not None)
        attrs.append((name.lower(), html.unescape(value) if value else value))
    return attrs


def _tags(markup: str, at: int):
    """(start, match) of each tag or comment from `at`; match None at markup this tokenizer does not read."""
    while (start := markup.find("<", at)) >= 0:
        if not _MARKUP.match(markup, start):   # a "<" that starts no markup is text
            at = start + 1
            continue
        tag = _TAG.match(markup, start)
        yield start, tag
        if tag is None:
            return
        at = tag.end()


def _feed_sections(parser, markup: str, void: set[str]) -> bool:
    """Feed `markup` to Material's Parser as HTMLParser would (text may come in other pieces, which
    changes no text the index keeps), skipping the bodies of excluded sections; False at markup
    this tokenizer does not read, such as a declaration or a malformed tag."""
    text_from = 0
    tags = _tags(markup, 0)
    while (item := next(tags, None)) is not None:
        start, tag = item
        if tag is None:
            return False
        if start > text_from:
            parser.handle_data(html.unescape(markup[text_from:start]))
        text_from = tag.end()
        name, attrs, self_closing, end_name = tag.group(1, 2, 3, 4)
        if end_name:
            parser.handle_endtag(end_name.lower())
            continue
        if not name:   # a comment
            continue
        name, attributes = name.lower(), _attributes(attrs)
        parser.handle_starttag(name, attributes)
        if self_closing:
            parser.handle_endtag(name)
        elif name in _RAW_TEXT_END:
            end = _RAW_TEXT_END[name].search(markup, text_from)
            if end is None:
                return False
            if end.start() > text_from:
                parser.handle_data(markup[text_from:end.start()])
            parser.handle_endtag(name)
            text_from = end.end()
            tags = _tags(markup, text_from)
        elif (name in _HEADINGS and len(parser.context) == 1
              and {"id", "data-search-exclude"} <= dict(attributes).keys()
              and (end := _excluded_section_end(markup, text_from, name, void)) is not None):
            parser.handle_endtag(name)   # its section exists, excluded: its title and body are not needed
            text_from = end
            tags = _tags(markup, text_from)
    if text_from < len(markup):
        parser.handle_data(html.unescape(markup[text_from:]))
    return True


def _excluded_section_end(markup: str, at: int, heading: str, void: set[str]) -> int | None:
    """Where the section of the top-level `heading`, whose start tag ends at `at`, ends: at the next
    heading with an id, or at the end of the page. None unless every element opened on the way
    (the heading first) is closed on the way, in order: only then is the Parser's state after it as
    it was before, with nothing of it in another section. None too at a script, or at markup this
    tokenizer does not read."""
    open_tags = [heading]
    for start, tag in _tags(markup, at):
        if tag is None:
            return None
        name, attrs, self_closing, end_name = tag.group(1, 2, 3, 4)
        if end_name:
            if not open_tags or open_tags.pop() != end_name.lower():
                return None
        elif name:
            name = name.lower()
            if name in _HEADINGS and "id" in dict(_attributes(attrs)):
                return start if not open_tags else None
            if name in _RAW_TEXT_END:
                return None
            if not self_closing and name not in void:
                open_tags.append(name)
    return len(markup) if not open_tags else None


def index_pages(search_dir: Path, pages, summaries, partial: bool = False) -> None:
    """The indexing process: pages (html, url, title, boost, text_in_page) in, one IndexSummary (or error) out."""
    name_process("bc-search-index")
    try:
        writer = ShardedIndexWriter(search_dir)
        while (page := pages.recv()) is not None:
            for doc in page_documents(*page):
                writer.add(doc)
        result = writer.finish(partial)
    except BaseException:   # reported by the build, which is waiting for the summary
        result = traceback.format_exc()
    pages.close()   # the build's next page then fails at once instead of filling the pipe
    summaries.send(result)


class BackgroundIndexer:
    """Indexes each page in a second process while MkDocs goes on rendering: the two cores.

    Pages go through a pipe that this thread writes itself, not a multiprocessing queue: a queue
    writes from a thread of its own, and with a thread running the MkDocs process cannot fork its
    template helper (processes.can_fork). The pipe holds about processes.PIPE_BYTES of pages (~40 report pages); beyond that MkDocs
    waits for the indexer, as it waited for a full queue.
    """

    def __init__(self, search_dir: Path, partial: bool = False):
        context = multiprocessing.get_context("spawn")
        reading_pages, self.pages = context.Pipe(duplex=False)
        self.summaries, sending_summary = context.Pipe(duplex=False)
        widen_pipe(self.pages.fileno())
        self.process = context.Process(target=index_pages, args=(search_dir, reading_pages, sending_summary, partial),
                                       name="search-index", daemon=True)
        self.process.start()
        reading_pages.close()     # only the indexer holds these ends: its exit then shows here as a
        sending_summary.close()   # broken pipe (sending) or an end of file (receiving), never a hang

    def add(self, url: str, title: str, content: str, boost: float, text_in_page: bool = False) -> None:
        self._send((content, url, title, boost, text_in_page))

    def finish(self) -> IndexSummary:
        self._send(None)
        result = self._receive()
        self.process.join()
        self._close()
        return result

    def _send(self, item) -> None:
        """Send an item; if the indexer has stopped, say why."""
        try:
            self.pages.send(item)
        except OSError:   # the indexer's end is closed: it failed or died
            self._receive()
            raise SearchIndexError("the search indexing process stopped reading pages") from None

    def _receive(self) -> IndexSummary:
        try:
            result = self.summaries.recv()
        except (EOFError, OSError):
            self.process.join()
            self._close()
            raise SearchIndexError(f"the search indexing process died (exit code {self.process.exitcode})") from None
        if isinstance(result, str):
            self._close()
            raise SearchIndexError(f"search indexing failed:\n{result}")
        return result

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self._close()

    def _close(self) -> None:
        self.pages.close()
        self.summaries.close()


class InlineIndexer:
    """BackgroundIndexer's interface, indexing in this process: for a sub-site, built in a process of the
    projects plugin's own while another sub-site takes the other core.

    A sub-site built again page by page (renderer/kept_pages.py) mostly has pages kept from its last
    build, whose sections are those it indexed then: a share of the index (partial) is then the last
    one with only the new pages' documents replaced (ShardedIndexWriter.finish_patched), when every
    document keeps its id; indexing every kept section again was most of such a build (Zhejiang's 332
    pages at 1,000 reports: ~2 s of it)."""

    def __init__(self, search_dir: Path, partial: bool = False):
        self.search_dir, self.partial = search_dir, partial
        self.writer = ShardedIndexWriter(search_dir)
        self.documents: list[tuple[SearchDoc, bool]] = []   # (document, as the last build indexed it)
        self.replaced: list[SearchDoc] | None = []           # what the new pages had at the last build (None: unknown)
        self.indexed = 0                                     # documents indexed by finish (the others: patched)

    def add(self, url: str, title: str, content: str, boost: float, text_in_page: bool = False) -> None:
        self.add_documents(page_documents(content, url, title, boost, text_in_page), None)

    def add_documents(self, docs: list[SearchDoc], before: list[SearchDoc] | None = None, kept: bool = False) -> None:
        """A page's sections, cut already: `kept`, the same as at the last build (kept_pages.py); else new,
        and `before`, what the page had at the last build (None: not known, or no last build)."""
        self.documents.extend((doc, kept) for doc in docs)
        if not kept:
            if before is None or self.replaced is None:
                self.replaced = None
            else:
                self.replaced.extend(before)

    def finish(self) -> IndexSummary:
        if self.partial and self.replaced is not None and any(kept for _, kept in self.documents):
            placed = [(self.writer.place(doc), doc, kept) for doc, kept in self.documents]
            patched = self.writer.finish_patched(self.search_dir / PARTIAL,
                                                 [(doc_id, doc) for doc_id, doc, kept in placed if not kept], self.replaced)
            if patched is not None:
                self.indexed = sum(1 for _, kept in self.documents if not kept)
                return patched
            shutil.rmtree(self.writer.building, ignore_errors=True)
            self.writer = ShardedIndexWriter(self.search_dir)
        for doc, _ in self.documents:
            self.writer.add(doc)
        self.indexed = len(self.documents)
        return self.writer.finish(self.partial)

    def stop(self) -> None:
        pass
