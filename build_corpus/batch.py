"""Running the per-source steps over many sources: in parallel processes, from the per-source
cache where a source is unchanged, and never raising (a bug in one source must not hide the
others' results). What the steps are is pipeline.py's business; this is only how they are run.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from .cache import SourceCache
from .contributions.inputs import shown_path
from .contributions.sidecar import sidecar_path
from .document.steps import unreadable
from .model import Problem, Source
from .processes import name_process

# A source larger than this is refused: a 50 MB file became one page, a 96 s mkdocs run and a
# 57 MB search index. The largest real report is ~0.3 MB; --max-source-mb raises the limit.
MAX_SOURCE_BYTES = 5 * 1024 * 1024

Result = tuple[Source, list[Problem]]


def process_sources(paths: list[Path], root: Path | None, cache: SourceCache | None, workers: int,
                    max_source_bytes: int, process: Callable[[Path], Result],
                    before_fork: Callable[[], object] | None = None) -> Iterator[Result]:
    """`process` on every path, results in path order. With `workers` > 1, in that many processes
    (`process` must then be picklable: a module-level function or a partial of one), forked after
    `before_fork()` has loaded what each of them would otherwise load for itself."""
    job = partial(_guarded, root=root, cache=cache, max_bytes=max_source_bytes, process=process)
    with _cyclic_gc_paused():
        # What the cache holds is read here: only the sources it does not hold go to the workers (a
        # rebuild after one changed source starts no worker and loads no dictionary for them, and no
        # cached result goes through a pipe twice).
        results: list = [_from_cache(path, root, cache, max_source_bytes) if cache else None for path in paths]
        todo = [path for path, found in zip(paths, results) if found is None]
        if workers > 1 and len(todo) >= 2 * workers:
            if before_fork is not None:
                before_fork()
            with ProcessPoolExecutor(max_workers=workers, initializer=name_process, initargs=("bc-pipeline",)) as pool:
                made = iter(pool.map(job, todo, chunksize=max(1, len(todo) // (8 * workers))))
        else:
            made = map(job, todo)
        results = [found if found is not None else next(made) for found in results]
    if cache is not None:   # pool workers had their own copies of the counters
        cache.hits = sum(1 for source, _ in results if source.from_cache)
    return iter(results)


@contextmanager
def _cyclic_gc_paused():
    """The stages allocate many small objects and make no garbage cycles worth collecting, but
    CPython's cycle collector rescans the whole growing corpus every so often: at 1,000 reports
    that made a rebuild from the cache (unpickling ~1 M objects) several times slower than
    reading the pickles. Reference counting still frees everything as usual; the corpus is then
    frozen out of later collections (the site steps')."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()   # the corpus lives as long as the build: later collections need not rescan it
        if enabled:
            gc.enable()


def _guarded(path: Path, root: Path | None, cache: SourceCache | None, max_bytes: int,
             process: Callable[[Path], Result]) -> Result:
    """One source, never raising."""
    try:
        size = path.stat().st_size
    except OSError as err:
        return unreadable(path, root, f"无法读取 / cannot read: {err.strerror}")
    if size > max_bytes:
        return unreadable(path, root, f"文件过大（{size / 2**20:.1f} MB，上限 {max_bytes / 2**20:.1f} MB），未处理 / "
                                      f"file too large ({size:,} bytes, limit {max_bytes:,}); not processed — split it, "
                                      "or raise the limit with --max-source-mb")
    try:
        return _cached(path, root, cache, process)
    except Exception as err:
        return unreadable(path, root, f"内部错误 / internal error: {type(err).__name__}: {err} — please report it "
                                      "with this file")


def _from_cache(path: Path, root: Path | None, cache: SourceCache, max_bytes: int) -> Result | None:
    """The cached result of a source, or None (not cached, or not a file the pipeline would read)."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        sidecar = sidecar_path(path)
        hit = cache.get(cache.key(shown_path(path, root), path.read_bytes(), sidecar.read_bytes() if sidecar.is_file() else None),
                        count_miss=False)
    except OSError:
        return None
    if hit is not None:
        hit[0].from_cache = True
    return hit


def _cached(path: Path, root: Path | None, cache: SourceCache | None, process: Callable[[Path], Result]) -> Result:
    if cache is None:
        return process(path)
    try:
        sidecar = sidecar_path(path)
        key = cache.key(shown_path(path, root), path.read_bytes(), sidecar.read_bytes() if sidecar.is_file() else None)
    except OSError:
        return process(path)
    hit = cache.get(key)
    if hit is not None:
        hit[0].from_cache = True
        return hit
    result = process(path)
    cache.put(key, result)
    return result
