"""How right the per-document stages are on real reports: a table per level and per source shape.

    .venv/bin/python benchmarks/ingest_accuracy.py [--truth benchmarks/ingest_truth.yml] [--held-out-only]

Each source listed in the truth file (read by hand from the texts) goes through the pipeline
alone, as `build-corpus inspect` would run it, and is scored:

- classified: the document's kind (work_report / other) is the expected one;
- metadata: each of place, level, year, date, speaker, speaker_title is right (equal, or empty
  where the text does not say it), missing (empty where the text says it) or wrong (any other
  value: a wrong value is the worst outcome);
- headings: the oracle is every line of the source that starts with a chapter or section number
  (第一部分, 一、, （一）) before the 名词解释/附件 block, except list items ending in ；. Found =
  oracle lines that became headings; false = headings no oracle line accounts for;
- chrome left: paragraphs that are page chrome (share/collect widgets, 来源/编辑 lines, navigation,
  licence notices), by the patterns below — independent of cleaning.yml, so it can catch misses.

Rows marked `tuned` are sources the rules and tests were written against; `held out` rows were
only run at the end, and are the honest figure.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_corpus.document.repair import unescape_line_breaks  # noqa: E402
from build_corpus.pipeline import build_corpus  # noqa: E402

FIELDS = ("place", "level", "year", "date", "speaker", "speaker_title")
ORACLE = re.compile(r"^\s*(?:第[一二三四五六七八九十]{1,3}部分|[一二三四五六七八九十]{1,3}、|[（(]?[一二三四五六七八九十]{1,3}[）)])\s*(\S.*)$")
# 1. headings: a short first sentence, alone or leading its paragraph (1.医疗卫生方面。全省…),
# not numbered paragraphs (1.通过“以工代赈”发放……)
DIGIT_ORACLE = re.compile(r"^\s*\d{1,2}[.．、]\s*[^。；！？\d][^。；！？]{0,24}(?:。|$)")
FULLWIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)})
BRACKETS = str.maketrans("()", "（）")   # the pipeline writes （一） for (一)
BLOCK_START = re.compile(r"^\s*[【\[（(※]?(?:附件|附表|附[:：]|名词解释|名词注释|注释|《政府工作报告》)")
CHROME = re.compile(r"^(?:分享|收藏|打印|关闭|返回|上一篇|下一篇|版权所有|主办单位|责任编辑|编辑[：:]|来源[：:]|[（(]来源|"
                    r"当前位置|扫一扫|相关(?:链接|附件|文档|报道|文章)|》》|×$|\|$|【字|字号|浏览次数|免责声明|标签[：:]|阅读排行|"
                    r"标签云|内容摘要|时间[：:]|作者[：:]|评论[：:]|阅读[：:]|发布时间|信息来源|冀ICP|网站标识码)"
                    r"|本作品是|Public domain|^false$|&nbsp|\\r\\n|来\s*自\s*马\s*克")


def oracle_headings(raw: str) -> list[str]:
    """Numbered lines of the source up to its glossary/appendix block, list items (…；) left out
    (line breaks an export escaped as `\\r\\n` read as line breaks)."""
    raw = unescape_line_breaks(raw)[0]
    lines = raw.split("\n")
    salutation = next((i for i, line in enumerate(lines) if "各位代表" in line), 0)
    found = []
    for line in lines[salutation:]:
        line = line.translate(FULLWIDTH)
        if BLOCK_START.match(line):
            break
        if (ORACLE.match(line) or DIGIT_ORACLE.match(line)) and not line.rstrip().endswith("；"):
            found.append(re.sub(r"\s+", "", line).translate(BRACKETS))
    return list(dict.fromkeys(found))   # a page holding the report twice has each heading twice


def score(truth: dict, only_held_out: bool) -> dict:
    rows: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
    problems = []
    for path, spec in truth["sources"].items():
        tuned = spec.get("tuned", True)
        if only_held_out and tuned:
            continue
        source_path = ROOT / path
        corpus = build_corpus([source_path], ROOT)
        source = corpus.sources[0]
        raw = source_path.read_text(encoding="utf-8")
        for doc, expected in zip(source.documents, spec["documents"]):
            tier = expected.get("tier", spec["tier"])
            keys = [("level", tier), ("shape", spec["shape"]), ("set", "tuned" if tuned else "held out"), ("all", "all")]
            counts = defaultdict(int)
            counts["documents"] += 1
            counts["classified"] += doc.kind == expected["kind"]
            if "glossary" in expected and doc.kind == "work_report":
                counts["glossary_expected"] += expected["glossary"]
                counts["glossary_found"] += min(len(doc.glossary), expected["glossary"])
                if len(doc.glossary) != expected["glossary"]:
                    problems.append(f"{path}#{doc.position}: glossary {len(doc.glossary)} entries (want {expected['glossary']})")
            if doc.kind != expected["kind"]:
                problems.append(f"{path}#{doc.position}: kind {doc.kind} ({doc.kind_reason})")
            if expected["kind"] == "work_report" and doc.kind == "work_report":
                for name in FIELDS:
                    want, got = expected.get(name), getattr(doc.meta, name)
                    want = str(want) if want is not None else None
                    got = str(got) if got is not None else None
                    if got == want:
                        counts["right"] += 1
                    elif got is None:
                        counts["missing"] += 1
                        problems.append(f"{path}#{doc.position}: {name} missing (want {want})")
                    else:
                        counts["wrong"] += 1
                        problems.append(f"{path}#{doc.position}: {name} WRONG {got!r} (want {want!r})")
                if source.documents.__len__() == 1:
                    oracle = oracle_headings(raw)
                    made = [re.sub(r"\s+", "", s.number + s.title) for s in doc.all_sections() if s.number]
                    hit = [h for h in made if any(o.lstrip("（(").startswith(h.lstrip("（(")) for o in oracle)]
                    counts["oracle"] += len(oracle)
                    counts["found"] += len(hit)
                    counts["false"] += len(made) - len(hit)
                    for h in made:
                        if h not in hit:
                            problems.append(f"{path}: false heading {h[:40]}")
                    for o in oracle:
                        if not any(o.lstrip("（(").startswith(h.lstrip("（(")) for h in made):
                            problems.append(f"{path}: heading not found {o[:40]}")
                texts = [p.text for p in doc.all_paragraphs()]
                chrome = [t for t in texts if len(t) <= 60 and CHROME.search(t)]
                counts["chrome"] += len(chrome)
                problems += [f"{path}: chrome left {t[:40]}" for t in chrome]
            for key in keys:
                for k, v in counts.items():
                    rows[key][k] += v
    return {"rows": rows, "problems": problems}


def table(rows: dict) -> str:
    out = ["| group | documents | classified right | metadata right / missing / wrong | headings found / oracle | false headings | 名词解释 entries | chrome left |",
           "|---|---|---|---|---|---|---|---|"]
    order = {"all": 0, "set": 1, "level": 2, "shape": 3}
    for key in sorted(rows, key=lambda k: (order[k[0]], k[1])):
        r = rows[key]
        out.append(f"| {key[0]}: {key[1]} | {r['documents']} | {r['classified']}/{r['documents']} | "
                   f"{r['right']} / {r['missing']} / {r['wrong']} | {r['found']}/{r['oracle']} | {r['false']} | "
                   f"{r['glossary_found']}/{r['glossary_expected']} | {r['chrome']} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--truth", type=Path, default=ROOT / "benchmarks" / "ingest_truth.yml")
    parser.add_argument("--held-out-only", action="store_true")
    parser.add_argument("--quiet", action="store_true", help="the table only, not every miss")
    args = parser.parse_args(argv)
    truth = yaml.safe_load(args.truth.read_text(encoding="utf-8"))
    result = score(truth, args.held_out_only)
    print(table(result["rows"]))
    if not args.quiet and result["problems"]:
        print("\n" + "\n".join(result["problems"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
