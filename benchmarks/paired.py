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
the synthetic corpus does not have. Each command's output goes to DIR/N/paired-*.log.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import measured  # noqa: E402


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
        corpus = measured([python, "-m", "build_corpus", "build", "--sources", str(base / "sources"),
                                   "--no-cache", "--jobs", "2"], ours_dir, base / "paired-build-corpus.log")
        mkdocs = measured([python, "-m", "mkdocs", "build", "--strict"], ours_dir, base / "paired-mkdocs-ours.log")
        if not args.over_previous_site:
            shutil.rmtree(stock_dir / "site", ignore_errors=True)
        stock = measured([python, "-m", "mkdocs", "build", "-q"], stock_dir, base / "paired-mkdocs-stock.log")
        ours_s = corpus["wall"] + mkdocs["wall"]
        ratios.append(ours_s / stock["wall"])
        rows.append((ours_s, stock["wall"]))
        print(f"round {n}: ours {ours_s:.1f} s, {corpus['cpu'] + mkdocs['cpu']:.1f} cpu s (build-corpus "
              f"{corpus['wall']:.1f} s, exit {corpus['status']}; mkdocs {mkdocs['wall']:.1f} s, exit {mkdocs['status']}), "
              f"stock {stock['wall']:.1f} s, {stock['cpu']:.1f} cpu s (exit {stock['status']}): {ratios[-1]:.2f}×",
              flush=True)
    ours_median = statistics.median(r[0] for r in rows)
    stock_median = statistics.median(r[1] for r in rows)
    print(f"medians: ours {ours_median:.1f} s, stock {stock_median:.1f} s: {ours_median / stock_median:.2f}×; "
          f"rounds {min(ratios):.2f}–{max(ratios):.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
