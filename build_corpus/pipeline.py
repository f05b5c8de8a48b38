"""The whole build, declared in one place: the tables below list every step in the order it runs.

    per source     read → decode → line breaks → split → sidecar           SOURCE_STEPS    document/
    per document   repair → page metadata → classify → extent → clean →    DOCUMENT_STEPS  document/
                   header metadata → pinned metadata → sections →
                   inferred metadata → glossary → footnotes → title →
                   origin → required metadata → targets → release texts
    per corpus     copies → ids → glossary anchors                         CORPUS_STEPS    corpus/
    contributions  glossary/ and annotations/, checked against schemas     load_contributions  contributions/
    history        sources/' commits (git) and provenance (sources/README)  load_history  contributions/history.py
    site           contributions → term merge → curated checks →           SITE_STEPS      corpus/
                   uses/links → places → targets → sub-sites
    pages          reports → terms → targets → comparisons → indexes →     PAGE_STEPS      pages/
                   places → reader pages → downloads
    write          docs/, all or nothing                                   write_site      pages/write.py
    render         `mkdocs build`, with our hooks                          renderer/

Every source is processed completely (its problems collected) before anything corpus-wide runs,
and every page is made before any is written: cross-links are built from the whole corpus (MkDocs'
build does the same, for the same reason). Sources are independent until then, so they run in
parallel processes and are cached (batch.py). `build` runs it all for the command line;
`benchmarks/run.py` times each entry of these tables by its name.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import remembered
from .batch import MAX_SOURCE_BYTES, process_sources
from .cache import SourceCache, code_version
from .contributions.annotations import load_annotations
from .contributions.curation import load_curated
from .contributions.history import source_history, source_provenance
from .contributions.inputs import list_inputs, shown_path
from .corpus import steps as corpus
from .document import steps as document
from .model import WORK_REPORT, Corpus, Problem, Site, Source
from .pages import steps as pages
from .pages.downloads import RELEASE_FILES, RELEASE_FOLDER
from .pages.write import PageSink, Staging, write_release_files
from .processes import beside
from .publishing import Address, from_environment
from .renderer.subsites import finish_projects, placed
from .segmentation import keep_dictionary_in, load_dictionary


@dataclass(frozen=True)
class Step:
    """One named step: a function that fills in the plain data it is given."""
    name: str
    run: Callable
    reports_only: bool = False     # document steps: skipped for documents that are not work reports


SOURCE_STEPS = (
    Step("read", document.read_source),
    Step("decode", document.decode_source),                 # UTF-8 / GB18030 / UTF-16, BOMs
    Step("line breaks", document.unescape_source),          # `\r\n` an export wrote as two characters
    Step("split", document.split_source),                   # several documents in one file
    Step("sidecar", document.read_pinned),                  # a curator's x.txt.meta.yml
)
DOCUMENT_STEPS = (
    Step("repair", document.repair_document),                # HTML references, odd spaces, lost characters
    Step("page metadata", document.read_page_metadata),     # a web page's 来源/时间, before cleaning drops them
    Step("classify", document.classify_document),           # work report, or something else
    Step("extent", document.find_report_extent, reports_only=True),   # the page around the report goes
    Step("clean", document.clean_document),                 # named fixes, each logged
    Step("header metadata", document.read_header_metadata, reports_only=True),
    Step("pinned metadata", document.apply_pinned_metadata, reports_only=True),   # the sections read the place
    Step("sections", document.find_sections, reports_only=True),
    Step("inferred metadata", document.infer_metadata, reports_only=True),        # only what is still open
    Step("glossary", document.parse_glossary, reports_only=True),                 # the 名词解释 entries
    Step("footnotes", document.link_footnotes, reports_only=True),                # [3] → entry 3
    Step("title", document.choose_title),
    Step("origin", document.compare_with_origin, reports_only=True),            # a dataset's labels vs the text
    Step("required metadata", document.check_required_metadata, reports_only=True),
    Step("targets", document.find_targets, reports_only=True),                    # 主要预期目标 and last year's results
    Step("release texts", document.release_texts),
)
CORPUS_STEPS = (
    Step("copies", corpus.merge_copies),                    # one report scraped twice: one page, both sources
    Step("ids", corpus.assign_ids),
    Step("glossary anchors", corpus.assign_glossary_anchors),
)
SITE_STEPS = (
    Step("contributions", corpus.attach_contributions),
    Step("term merge", corpus.merge_all_terms),
    Step("curated checks", corpus.check_curated_notes),
    Step("uses/links", corpus.record_uses),
    Step("places", corpus.group_by_place),
    Step("targets", corpus.find_targets),
    Step("sub-sites", corpus.split_into_subsites),          # a large corpus: a site per province (the paths follow)
)
# From this many reports the corpus-wide steps use build_site's jobs: below it, forking the process
# costs more than it saves (N=100: 0.72 s in one process, 0.86 s in two; N=1,000: 9.98 s, 7.50 s).
SITE_JOBS_FROM = 250
# Page steps only read the finished Site and each fill in their own pages: with jobs > 1 those named
# in PAGES_HERE run in this process and the rest beside it (run_page_steps), which sends its pages'
# names back, and what its memos learned (remembered.py). Here are the steps with the largest memos
# (downloads: the corpus download's compressed blocks, ~140 MB at 10,000 reports; term pages: their
# quoted uses), so they are not sent; and comparisons, which even the two out. At N=1,000 (a warm CI
# build, benchmarks/ci_steps.py), here: term pages 1.5 s, downloads 0.9, comparisons 0.5, the rest 0.05;
# beside: report pages 2.4, place pages 0.3, indexes 0.1.
PAGES_HERE = ("term pages", "target pages", "comparison pages", "reader pages", "downloads")
PAGE_STEPS = (
    Step("report pages", pages.report_pages),
    Step("term pages", pages.term_pages),
    Step("target pages", pages.target_pages),
    Step("comparison pages", pages.comparison_pages),
    Step("index pages", pages.index_pages),
    Step("place pages", pages.place_pages),                 # a page per place, its parents from the division data
    Step("reader pages", pages.reader_pages),               # search, about, changes and feed, annotations
    Step("downloads", pages.downloads),
)
TABLES = {"source": SOURCE_STEPS, "document": DOCUMENT_STEPS, "corpus": CORPUS_STEPS, "site": SITE_STEPS,
          "page": PAGE_STEPS}

REMEMBERED = "remembered.pickle"   # in the cache's folder: remembered.py's tables
KEPT_PAGES = "pages"               # in the cache's folder: the last build's pages, by digest (pages/write.py)

# Times a step: `clock(table, step name)` is a context manager around each run (benchmarks/run.py).
Clock = Callable[[str, str], AbstractContextManager]


def untimed(table: str, name: str) -> AbstractContextManager:
    return nullcontext()


def run_steps(table: str, steps: tuple[Step, ...], subject, clock: Clock = untimed) -> None:
    for step in steps:
        with clock(table, step.name):
            step.run(subject)


# --- per source and per document -------------------------------------------------------

def process_source(path: Path, root: Path | None = None, clock: Clock = untimed) -> tuple[Source, list[Problem]]:
    """One source through SOURCE_STEPS, then each of its documents through DOCUMENT_STEPS."""
    work = document.SourceWork(path, Source(path=shown_path(path, root)))
    try:
        run_steps("source", SOURCE_STEPS, work, clock)
    except document.SourceError as err:
        work.source.error = str(err)
        return work.source, [Problem(work.source.path, work.source.error)]
    for doc in work.source.documents:
        item = document.DocumentWork(doc, {**work.pinned.get(0, {}), **work.pinned.get(doc.position, {})}, work.problems)
        for step in DOCUMENT_STEPS:
            if not step.reports_only or doc.kind == WORK_REPORT:
                with clock("document", step.name):
                    step.run(item)
    return work.source, work.problems


SOURCE_SUFFIXES = (".txt", ".text", ".md")


def find_sources(folder: Path, root: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """Every source file in a folder (sidecars and the README excepted), and a problem for each
    entry with a source's name that is not a file we may read (symlink out, loop, directory)."""
    files, problems = list_inputs(folder, root, lambda name: Path(name).suffix in SOURCE_SUFFIXES
                                  and name.lower() != "readme.md" and not name.startswith("."))
    return [f.path for f in files], problems


def build_corpus(paths: list[Path], root: Path | None = None, cache: SourceCache | None = None,
                 workers: int = 1, max_source_bytes: int = MAX_SOURCE_BYTES, clock: Clock = untimed) -> Corpus:
    """Every source through the per-source steps (from the cache where unchanged), in source
    order, then CORPUS_STEPS. A clock times the steps only in this process (workers=1)."""
    corpus = Corpus()
    # jieba's dictionary (~0.6 s to load): the sections stage may need it in every worker, and linking
    # needs it in this process after them; loaded here first when there are workers, they share it.
    for source, problems in process_sources(paths, root, cache, workers, max_source_bytes,
                                            partial(process_source, root=root, clock=clock), load_dictionary):
        corpus.sources.append(source)
        corpus.problems.extend(problems)
    run_steps("corpus", CORPUS_STEPS, corpus, clock)
    return corpus


# --- corpus-wide and pages ----------------------------------------------------------------

def build_site(corpus: Corpus, curated: dict | None = None, address: Address | None = None,
               annotations: dict | None = None, clock: Clock = untimed, jobs: int = 1, split: str = "auto",
               docs: Path | None = None, history: History | None = None, kept_pages: Path | None = None) -> Site:
    """SITE_STEPS, then every page (PAGE_STEPS). `split`: sub-sites (auto: by size). Nothing is in docs/ yet:
    the pages are kept, or, given `docs`, written into its staging area as they are made (write_site
    swaps them in), which keeps a large corpus's pages out of memory; `kept_pages`: the last build's
    pages, by digest (write.KeptPages), for a docs/ without them."""
    history = history or History()
    site = Site(corpus, from_environment() if address is None else address, curated=curated or {},
                annotations=annotations or {}, jobs=jobs if len(corpus.reports) >= SITE_JOBS_FROM else 1,
                reports=sorted(corpus.reports, key=lambda d: (d.meta.place or "", d.meta.year or 0)), split=split,
                history=history.events, history_note=history.note, provenance=history.provenance)
    run_steps("site", SITE_STEPS, site, clock)
    if docs is not None:
        site.staging = Staging(docs, place=placed, kept=kept_pages)
        site.pages, site.files = PageSink(site.staging), PageSink(site.staging)
    run_page_steps(site, clock)
    return site


def run_page_steps(site: Site, clock: Clock = untimed) -> None:
    """PAGE_STEPS; with site.jobs > 1, PAGES_HERE in this process and the others in a second one (a
    clock times steps only in this process, so a timed run keeps to one)."""
    if site.jobs < 2 or clock is not untimed:
        run_steps("page", PAGE_STEPS, site, clock)
        return
    here = tuple(step for step in PAGE_STEPS if step.name in PAGES_HERE)
    there = tuple(step for step in PAGE_STEPS if step.name not in PAGES_HERE)
    before = dict(site.pages)

    def the_others() -> tuple[dict[str, dict], dict, dict]:
        made = _pages_by_step(there, site), site.files, site.release_files
        if site.staging is not None:   # its pages are staged already: their names go back, and its digests
            site.staging.flush()
        return made

    made_here, (made_there, files, released) = beside(lambda: _pages_by_step(here, site), the_others)
    site.release_files.update(released)
    made = {**made_here, **made_there}
    pages = {**before, **{path: text for step in PAGE_STEPS for path, text in made[step.name].items()}}
    if isinstance(site.pages, PageSink):
        site.pages.adopt(pages)
        site.files.adopt(files)
    else:
        site.pages = pages
        site.files.update(files)


def _pages_by_step(steps: tuple[Step, ...], site: Site) -> dict[str, dict[str, str]]:
    """Each step's new pages (staged: their names), so that pages made in two processes keep the
    one-process order."""
    made = {}
    for step in steps:
        known = set(site.pages)
        run_steps("page", (step,), site)
        made[step.name] = {path: text for path, text in dict.items(site.pages) if path not in known}
    return made


def write_site(site: Site, docs: Path) -> None:
    """Every page and download into docs/, all or nothing; unchanged pages are left alone (write.py). A
    sub-site's pages go into its MkDocs project, docs/.projects/<slug>/ (renderer/subsites.py)."""
    staging = site.staging
    if staging is None or staging.docs != docs:
        staging = Staging(docs, place=placed)
        for relative, content in {**site.pages, **site.files}.items():
            staging.put(relative, content)
    finish_projects(staging, site.subsite_names, docs, f"{site.address.site_url} {site.address.repo_url}")
    staging.commit()
    write_release_files(site.release_files, docs.parent / RELEASE_FOLDER, RELEASE_FILES)


# --- the whole build, as the command line runs it -------------------------------------------

@dataclass
class Settings:
    """What `build`, `check` and `serve` are given: the input folders and how to run."""
    sources: Path = Path("sources")
    glossary: Path = Path("glossary")
    annotations: Path = Path("annotations")
    root: Path | None = None                   # file names in messages are shown relative to this
    cache: Path | None = None                  # the per-source cache's folder; None: no cache
    jobs: int = 1
    max_source_bytes: int = MAX_SOURCE_BYTES
    split: str = "auto"                        # sub-sites: auto (from corpus/subsites.SPLIT_FROM reports), always, never


@dataclass
class Build:
    paths: list[Path]
    corpus: Corpus
    site: Site
    problems: list[Problem] = field(default_factory=list)   # every problem, in the order the steps found them

    @property
    def doubts(self) -> list[Problem]:
        """Every report's doubts (notices): what its page lists under 处理说明."""
        return [note for doc in self.corpus.reports for note in doc.notes]


@dataclass
class History:
    """What the repository says of the sources: commits adding and changing them, and their provenance."""
    events: list = field(default_factory=list)
    note: str = "构建时没有读取版本历史"
    provenance: dict = field(default_factory=dict)


def load_history(settings: Settings) -> History:
    """sources/' history from git (none outside a checkout, with the reason) and sources/README.md's table."""
    events, note = source_history(settings.sources, settings.root)
    return History(events, note, source_provenance(settings.sources))


def load_contributions(settings: Settings) -> tuple[dict, dict, list[Problem]]:
    """glossary/ and annotations/, each file checked against its schema (contributions/)."""
    curated, problems = load_curated(settings.glossary, settings.root)
    annotations, annotation_problems = load_annotations(settings.annotations, settings.root)
    return curated, annotations, problems + annotation_problems


def build(settings: Settings, clock: Clock = untimed, docs: Path | None = None) -> Build:
    """Everything `build`, `check` and `serve` share: sources, contributions, the site's pages (written into
    `docs`' staging area as they are made, when given: write_site then swaps them in)."""
    if settings.sources.is_dir():
        paths, problems = find_sources(settings.sources, settings.root)
    else:
        paths, problems = [], [Problem(str(settings.sources), "源文件目录不存在 / the sources folder does not exist")]
    # Romanisations and paragraphs' term occurrences kept from the last build (remembered.py), and jieba's
    # dictionary as a table a rebuild reads without loading it (segmentation.py).
    keep_dictionary_in(settings.cache)
    if settings.cache:
        remembered.load(settings.cache / REMEMBERED, code_version())
    corpus = build_corpus(paths, settings.root, SourceCache(settings.cache) if settings.cache else None,
                          settings.jobs, settings.max_source_bytes, clock)
    # Entries refused before reading (symlinks out, loops, folders) are listed with the unreadable sources.
    corpus.sources.extend(Source(path=p.path, error=p.message) for p in problems if p.path != str(settings.sources))
    curated, annotations, contribution_problems = load_contributions(settings)
    site = build_site(corpus, curated, annotations=annotations, clock=clock, jobs=settings.jobs, split=settings.split,
                      docs=docs, history=load_history(settings), kept_pages=settings.cache / KEPT_PAGES if settings.cache else None)
    if settings.cache:
        remembered.save(settings.cache / REMEMBERED, code_version())
    return Build(paths, corpus, site, problems + corpus.problems + contribution_problems + site.problems)
