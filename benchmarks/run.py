"""Benchmark of the whole build on a synthetic corpus of N work reports.

    python benchmarks/run.py --reports 100 1000 [--keep DIR] [--skip-site] [--workers 2]
                             [--budget 900] [--seed 1] [--tracemalloc] [--profile]

For each N (smallest first):

    synthesise   N raw reports from the real sources' text (benchmarks/synth.py)
    pipeline     build_corpus over all files, each stage timed inside one real run
                 (the stage functions are wrapped where pipeline.py calls them)
    site         contributor checks, build_site (term merge, linking, rendering,
                 each timed), write_site, `mkdocs build --strict`, bundle
    stock        the same raw files as plain Markdown pages, built by MkDocs +
                 Material with its jieba search and nothing of ours
    rebuild      one source file changed: build_corpus again without and with the
                 per-source cache, build_site again (how many pages changed)

Prints one table per N (stage | seconds | cpu s | MB/s | peak MB | notes) and, as
the last line, one JSON object with every figure. seconds are wall-clock, cpu s
the process's (or the mkdocs subprocess's) CPU time, which other load on the
machine disturbs much less. MB/s is always raw-source megabytes per wall second,
so rows compare. peak MB is this process's resident high-water mark when the
stage ended (the subprocess's own peak for mkdocs). An N whose pipeline would
exceed --budget seconds (scaled linearly from the previous N) is skipped; one
whose site would (scaled by N × SITE_GROWTH) runs without the site; both print
the estimate.
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
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


def timed_subprocess(cmd: list[str], cwd: Path, log: Path, timeout: float | None = None) -> dict:
    """wall and cpu seconds, exit status (None after a timeout) and the child's own peak RSS in MB.

    The peak is the child's VmHWM, polled from /proc: getrusage's maxrss of a child
    on Linux starts from the parent's size at fork, so it would report ours.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    peak_kb, status, usage = 0, None, None
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        proc_status = Path(f"/proc/{proc.pid}/status")
        while True:
            with contextlib.suppress(OSError, ValueError):
                for line in proc_status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            pid, raw, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                status = os.waitstatus_to_exitcode(raw)
                proc.returncode = status
                break
            if timeout and time.perf_counter() - start > timeout:
                proc.kill()
                _, _, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime if usage else 0.0, "status": status,
            "peak_mb": peak_kb / 1024}


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
    run = timed_subprocess([sys.executable, "-m", "mkdocs", "build", "-q"], stock, work / "mkdocs-stock-our-pages.log",
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


def run_site_staged(corpus, curated, annotations, trace: bool = False):
    from build_corpus import pipeline
    clock = StepClock(trace)
    with Timer() as t:
        built = pipeline.build_site(corpus, curated, annotations=annotations, clock=clock)
    return built, t, clock


def prepare_mkdocs_project(work: Path) -> Path:
    """A scratch copy of the repo as mkdocs sees it: mkdocs.yml, docs/ without the generated pages
    (assets, overrides, …), and links to everything else the config may name (hooks, tools)."""
    from build_corpus.pages.write import GENERATED
    project = work / "site-project"
    if project.exists():
        shutil.rmtree(project)
    (project / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for entry in (ROOT / "docs").iterdir():
        if entry.name in GENERATED:
            continue
        if entry.is_dir():
            shutil.copytree(entry, project / "docs" / entry.name)
        else:
            shutil.copy(entry, project / "docs" / entry.name)
    for entry in ROOT.iterdir():
        if entry.name not in ("docs", "site", "mkdocs.yml", ".git"):
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


def search_recall_figures(site_dir: Path, reports: list, phrases: list[str]) -> dict:
    """Recall of the full results page (search.html): for each phrase, the reports whose text holds it
    (title, headings, paragraphs, 名词解释; quotes and spaces aside) against the reports among every
    section tools/search_query.mjs --all finds, as the page checks them. Phrase in N reports → N found."""
    from build_corpus.renderer.search_index import normalise
    from build_corpus.urls import built_path, report_page
    node = shutil.which("node")
    if not node:
        return {"search_error": "node is not on PATH"}
    done = subprocess.run([node, str(ROOT / "tools" / "search_query.mjs"), "--all", str(site_dir), *phrases],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"search_error": done.stderr.strip()[:300]}

    def comparable(text: str) -> str:
        return re.sub(r"[“”‘’\"'「」『』\u200b\s]", "", normalise(text))
    texts = {}
    for doc in reports:
        parts = [doc.title, *(s.number + s.title for s in doc.all_sections()), *(p.text for p in doc.all_paragraphs()),
                 *(f"{e.term}{e.definition}" for e in doc.glossary)]
        texts[built_path(report_page(doc.id))] = "¦".join(map(comparable, parts))   # no phrase across two parts
    holding = found = extra = 0
    misses: list[str] = []
    beyond: list[str] = []
    for run in map(json.loads, done.stdout.splitlines()):
        phrase = _whole_word(comparable(run["query"]))
        truth = {page for page, text in texts.items() if phrase.search(text)}
        pages = {s["location"].split("#")[0] for s in run["sections"]} & texts.keys()
        holding += len(truth)
        found += len(truth & pages)
        extra += len(pages - truth)
        misses += [f"{run['query']}: {page}" for page in sorted(truth - pages)]
        beyond += [f"{run['query']}: {page}" for page in sorted(pages - truth)]
    return {"search_recall_phrases": len(phrases), "search_recall_reports": holding, "search_recall_found": found,
            "search_recall": round(found / holding, 4) if holding else 1.0, "search_recall_not_holding": extra,
            "search_recall_misses": misses[:20], "search_recall_beyond": beyond[:20]}


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


def changed_pages(before: dict[str, str], after: dict[str, str]) -> int:
    return sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def parallel_pipeline(paths: list[Path], root: Path, workers: int) -> Timer:
    from build_corpus import pipeline
    with Timer() as t:
        pipeline.build_corpus(paths, root, workers=workers)
    return t


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

def bench(n: int, args, work: Path, startup: dict, skip_site: bool) -> dict:
    """One full run at N reports; prints its table and returns its figures."""
    result: dict = {"reports": n}
    figures: dict[str, dict] = {}     # stage -> {"s", "cpu_s"}

    def record(stage: str, t, peak: float | None = None, notes: str = "") -> None:
        table.add(stage, t.wall, t.cpu, peak, notes)
        figures[stage] = {"s": round(t.wall, 3), "cpu_s": round(t.cpu, 3)}

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

    # pipeline, stage by stage inside one real run
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
    record("pipeline total (build_corpus)", pipe_t, rss_mb(),
           f"{len(corpus.reports)} reports ({right}/{n} with the intended place+year), {len(corpus.others)} other documents")
    result.update(pipeline_s=round(pipe_t.wall, 3), pipeline_cpu_s=round(pipe_t.cpu, 3), reports_found=len(corpus.reports),
                  metadata_right=right, other_documents=len(corpus.others), peak_rss_mb_pipeline=round(rss_mb(), 1))

    if args.tracemalloc:
        tracemalloc.start()
        _, _, traced = run_pipeline_staged(paths, work, trace=True)
        tracemalloc.stop()
        result["traced_peak_mb"] = {f"{table}: {name}": round(v / MB, 1) for (table, name), v in traced.traced_peak.items()}

    if args.workers > 1:
        par_t = parallel_pipeline(paths, work, args.workers)
        record(f"pipeline in {args.workers} worker processes", par_t, rss_mb(),
               f"{pipe_t.wall / par_t.wall:.2f}× as fast as serial (wall); cpu s = parent only")
        result.update(parallel_pipeline_s=round(par_t.wall, 3), parallel_workers=args.workers)

    curated = annotations = built = None
    if not skip_site:
        with Timer() as checks_t:
            curated, annotations = contributions()
        record("contributor files (glossary/, annotations/)", checks_t, rss_mb(), "read and checked against schemas")
        built, site_t, sclock = run_site_staged(corpus, curated, annotations)
        for label, wall, cpu, calls in sclock.rows("site", "page"):
            table.add(label, wall, cpu, None, f"{calls} calls")
            figures[label] = {"s": round(wall, 3), "cpu_s": round(cpu, 3)}
        record("site total (build_site)", site_t, rss_mb(), f"{len(built.pages)} pages, {len(built.terms)} terms")
        result.update(site_build_s=round(site_t.wall, 3), pages=len(built.pages), terms=len(built.terms))
        # Comparisons: a page per pair of a place's consecutive reports, never more than the reports.
        reports = len(built.corpus.reports)
        compare = sum(1 for p in built.pages if p.startswith("compare/") and p != "compare/index.md")
        compare_data = sum(len(b) for p, b in built.files.items() if p.startswith("compare/data/"))
        table.add("pages per report", None, None, None,
                  f"{len(built.pages) / reports:.2f} pages per report; comparison pages {compare} for {reports} reports "
                  f"({compare / reports:.2f} per report); compare view data {compare_data / MB:.1f} MB")
        print(f"pages per report: {len(built.pages) / reports:.2f}; comparison pages per report: {compare / reports:.3f} "
              f"({compare} for {reports} reports)")
        result.update(compare_pages=compare, pages_per_report=round(len(built.pages) / reports, 3),
                      compare_pages_per_report=round(compare / reports, 3), compare_data_bytes=compare_data)
        par_site_t = site_t
        if args.workers > 1:
            from build_corpus import pipeline
            with Timer() as par_site_t:
                pipeline.build_site(corpus, curated, annotations=annotations, jobs=args.workers)
            shared = "two processes" if len(corpus.reports) >= pipeline.SITE_JOBS_FROM else \
                f"one process: below {pipeline.SITE_JOBS_FROM} reports"
            record(f"build_site with jobs={args.workers} ({shared})", par_site_t, rss_mb(),
                   f"{site_t.wall / par_site_t.wall:.2f}× as fast as one process (wall); cpu s = parent only")
            result.update(parallel_site_s=round(par_site_t.wall, 3))

        from build_corpus.pipeline import write_site
        project = prepare_mkdocs_project(work)
        with Timer() as write_t:
            write_site(built, project / "docs")
        docs_bytes, docs_files = tree_size(project / "docs")
        shared_bytes, report_bytes = shared_terms_share(project / "docs")
        record("write pages (write_site)", write_t, rss_mb(),
               f"{docs_files} files, {docs_bytes / MB:.1f} MB in docs/; 解释了相同名词的报告 blocks "
               f"{shared_bytes / max(1, report_bytes):.0%} of report pages")
        result.update(docs_bytes=docs_bytes, docs_files=docs_files, shared_terms_block_bytes=shared_bytes,
                      report_pages_bytes=report_bytes)

        # No -q: MkDocs counts warnings only when it logs them, so `--strict -q` lets any warning pass.
        mk = timed_subprocess([sys.executable, "-m", "mkdocs", "build", "--strict"], project,
                              work / "mkdocs-ours.log", args.mkdocs_timeout)
        mk_t = argparse.Namespace(wall=mk["wall"], cpu=mk["cpu"])
        if mk["status"] is None:
            note = f"stopped after --mkdocs-timeout {args.mkdocs_timeout:.0f} s"
        else:
            note = "ok" if mk["status"] == 0 else f"exit {mk['status']}: " + _first_lines(work / "mkdocs-ours.log")
        site_dir = project / "site"
        site_bytes, site_files = tree_size(site_dir) if site_dir.is_dir() else (0, 0)
        record("mkdocs build --strict", mk_t, mk["peak_mb"], f"{note}; site {site_bytes / MB:.1f} MB, {site_files} files")
        result.update(mkdocs_s=round(mk["wall"], 3), mkdocs_cpu_s=round(mk["cpu"], 3), mkdocs_status=mk["status"],
                      mkdocs_peak_rss_mb=round(mk["peak_mb"], 1), site_bytes=site_bytes, site_files=site_files)
        if mk["status"] == 0:
            with Timer() as search_t:
                result.update(sharded_search_figures(site_dir, search_queries(built.terms), min(30, len(built.terms))))
                result.update(search_recall_figures(site_dir, built.corpus.reports, search_queries(built.terms)))
            table.add("search: queries through the built worker (node)", search_t.wall, search_t.cpu, None,
                      f"{result.get('search_queries', 0)} queries; not part of the build")

        try:
            from build_corpus.renderer.bundle import make_bundle
        except ImportError:
            table.add("bundle", None, None, None, "skipped: build_corpus/renderer/bundle.py not available")
        else:
            with Timer() as bundle_t:
                try:
                    zip_path, count = make_bundle(site_dir, work / "dist", "bench")
                    bundle_note = f"{count} files, {zip_path.stat().st_size / MB:.1f} MB zip"
                    result["bundle_bytes"] = zip_path.stat().st_size
                except Exception as err:   # report it; the other figures still count
                    first = str(err).splitlines()[0] if str(err) else ""
                    bundle_note = f"failed: {type(err).__name__}: {first[:110]}"
                    result["bundle_error"] = f"{type(err).__name__}: {err}"
            record("bundle (offline zip)", bundle_t, rss_mb(), bundle_note)

        # As `build-corpus build` runs (--jobs defaults to the cores, here --workers): the pipeline and the
        # page steps in that many processes. cpu s is the work of the one-process runs.
        serial = argparse.Namespace(wall=pipe_t.wall + checks_t.wall + site_t.wall + write_t.wall + mk["wall"],
                                    cpu=pipe_t.cpu + checks_t.cpu + site_t.cpu + write_t.cpu + mk["cpu"])
        par_pipe_wall = par_t.wall if args.workers > 1 else pipe_t.wall
        ours = argparse.Namespace(wall=par_pipe_wall + checks_t.wall + par_site_t.wall + write_t.wall + mk["wall"],
                                  cpu=serial.cpu)
        if args.workers > 1:
            record("ours with pipeline and site in one process", serial, None, "for comparison")
        record("OURS: pipeline + checks + site + write + mkdocs", ours, None,
               f"jobs={args.workers}, as build-corpus build runs; bundle not included")

        stock = work / "stock-project"
        if args.skip_stock:
            table.add("STOCK", None, None, None, "skipped (--skip-stock)")
        if not args.skip_stock:
            if stock.exists():
                shutil.rmtree(stock)
            stock.mkdir()
            (stock / "mkdocs.yml").write_text(STOCK_MKDOCS_YML, encoding="utf-8")
            with Timer() as stock_write:
                write_stock_pages(paths, stock / "docs")
            st = timed_subprocess([sys.executable, "-m", "mkdocs", "build", "-q"], stock, work / "mkdocs-stock.log",
                                  args.mkdocs_timeout)
            stock_t = argparse.Namespace(wall=stock_write.wall + st["wall"], cpu=stock_write.cpu + st["cpu"])
            st_bytes, st_files = tree_size(stock / "site") if (stock / "site").is_dir() else (0, 0)
            st_search = material_search_figures(stock / "site") if st["status"] == 0 else {}
            record("STOCK: raw pages + mkdocs build (Material, jieba search)", stock_t, st["peak_mb"],
                   ("ok" if st["status"] == 0 else f"exit {st['status']}") + f"; site {st_bytes / MB:.1f} MB, {st_files} files")
            ratio, ratio_cpu = ours.wall / stock_t.wall, ours.cpu / stock_t.cpu if stock_t.cpu else None
            table.add("ratio ours / stock", None, None, None,
                      f"{ratio:.1f}× wall, {ratio_cpu:.1f}× cpu; mkdocs alone {mk['wall'] / st['wall']:.1f}× wall, "
                      f"{mk['cpu'] / st['cpu']:.1f}× cpu")
            result.update(ours_s=round(ours.wall, 3), ours_cpu_s=round(ours.cpu, 3), stock_s=round(stock_t.wall, 3),
                          stock_cpu_s=round(stock_t.cpu, 3), stock_mkdocs_s=round(st["wall"], 3), stock_status=st["status"],
                          stock_site_bytes=st_bytes, stock_site_files=st_files,
                          stock_search_index_bytes=st_search.get("search_index_bytes", 0),
                          stock_search_download_bytes=st_search.get("search_download_bytes", 0),
                          stock_search_download_gzip_bytes=st_search.get("search_download_gzip_bytes", 0),
                          ratio_to_stock=round(ratio, 2), ratio_to_stock_cpu=round(ratio_cpu, 2) if ratio_cpu else None)

            if mk["status"] == 0 and not args.no_stock_on_our_pages:
                same = stock_on_our_pages(project, work, args.mkdocs_timeout)
                record("STOCK ON OUR PAGES: the same docs/, Material's jieba search, no hooks", same["t"],
                       same["peak_mb"], ("ok" if same["status"] == 0 else f"exit {same['status']}")
                       + f"; its first search downloads {same['download'] / MB:.1f} MB")
                ratio_same = ours.wall / same["t"].wall
                table.add("ratio ours / stock on our pages", None, None, None,
                          f"{ratio_same:.1f}× wall, {ours.cpu / same['t'].cpu:.1f}× cpu (pipeline and site included)")
                result.update(stock_our_pages_s=round(same["t"].wall, 3), stock_our_pages_cpu_s=round(same["t"].cpu, 3),
                              stock_our_pages_status=same["status"], stock_our_pages_search_download_bytes=same["download"],
                              ratio_to_stock_our_pages=round(ratio_same, 2))

    # rebuild after one source changed
    touch_one_source(paths[0])
    from build_corpus.pipeline import build_corpus
    with Timer() as incr_t:
        corpus2 = build_corpus(paths, work)
    record("rebuild: 1 file changed, build_corpus, no cache", incr_t, rss_mb(),
           f"{incr_t.cpu / pipe_t.cpu:.2f}× the full run's cpu")
    result["incremental_pipeline_s"] = round(incr_t.wall, 3)
    cached = cached_rebuild(paths, work, work)
    record("rebuild: cold build filling the per-source cache", cached["cold"], rss_mb(),
           f"cache {cached['cache_bytes'] / MB:.1f} MB of pickles")
    record("rebuild: 1 file changed, build_corpus with the cache", cached["warm"], rss_mb(),
           f"{cached['hits']} hits, {cached['misses']} misses; {cached['warm'].cpu / pipe_t.cpu:.2f}× the full run's cpu")
    result.update(cached_cold_s=round(cached["cold"].wall, 3), cached_incremental_s=round(cached["warm"].wall, 3),
                  cache_hits=cached["hits"], cache_bytes=cached["cache_bytes"])
    if built is not None:
        from build_corpus.pipeline import build_site
        with Timer() as incr_site:
            built2 = build_site(corpus2, curated, annotations=annotations)
        changed = changed_pages(built.pages, built2.pages)
        record("rebuild: build_site again", incr_site, rss_mb(), f"{changed} of {len(built2.pages)} pages changed")
        result.update(incremental_site_s=round(incr_site.wall, 3), incremental_pages_changed=changed)

    result["stages"] = figures
    result["peak_rss_mb"] = round(rss_mb(), 1)
    result["skipped_site"] = skip_site

    print(f"\n== N = {n} reports: {len(paths)} files, {source_mb:.1f} MB of raw source "
          f"({source_bytes / len(paths) / 1000:.0f} KB a file) ==")
    print(table.render())
    if "search_download_bytes" in result:
        print(f"search: index {result['search_index_bytes'] / MB:.1f} MB in {result['search_index_files']} files; "
              f"over {result['search_queries']} queries a reader's first search downloads at most "
              f"{result['search_download_bytes'] / MB:.2f} MB ({result['search_download_gzip_bytes'] / MB:.2f} MB gzip, "
              f"median {result['search_download_median_bytes'] / MB:.2f} MB, ≤ {result['search_files_max']} index files); "
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


def estimates(previous: tuple[int, dict], n: int) -> tuple[float, float]:
    """(pipeline part, site part) in seconds at N, from the run at the previous N."""
    n0, figures = previous
    scale = n / n0
    site_part = sum(figures.get(k) or 0 for k in ("site_build_s", "mkdocs_s", "stock_s", "stock_our_pages_s",
                                                  "incremental_site_s"))
    pipeline_part = figures["wall_s"] - site_part
    return pipeline_part * scale, site_part * scale * SITE_GROWTH


# The site grows a little faster than N (more distinct terms, longer term pages): from N=100 to
# N=1000, mkdocs took 9.5× as long, build_site 14×, the stock routes 12×.
SITE_GROWTH = 1.3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="benchmark build-corpus on N synthetic work reports")
    parser.add_argument("--reports", type=int, nargs="+", default=[100], help="corpus sizes, e.g. 100 1000")
    parser.add_argument("--keep", type=Path, help="keep sources, pages and sites under DIR/n<N> (default: a temp dir, removed)")
    parser.add_argument("--skip-site", action="store_true", help="pipeline and rebuilds only")
    parser.add_argument("--workers", type=int, default=1, help="also time the pipeline in this many worker processes")
    parser.add_argument("--budget", type=float, default=900, help="seconds an N may take, estimated from the previous N")
    parser.add_argument("--mkdocs-timeout", type=float, default=3600, help="stop a mkdocs build after this many seconds")
    parser.add_argument("--no-stock-on-our-pages", action="store_true",
                        help="skip building our generated pages with stock Material search (the second baseline)")
    parser.add_argument("--skip-stock", action="store_true", help="skip both stock MkDocs baselines")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--report-chars", type=int, default=8_000, help="body characters a report aims at (~3 bytes each)")
    parser.add_argument("--tracemalloc", action="store_true", help="extra pipeline pass with per-stage tracemalloc peaks")
    parser.add_argument("--profile", action="store_true", help="cProfile the smallest N (extra pass), print the top 15")
    parser.add_argument("--profile-out", type=Path, help="also dump the profile's stats to this file")
    args = parser.parse_args(argv)

    load_start = [round(x, 2) for x in os.getloadavg()]
    if load_start[0] > 0.5:
        print(f"note: load average {load_start[0]:.2f} before the run: other processes share the "
              f"{os.cpu_count()} cores, so wall times are inflated (cpu s much less)", file=sys.stderr)
    with Timer() as t:
        import jieba
        jieba.setLogLevel(60)
        jieba.initialize()
        import build_corpus.pipeline  # noqa: F401
    startup = {"wall": t.wall, "cpu": t.cpu, "rss_mb": rss_mb(), "first": True}

    runs: dict[str, dict] = {}
    previous: tuple[int, dict] | None = None
    profiled = False
    for n in sorted(set(args.reports)):
        skip_site = args.skip_site
        if previous:
            pipeline_est, site_est = estimates(previous, n)
            if pipeline_est > args.budget:
                print(f"\n== N = {n}: skipped: its pipeline runs would take ~{pipeline_est:.0f} s (linear from "
                      f"N = {previous[0]}), over --budget {args.budget:.0f} s; rerun with --budget {pipeline_est * 1.5:.0f} ==")
                runs[str(n)] = {"reports": n, "skipped": True, "estimate_s": round(pipeline_est + site_est, 1),
                                "reason": f"pipeline estimate over --budget {args.budget:.0f} s"}
                continue
            if not skip_site and previous[1].get("skipped_site"):
                print(f"\n== N = {n}: site skipped, as for N = {previous[0]} ==")
                skip_site = True
            elif not skip_site and pipeline_est + site_est > args.budget:
                print(f"\n== N = {n}: site skipped: site + mkdocs + stock would take ~{site_est:.0f} s (scaled "
                      f"from N = {previous[0]}), "
                      f"over --budget {args.budget:.0f} s; rerun with --budget {(pipeline_est + site_est) * 1.5:.0f} ==")
                skip_site = True
        if args.keep:
            work = args.keep / f"n{n}"
            work.mkdir(parents=True, exist_ok=True)
            cleanup = contextlib.nullcontext()
        else:
            cleanup = tempfile.TemporaryDirectory(prefix=f"build-corpus-bench-{n}-")
            work = Path(cleanup.name)
        with cleanup:
            with Timer() as run_t:
                runs[str(n)] = bench(n, args, work, startup, skip_site)
            runs[str(n)]["wall_s"] = round(run_t.wall, 1)
            if args.profile and not profiled:   # after the timed run: cProfile slows everything down
                profiled = True
                text = profile(args, work, skip_site)
                print(f"\ncProfile, N = {n}: build_corpus" + ("" if skip_site else " + build_site")
                      + ", top 15 by cumulative time")
                print(text)
                runs[str(n)]["profile_top15"] = [line for line in text.splitlines() if line.strip()][-15:]
        previous = (n, runs[str(n)])
    summary = {"benchmark": "build-corpus", "python": sys.version.split()[0], "cpus": os.cpu_count(),
               "loadavg_start": load_start, "loadavg_end": [round(x, 2) for x in os.getloadavg()],
               "seed": args.seed, "report_chars": args.report_chars, "startup_s": round(startup["wall"], 3),
               "runs": runs}
    print(json.dumps(summary, ensure_ascii=False, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
