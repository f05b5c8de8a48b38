"""Whole builds, ours and stock, taken in turn on one corpus: ratios this machine's drift cannot fake.

This machine's speed moves by 20% or more within minutes, so one run of `run.py` can land anywhere
in that range. Here the two routes alternate on the corpus a `run.py --keep DIR` left behind, and
each round's ratio compares two builds a minute apart:

- ours: `build-corpus build --no-cache --jobs 2` then `mkdocs build --strict`, in DIR/N/site-project;
- stock: `mkdocs build` on the raw pages, in DIR/N/stock-project.

    python benchmarks/paired.py /tmp/bench --reports 1000 --rounds 3 [--over-previous-site]

By default each build starts without a site/ (as on a fresh clone); `--over-previous-site` leaves the
previous build's site/, which MkDocs deletes first (ours has ~10× stock's files). Our exit status is
shown, not checked: the kept project reads the repository's annotations/, which name bundled reports
the synthetic corpus does not have.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    run = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return time.perf_counter() - start, run.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kept", type=Path, help="the folder given to run.py --keep")
    parser.add_argument("--reports", type=int, default=1000, help="which of its corpora (its N)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--over-previous-site", action="store_true", help="keep site/ between builds")
    args = parser.parse_args(argv)
    base = args.kept / f"n{args.reports}"
    ours_dir, stock_dir = base / "site-project", base / "stock-project"
    for folder in (ours_dir, stock_dir, base / "sources"):
        if not folder.is_dir():
            print(f"{folder}: missing (run benchmarks/run.py --keep {args.kept} --reports {args.reports} first)")
            return 2
    python = sys.executable
    ratios = []
    rows = []
    for n in range(1, args.rounds + 1):
        if not args.over_previous_site:
            shutil.rmtree(ours_dir / "site", ignore_errors=True)
        pipeline_s, pipeline_rc = timed([python, "-m", "build_corpus", "build", "--sources", str(base / "sources"),
                                         "--no-cache", "--jobs", "2"], ours_dir)
        mkdocs_s, mkdocs_rc = timed([python, "-m", "mkdocs", "build", "--strict"], ours_dir)
        if not args.over_previous_site:
            shutil.rmtree(stock_dir / "site", ignore_errors=True)
        stock_s, stock_rc = timed([python, "-m", "mkdocs", "build", "-q"], stock_dir)
        ours_s = pipeline_s + mkdocs_s
        ratios.append(ours_s / stock_s)
        rows.append((ours_s, stock_s))
        print(f"round {n}: ours {ours_s:.1f} s (build-corpus {pipeline_s:.1f} s, exit {pipeline_rc}; "
              f"mkdocs {mkdocs_s:.1f} s, exit {mkdocs_rc}), stock {stock_s:.1f} s (exit {stock_rc}): "
              f"{ours_s / stock_s:.2f}×", flush=True)
    ours_median = statistics.median(r[0] for r in rows)
    stock_median = statistics.median(r[1] for r in rows)
    print(f"medians: ours {ours_median:.1f} s, stock {stock_median:.1f} s: {ours_median / stock_median:.2f}×; "
          f"rounds {min(ratios):.2f}–{max(ratios):.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
