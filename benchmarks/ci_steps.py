"""A CI build after a one-file change against a cold one: the steps of .github/workflows/pages.yml, run here.

    python benchmarks/ci_steps.py --reports 1000 [--change source|glossary] [--repeat 3] [--keep DIR]

pages.yml checks out the repository (docs/ holds only its hand-written assets; no site/), restores
`.cache/build-corpus` and `.cache/subsites` with actions/cache (empty the first time), and runs `make
site`: `make install` (the same in both runs, not timed here), `build-corpus build`, `mkdocs build --strict`.
Here, in a scratch project on N synthetic reports (benchmarks/synth.py):

    cold    no .cache/: both commands, every process measured (benchmarks/measure.py)
    warm    a fresh checkout (the generated docs/ and site/ removed), .cache/ as the cold run left it
            (what actions/cache restores), one source file changed (or one glossary note); the same two
            commands

Prints both, what the warm build built again (from MkDocs' log) and warm / cold; the target of issue
#27 is at most 20% at 1,000 reports. This machine's speed varies between minutes (a cold build here took
43–63 s in one session), so `--repeat N` runs the pair N times, from a new scratch project each, and
prints each ratio and their median.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402
from measure import measured, processes_line  # noqa: E402
from run import build_commands, prepare_mkdocs_project, touch_one_source  # noqa: E402

NOTE = {"text": "本条为基准测试所加：治污水、防洪水、排涝水、保供水、抓节水。", "author": "benchmark", "date": "2026-12-06"}


def add_note(glossary: Path) -> None:
    """What a curator's pull request does: one more note on a curated term (the first file's)."""
    import yaml
    path = sorted(glossary.glob("*.yml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.setdefault("notes", []).append(NOTE)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def fresh_checkout(project: Path) -> None:
    """What a new runner has before the cache is restored: docs/ without its generated pages, no site/."""
    from build_corpus.pages.write import GENERATED
    for name in GENERATED:
        path = project / "docs" / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    shutil.rmtree(project / "site", ignore_errors=True)


def run_steps(project: Path, sources: Path, workers: int, log: Path) -> tuple[dict, list[dict]]:
    runs = [measured(cmd, project, log.with_name(f"{log.stem}-{n}.log")) for n, cmd in
            enumerate(build_commands(sources, project, workers, "auto"))]
    for run in runs:
        if run["status"] != 0:
            raise SystemExit(f"a step failed (exit {run['status']}): see {log.parent}")
    return {"wall": sum(r["wall"] for r in runs), "cpu": sum(r["cpu"] for r in runs)}, runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--change", choices=("source", "glossary"), default="source")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="run the cold and warm builds this many times")
    parser.add_argument("--keep", type=Path, help="keep the scratch project here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="build-corpus-ci-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        sources = work / "sources"
        results = [cold_and_warm(args, work, sources) for _ in range(max(1, args.repeat))]
        if len(results) > 1:
            for name, key in (("time", "s"), ("CPU", "cpu_s")):
                ratios = sorted(r[f"warm_{key}"] / r[f"cold_{key}"] for r in results)
                print(f"warm / cold, {name}: {', '.join(f'{x:.0%}' for x in ratios)}; median {statistics.median(ratios):.0%}")
        for result in results:
            print(json.dumps({key: round(value, 2) if isinstance(value, float) else value for key, value in result.items()}))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def cold_and_warm(args, work: Path, sources: Path) -> dict:
    """One cold build of a new scratch project, then a warm one after the change; what both took."""
    shutil.rmtree(sources, ignore_errors=True)
    synth.generate(args.reports, sources, seed=args.seed)
    project = prepare_mkdocs_project(work, "checkout")
    # The project's own glossary/ (a note can be changed): a copy, not the repository's.
    (project / "glossary").unlink()
    shutil.copytree(HERE.parent / "glossary", project / "glossary")
    cold, cold_runs = run_steps(project, sources, args.workers, work / "cold")
    fresh_checkout(project)
    if args.change == "source":
        touch_one_source(sorted(sources.glob("*.txt"))[len(list(sources.glob("*.txt"))) // 2])
    else:
        add_note(project / "glossary")
    warm, warm_runs = run_steps(project, sources, args.workers, work / "warm")
    log = (work / "warm-1.log").read_text(encoding="utf-8", errors="replace")
    rebuilt = next((line.split("INFO    -  ", 1)[-1] for line in log.splitlines() if "sub-sites:" in line), "one site")
    print(f"N = {args.reports}, one {args.change} changed, --jobs {args.workers}")
    for name, total, runs in (("cold", cold, cold_runs), ("warm", warm, warm_runs)):
        print(f"{name}: {total['wall']:.1f} s, {total['cpu']:.1f} cpu s — build-corpus {runs[0]['wall']:.1f} s, "
              f"mkdocs {runs[1]['wall']:.1f} s; {processes_line(runs[1])}")
    print(f"warm rebuilt: {rebuilt}")
    print(f"warm / cold: {warm['wall'] / cold['wall']:.0%} of the time, {warm['cpu'] / cold['cpu']:.0%} of the CPU")
    return {"reports": args.reports, "change": args.change, "cold_s": cold["wall"], "cold_cpu_s": cold["cpu"],
            "warm_s": warm["wall"], "warm_cpu_s": warm["cpu"], "warm_steps_s": [round(r["wall"], 2) for r in warm_runs],
            "rebuilt": rebuilt}


if __name__ == "__main__":
    sys.exit(main())
