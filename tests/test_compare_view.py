"""The compare view: its data (build_corpus/pages/compare.py) on the bundled sources, and its
algorithms (docs/assets/javascripts/compare.js) run under Node.js, as the browser runs them.

Pages: only a place's consecutive reports get one (never more than the reports). Data: one script per
report, whose links land on pages and anchors that exist, and whose text cannot end a script element.
Algorithms: the diff rebuilds both texts, paragraphs are kept / reworded / new / dropped as a reader
would say, every heading is in the aligned outline once, and the paragraph alignment's work stays
linear in the text (reports of 4,000 paragraphs) instead of growing with the square of the paragraphs.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from build_corpus.model import Document, Metadata, Paragraph, Section
from build_corpus.pages.compare import compare_data, compare_pages, consecutive_pairs
from build_corpus.pipeline import build_site

ROOT = Path(__file__).resolve().parent.parent
COMPARE_JS = ROOT / "docs" / "assets" / "javascripts" / "compare.js"


@pytest.fixture(scope="module")
def site(corpus):
    return build_site(corpus)


def _data(script: bytes) -> dict | list:
    text = script.decode("utf-8")
    m = re.fullmatch(r"window\.CompareData&&CompareData\.(report|list)\((.*)\);\n", text, re.S)
    assert m, text[:200]
    return json.loads(m[2])


def test_pages_only_for_consecutive_reports(site):
    pair_pages = [p for p in site.pages if p.startswith("compare/") and p != "compare/index.md"]
    expected = sum(len(same) - 1 for same in site.by_place.values())
    assert len(pair_pages) == expected <= len(site.corpus.reports)
    assert "compare/tongxiangshi-2018--tongxiangshi-2023.md" in pair_pages
    for before, after in consecutive_pairs(site.by_place):
        report = site.pages[f"reports/{after.id}.md"]
        assert f"(../compare/{before.id}--{after.id}.md)" in report, after.id
        page = site.pages[f"compare/{before.id}--{after.id}.md"]
        assert f'data-a="{before.id}" data-b="{after.id}"' in page
    for doc in site.corpus.reports:   # every report reaches the view with itself chosen
        assert f'<a href="../compare/index.html#a={doc.id}">' in site.pages[f"reports/{doc.id}.md"], doc.id


def test_every_report_has_its_data_and_the_links_in_it_land(site):
    listed = _data(site.files["compare/data/reports.js"])
    assert {row[0] for row in listed} == {d.id for d in site.corpus.reports}
    for doc in site.corpus.reports:
        data = _data(site.files[f"compare/data/{doc.id}.js"])
        assert data["page"] == f"../reports/{doc.id}.html"
        assert [text for _, text in data["paragraphs"]] == [p.text for p in doc.all_paragraphs()]
        anchors = {p.anchor for p in doc.all_paragraphs()} | {s.anchor for s in doc.all_sections()} | {
            e.anchor for e in doc.glossary}
        assert {a for a, _ in data["paragraphs"]} <= anchors
        assert {h[2] for h in data["outline"]} <= anchors
        assert {t[3] for t in data["terms"]} <= anchors
        assert {t[6] for t in data["targets"]} <= anchors
        for term in data["terms"]:
            assert term[1].startswith("../terms/") and term[1][3:-len(".html")] + ".md" in site.pages, term
    gdp = [t for t in _data(site.files["compare/data/sichuansheng-2026.js"])["targets"] if t[0] == "gdp"]
    assert gdp and gdp[0][2] == "增长 5.5%左右" and gdp[0][3] == 5.5


def _report(rid: str, place: str, year: int, paragraphs: list[str]) -> Document:
    doc = Document(source_path=f"{rid}.txt", position=1, line=1, raw_text="", kind="work_report", title=f"{place}{year}",
                   meta=Metadata(place=place, year=year), id=rid)
    doc.sections = [Section("一、</script><script>alert(1)</script>", 1, "一、", "sec-1",
                            [Paragraph(t, f"sec-1-p{i}") for i, t in enumerate(paragraphs, 1)])]
    return doc


def test_report_text_cannot_end_the_script_it_is_in():
    hostile = "</script><script>alert(1)</script><!-- \u2028 & “引号”"
    files = compare_data([_report("x-2025", "某地", 2025, [hostile])], {}, {})
    script = files["compare/data/x-2025.js"].decode("utf-8")
    assert "<" not in script and ">" not in script and "\u2028" not in script
    assert _data(files["compare/data/x-2025.js"])["paragraphs"][0][1] == hostile
    pages = compare_pages({"某地": [_report("x-2024", "某地", 2024, []), _report("x-2025", "某地", 2025, [])]})
    assert "<script" not in "".join(pages.values())


# --- the algorithms, in Node.js ------------------------------------------------------

def _node(script: str, payload) -> dict:
    node = shutil.which("node")
    if not node:
        pytest.fail("node is not on PATH: the compare view's algorithms are tested under Node.js", pytrace=False)
    program = (f"const c = require({json.dumps(str(COMPARE_JS))});\n"
               "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
               f"const out = (function () {{ {script} }})();\n"
               "process.stdout.write(JSON.stringify(out));")
    result = subprocess.run([node, "-e", program], input=json.dumps(payload), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_diff_rebuilds_both_texts():
    pairs = [["abcabba", "cbabac"], ["", "新增一段"], ["删去一段", ""], ["完全相同", "完全相同"],
             ["全年地区生产总值增长5.5%左右", "全年地区生产总值增长5%左右，居民收入同步增长"]]
    out = _node("""return input.map(function (p) {
        var r = c.diff(p[0], p[1]), a = "", b = "";
        r.forEach(function (run) { if (run[0] !== "+") a += p[0].slice(run[1], run[2]); if (run[0] !== "-") b += p[1].slice(run[3], run[4]); });
        var w = c.wordDiff(p[0], p[1]), wa = "", wb = "";
        w.forEach(function (part) { if (part[0] !== "+") wa += part[1]; if (part[0] !== "-") wb += part[1]; });
        return [a, b, wa, wb, r.filter(function (x) { return x[0] !== "="; }).length]; });""", pairs)
    for (a, b), (ra, rb, wa, wb, _) in zip(pairs, out):
        assert (ra, rb, wa, wb) == (a, b, a, b)
    assert out[3][4] == 0


def test_paragraphs_kept_reworded_new_and_dropped():
    older = ["今年主要预期目标是：地区生产总值增长6%左右，城镇新增就业10万人。",
             "坚持以人民为中心的发展思想，扎实推进共同富裕。",
             "深入实施“八八战略”，奋力打造“重要窗口”。",
             "过去一年，我们着力稳住经济大盘，全市经济运行稳中有进。"]
    newer = ["过去一年，我们着力稳住经济大盘，全市经济运行稳中有进。",
             "今年主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业12万人。",
             "大力发展新质生产力，培育壮大未来产业集群。",
             "坚持以人民为中心的发展思想，扎实推进共同富裕。"]
    out = _node("var r = c.alignParagraphs(input[0], input[1]); return r;", [older, newer])
    kinds = {(row["kind"], row["a"], row["b"]) for row in out["rows"]}
    assert ("kept", 3, 0) in kinds and ("kept", 1, 3) in kinds
    assert ("reworded", 0, 1) in kinds
    assert ("new", None, 2) in kinds and ("dropped", 2, None) in kinds
    assert out["counts"] == {"kept": 2, "reworded": 1, "new": 1, "dropped": 1}
    # Every paragraph of both reports is in the rows exactly once.
    assert sorted(r["a"] for r in out["rows"] if r["a"] is not None) == [0, 1, 2, 3]
    assert sorted(r["b"] for r in out["rows"] if r["b"] is not None) == [0, 1, 2, 3]


def test_outline_alignment_keeps_every_heading_once(reports):
    from build_corpus.pages.compare import headings
    a = [[h.level, h.text, h.anchor, h.key] for h in headings(reports["tongxiangshi-2018"])]
    b = [[h.level, h.text, h.anchor, h.key] for h in headings(reports["tongxiangshi-2023"])]
    rows = _node("return c.alignOutlines(input[0], input[1]);", [a, b])
    assert [r[0] for r in rows if r[0]] == a and [r[2] for r in rows if r[2]] == b
    assert any(r[1] == "相同" and r[0][1] == "一、2017年工作回顾" and r[2][1] == "一、2022年工作回顾" for r in rows)


def test_paragraph_alignment_work_is_bounded_at_4000_paragraphs():
    """Two reports of 4,000 paragraphs each, one in five reworded: the work (trigram postings read
    and trigrams compared) stays within a fixed multiple of the text, far below the 16 million pairs
    a paragraph-by-paragraph comparison would score."""
    out = _node("""
        var phrases = ["推进", "高质量发展", "城乡", "改革", "创新", "就业", "民生", "生态", "开放", "安全", "产业", "乡村振兴",
                       "数字", "教育", "医疗", "住房", "文化", "法治", "营商环境", "绿色"];
        var seed = 7; function rand(n) { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; }
        function paragraph(i) { var s = "第" + i + "项："; for (var k = 0; k < 18; k++) s += phrases[rand(phrases.length)] + (k % 6 === 5 ? "，" : ""); return s + "。"; }
        var A = [], B = [];
        for (var i = 0; i < 4000; i++) A.push(paragraph(i));
        for (i = 0; i < 4000; i++) B.push(i % 5 === 0 ? A[i].replace(/推进/g, "加快").replace(/创新/, "科技创新") : A[i]);
        var chars = A.concat(B).join("").length, t = Date.now(), r = c.alignParagraphs(A, B);
        return {counts: r.counts, work: r.work, chars: chars, ms: Date.now() - t, cap: c.GRAM_CAP};""", None)
    print(f"\n4,000 × 4,000 paragraphs: {out['ms']} ms, work {out['work']:,} for {out['chars']:,} characters, {out['counts']}")
    assert out["counts"]["kept"] + out["counts"]["reworded"] == 4000
    assert out["work"] <= out["cap"] * out["chars"]
    assert out["work"] < 4000 * 4000
