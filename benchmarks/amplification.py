"""Amplifiers: how much output (or work) one hostile input makes, at two sizes of that input.

    python benchmarks/amplification.py [--scale 1] [--case targets tooltips footnotes quotes comparisons]

A contributor's pull request controls the sources and annotations, so whatever the build makes of
them must grow linearly with them: an output-to-input ratio that stays put when the input doubles.
Each case writes one hostile input at size n and 2n, runs the pipeline in this process
(build_corpus → build_site; nothing is written, mkdocs is not run) and prints

    case | n | input bytes | output bytes | ratio | marginal ratio

where output is every generated page and download that `build` would write into docs/ (or, for the
quotes case, the seconds `check` spends placing the notes), ratio = output / input, and the marginal
ratio = (output(2n) − output(n)) / (input(2n) − input(n)): about constant for a linear build, about
twice the ratio for a quadratic one. The cases (issue #28):

    targets      one 主要预期目标 sentence of n clauses (each record used to carry the whole sentence)
    tooltips     n sections each using a term whose definition is 20·n characters (each first use in a
                 section carried the whole definition in its tooltip)
    footnotes    n footnote marks [1] in the body, the entry's definition 20·n characters (each mark's tooltip)
    quotes       10 annotation quotes of 300 characters that match nothing, against one paragraph of 1,000·n characters
                 (output: seconds; each quote was compared with every paragraph by difflib)
    comparisons  n reports of one place (every pair of them gets a comparison page)

Run it on other code by putting that code first on the path: `PYTHONPATH=/path/to/other/checkout python
benchmarks/amplification.py` (benchmarks/README.md has the figures before and after #28).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.append(str(HERE.parent))   # after PYTHONPATH: other code put first is the code measured

sys.path.append(str(HERE.parent / "tests"))   # the hostile inputs: tests/attack_corpus.py, their one home
from attack_corpus import long_definition, many_clauses, numbered_sections, small_report  # noqa: E402


def case_targets(n: int) -> dict[str, str]:
    return {"a.txt": small_report(2030, targets=many_clauses(n))}


def case_tooltips(n: int) -> dict[str, str]:
    return {"a.txt": small_report(2030, sections=numbered_sections(n), glossary=long_definition(20 * n))}


def case_footnotes(n: int) -> dict[str, str]:
    return {"a.txt": small_report(2030, body="五水共治[1]推进。" * n, glossary=long_definition(20 * n))}


def case_comparisons(n: int) -> dict[str, str]:
    return {f"r{i}.txt": small_report(2000 + i) for i in range(n)}


def generated_bytes(sources: dict[str, str], folder: Path) -> int:
    """What `build` would write into docs/ for these sources (bytes of every page and download)."""
    from build_corpus.pipeline import build_corpus, build_site
    for old in folder.glob("*.txt"):
        old.unlink()
    paths = []
    for name, text in sources.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    site = build_site(build_corpus(paths, folder), {}, annotations={})
    return sum(len(text.encode("utf-8")) for text in site.pages.values()) + sum(map(len, site.files.values()))


def quote_seconds(n: int, folder: Path) -> tuple[int, float]:
    """(input bytes, seconds) to place 10 quotes that match nothing against a paragraph of 1,000·n characters."""
    from build_corpus.contributions.annotations import attach_annotations
    from build_corpus.model import Annotation
    from build_corpus.pipeline import build_corpus
    paragraph = ("发展" * 500 * n) + "。"
    (folder / "a.txt").write_text(small_report(2030, body=paragraph), encoding="utf-8")
    doc = build_corpus([folder / "a.txt"], folder).reports[0]
    # The schema's longest quote (300 characters), of the paragraph's most common character: every
    # character of the quote is found at half the paragraph's positions, and never two in a row.
    notes = [Annotation("annotations/x.yml", i, "发" * (300 - i), "x", "y") for i in range(10)]
    start = time.perf_counter()
    attach_annotations({doc.id: notes}, [doc])
    seconds = time.perf_counter() - start
    return len(paragraph.encode("utf-8")) + sum(len(a.quote.encode("utf-8")) for a in notes), seconds


CASES = {"targets": (case_targets, 250), "tooltips": (case_tooltips, 250), "footnotes": (case_footnotes, 250),
         "quotes": (None, 10), "comparisons": (case_comparisons, 15)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every case's n (default 1)")
    parser.add_argument("--case", nargs="+", choices=list(CASES), default=list(CASES))
    args = parser.parse_args(argv)
    import build_corpus
    print(f"code: {Path(build_corpus.__file__).parent}")
    print(f"{'case':<12} {'n':>6} {'input B':>10} {'output':>13} {'ratio':>9} {'marginal':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in args.case:
            make, base = CASES[name]
            rows = []
            for n in (int(base * args.scale), 2 * int(base * args.scale)):
                if make is None:
                    size, out = quote_seconds(n, folder)
                else:
                    sources = make(n)
                    size, out = sum(len(t.encode("utf-8")) for t in sources.values()), generated_bytes(sources, folder)
                rows.append((n, size, out))
            (n1, i1, o1), (n2, i2, o2) = rows
            unit = "s" if make is None else "B"
            for n, size, out in rows:
                shown = f"{out:.2f} s" if make is None else f"{out:,}"
                ratio = out / size * (1e6 if make is None else 1)
                print(f"{name:<12} {n:>6} {size:>10,} {shown:>13} {ratio:>9.2f} ", end="")
                print(f"{(o2 - o1) / (i2 - i1) * (1e6 if make is None else 1):>9.2f}" if n == n2 else "")
            if unit == "s":
                print(f"{'':<12} (quotes: ratio and marginal in seconds per MB of input)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
