"""The whole pipeline, in one screen.

    decode    bytes → text                        decode.py
    split     source → documents                  split.py
    classify  work_report | other                 classify.py
    clean     named fixes, each logged            clean.py
    metadata  header, body inference, sidecar     metadata.py
    sections  heading tree, appendices, 名词解释    sections.py
    glossary  名词解释 entries, footnote markers    glossary_parse.py
    render    Markdown per report                 render.py
    site      docs/ pages, indexes, downloads     site.py

Every source is processed completely (and its problems collected) before
anything is written, so cross-links between reports are built from the whole
corpus (MkDocs' build does the same, for the same reason).
"""
from __future__ import annotations

import gc
import hashlib
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .cache import SourceCache
from .contributions.inputs import list_inputs, shown_path
from .contributions.sidecar import read_sidecar, sidecar_path
from .document.classify import SHORT_REPORT, classify, is_traditional, simplified
from .document.clean import clean
from .document.decode import DecodeError, decode_bytes
from .document.glossary import parse_entries, split_terms, strip_footnote_markers, term_key
from .document.metadata import (
    apply_pinned,
    infer_from_body,
    page_metadata,
    place_pinyin,
    read_header,
    split_header,
    strip_level,
)
from .document.sections import _paragraph, outline
from .document.split import split_documents
from .model import OTHER, WORK_REPORT, Document, Paragraph, Problem, Removal, Source
from .urls import report_id

SOURCE_SUFFIXES = (".txt", ".text", ".md")


@dataclass
class Corpus:
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def reports(self) -> list[Document]:
        return [d for s in self.sources for d in s.documents if d.kind == WORK_REPORT]

    @property
    def others(self) -> list[Document]:
        return [d for s in self.sources for d in s.documents if d.kind != WORK_REPORT]


def find_sources(folder: Path, root: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """Every source file in a folder (sidecars and the README excepted), and a problem for each
    entry with a source's name that is not a file we may read (symlink out, loop, directory)."""
    files, problems = list_inputs(folder, root, lambda name: Path(name).suffix in SOURCE_SUFFIXES
                                  and name.lower() != "readme.md" and not name.startswith("."))
    return [f.path for f in files], problems


# A source larger than this is refused: a 50 MB file became one page, a 96 s mkdocs run and a
# 57 MB search index. The largest real report is ~0.3 MB; --max-source-mb raises the limit.
MAX_SOURCE_BYTES = 5 * 1024 * 1024


def build_corpus(paths: list[Path], root: Path | None = None, cache: SourceCache | None = None,
                 workers: int = 1, max_source_bytes: int = MAX_SOURCE_BYTES) -> Corpus:
    """Every source through the per-source stages (from the cache where unchanged), in source order.

    Sources are independent until ids and terms are assigned, so with `workers` > 1
    they are processed in parallel processes.
    """
    corpus = Corpus()
    jobs = [(path, root, cache, max_source_bytes) for path in paths]
    with _cyclic_gc_paused():
        if workers > 1 and len(jobs) >= 2 * workers:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(_guarded, jobs, chunksize=max(1, len(jobs) // (8 * workers))))
        else:
            results = [_guarded(job) for job in jobs]
    for source, problems in results:
        corpus.sources.append(source)
        corpus.problems.extend(problems)
    if cache is not None:   # pool workers had their own copies of the counters
        cache.hits = sum(1 for s in corpus.sources if getattr(s, "from_cache", False))
    assign_ids(corpus)
    return corpus


@contextmanager
def _cyclic_gc_paused():
    """The stages allocate many small objects and make no garbage cycles worth collecting, but
    CPython's cycle collector rescans the whole growing corpus every so often: at 1,000 reports
    that made a rebuild from the cache (unpickling ~1 M objects) several times slower than
    reading the pickles. Reference counting still frees everything as usual; the corpus is then
    frozen out of later collections (build_site's)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()   # the corpus lives as long as the build: later collections need not rescan it
        if enabled:
            gc.enable()


def _guarded(job: tuple[Path, Path | None, SourceCache | None, int]) -> tuple[Source, list[Problem]]:
    """One source, never raising: a bug must not hide the other sources' results."""
    path, root, cache, max_bytes = job
    try:
        size = path.stat().st_size
    except OSError as err:
        return _unreadable(path, root, f"无法读取 / cannot read: {err.strerror}")
    if size > max_bytes:
        return _unreadable(path, root, f"文件过大（{size / 2**20:.1f} MB，上限 {max_bytes / 2**20:.1f} MB），未处理 / "
                                       f"file too large ({size:,} bytes, limit {max_bytes:,}); not processed — split it, "
                                       "or raise the limit with --max-source-mb")
    try:
        return _cached(path, root, cache)
    except Exception as err:
        return _unreadable(path, root, f"内部错误 / internal error: {type(err).__name__}: {err} — please report it "
                                       "with this file")


def _unreadable(path: Path, root: Path | None, error: str) -> tuple[Source, list[Problem]]:
    shown = shown_path(path, root)
    return Source(path=shown, error=error), [Problem(shown, error)]


def _cached(path: Path, root: Path | None, cache: SourceCache | None) -> tuple[Source, list[Problem]]:
    if cache is None:
        return process_source(path, root)
    try:
        sidecar = sidecar_path(path)
        key = cache.key(shown_path(path, root), path.read_bytes(), sidecar.read_bytes() if sidecar.is_file() else None)
    except OSError:
        return process_source(path, root)
    hit = cache.get(key)
    if hit is not None:
        hit[0].from_cache = True
        return hit
    result = process_source(path, root)
    cache.put(key, result)
    return result


def process_source(path: Path, root: Path | None = None) -> tuple[Source, list[Problem]]:
    shown = shown_path(path, root)
    source = Source(path=shown)
    try:
        data = path.read_bytes()
    except OSError as err:
        source.error = f"无法读取 / cannot read: {err.strerror}"
        return source, [Problem(shown, source.error)]
    source.sha256 = hashlib.sha256(data).hexdigest()
    try:
        text, source.encoding = decode_bytes(data)
    except DecodeError as err:
        source.error = str(err)
        return source, [Problem(shown, source.error)]
    documents, source.removed = split_documents(text, shown)
    pinned, problems = read_sidecar(path, shown)
    for doc in documents:
        fields = {**pinned.get(0, {}), **pinned.get(doc.position, {})}
        process_document(doc, fields)
        doc.raw_digest = hashlib.sha1(doc.raw_text.encode()).hexdigest()
        doc.raw_text = ""   # nothing after processing reads it; the source file keeps it
        if doc.kind == WORK_REPORT:
            problems.extend(_missing_metadata(doc))
    source.documents = documents
    return source, problems


def process_document(doc: Document, pinned: dict) -> Document:
    page_metadata(doc.raw_text, doc.meta)
    doc.kind, doc.kind_reason = classify(doc.title, doc.raw_text)
    if pinned.get("kind") in (WORK_REPORT, OTHER):
        doc.kind, doc.kind_reason = pinned["kind"], "由 sidecar 文件指定 / pinned by the sidecar"
    doc.text, doc.removed = clean(doc.raw_text)
    doc.run_on = any(r.fix == "break_run_on_lines" for r in doc.removed)
    if doc.kind != WORK_REPORT:
        doc.title = doc.title or doc.text.split("\n", 1)[0][:60]
        return doc
    if len(doc.text) < SHORT_REPORT:   # a report by its evidence, whatever its length; but say so
        doc.notes.append(f"篇幅短（{len(doc.text)} 字），按报告处理：请核对是否完整")
    header, body = split_header(doc.text)
    if header:
        doc.removed.append(Removal("header_to_metadata", header))
    # Metadata is read in simplified characters (a traditional text's place and office words
    # are then the ones the patterns and the gazetteer know); the text itself stays as written.
    traditional = is_traditional(doc.text)
    read_header(simplified(header, traditional), simplified(doc.title, traditional), doc.meta,
                simplified(split_header(doc.raw_text)[0], traditional))
    # Pinned fields win, and what they fix is not inferred (nor noted as missing) from the body.
    apply_pinned(doc.meta, {k: v for k, v in pinned.items() if k != "kind"})
    parts = outline(body, doc.run_on, strip_level(doc.meta.place or ""))
    infer_from_body(simplified(body, traditional), [simplified(s.number + s.title, traditional) for s in parts.sections],
                    doc.meta, doc.notes, simplified(header, traditional))
    doc.preamble, doc.sections, doc.appendices = parts.preamble, parts.sections, parts.appendices
    doc.glossary_title, doc.glossary_lines = parts.glossary_title, parts.glossary_lines
    doc.notes.extend(parts.notes)
    if doc.glossary_lines:
        doc.glossary, glossary_problems = parse_entries(doc.glossary_lines)
        doc.notes.extend(glossary_problems)
        for entry in doc.glossary:
            entry.terms = entry.terms or [term_key(t) for t in split_terms(entry.term)]
    _link_footnote_markers(doc)
    written = doc.meta.title or ""
    # A bare 政府工作报告 says nothing in a list of reports; name the place and year.
    doc.title = written if (doc.meta.place or "~") in written and str(doc.meta.year) in written else _default_title(doc)
    return doc


def _link_footnote_markers(doc: Document) -> None:
    """Markers like [3] after a term point to glossary entry 3; they leave the plain text."""
    numbers = {e.number for e in doc.glossary if e.number}
    if not numbers:
        return
    for section in [None, *doc.all_sections()]:
        paragraphs = doc.preamble if section is None else section.paragraphs
        for i, p in enumerate(paragraphs):
            text, notes = strip_footnote_markers(p.text, numbers)
            if not notes:
                continue
            bold = _with_bold_markers(p)
            rebuilt = _paragraph(strip_footnote_markers(bold, numbers)[0])
            paragraphs[i] = Paragraph(text=text, anchor=p.anchor, notes=notes, emphasis=rebuilt.emphasis)
            doc.removed.append(Removal("footnote_markers_to_links", " ".join(f"[{n}]" for _, n in notes), count=len(notes)))


def _with_bold_markers(p: Paragraph) -> str:
    text = p.text
    for start, end in sorted(p.emphasis, reverse=True):
        text = text[:start] + "**" + text[start:end] + "**" + text[end:]
    return text


def _default_title(doc: Document) -> str:
    m = doc.meta
    return f"{f'{m.year}年' if m.year else ''}{m.place or ''}政府工作报告"


def _missing_metadata(doc: Document) -> list[Problem]:
    missing = [f for f in ("place", "year") if not getattr(doc.meta, f)]
    if not missing:
        return []
    return [Problem(doc.source_path, f"第 {doc.position} 篇无法确定 {', '.join(missing)}；"
                    f"请在 {Path(doc.source_path).name}.meta.yml 中指定 / could not determine "
                    f"{', '.join(missing)} of document {doc.position}; pin it in a sidecar file",
                    severity="warning")]


def assign_ids(corpus: Corpus) -> None:
    """`tongxiangshi-2023`: the place in pinyin and the year, unique across the corpus.

    Ids use only lowercase ASCII letters, digits and `-`, so they are safe as file names and URLs.
    """
    seen: dict[str, int] = {}
    for doc in corpus.reports:
        # The place in its official romanisation (陕西 shaanxi, from places.yml), then urls' alphabet.
        base = report_id(place_pinyin(doc.meta.place) if doc.meta.place else None, doc.meta.year, doc.raw_digest)
        seen[base] = seen.get(base, 0) + 1
        doc.id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        if seen[base] > 1:
            corpus.problems.append(Problem(doc.source_path, f"报告编号 {base} 重复，改用 {doc.id} / "
                                           f"report id {base} is taken; using {doc.id}", severity="warning"))
        for entry in doc.glossary:
            entry.report_id = doc.id
