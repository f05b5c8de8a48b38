"""Plain data passed between the pipeline stages.

Every stage takes and returns these dataclasses; none of them holds behaviour
beyond small conveniences, so a reader can follow the flow by their fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # annotations only: the corpus-wide types are built from these
    from .contributions.curation import CuratedTerm
    from .contributions.history import SourceEvent
    from .corpus.places import PlaceInfo
    from .corpus.scope import Scope
    from .corpus.terms import Term
    from .document.targets import Target
    from .publishing import Address

WORK_REPORT = "work_report"
OTHER = "other"

# Metadata fields, in the order every output lists them (front matter, JSON, CSV); a curator may pin
# any of them in a sidecar file (data/sidecar.schema.json, README).
META_FIELDS = ("place", "level", "parent", "year", "date", "speaker", "speaker_title",
               "meeting", "title", "publisher", "published", "url")


@dataclass
class Removal:
    """Text a cleaning fix (or stage) took out of a document, kept so nothing vanishes silently."""
    fix: str
    text: str
    replacement: str = ""   # empty for a pure removal
    count: int = 1


# error: the input cannot be used as it is; warning: it can, but a curator should fix it (fails
# --strict); notice: a doubt about how a text was read, shown on its page and by `check`, never failing.
SEVERITIES = ("error", "warning", "notice")


@dataclass
class Problem:
    """Something wrong with an input, reported as `path: message` and never as a traceback."""
    path: str
    message: str
    severity: str = "error"   # one of SEVERITIES
    line: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        """One line, whatever the file's name holds: control characters are shown escaped."""
        where = _one_line(self.path) + (f":{self.line}" if self.line else "")
        key = f" {_one_line(self.key)}:" if self.key else ""
        return f"{where}:{key} {self.severity}: {_one_line(self.message)}"


def _one_line(text: str) -> str:
    r"""`b\n# x.txt` for a name holding a line break, so a problem is always one line of output."""
    return "".join(ch.encode("unicode_escape").decode("ascii") if ord(ch) < 32 or 127 <= ord(ch) < 160 else ch
                   for ch in text)


@dataclass
class Metadata:
    place: str | None = None        # 桐乡市, 濮院镇, 内蒙古自治区 …
    level: str | None = None        # 省 / 自治区 / 直辖市 / 市 / 县 / 区 / 镇 / 乡 / 街道
    parent: str | None = None       # the place this one belongs to, when known
    year: int | None = None         # year the report was delivered
    date: str | None = None         # meeting date, ISO
    speaker: str | None = None
    speaker_title: str | None = None
    meeting: str | None = None
    title: str | None = None
    published: str | None = None    # web page's posting date, when the page had one
    publisher: str | None = None    # 来源 of a web page
    url: str | None = None          # the official original's address (a curator's sidecar); http(s) only
    inferred: list[str] = field(default_factory=list)   # fields guessed from the body
    pinned: list[str] = field(default_factory=list)     # fields set by a curator's sidecar
    evidence: dict[str, str] = field(default_factory=dict)  # field -> the text it came from


@dataclass
class Paragraph:
    text: str                           # clean plain text, footnote markers removed
    anchor: str = ""
    notes: list[tuple[int, str]] = field(default_factory=list)  # (offset in text, footnote number)
    emphasis: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of **bold** spans
    term_spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, term key), by linking


@dataclass
class Section:
    title: str
    level: int
    number: str = ""                   # the numbering as printed: 一、 / （一） / 1.
    anchor: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass
class GlossaryEntry:
    """One 名词解释 entry, as the report wrote it."""
    term: str                          # as written, e.g. “四位一体”管理
    definition: str
    number: str | None = None       # 1 / ① / ［1］ as printed, normalised to digits where possible
    terms: list[str] = field(default_factory=list)   # the term keys this entry defines
    anchor: str = ""
    report_id: str = ""


@dataclass
class Annotation:
    """A contributor's note on one paragraph, from annotations/<report-id>.yml."""
    path: str
    index: int                         # position in the file's notes list
    quote: str
    note: str                          # contributor Markdown (rendered safely)
    author: str
    anchor: str | None = None       # as given in the file
    date: str | None = None
    sources: list[dict] = field(default_factory=list)
    paragraph_anchor: str = ""         # the paragraph it was found in
    line: int | None = None            # line of its quote in the file


@dataclass
class Document:
    source_path: str
    position: int                      # 1-based index of the document in its source file
    line: int                          # 1-based line in the source where the document starts
    raw_text: str                      # as split from the source; released once processed (the source
                                       # file keeps it), so cached results are a third smaller
    kind: str = OTHER
    kind_reason: str = ""
    title: str = ""
    text: str = ""                     # after cleaning; a report's is released once its sections,
                                       # paragraphs and 名词解释 hold it (the cache holds it once)
    run_on: bool = False               # paragraphs and headings were glued on one line
    meta: Metadata = field(default_factory=Metadata)
    preamble: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    appendices: list[Section] = field(default_factory=list)
    glossary_title: str = ""
    glossary_lines: list[str] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)   # doubts (notices), on the page and in `check`
    annotations: list[Annotation] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)   # its 主要预期目标 records (document/targets.py)
    raw_digest: str = ""               # sha1 of raw_text: names a report with no place (assign_ids)
    id: str = ""
    copies: list[str] = field(default_factory=list)   # other sources of this same report ("path#position")
    origin: dict = field(default_factory=dict)  # a dataset's row it was imported from (sidecar `origin`)
    duplicate_of: str = ""             # this document is a copy of the report in that source

    def all_sections(self):
        """Sections depth-first, appendices last."""
        def walk(sections):
            for s in sections:
                yield s
                yield from walk(s.sections)
        yield from walk(self.sections)
        yield from walk(self.appendices)

    def all_paragraphs(self):
        """Every paragraph in reading order: the preamble, then the sections', appendices last."""
        yield from self.preamble
        for section in self.all_sections():
            yield from section.paragraphs


@dataclass
class Source:
    path: str                          # as given on the command line / relative to the repo
    encoding: str = ""
    error: str | None = None
    sha256: str = ""
    documents: list[Document] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)   # page chrome outside any document
    from_cache: bool = False                               # taken from the build cache, not processed


@dataclass
class Corpus:
    """Every source, processed (its documents and their problems), in source order."""
    sources: list[Source] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def reports(self) -> list[Document]:
        return [d for s in self.sources for d in s.documents if d.kind == WORK_REPORT]

    @property
    def others(self) -> list[Document]:
        return [d for s in self.sources for d in s.documents if d.kind != WORK_REPORT]


@dataclass
class Site:
    """The corpus with everything corpus-wide worked out (terms, scope, targets) and the pages made of it."""
    corpus: Corpus
    address: Address                                           # where the site and its repository are published
    reports: list[Document] = field(default_factory=list)     # the corpus's reports by place, then year
    curated: dict[str, CuratedTerm] = field(default_factory=dict)          # glossary/: term key -> curated note
    annotations: dict[str, list[Annotation]] = field(default_factory=dict)  # annotations/: report id -> notes
    terms: dict[str, Term] = field(default_factory=dict)
    defined_by: dict[str, dict[str, Document]] = field(default_factory=dict)   # term key -> report id -> report
    scope: Scope | None = None                                 # which definition each use links to (scope.py)
    by_place: dict[str, list[Document]] = field(default_factory=dict)   # place -> its reports, by year
    places: dict[str, PlaceInfo] = field(default_factory=dict)   # every place with a page: reports' places and those above
    targets: dict[str, list[Target]] = field(default_factory=dict)   # report id -> its 主要预期目标 records
    pages: dict[str, str] = field(default_factory=dict)        # path under docs/ -> Markdown
    files: dict[str, bytes] = field(default_factory=dict)      # downloads: path under docs/ -> bytes
    problems: list[Problem] = field(default_factory=list)      # what the corpus-wide steps found wrong
    jobs: int = 1                                              # processes the corpus-wide steps may use
    history: list[SourceEvent] = field(default_factory=list)   # sources added and changed, newest first (git)
    history_note: str = ""                                     # why there is no history, when there is none
    provenance: dict[str, str] = field(default_factory=dict)   # source file name -> where it came from (sources/README.md)
    split: str = "auto"                                        # sub-sites: auto (by size), always, never
    subsites: dict[str, str] = field(default_factory=dict)     # report id -> its sub-site (corpus/subsites.py)
    subsite_names: dict[str, str] = field(default_factory=dict)  # sub-site slug -> its province
    stubbed_terms: set[str] = field(default_factory=set)      # term keys whose address is a stub, not a page
    staging: object = None                                     # pages/write.Staging: pages written as they are made
    release_files: dict[str, bytes] = field(default_factory=dict)   # downloads published with releases (sub-sites)
