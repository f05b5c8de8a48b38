"""Precision and recall of term links against hand-labelled real sentences (tests/data/link_eval.yml).

Each labelled sentence names its source file (found by the file's SHA-256, so it survives renames
and moves into sources/) and the links a careful reader would make in it: the span, and the
definition it should point to as `地区 年份: 词条` (one of several when equally right). A link
is right when its span and its definition are; anything else the linker makes in a labelled
sentence is a false link. Sentences are found by their text, never by report id or position.

    python tests/link_eval.py                       # whole set: precision, recall, every error
    python tests/link_eval.py --sample 40 --seed 1  # and a random sample of 40 links made / expected

Runs on the current checkout, and on older ones too (it reads the links the way the site stage
made them then), so figures before and after a change come from the same labels.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EVAL_FILE = Path(__file__).parent / "data" / "link_eval.yml"


@dataclass
class Expected:
    span: list[str]                    # acceptable spans, the first the best
    to: list[str]                      # acceptable definitions, `地区 年份: 词条`


@dataclass
class Sentence:
    source: str
    text: str
    links: list[Expected]
    note: str = ""


@dataclass
class Result:
    sentences: int = 0
    missing: list[str] = field(default_factory=list)      # labelled sentences not found in the corpus
    made: list[tuple] = field(default_factory=list)       # (sentence, span, definition ref, right?)
    expected: list[tuple] = field(default_factory=list)   # (sentence, span, acceptable refs, found?)

    @property
    def precision(self) -> float:
        return sum(1 for m in self.made if m[3]) / len(self.made) if self.made else 1.0

    @property
    def recall(self) -> float:
        return sum(1 for e in self.expected if e[3]) / len(self.expected) if self.expected else 1.0

    def summary(self) -> str:
        right = sum(1 for m in self.made if m[3])
        found = sum(1 for e in self.expected if e[3])
        return (f"{self.sentences} labelled sentences; links made {len(self.made)}, right {right}: "
                f"precision {self.precision:.3f}; links expected {len(self.expected)}, made {found}: "
                f"recall {self.recall:.3f}")

    def errors(self) -> list[str]:
        out = [f"false link: {s.source}: 【{span}】 → {ref or '(no definition)'} in {s.text[:60]}"
               for s, span, ref, ok in self.made if not ok]
        out += [f"missed: {s.source}: 【{span}】 → {' | '.join(to)} in {s.text[:60]}"
                for s, span, to, ok in self.expected if not ok]
        return out + [f"not found: {m}" for m in self.missing]


def load(path: Path = EVAL_FILE) -> tuple[dict[str, str], list[Sentence]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sentences = [Sentence(item["source"], item["text"],
                          [Expected(_alternatives(link["span"]), _alternatives(link["to"]))
                           for link in item.get("links") or []], item.get("note", ""))
                 for item in data["sentences"]]
    return data["sources"], sentences


def _alternatives(text: str) -> list[str]:
    return [t.strip() for t in text.split("|")]


def source_files(folders: list[Path] | None = None) -> list[Path]:
    """The sources (sources/ unless other folders are named), each file's bytes once."""
    from build_corpus.pipeline import find_sources
    files, seen = [], set()
    for folder in folders or [ROOT / "sources"]:
        for f in find_sources(folder)[0]:
            if _sha(f) not in seen:
                seen.add(_sha(f))
                files.append(f)
    return files


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(files: list[Path]):
    """The site stage over these files, curated glossary included, as `build-corpus build` runs it."""
    from build_corpus.contributions.curation import load_curated
    from build_corpus.pipeline import build_corpus, build_site
    corpus = build_corpus(files, ROOT)
    return build_site(corpus, load_curated(ROOT / "glossary")[0])


def evaluate(site, sources: dict[str, str], sentences: list[Sentence]) -> Result:
    by_sha: dict[str, list] = {}
    for source in site.corpus.sources:
        by_sha.setdefault((source.sha256 or "")[:16], []).extend(d for d in source.documents if d.id)
    result = Result(sentences=len(sentences))
    for s in sentences:
        found = _locate(by_sha.get(sources.get(s.source, ""), []), s.text)
        if found is None:
            result.missing.append(f"{s.source}: {s.text[:60]}")
            continue
        doc, p, start = found
        made = list(_links_made(site, doc, p, start, start + len(s.text)))
        used = [False] * len(made)
        for e in s.links:
            hit = next((i for i, (span, refs) in enumerate(made)
                        if not used[i] and span in e.span and any(_same_ref(r, to) for r in refs for to in e.to)), None)
            if hit is not None:
                used[hit] = True
            result.expected.append((s, e.span[0], e.to, hit is not None))
        for (span, refs), ok in zip(made, used):
            result.made.append((s, span, refs[0] if refs else "", ok))
    return result


def _locate(docs, text: str):
    from build_corpus.corpus.linking import paragraphs_with_sections
    for doc in docs:
        for p, _, _ in paragraphs_with_sections(doc):
            at = p.text.find(text)
            if at >= 0:
                return doc, p, at
    return None


def _links_made(site, doc, p, start: int, end: int):
    """(span, definition refs) of every link the site makes in p.text[start:end]."""
    from build_corpus.corpus import linking
    for s, e, key in p.term_spans:
        if s < start or e > end:
            continue
        definitions = [linking.target_of(site.scope, doc, p, linking.Occurrence(s, e, key)).definition]
        yield p.text[s:e], [ref(d) for d in definitions]


def ref(d) -> str:
    m = d.report.meta
    return f"{m.place} {m.year}: {d.written}"


def _same_ref(a: str, b: str) -> bool:
    """`广东省 2026: “五统一、一开放”` names the same entry as `广东省 2026: 五统一、一开放`."""
    from build_corpus.document.glossary import term_key
    (wa, ta), (wb, tb) = (x.split(":", 1) for x in (a, b))
    return wa.split() == wb.split() and term_key(ta) == term_key(tb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", type=int, default=0, help="also score a random sample of this many links")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sources", action="append", type=Path, help="folders of sources (default: sources/)")
    args = parser.parse_args(argv)
    sources, sentences = load()
    result = evaluate(build(source_files(args.sources)), sources, sentences)
    print(result.summary())
    for line in result.errors():
        print("  " + line)
    if args.sample:
        rng = random.Random(args.seed)
        made = rng.sample(result.made, min(args.sample, len(result.made)))
        expected = rng.sample(result.expected, min(args.sample, len(result.expected)))
        print(f"random sample (seed {args.seed}): {sum(1 for m in made if m[3])}/{len(made)} links made are right, "
              f"{sum(1 for e in expected if e[3])}/{len(expected)} expected links are made")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
