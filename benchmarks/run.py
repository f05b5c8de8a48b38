"""Benchmark of the whole build on a synthetic corpus of N work reports.

    python benchmarks/run.py --reports 1000 3000 10000 [--keep DIR] [--skip-site] [--workers 2]
                             [--split auto|always|never] [--single-too] [--budget 3600] [--seed 1]
                             [--tracemalloc] [--profile]

For each N (smallest first):

    synthesise   N raw reports from the real sources' text (benchmarks/synth.py)
    stages       build_corpus, then build_site, in this process and one process each, every step
                 of pipeline.py's tables timed inside one real run (the clock pipeline.py passes
                 to each step): the table's stage rows
    build        what `make site` runs, in a scratch project: `build-corpus build --jobs W` (its
                 per-source cache filled from empty) then `mkdocs build --strict`, each a separate
                 command whose every process is measured (benchmarks/measure.py: wall and CPU
                 seconds, each process's own peak, the tree's peak PSS); then the site's bytes and
                 files by what they are, and a reader's first search (tools/search_query.mjs)
    rebuild      one source changed, the same two commands again (the cache, and in a split site the
                 sub-sites whose pages did not change, are reused)
    single       with --single-too, where the build is split: the same build as one site, to compare
    stock        the same raw files as plain Markdown pages, built by MkDocs + Material with its
                 jieba search and nothing of ours

Prints one table per N (stage | seconds | cpu s | MB/s | peak MB | notes), the site's bytes, every
process's peak memory, and at the end the growth per report from one N to the next (figures per
report should stay flat); the last line is one JSON object with every figure. seconds are wall-clock,
cpu s CPU time (of the command and all its processes for a command), which other load on the machine
disturbs much less. MB/s is raw-source megabytes per wall second, so rows compare. An N whose run
would exceed --budget seconds (scaled from the previous N) is skipped, with the estimate.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import gzip
import html
import io
import json
import os
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from measure import measured, processes_line  # noqa: E402

MB = 1_000_000

STOCK_MKDOCS_YML = """site_name: 政府工作报告（stock route）
theme:
  name: material
  language: zh
plugins:
  - search:
      lang: zh
"""


# --- measuring -----------------------------------------------------------------

def rss_mb() -> float:
    """This process's resident high-water mark (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """Wall and CPU seconds of a block: `with Timer() as t: …; t.wall, t.cpu`."""

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


class StepClock:
    """pipeline.py's clock: sums wall and CPU time (and traced memory) per step of its tables."""

    def __init__(self, trace: bool = False):
        self.wall: dict[tuple[str, str], float] = defaultdict(float)
        self.cpu: dict[tuple[str, str], float] = defaultdict(float)
        self.calls: Counter = Counter()
        self.traced_peak: dict[tuple[str, str], int] = defaultdict(int)
        self.trace = trace

    @contextlib.contextmanager
    def __call__(self, table: str, name: str):
        if self.trace:
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            row = (table, name)
            self.wall[row] += time.perf_counter() - wall
            self.cpu[row] += time.process_time() - cpu
            self.calls[row] += 1
            if self.trace:
                self.traced_peak[row] = max(self.traced_peak[row], tracemalloc.get_traced_memory()[1] - before)

    def rows(self, *tables: str):
        """(label, wall, cpu, calls) for every step of these tables, in their order: a renamed or
        new step shows up here by itself."""
        from build_corpus.pipeline import TABLES
        for table in tables:
            for step in TABLES[table]:
                row = (table, step.name)
                yield f"{table}: {step.name}", self.wall.get(row, 0.0), self.cpu.get(row, 0.0), self.calls[row]


def stock_on_our_pages(project: Path, work: Path, timeout: float) -> dict:
    """The other reading of "the same pages": our generated docs/ built by stock MkDocs + Material,
    whose search plugin segments every page with jieba and writes one index, without our search hook."""
    stock = work / "stock-our-pages"
    if stock.exists():
        shutil.rmtree(stock)
    stock.mkdir()
    (stock / "docs").symlink_to(project / "docs")
    (stock / "build_corpus").symlink_to(ROOT / "build_corpus")   # the readers' hook, named by path
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    # Without our search hook (Material's own jieba search runs instead); the readers' hook stays,
    # since the templates use its script_json filter (without it the build fails at 404.html).
    config = re.sub(r"\n[ \t]*- build_corpus/renderer/mkdocs_hooks\.py\n", "\n", config)
    (stock / "mkdocs.yml").write_text(config, encoding="utf-8")
    run = measured([sys.executable, "-m", "mkdocs", "build", "-q"], stock, work / "mkdocs-stock-our-pages.log",
                           timeout)
    download = material_search_figures(stock / "site")["search_download_bytes"] if run["status"] == 0 else 0
    return {"t": argparse.Namespace(wall=run["wall"], cpu=run["cpu"]), "status": run["status"],
            "peak_mb": run["peak_mb"], "download": download}


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def gz_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6)) if path.is_file() else 0


# --- the table ------------------------------------------------------------------------

class Table:
    def __init__(self, source_mb: float):
        self.source_mb = source_mb
        self.rows: list[tuple] = []

    def add(self, stage: str, wall: float | None, cpu: float | None = None, peak: float | None = None, notes: str = ""):
        self.rows.append((stage, wall, cpu, self.source_mb / wall if wall else None, peak, notes))

    def render(self) -> str:
        width = max(len(r[0]) for r in self.rows)

        def num(value, spec, size):
            return format(value, spec) if value is not None else f"{'—':>{size}}"
        out = [f"{'stage':<{width}} | {'seconds':>8} | {'cpu s':>8} | {'MB/s':>7} | {'peak MB':>7} | notes",
               f"{'-' * width}-|-{'-' * 8}-|-{'-' * 8}-|-{'-' * 7}-|-{'-' * 7}-|------"]
        for stage, wall, cpu, mbs, peak, notes in self.rows:
            out.append(f"{stage:<{width}} | {num(wall, '8.2f', 8)} | {num(cpu, '8.2f', 8)} | {num(mbs, '7.2f', 7)} | "
                       f"{num(peak, '7.0f', 7)} | {notes}")
        return "\n".join(out)


# --- stages -------------------------------------------------------------------------

def run_pipeline_staged(paths: list[Path], root: Path, trace: bool = False):
    from build_corpus import pipeline
    clock = StepClock(trace)
    with Timer() as t:
        corpus = pipeline.build_corpus(paths, root, clock=clock)
    return corpus, t, clock


def contributions():
    """What `build-corpus build` reads besides the sources: glossary/ and annotations/, checked."""
    from build_corpus.pipeline import Settings, load_contributions
    curated, annotations, _ = load_contributions(Settings(glossary=ROOT / "glossary", annotations=ROOT / "annotations",
                                                          root=ROOT))
    return curated, annotations


def run_site_staged(corpus, curated, annotations, trace: bool = False, split: str = "auto"):
    from build_corpus import pipeline
    clock = StepClock(trace)
    with Timer() as t:
        built = pipeline.build_site(corpus, curated, annotations=annotations, clock=clock, split=split)
    return built, t, clock


def prepare_mkdocs_project(work: Path, name: str = "site-project") -> Path:
    """A scratch copy of the repo as mkdocs sees it: mkdocs.yml, docs/ without the generated pages
    (assets, overrides, …), and links to everything else the config may name (hooks, tools); its own
    .cache (the build's and the sub-sites' state), never the repository's."""
    from build_corpus.pages.write import GENERATED
    project = work / name
    if project.exists():
        shutil.rmtree(project)
    (project / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for entry in (ROOT / "docs").iterdir():
        if entry.name in GENERATED or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, project / "docs" / entry.name)
        else:
            shutil.copy(entry, project / "docs" / entry.name)
    for entry in ROOT.iterdir():
        if entry.name not in ("docs", "site", "mkdocs.yml", "dist", "test-results") and not entry.name.startswith("."):
            (project / entry.name).symlink_to(entry)
    return project


def material_search_figures(site_dir: Path) -> dict:
    """What the browser fetches for a first search with stock Material: the whole index, the
    worker, and lunr's language files for zh."""
    index = site_dir / "search" / "search_index.json"
    js = site_dir / "assets" / "javascripts"
    worker = sorted(js.glob("workers/search.*.min.js"))
    lunr = [p for p in (js / "lunr" / "min" / "lunr.stemmer.support.min.js", js / "lunr" / "min" / "lunr.zh.min.js") if p.is_file()]
    fetched = [p for p in [index, *worker, *lunr] if p.is_file()]
    return {
        "search_index_bytes": index.stat().st_size if index.is_file() else 0,
        "search_download_bytes": sum(p.stat().st_size for p in fetched),
        "search_download_gzip_bytes": sum(gz_size(p) for p in fetched),
    }


COMMON_QUERIES = ("发展", "经济", "改革开放", "乡村振兴", "营商环境", "GDP")


def search_queries(terms: dict, count: int = 30) -> list[str]:
    """Glossary terms spread over the whole list (deterministic), and a few common words."""
    keys = sorted(terms)
    step = max(1, len(keys) // count)
    return [terms[k].display for k in keys[::step][:count]] + list(COMMON_QUERIES)


def sharded_search_figures(site_dir: Path, queries: list[str], glossary_terms: int) -> dict:
    """Each query through the site's own built search worker (tools/search_query.mjs, under Node):
    the bytes of index files it downloads (its worker, its first request for the tiny
    search_index.json and those files), and for the glossary terms the share of the top-5 result
    pages whose text holds the term — the precision check of tests/test_browser.py, from the
    built pages."""
    from build_corpus.renderer.search_index import normalise
    node = shutil.which("node")
    if not node:
        return {"search_error": "node is not on PATH"}
    done = subprocess.run([node, str(ROOT / "tools" / "search_query.mjs"), str(site_dir), *queries],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return {"search_error": done.stderr.strip()[:300]}
    runs = [json.loads(line) for line in done.stdout.splitlines()]
    fixed = [site_dir / "search" / "search_index.json", *sorted(site_dir.glob("assets/javascripts/workers/search.*.min.js"))]
    fixed_bytes, fixed_gzip = sum(p.stat().st_size for p in fixed), sum(gz_size(p) for p in fixed)
    per_query = sorted(r["bytes"] + fixed_bytes for r in runs)
    per_query_gzip = sorted(r["gzip"] + fixed_gzip for r in runs)
    page_text: dict[str, str] = {}

    def comparable(text: str) -> str:
        """As tests/test_browser.py compares a term with a page: quotes and spaces aside."""
        return re.sub(r"[“”‘’\"'「」『』\u200b\s]", "", normalise(text))

    def text_of(page: str) -> str:
        if page not in page_text:
            markup = (site_dir / page).read_text(encoding="utf-8")
            body = markup[markup.find("<article"):markup.rfind("</article>")]
            page_text[page] = comparable(html.unescape(re.sub(r"<[^>]+>", "", body)))
        return page_text[page]

    relevant = returned = empty = 0
    for run in runs[:glossary_terms]:
        term = comparable(run["query"])
        pages = [group[0]["location"].split("#")[0] for group in run["items"]][:5]
        relevant += sum(term in text_of(page) for page in pages)
        returned += len(pages)
        empty += not pages
    index_files = [p for p in (site_dir / "search").glob("idx-*/*.js")]
    return {
        "search_queries": len(runs),
        "search_download_bytes": per_query[-1],
        "search_download_gzip_bytes": per_query_gzip[-1],
        "search_download_median_bytes": per_query[len(per_query) // 2],
        "search_files_max": max(len(r["files"]) for r in runs),
        "search_precision_at_5": round(relevant / returned, 3) if returned else 0.0,
        "search_empty_results": empty,
        "search_index_bytes": sum(p.stat().st_size for p in index_files),
        "search_index_files": len(index_files),
    }


def _whole_word(phrase: str) -> re.Pattern:
    """The phrase, where an end that is a Latin letter or digit is a whole word: 3.五位一体 is not in 13.五位一体
    (the search's own rule)."""
    latin = re.compile("[a-z0-9]")
    return re.compile(("(?<![a-z0-9])" if latin.match(phrase[:1]) else "") + re.escape(phrase)
                      + ("(?![a-z0-9])" if latin.match(phrase[-1:]) else ""))


def _comparable(text: str) -> str:
    from build_corpus.renderer.search_index import normalise
    return re.sub(r"[“”‘’\"'「」『』\u200b\s]", "", normalise(text))


def recall_truth(reports: list, phrases: list[str]) -> tuple[dict[str, set[str]], set[str]]:
    """For each phrase, the report pages whose text holds it (title, headings, paragraphs, 名词解释;
    quotes and spaces aside); and every report page. Taken while the corpus is at hand (the build's
    own processes are measured without it in memory)."""
    from build_corpus.urls import built_path, report_page
    patterns = {phrase: _whole_word(_comparable(phrase)) for phrase in phrases}
    truth: dict[str, set[str]] = {phrase: set() for phrase in phrases}
    pages = set()
    for doc in reports:
        parts = [doc.title, *(s.number + s.title for s in doc.all_sections()), *(p.text for p in doc.all_paragraphs()),
                 *(f"{e.term}{e.definition}" for e in doc.glossary)]
        text = "¦".join(map(_comparable, parts))   # no phrase across two parts
        page = built_path(report_page(doc.id))
        pages.add(page)
        for phrase, pattern in patterns.items():
            if pattern.search(text):
                truth[phrase].add(page)
    return truth, pages


def search_recall_figures(site_dir: Path, truth: dict[str, set[str]], report_pages: set[str]) -> dict:
    """Recall of the full results page (search.html): for each phrase, the reports whose text holds it
    (recall_truth) against the reports among every section tools/search_query.mjs --all finds, as the
    page checks them. Phrase in N reports → N found."""
    node = shutil.which("node")
    if not node:
        return {"search_error": "node is not on PATH"}
    done = subprocess.run([node, str(ROOT / "tools" / "search_query.mjs"), "--all", str(site_dir), *truth],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"search_error": done.stderr.strip()[:300]}
    holding = found = extra = 0
    misses: list[str] = []
    beyond: list[str] = []
    for run in map(json.loads, done.stdout.splitlines()):
        held = truth[run["query"]]
        pages = {s["location"].split("#")[0] for s in run["sections"]} & report_pages
        holding += len(held)
        found += len(held & pages)
        extra += len(pages - held)
        misses += [f"{run['query']}: {page}" for page in sorted(held - pages)]
        beyond += [f"{run['query']}: {page}" for page in sorted(pages - held)]
    return {"search_recall_phrases": len(truth), "search_recall_reports": holding, "search_recall_found": found,
            "search_recall": round(found / holding, 4) if holding else 1.0, "search_recall_not_holding": extra,
            "search_recall_misses": misses[:20], "search_recall_beyond": beyond[:20]}


# Past this many reports, recall is measured on the RECALL_PHRASES rarest phrases only: the full results
# page of a split site reads every candidate report's page, thousands for a common word.
RECALL_ALL_UP_TO = 3000
RECALL_PHRASES = 10


def shared_terms_share(docs: Path) -> tuple[int, int]:
    """(bytes of the 解释了相同名词的报告 blocks, bytes of all report pages) in docs/reports."""
    block = total = 0
    for page in (docs / "reports").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        total += len(text.encode())
        start = text.find("{#shared-terms")
        if start >= 0:
            end = text.find("\n## ", start)
            block += len(text[start:end if end > 0 else len(text)].encode())
    return block, total


def write_stock_pages(paths: list[Path], docs: Path) -> None:
    """Each raw file as one Markdown page: a title, then every non-empty line as a paragraph."""
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# 政府工作报告\n\n原始文本，未经处理。\n", encoding="utf-8")
    for path in paths:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        (docs / f"{path.stem}.md").write_text(f"# {path.stem}\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")


def touch_one_source(path: Path) -> None:
    """An edit a curator might make: one sentence added to the first long line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if len(line) > 50 and "。" in line)
    lines[i] = lines[i] + "会议期间，各项工作有序推进。"
    path.write_text("\n".join(lines), encoding="utf-8")


def cached_rebuild(paths: list[Path], root: Path, work: Path) -> dict:
    """With build_corpus/cache.py's per-source cache: a cold build filling it, then one more file
    changed and a warm build."""
    from build_corpus import pipeline
    from build_corpus.cache import SourceCache
    folder = work / "cache"
    if folder.exists():
        shutil.rmtree(folder)
    with Timer() as cold:
        pipeline.build_corpus(paths, root, cache=SourceCache(folder))
    cache_bytes, _ = tree_size(folder)
    touch_one_source(paths[1] if len(paths) > 1 else paths[0])
    cache = SourceCache(folder)
    with Timer() as warm:
        pipeline.build_corpus(paths, root, cache=cache)
    return {"cold": cold, "warm": warm, "hits": cache.hits, "misses": cache.misses, "cache_bytes": cache_bytes}


# --- one benchmark run ---------------------------------------------------------------

def site_bytes_by_kind(site_dir: Path, subsites: set[str]) -> dict[str, list[int]]:
    """Bytes and files of the built site by what they are: the top folder (a sub-site's folders together),
    the moved-page stubs apart."""
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in site_dir.rglob("*"):
        if not path.is_file():
            continue
        parts = path.relative_to(site_dir).parts
        size = path.stat().st_size
        if len(parts) == 1:
            kind = "top pages, sitemap, 404"
        elif parts[0] in subsites:
            kind = "sub-sites (report pages)" if parts[1] == "reports" else "sub-sites (their index, search config)"
        else:
            kind = parts[0]
        if path.suffix == ".html" and size < 2048 and b'http-equiv="refresh"' in path.read_bytes():
            kind = "moved-page stubs"
        kinds[kind][0] += size
        kinds[kind][1] += 1
    return dict(kinds)


def build_commands(sources: Path, project: Path, workers: int, split: str) -> list[list[str]]:
    """What `make site` runs (Makefile), with this corpus and the cache inside the scratch project. The
    repository's annotations name bundled reports the synthetic corpus does not have (an error each):
    the project has none of its own."""
    (project / "no-annotations").mkdir(exist_ok=True)
    shutil.copy(ROOT / "annotations" / "schema.json", project / "no-annotations" / "schema.json")
    return [[sys.executable, "-m", "build_corpus", "build", "--sources", str(sources), "--jobs", str(workers),
             "--cache", str(project / ".cache" / "build-corpus"), "--split", split,
             "--annotations", str(project / "no-annotations")],
            [sys.executable, "-m", "mkdocs", "build", "--strict"]]


def run_build(commands: list[list[str]], project: Path, work: Path, label: str, timeout: float) -> list[dict]:
    runs = []
    for n, cmd in enumerate(commands):
        log = work / f"{label}-{n}.log"
        runs.append({**measured(cmd, project, log, timeout), "log": str(log)})
        if runs[-1]["status"] != 0:
            break
    return runs


def _status_note(run: dict) -> str:
    if run["status"] is None:
        return "stopped (timeout)"
    return "ok" if run["status"] == 0 else f"exit {run['status']}: " + _first_lines(Path(run["log"]))


def bench(n: int, args, work: Path, startup: dict, skip_site: bool) -> dict:
    """One full run at N reports; prints its tables and returns its figures."""
    result: dict = {"reports": n}
    figures: dict[str, dict] = {}     # stage -> {"s", "cpu_s"}
    processes: list[tuple[str, dict]] = []

    def record(stage: str, t, peak: float | None = None, notes: str = "") -> None:
        table.add(stage, t.wall, t.cpu, peak, notes)
        figures[stage] = {"s": round(t.wall, 3), "cpu_s": round(t.cpu, 3)}

    def record_command(stage: str, run: dict, notes: str = "") -> None:
        table.add(stage, run["wall"], run["cpu"], run["tree_peak_mb"], notes)
        figures[stage] = {"s": round(run["wall"], 3), "cpu_s": round(run["cpu"], 3), "tree_peak_mb": run["tree_peak_mb"],
                          "processes": run["processes"]}
        processes.append((stage, run))

    src = work / "sources"
    if src.exists():
        shutil.rmtree(src)
    with Timer() as synth_t:
        manifest = synth.generate(n, src, seed=args.seed, report_chars=args.report_chars)
    paths = sorted(src.glob("*.txt"))
    source_bytes = sum(p.stat().st_size for p in paths)
    source_mb = source_bytes / MB
    table = Table(source_mb)
    layouts = Counter(m["layout"] for m in manifest)
    result.update(files=len(paths), source_bytes=source_bytes, source_mb=round(source_mb, 3), layouts=dict(layouts))
    table.add("startup: imports + jieba dictionary", startup["wall"], startup["cpu"], startup["rss_mb"],
              "once per process" + ("" if startup["first"] else " (already loaded for this N)"))
    startup["first"] = False
    record("synthesise corpus (not ours)", synth_t, rss_mb(),
           f"{len(paths)} files, {source_mb:.1f} MB; " + ", ".join(f"{k} {v}" for k, v in sorted(layouts.items())))

    # --- stages: each step of pipeline.py's tables, timed inside one real run in this process ----------
    corpus, pipe_t, clock = run_pipeline_staged(paths, work)
    rest_wall = pipe_t.wall - sum(clock.wall.values())
    rest_cpu = pipe_t.cpu - sum(clock.cpu.values())
    for label, wall, cpu, calls in clock.rows("source", "document", "corpus"):
        table.add(f"pipeline: {label}", wall, cpu, None, f"{calls} calls")
        figures[f"pipeline: {label}"] = {"s": round(wall, 3), "cpu_s": round(cpu, 3)}
    table.add("pipeline: other (cache, bookkeeping)", max(0.0, rest_wall), max(0.0, rest_cpu))
    figures["pipeline: other"] = {"s": round(max(0.0, rest_wall), 3), "cpu_s": round(max(0.0, rest_cpu), 3)}
    expected = {(m["place"], m["year"]) for m in manifest}
    right = len(expected & {(d.meta.place, d.meta.year) for d in corpus.reports})
    record("pipeline total (build_corpus), 1 process", pipe_t, rss_mb(),
           f"{len(corpus.reports)} reports ({right}/{n} with the intended place+year), {len(corpus.others)} other documents")
    figures["pipeline total (build_corpus)"] = figures["pipeline total (build_corpus), 1 process"]
    result.update(pipeline_s=round(pipe_t.wall, 3), pipeline_cpu_s=round(pipe_t.cpu, 3), reports_found=len(corpus.reports),
                  metadata_right=right, other_documents=len(corpus.others))

    if args.tracemalloc:
        tracemalloc.start()
        _, _, traced = run_pipeline_staged(paths, work, trace=True)
        tracemalloc.stop()
        result["traced_peak_mb"] = {f"{table}: {name}": round(v / MB, 1) for (table, name), v in traced.traced_peak.items()}

    if skip_site:   # the pipeline's cache, in this process: a cold run filling it, one file changed, a warm run
        cached = cached_rebuild(paths, work, work)
        record("rebuild: cold build filling the per-source cache", cached["cold"], rss_mb(),
               f"cache {cached['cache_bytes'] / MB:.1f} MB of pickles")
        record("rebuild: 1 file changed, build_corpus with the cache", cached["warm"], rss_mb(),
               f"{cached['hits']} hits, {cached['misses']} misses; {cached['warm'].cpu / pipe_t.cpu:.2f}× the full run's cpu")
        result.update(incremental_pipeline_s=round(cached["warm"].wall, 3), cached_cold_s=round(cached["cold"].wall, 3),
                      cache_hits=cached["hits"], cache_bytes=cached["cache_bytes"])
        return _finish(n, result, figures, processes, table, source_bytes, paths, skip_site)

    from build_corpus.publishing import is_split
    split = is_split(len(corpus.reports), args.split)
    mode = "always" if split else "never"
    with Timer() as checks_t:
        curated, annotations = contributions()
    record("contributor files (glossary/, annotations/)", checks_t, rss_mb(), "read and checked against schemas")
    built, site_t, sclock = run_site_staged(corpus, curated, annotations, split=mode)
    for label, wall, cpu, calls in sclock.rows("site", "page"):
        table.add(label, wall, cpu, None, f"{calls} calls")
        figures[label] = {"s": round(wall, 3), "cpu_s": round(cpu, 3)}
    record("site total (build_site), 1 process", site_t, rss_mb(), f"{len(built.pages)} pages, {len(built.terms)} terms "
           f"({len(built.stubbed_terms)} only one report mentions: a stub each), {len(built.subsite_names)} sub-sites")
    reports = len(built.corpus.reports)
    result.update(site_build_s=round(site_t.wall, 3), pages=len(built.pages), terms=len(built.terms), split=split,
                  subsites=len(built.subsite_names), stubbed_terms=len(built.stubbed_terms),
                  pages_per_report=round(len(built.pages) / reports, 3),
                  compare_data_bytes=sum(len(b) for p, b in built.files.items() if p.startswith("compare/data/")))
    queries, glossary_queries = search_queries(built.terms), min(30, len(built.terms))
    subsites = set(built.subsite_names)
    with Timer() as truth_t:
        truth, report_pages = recall_truth(built.corpus.reports, queries)
        if reports > RECALL_ALL_UP_TO:
            truth = dict(sorted(truth.items(), key=lambda item: len(item[1]))[:RECALL_PHRASES])
    table.add("search recall: the reports holding each phrase (Python)", truth_t.wall, truth_t.cpu, None,
              f"{len(truth)} phrases; not part of the build")
    del corpus, built
    gc.collect()

    # --- the build as `make site` runs it, every process measured --------------------------------------
    project = prepare_mkdocs_project(work)
    cold = run_build(build_commands(src, project, args.workers, mode), project, work, "build", args.mkdocs_timeout)
    ours = argparse.Namespace(wall=sum(r["wall"] for r in cold), cpu=sum(r["cpu"] for r in cold))
    record_command(f"build-corpus build --jobs {args.workers} (cache filled from empty)", cold[0], _status_note(cold[0]))
    ok = len(cold) == 2 and cold[1]["status"] == 0
    site_dir = project / "site"
    if len(cold) == 2:
        site_bytes, site_files = tree_size(site_dir) if site_dir.is_dir() else (0, 0)
        record_command("mkdocs build --strict" + (f" ({len(subsites)} sub-sites + main)" if split else ""), cold[1],
                       f"{_status_note(cold[1])}; site {site_bytes / MB:.1f} MB, {site_files} files")
        result.update(mkdocs_s=round(cold[1]["wall"], 3), mkdocs_cpu_s=round(cold[1]["cpu"], 3), mkdocs_status=cold[1]["status"],
                      site_bytes=site_bytes, site_files=site_files, site_bytes_per_report=round(site_bytes / reports),
                      site_by_kind=site_bytes_by_kind(site_dir, subsites) if site_dir.is_dir() else {})
    record("OURS: build-corpus build + mkdocs build, as `make site` runs", ours, None,
           f"whole build: at most {max(r['tree_peak_mb'] for r in cold):.0f} MB (PSS) at once")
    result.update(ours_s=round(ours.wall, 3), ours_cpu_s=round(ours.cpu, 3), ours_ok=ok,
                  build_peak_mb=max(r["tree_peak_mb"] for r in cold), build_s=round(cold[0]["wall"], 3))
    if ok:
        with Timer() as search_t:
            result.update(sharded_search_figures(site_dir, queries, glossary_queries))
            result.update(search_recall_figures(site_dir, truth, report_pages))
        table.add("search: queries through the built worker (node)", search_t.wall, search_t.cpu, None,
                  f"{result.get('search_queries', 0)} queries; not part of the build")

    # --- one source changed: the same commands again --------------------------------------------------
    if ok:
        touch_one_source(paths[len(paths) // 2])
        warm = run_build(build_commands(src, project, args.workers, mode), project, work, "rebuild", args.mkdocs_timeout)
        warm_t = argparse.Namespace(wall=sum(r["wall"] for r in warm), cpu=sum(r["cpu"] for r in warm))
        record_command("rebuild, 1 source changed: build-corpus build (cache)", warm[0], _status_note(warm[0]))
        if len(warm) == 2:
            rebuilt = _rebuilt_subsites(Path(warm[1]["log"]))
            record_command("rebuild: mkdocs build --strict", warm[1], _status_note(warm[1]) + (f"; {rebuilt}" if rebuilt else ""))
        record("REBUILD, 1 source changed: both commands", warm_t, None, f"{warm_t.wall / ours.wall:.0%} of the cold build's time, "
               f"{warm_t.cpu / ours.cpu:.0%} of its CPU")
        result.update(rebuild_s=round(warm_t.wall, 3), rebuild_cpu_s=round(warm_t.cpu, 3))

    # --- the same corpus as one site, where the build was split ---------------------------------------
    if split and args.single_too and ok:
        single_project = prepare_mkdocs_project(work, "single-project")
        single = run_build(build_commands(src, single_project, args.workers, "never"), single_project, work, "single",
                           args.mkdocs_timeout)
        single_t = argparse.Namespace(wall=sum(r["wall"] for r in single), cpu=sum(r["cpu"] for r in single))
        record_command("ONE SITE: build-corpus build --split never", single[0], _status_note(single[0]))
        single_bytes = 0
        if len(single) == 2:
            single_bytes, single_files = tree_size(single_project / "site") if (single_project / "site").is_dir() else (0, 0)
            record_command("ONE SITE: mkdocs build --strict", single[1],
                           f"{_status_note(single[1])}; site {single_bytes / MB:.1f} MB, {single_files} files")
        record("ONE SITE: both commands", single_t, None,
               f"split / one site: {ours.wall / single_t.wall:.2f}× wall, {ours.cpu / single_t.cpu:.2f}× cpu")
        result.update(single_s=round(single_t.wall, 3), single_cpu_s=round(single_t.cpu, 3), single_site_bytes=single_bytes,
                      single_peak_mb=max(r["tree_peak_mb"] for r in single))
        shutil.rmtree(single_project, ignore_errors=True)

    # --- stock MkDocs on the raw pages ----------------------------------------------------------------
    if args.skip_stock:
        table.add("STOCK", None, None, None, "skipped (--skip-stock)")
    else:
        stock = work / "stock-project"
        if stock.exists():
            shutil.rmtree(stock)
        stock.mkdir()
        (stock / "mkdocs.yml").write_text(STOCK_MKDOCS_YML, encoding="utf-8")
        with Timer() as stock_write:
            write_stock_pages(paths, stock / "docs")
        st = measured([sys.executable, "-m", "mkdocs", "build", "-q"], stock, work / "mkdocs-stock.log",
                      args.mkdocs_timeout)
        stock_t = argparse.Namespace(wall=stock_write.wall + st["wall"], cpu=stock_write.cpu + st["cpu"])
        st_bytes, st_files = tree_size(stock / "site") if (stock / "site").is_dir() else (0, 0)
        st_search = material_search_figures(stock / "site") if st["status"] == 0 else {}
        processes.append(("STOCK mkdocs build", st))
        record("STOCK: raw pages + mkdocs build (Material, jieba search)", stock_t, st["tree_peak_mb"],
               ("ok" if st["status"] == 0 else f"exit {st['status']}") + f"; site {st_bytes / MB:.1f} MB, {st_files} files")
        ratio, ratio_cpu = ours.wall / stock_t.wall, ours.cpu / stock_t.cpu if stock_t.cpu else None
        table.add("ratio ours / stock", None, None, None, f"{ratio:.2f}× wall, {ratio_cpu:.2f}× cpu")
        result.update(stock_s=round(stock_t.wall, 3), stock_cpu_s=round(stock_t.cpu, 3), stock_status=st["status"],
                      stock_peak_mb=st["tree_peak_mb"], stock_site_bytes=st_bytes, stock_site_files=st_files,
                      stock_search_download_bytes=st_search.get("search_download_bytes", 0),
                      stock_search_download_gzip_bytes=st_search.get("search_download_gzip_bytes", 0),
                      ratio_to_stock=round(ratio, 2), ratio_to_stock_cpu=round(ratio_cpu, 2) if ratio_cpu else None)
        if ok and args.stock_on_our_pages:
            same = stock_on_our_pages(project, work, args.mkdocs_timeout)
            record("STOCK ON OUR PAGES: the same docs/, Material's jieba search, no hooks", same["t"], same["peak_mb"],
                   ("ok" if same["status"] == 0 else f"exit {same['status']}") + f"; its first search downloads {same['download'] / MB:.1f} MB")
        shutil.rmtree(stock, ignore_errors=True)

    if ok and not split and args.bundle:
        from build_corpus.renderer.bundle import make_bundle
        with Timer() as bundle_t:
            zip_path, count = make_bundle(site_dir, work / "dist", "bench")
        record("bundle (offline zip)", bundle_t, rss_mb(), f"{count} files, {zip_path.stat().st_size / MB:.1f} MB zip")
        result["bundle_bytes"] = zip_path.stat().st_size
    return _finish(n, result, figures, processes, table, source_bytes, paths, skip_site)


def _rebuilt_subsites(log: Path) -> str:
    """What the main site's hook said of the sub-sites: `sub-sites: 1 to build, 30 unchanged since their last build`."""
    found = re.search(r"sub-sites: \d+ to build, \d+ unchanged[^\n]*", log.read_text(encoding="utf-8", errors="replace"))
    return found.group(0) if found else ""


def _finish(n: int, result: dict, figures: dict, processes: list, table, source_bytes: int, paths: list, skip_site: bool) -> dict:
    result["stages"] = figures
    result["peak_rss_mb"] = round(rss_mb(), 1)
    result["skipped_site"] = skip_site
    print(f"\n== N = {n} reports: {len(paths)} files, {source_bytes / MB:.1f} MB of raw source "
          f"({source_bytes / len(paths) / 1000:.0f} KB a file) ==")
    print(table.render())
    if result.get("site_by_kind"):
        reports = result.get("reports_found") or n
        print(f"\nsite: {result['site_bytes'] / MB:.1f} MB in {result['site_files']} files, "
              f"{result['site_bytes'] / reports / MB:.3f} MB a report")
        for kind, (size, files) in sorted(result["site_by_kind"].items(), key=lambda kv: -kv[1][0]):
            print(f"  {kind:<40} {size / MB:9.1f} MB {files:8d} files {size / reports / 1000:8.1f} KB a report")
    if processes:
        print("\nmemory, each process's own peak (VmHWM) and the tree's at once (PSS):")
        for stage, run in processes:
            print(f"  {stage}: {processes_line(run)}")
    if "search_download_bytes" in result:
        print(f"search: index {result['search_index_bytes'] / MB:.1f} MB in {result['search_index_files']} files; "
              f"over {result['search_queries']} queries a reader's first search downloads at most "
              f"{result['search_download_bytes'] / MB:.2f} MB ({result['search_download_gzip_bytes'] / MB:.2f} MB gzip, "
              f"median {result['search_download_median_bytes'] / MB:.2f} MB, ≤ {result['search_files_max']} files); "
              f"precision@5 {result['search_precision_at_5']:.3f}, {result['search_empty_results']} empty; "
              f"stock route: {result.get('stock_search_download_bytes', 0) / MB:.2f} MB "
              f"({result.get('stock_search_download_gzip_bytes', 0) / MB:.2f} MB gzip)")
    if "search_recall" in result:
        print(f"search recall (search.html, every section checked): {result['search_recall_phrases']} phrases are in "
              f"{result['search_recall_reports']} reports in all, {result['search_recall_found']} found "
              f"({result['search_recall']:.3f}); {result['search_recall_not_holding']} found that do not hold the phrase"
              + ("; missed: " + "; ".join(result["search_recall_misses"]) if result["search_recall_misses"] else ""))
    if "search_error" in result:
        print(f"search: not measured: {result['search_error']}")
    if "traced_peak_mb" in result:
        print("tracemalloc peak per call (MB): " + ", ".join(f"{k} {v}" for k, v in result["traced_peak_mb"].items()))
    return result


GROWTH = (("ours_s", "s", 1), ("ours_cpu_s", "cpu s", 1), ("rebuild_s", "rebuild s", 1), ("stock_s", "stock s", 1),
          ("stock_cpu_s", "stock cpu s", 1), ("site_bytes", "site KB", 1000), ("site_files", "site files", 1),
          ("build_peak_mb", "peak MB (PSS)", 1), ("pages", "pages", 1))


def growth_table(runs: dict[str, dict]) -> str:
    """Each figure per report at each N, and its ratio to the previous N's: flat is 1.00."""
    done = [(int(n), r) for n, r in sorted(runs.items(), key=lambda kv: int(kv[0])) if not r.get("skipped")]
    lines = ["figure per report".ljust(18) + "".join(f" | N={n:>6}" for n, _ in done) + " | growth from the previous N"]
    for key, label, unit in GROWTH:
        values = [(n, r[key] / n / unit) if r.get(key) else (n, None) for n, r in done]
        if not any(v for _, v in values):
            continue
        cells = "".join(f" | {v:8.4f}" if v is not None else " |        —" for _, v in values)
        ratios = [f"{b / a:.2f}×" for (_, a), (_, b) in zip(values, values[1:]) if a and b]
        lines.append(f"{label:<18}{cells} | {', '.join(ratios) or '—'}")
    return "\n".join(lines)


def _first_lines(log: Path, n: int = 2) -> str:
    lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
             if line.strip() and not line.startswith(("Building prefix", "Loading model", "Prefix dict"))]
    return " / ".join(lines[:n])[:200]


def profile(args, work: Path, skip_site: bool, top: int = 15) -> str:
    """cProfile of build_corpus (+ build_site) on the corpus in `work`, top entries by cumulative time."""
    from build_corpus.pipeline import build_corpus, build_site
    paths = sorted((work / "sources").glob("*.txt"))
    profiler = cProfile.Profile()
    profiler.enable()
    corpus = build_corpus(paths, work)
    if not skip_site:
        build_site(corpus)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    if args.profile_out:
        stats.dump_stats(str(args.profile_out))
    return out.getvalue()


def estimates(previous: tuple[int, dict], n: int) -> float:
    """Seconds the run at N would take, from the run at the previous N (what grows faster than N was
    fixed by this issue's work; SITE_GROWTH keeps a margin)."""
    n0, figures = previous
    return figures["wall_s"] * n / n0 * SITE_GROWTH


SITE_GROWTH = 1.1


def wait_for_quiet(limit: float, most: float) -> float:
    """Wait (up to `most` seconds) until the 1-minute load average is below `limit`; the seconds waited."""
    waited = 0.0
    while os.getloadavg()[0] >= limit and waited < most:
        if not waited:
            print(f"load average {os.getloadavg()[0]:.2f}: waiting until it is below {limit}…", file=sys.stderr, flush=True)
        time.sleep(30)
        waited += 30
    return waited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="benchmark build-corpus on N synthetic work reports")
    parser.add_argument("--reports", type=int, nargs="+", default=[100], help="corpus sizes, e.g. 1000 3000 10000")
    parser.add_argument("--keep", type=Path, help="keep sources, pages and sites under DIR/n<N> (default: a temp dir, removed)")
    parser.add_argument("--skip-site", action="store_true", help="pipeline and its cache only")
    parser.add_argument("--workers", type=int, default=2, help="--jobs of the build (default 2)")
    parser.add_argument("--split", choices=("auto", "always", "never"), default="auto",
                        help="the build's --split (auto: sub-sites from publishing.SPLIT_FROM reports)")
    parser.add_argument("--single-too", action="store_true", help="where the build is split, also build it as one site")
    parser.add_argument("--budget", type=float, default=3600, help="seconds an N may take, estimated from the previous N")
    parser.add_argument("--mkdocs-timeout", type=float, default=3600, help="stop a command after this many seconds")
    parser.add_argument("--stock-on-our-pages", action="store_true",
                        help="also build our generated pages with stock Material search (slow: a second baseline)")
    parser.add_argument("--skip-stock", action="store_true", help="skip stock MkDocs on the raw pages")
    parser.add_argument("--bundle", action="store_true", help="also time the offline bundle (a site in one piece)")
    parser.add_argument("--quiet-below", type=float, default=0, metavar="LOAD",
                        help="before each N, wait (up to an hour) until the 1-minute load average is below LOAD")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report-chars", type=int, default=8_000, help="body characters a report aims at (~3 bytes each)")
    parser.add_argument("--tracemalloc", action="store_true", help="extra pipeline pass with per-stage tracemalloc peaks")
    parser.add_argument("--profile", action="store_true", help="cProfile the smallest N (extra pass), print the top 15")
    parser.add_argument("--profile-out", type=Path, help="also dump the profile's stats to this file")
    args = parser.parse_args(argv)

    load_start = [round(x, 2) for x in os.getloadavg()]
    with Timer() as t:
        import jieba
        jieba.setLogLevel(60)
        jieba.initialize()
        import build_corpus.pipeline  # noqa: F401
    startup = {"wall": t.wall, "cpu": t.cpu, "rss_mb": rss_mb(), "first": True}

    runs: dict[str, dict] = {}
    previous: tuple[int, dict] | None = None
    profiled = False
    with Timer() as total_t:
        for n in sorted(set(args.reports)):
            if previous and (estimate := estimates(previous, n)) > args.budget:
                print(f"\n== N = {n}: skipped: it would take ~{estimate:.0f} s (from N = {previous[0]}), over "
                      f"--budget {args.budget:.0f} s; rerun with --budget {estimate * 1.5:.0f} ==")
                runs[str(n)] = {"reports": n, "skipped": True, "estimate_s": round(estimate, 1),
                                "reason": f"estimate over --budget {args.budget:.0f} s"}
                continue
            waited = wait_for_quiet(args.quiet_below, 3600) if args.quiet_below else 0.0
            load_before = [round(x, 2) for x in os.getloadavg()]
            if load_before[0] > 0.5:
                print(f"note: load average {load_before[0]:.2f} before N = {n}: other processes share the "
                      f"{os.cpu_count()} cores, so wall times are inflated (cpu s much less)", file=sys.stderr)
            if args.keep:
                work = args.keep / f"n{n}"
                work.mkdir(parents=True, exist_ok=True)
                cleanup = contextlib.nullcontext()
            else:
                cleanup = tempfile.TemporaryDirectory(prefix=f"build-corpus-bench-{n}-")
                work = Path(cleanup.name)
            with cleanup:
                with Timer() as run_t:
                    runs[str(n)] = bench(n, args, work, startup, args.skip_site)
                runs[str(n)].update(wall_s=round(run_t.wall, 1), waited_for_quiet_s=waited, loadavg_before=load_before,
                                    loadavg_after=[round(x, 2) for x in os.getloadavg()])
                if args.profile and not profiled:   # after the timed run: cProfile slows everything down
                    profiled = True
                    text = profile(args, work, args.skip_site)
                    print(f"\ncProfile, N = {n}: build_corpus" + ("" if args.skip_site else " + build_site")
                          + ", top 15 by cumulative time")
                    print(text)
                    runs[str(n)]["profile_top15"] = [line for line in text.splitlines() if line.strip()][-15:]
            previous = (n, runs[str(n)])
    if len(runs) > 1:
        print("\ngrowth per report (each figure divided by N; flat is 1.00×):")
        print(growth_table(runs))
    print(f"\nbenchmark: {total_t.wall:.0f} s in all")
    summary = {"benchmark": "build-corpus", "python": sys.version.split()[0], "cpus": os.cpu_count(),
               "loadavg_start": load_start, "loadavg_end": [round(x, 2) for x in os.getloadavg()],
               "seed": args.seed, "report_chars": args.report_chars, "startup_s": round(startup["wall"], 3),
               "total_s": round(total_t.wall, 1), "runs": runs}
    print(json.dumps(summary, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
