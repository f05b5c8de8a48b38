"""Search: a static index cut into small files, so a query downloads a few of them.

Material's own search ships one index (every page's text, jieba-segmented) that the browser
loads whole before the first query: 12.5 MB at 100 reports, ~100 MB at 1,000. Here the index
is cut two ways, and a query loads only what it needs:

- postings (`b<n>.js`): for every character and every pair of adjacent Han characters (and
  every Latin/digit word), the documents holding it. A key lives in shard hash(key) mod S, so
  a query of k keys loads at most k shards. Bigrams need no word segmentation, which is what
  made Material's build slow (jieba over every page) and what missed slogans jieba did not know.
- documents (`d<n>.js`): title, location and plain text of each page section, in chunks of
  about CHUNK_BYTES; a query loads only the chunks of its best candidates, to check that the
  query occurs as a phrase (bigrams alone also match 三…改 一…拆) and to show a snippet.
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
import re
import shutil
import traceback
import unicodedata
from array import array
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..batch import widen_pipe
from ..chinese import HAN_ALL_PLANES

# The query side, copied over Material's search worker by mkdocs_hooks.py.
WORKER_JS = Path(__file__).with_name("search_worker.js")

HAN = HAN_ALL_PLANES   # the worker's regular expression uses the same ranges (search_worker.js: HAN)
HAN_RUN = re.compile(f"[{HAN}]+")
LATIN_WORD = re.compile("[a-z0-9]+")

CHUNK_BYTES = 32_000          # a document chunk: ~10 KB gzipped
CHUNK_DOCS = 256              # a document id is chunk * CHUNK_DOCS + position in the chunk
SHARD_BYTES = 32_000          # aim for postings shards of about this size
TF_CAP = 3                    # term frequency saturates: 3 uses weigh like 30
# Posting value: (doc id − previous doc id in the list) << 3 | in title << 2 | min(tf, TF_CAP).
TITLE_FLAG = 4


@dataclass
class SearchDoc:
    """One searchable unit, as Material's index has them: a page's preface or one heading's section."""
    location: str             # "reports/x.html#sec-1"; the page itself has no "#"
    title: str
    text: str                 # plain text
    page_title: str = ""      # for sections: the page's title, shown above the group
    boost: float = 1.0


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


def _append_all(arrays, values) -> None:
    deque(map(array.append, arrays, values), maxlen=0)


def _gaps(stored: array) -> list[int]:
    """doc_id << 3 | flags, in document order → the posting values: each id as the gap from the previous.

    >>> _gaps(array("I", [5 << 3 | 1, 9 << 3 | 6]))
    [41, 38]
    """
    values = stored.tolist()
    return [v - (previous & ~7) for v, previous in zip(values, [0, *values])]


class ShardedIndexWriter:
    """Takes documents in order, writes document chunks as they fill, postings shards at the end.

    Memory holds only the postings (one small int per document and key), never the texts.
    """

    def __init__(self, search_dir: Path):
        self.search_dir = search_dir
        self.building = search_dir / ".building"
        self.postings: dict[str, array] = defaultdict(lambda: array("I"))   # key -> doc_id << 3 | flags
        self.chunk: list[list] = []
        self.chunk_size = 0
        self.chunks = 0
        self.docs = 0
        self.pairs = 0
        self.bytes = 0
        self.digest = hashlib.sha256()
        self.page_numbers: dict[str, int] = {}
        self.page_of: list[list[int]] = [[]]   # per chunk, per document in it: its page's number

    def add(self, doc: SearchDoc) -> None:
        if self.chunk and (self.chunk_size >= CHUNK_BYTES or len(self.chunk) >= CHUNK_DOCS):
            self._flush_chunk()
        doc_id = self.chunks * CHUNK_DOCS + len(self.chunk)
        record = [doc.location, doc.title, doc.text]
        if doc.page_title or doc.boost != 1.0:
            record.append(doc.page_title)
        if doc.boost != 1.0:
            record.append(doc.boost)
        self.chunk.append(record)
        self.chunk_size += len(doc.text.encode("utf-8")) + len(doc.title.encode("utf-8")) + len(doc.location) + 12
        self.docs += 1
        self.page_of[-1].append(self.page_numbers.setdefault(doc.location.split("#")[0], len(self.page_numbers)))
        in_title = keys_of(doc.title)
        in_text = keys_of(doc.text)
        # Stored as doc_id << 3 | flags; finish() turns the ids into gaps. The keys of the text alone
        # (nearly all) are appended by C loops (map), the few of the title one by one.
        base = doc_id << 3
        text_only = in_text.keys() - in_title.keys()
        _append_all(map(self.postings.__getitem__, text_only),
                    [base | (tf if tf < TF_CAP else TF_CAP) for tf in map(in_text.__getitem__, text_only)])
        for key in in_title:
            self.postings[key].append(base | TITLE_FLAG | min(in_text.get(key, 0), TF_CAP))
        self.pairs += len(text_only) + len(in_title)

    def finish(self) -> IndexSummary:
        """Write the postings shards, then move the folder to its versioned name."""
        if self.chunk:
            self._flush_chunk()
        shards = _shard_count(self.pairs)
        buckets: list[dict[str, list[int]]] = [{} for _ in range(shards)]
        for key in sorted(self.postings):
            buckets[shard_of(key, shards)][key] = _gaps(self.postings[key])
        for n, bucket in enumerate(buckets):
            self._write(f"b{n}", bucket)
        # of[chunk][position]: a document id is chunk * CHUNK_DOCS + position, and chunks are not full.
        self._write("pages", {"pages": list(self.page_numbers), "of": self.page_of[:self.chunks]})
        version = self.digest.hexdigest()[:12]
        folder = self.search_dir / f"idx-{version}"
        for old in self.search_dir.glob("idx-*"):
            shutil.rmtree(old)
        self.building.rename(folder)
        summary = IndexSummary(f"{folder.relative_to(self.search_dir.parent).as_posix()}/", version, self.docs,
                               self.chunks, shards, len(self.postings), self.pairs, self.bytes)
        self.postings.clear()
        return summary

    def _flush_chunk(self) -> None:
        self._write(f"d{self.chunks}", self.chunk)
        self.chunks += 1
        self.chunk, self.chunk_size = [], 0
        self.page_of.append([])

    def _write(self, name: str, data) -> None:
        if not self.bytes:   # first file: MkDocs clears the site folder after on_pre_build
            shutil.rmtree(self.building, ignore_errors=True)
            self.building.mkdir(parents=True)
        body = f'__shard("{name}",{json.dumps(data, ensure_ascii=False, separators=(",", ":"))});\n'
        encoded = body.encode("utf-8")
        self.digest.update(encoded)
        self.bytes += len(encoded)
        (self.building / f"{name}.js").write_bytes(encoded)


def _shard_count(pairs: int) -> int:
    """A power of two giving shards of about SHARD_BYTES (a posting takes ~4 bytes of JSON)."""
    wanted = max(1, pairs * 4 // SHARD_BYTES)
    return 1 << (wanted - 1).bit_length()


# --- indexing MkDocs' pages, in a second process ---------------------------------

class SearchIndexError(PluginError):
    """MkDocs prints a PluginError as one error line, not a traceback."""


def page_documents(content: str, page_url: str, page_title: str, boost: float = 1.0) -> list[SearchDoc]:
    """A page's sections as Material's search plugin cuts them: the preface, then one per heading."""
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
                              "" if location == page_url else page_title, boost))
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


def index_pages(search_dir: Path, pages, summaries) -> None:
    """The indexing process: pages (html, url, title, boost) in, one IndexSummary (or error) out."""
    try:
        writer = ShardedIndexWriter(search_dir)
        while (page := pages.recv()) is not None:
            for doc in page_documents(*page):
                writer.add(doc)
        result = writer.finish()
    except BaseException:   # reported by the build, which is waiting for the summary
        result = traceback.format_exc()
    pages.close()   # the build's next page then fails at once instead of filling the pipe
    summaries.send(result)


class BackgroundIndexer:
    """Indexes each page in a second process while MkDocs goes on rendering: the two cores.

    Pages go through a pipe that this thread writes itself, not a multiprocessing queue: a queue
    writes from a thread of its own, and with a thread running the MkDocs process cannot fork its
    template helper (batch.can_fork). The pipe holds about batch.PIPE_BYTES of pages (~40 report pages); beyond that MkDocs
    waits for the indexer, as it waited for a full queue.
    """

    def __init__(self, search_dir: Path):
        context = multiprocessing.get_context("spawn")
        reading_pages, self.pages = context.Pipe(duplex=False)
        self.summaries, sending_summary = context.Pipe(duplex=False)
        widen_pipe(self.pages.fileno())
        self.process = context.Process(target=index_pages, args=(search_dir, reading_pages, sending_summary),
                                       name="search-index", daemon=True)
        self.process.start()
        reading_pages.close()     # only the indexer holds these ends: its exit then shows here as a
        sending_summary.close()   # broken pipe (sending) or an end of file (receiving), never a hang

    def add(self, url: str, title: str, content: str, boost: float) -> None:
        self._send((content, url, title, boost))

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


