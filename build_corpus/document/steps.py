"""The per-source and per-document steps of pipeline.py: each one fills in the plain data of one
source or one document from what the steps before it left, using its stage module.

A source step may stop its source with `SourceError` (unreadable, undecodable): the source is
then listed with that error and nothing else is made of it.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..contributions.inputs import shown_path
from ..contributions.sidecar import read_sidecar
from ..model import OTHER, WORK_REPORT, Document, Problem, Removal, Source
from ..safe_text import UNHOLDABLE, unholdable_named
from .classify import COMMITTEE_VERSION, DIGEST_VERSION, SHORT_REPORT, classify, is_traditional, simplified
from .clean import clean
from .decode import DecodeError, decode_bytes
from .extent import find_extent
from .footnotes import link_footnote_markers
from .glossary import parse_entries
from .metadata import apply_pinned, infer_from_body, page_metadata, read_header, split_header, strip_level
from .repair import DOCUMENT_REPAIRS, LOST, unescape_line_breaks
from .sections import outline
from .split import split_documents
from .targets import read_targets


class SourceError(Exception):
    """The source cannot be processed at all; the message says why, in Chinese and English."""


@dataclass
class SourceWork:
    """One source file on its way through the source steps."""
    path: Path
    source: Source
    problems: list[Problem] = field(default_factory=list)
    data: bytes = b""
    text: str = ""
    pinned: dict[int, dict] = field(default_factory=dict)   # document position (0: all) -> pinned fields
    repaired: list[Removal] = field(default_factory=list)  # the source's repairs, logged on each document


@dataclass
class DocumentWork:
    """One document on its way through the document steps, with what they pass on that the
    Document itself does not keep."""
    doc: Document
    pinned: dict                       # the sidecar's fields for this document
    problems: list[Problem]            # the source's problems (what `check` prints)
    header: str = ""                   # the lines before 各位代表 (they become metadata)
    body: str = ""                     # the rest: the report itself
    traditional: bool = False          # written in traditional characters

    def doubt(self, message: str) -> None:
        """Something a reader should know about this document's processing: on its page and in `check`."""
        self.doc.notes.append(Problem(self.doc.source_path, message, "notice", key=f"#{self.doc.position}"))

    def simplified(self, text: str) -> str:
        """Metadata is read in simplified characters: a traditional text's place and office words are
        then the ones the patterns and the gazetteer know. The text itself stays as written."""
        return simplified(text, self.traditional)


# --- per source ------------------------------------------------------------------

def read_source(work: SourceWork) -> None:
    try:
        work.data = work.path.read_bytes()
    except OSError as err:
        raise SourceError(f"无法读取 / cannot read: {err.strerror}") from None
    work.source.sha256 = hashlib.sha256(work.data).hexdigest()


def decode_source(work: SourceWork) -> None:
    try:
        work.text, work.source.encoding = decode_bytes(work.data)
    except DecodeError as err:
        raise SourceError(str(err)) from None
    work.data = b""


def unescape_source(work: SourceWork) -> None:
    """Line breaks an export stored as `\\r\\n`: the split into documents needs the real ones."""
    work.text, work.repaired = clean(work.text, (("unescape_line_breaks", unescape_line_breaks),))


def split_source(work: SourceWork) -> None:
    work.source.documents, work.source.removed = split_documents(work.text, work.source.path)
    for doc in work.source.documents:
        doc.removed = list(work.repaired)
    work.text = ""
    for doc in work.source.documents:   # a listing item's title line is outside its text, which cleaning sees
        if UNHOLDABLE.search(doc.title):
            work.source.removed += [Removal("remove_unholdable_characters", unholdable_named(c))
                                    for c in UNHOLDABLE.findall(doc.title)]
            doc.title = UNHOLDABLE.sub("", doc.title)


def read_pinned(work: SourceWork) -> None:
    """The curator's sidecar file next to the source (`x.txt.meta.yml`): fields that always win."""
    work.pinned, problems = read_sidecar(work.path, work.source.path)
    work.problems.extend(problems)


def unreadable(path: Path, root: Path | None, error: str) -> tuple[Source, list[Problem]]:
    """A source that could not be processed, listed with its error."""
    shown = shown_path(path, root)
    return Source(path=shown, error=error), [Problem(shown, error)]


# --- per document ----------------------------------------------------------------

def repair_document(work: DocumentWork) -> None:
    """Encoding damage undone before anything reads the text (repair.py); lost characters said."""
    doc = work.doc
    doc.raw_text, repaired = clean(doc.raw_text, DOCUMENT_REPAIRS)
    doc.removed += repaired
    lost = sum(r.replacement.count(LOST) * r.count for r in repaired if r.fix == "mark_lost_characters")
    if lost:
        work.doubt(f"来源中有 {lost} 个字符已经丢失（原文作“??”或“{LOST}”），正文中以“{LOST}”标出，未作猜测")


def read_page_metadata(work: DocumentWork) -> None:
    """A web page's own 来源/时间 lines, before cleaning drops them as page chrome."""
    notes: list[str] = []
    page_metadata(work.doc.raw_text, work.doc.meta, notes)
    for message in notes:
        work.doubt(message)


def classify_document(work: DocumentWork) -> None:
    doc = work.doc
    doc.kind, doc.kind_reason = classify(doc.title, doc.raw_text)
    if work.pinned.get("kind") in (WORK_REPORT, OTHER):
        doc.kind, doc.kind_reason = work.pinned["kind"], "由 sidecar 文件指定 / pinned by the sidecar"
    elif doc.kind == WORK_REPORT and (version := next((v for v in (DIGEST_VERSION, COMMITTEE_VERSION)
                                                        if doc.kind_reason.startswith(v)), None)):
        work.doubt(f"这份文本是{version}；引用时请以报告的正式文本为准")


# 标题：二O一二年政府工作报告 — a text archive labels the page's title.
ARCHIVE_LABEL = re.compile(r"^(?:标题|题目|文章标题|title)\s*[:：]\s*", re.IGNORECASE)


def find_report_extent(work: DocumentWork) -> None:
    """The page around the report goes, logged line by line (extent.py); the page's own title,
    if the listing gave none, is kept as the document's title."""
    doc = work.doc
    lines = doc.raw_text.split("\n")
    first, end, trailer = find_extent(lines)
    if first == 0 and end == len(lines) and not trailer:
        return
    outside = [line.strip() for line in lines[:first] + lines[end:] if line.strip()]
    if trailer:
        lines[end - 1] = lines[end - 1].rstrip()[: -len(trailer)]
        outside.append(trailer.strip())
    if not doc.title:
        doc.title = next((ARCHIVE_LABEL.sub("", line) for line in map(str.strip, lines[:first])
                          if "政府工作报告" in line and len(line) <= 40), "")
    doc.removed += [Removal("outside_report", line) for line in outside]
    doc.raw_text = "\n".join(lines[first:end])


def clean_document(work: DocumentWork) -> None:
    doc = work.doc
    doc.text, cleaned = clean(doc.raw_text)
    doc.removed += cleaned
    doc.run_on = any(r.fix == "break_run_on_lines" for r in cleaned)


def read_header_metadata(work: DocumentWork) -> None:
    """Place, level, meeting, date and speaker from the report's own header and listing title."""
    doc = work.doc
    if len(doc.text) < SHORT_REPORT:   # a report by its evidence, whatever its length; but say so
        work.doubt(f"篇幅短（{len(doc.text)} 字），按报告处理：请核对是否完整")
    work.header, work.body = split_header(doc.text)
    if work.header:
        doc.removed.append(Removal("header_to_metadata", work.header))
    work.traditional = is_traditional(doc.text)
    notes: list[str] = []
    read_header(work.simplified(work.header), work.simplified(doc.title), doc.meta,
                work.simplified(split_header(doc.raw_text)[0]), notes)
    for note in notes:
        work.doubt(note)


def apply_pinned_metadata(work: DocumentWork) -> None:
    """The sidecar's fields win, and what they fix is neither inferred nor noted as missing; its
    `origin` (a dataset's row) is provenance."""
    apply_pinned(work.doc.meta, {k: v for k, v in work.pinned.items() if k not in ("kind", "origin")})
    work.doc.origin = dict(work.pinned.get("origin") or {})


def find_sections(work: DocumentWork) -> None:
    """The report's own heading tree, its appendices and its 名词解释 block."""
    for message in outline(work.doc, work.body, strip_level(work.doc.meta.place or "")):
        work.doubt(message)


def infer_metadata(work: DocumentWork) -> None:
    """What the header left open, from the body: 我代表XX人民政府, dated headings, 全市/全县 …"""
    doc, messages = work.doc, []
    infer_from_body(work.simplified(work.body), [work.simplified(s.number + s.title) for s in doc.sections],
                    doc.meta, messages, work.simplified(work.header))
    for message in messages:
        work.doubt(message)


def parse_glossary(work: DocumentWork) -> None:
    doc = work.doc
    if not doc.glossary_lines:
        return
    doc.glossary, messages = parse_entries(doc.glossary_lines)   # (each entry's terms, a term's rule: glossary.py)
    for message in messages:
        work.doubt(message)


def link_footnotes(work: DocumentWork) -> None:
    link_footnote_markers(work.doc)


def choose_title(work: DocumentWork) -> None:
    """A bare 政府工作报告 says nothing in a list of reports: name the place and year."""
    doc = work.doc
    if doc.kind != WORK_REPORT:
        doc.title = doc.title or doc.text.split("\n", 1)[0][:60]
        return
    written, m = doc.meta.title or "", doc.meta
    named = (m.place or "~") in written and str(m.year) in written
    doc.title = written if named else f"{f'{m.year}年' if m.year else ''}{m.place or ''}政府工作报告"


def compare_with_origin(work: DocumentWork) -> None:
    """A dataset's year or place is a label: where the text's own evidence says otherwise, say so."""
    doc, origin = work.doc, work.doc.origin
    for name, label in (("year", "年份"), ("place", "地区")):
        stated, found = origin.get(name), getattr(doc.meta, name)
        if stated is not None and found is not None and stated != found:
            work.doubt(f"数据集 {origin.get('dataset')} 第 {origin.get('row')} 行标注的{label}是“{stated}”，"
                       f"正文的依据是“{found}”：以正文为准")


def check_required_metadata(work: DocumentWork) -> None:
    """A report without place or year cannot be placed on the site's indexes: a warning, so that
    `--strict` asks a curator to pin it."""
    doc = work.doc
    missing = [f for f in ("place", "year") if not getattr(doc.meta, f)]
    if missing:
        work.problems.append(Problem(
            doc.source_path, f"第 {doc.position} 篇无法确定 {', '.join(missing)}；请在 {Path(doc.source_path).name}.meta.yml "
            f"中指定 / could not determine {', '.join(missing)} of document {doc.position}; pin it in a sidecar file",
            severity="warning"))


def find_targets(work: DocumentWork) -> None:
    """The 主要预期目标 records and the year's results: they read the report's own text only, so they are
    found here, once, and kept with the source in the cache (a corpus-wide step, they were found again
    on every build: 0.8 s at 1,000 reports)."""
    work.doc.targets = read_targets(work.doc)


def release_texts(work: DocumentWork) -> None:
    """Nothing after this reads the raw text (the source file keeps it), nor a report's whole cleaned
    text (its sections, paragraphs and 名词解释 hold it): the cache then holds that text once."""
    doc = work.doc
    doc.raw_digest = hashlib.sha1(doc.raw_text.encode()).hexdigest()
    doc.raw_text = ""
    if doc.kind == WORK_REPORT:
        doc.text = ""
