"""Golden tests on the real sources: what the pipeline makes of every document.

tests/golden/<source>.json holds a readable summary per document (kind,
metadata, headings down to level 2, glossary terms). A mismatch prints a
unified diff; `pytest --update-golden` rewrites the files — review that diff
before committing it. The hand-written assertions below pin what must never
change whatever the golden files say.
"""
from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from build_corpus.model import WORK_REPORT

GOLDEN = Path(__file__).parent / "golden"
SOURCE_FILES = sorted(p.name for p in (Path(__file__).parent.parent / "sources").glob("*.txt"))


def summary(source) -> list[dict]:
    out = []
    for doc in source.documents:
        item = {"position": doc.position, "line": doc.line, "kind": doc.kind, "title": doc.title}
        if doc.kind == WORK_REPORT:
            m = doc.meta
            item.update({
                "id": doc.id,
                "meta": {k: getattr(m, k) for k in ("place", "level", "parent", "year", "date", "speaker",
                                                     "speaker_title", "meeting", "publisher", "published")},
                "inferred": sorted(m.inferred),
                "headings": [f"{s.number}{s.title}" for s in doc.sections]
                + [f"  {c.number}{c.title}" for s in doc.sections for c in s.sections],
                "sections_total": sum(1 for _ in doc.all_sections()),
                "appendices": [a.title for a in doc.appendices],
                "glossary_title": doc.glossary_title,
                "glossary": [e.term for e in doc.glossary],
                "notes": [n.message for n in doc.notes],
            })
        out.append(item)
    return out


@pytest.mark.parametrize("name", SOURCE_FILES)
def test_golden_summary(name, corpus, request):
    source = next(s for s in corpus.sources if s.path.endswith(name))
    actual = json.dumps(summary(source), ensure_ascii=False, indent=1) + "\n"
    golden = GOLDEN / (name.rsplit(".", 1)[0] + ".json")
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "actual"))
        pytest.fail(f"{name} differs from {golden.name} (pytest --update-golden to accept):\n{diff}")


# --- what must hold regardless of the golden files ----------------------------

SEED_REPORTS = {
    # id: (place, level, year, date, speaker, glossary entries, first level-1 heading, level-1 count)
    "tongxiangshi-2023": ("桐乡市", "市", 2023, "2023-02-09", "王坚", 14, "一、2022年工作回顾", 3),
    "jiaxingshi-2024": ("嘉兴市", "市", 2024, None, None, 0, "一、2023年工作回顾", 3),
    "tongxiangshi-2018": ("桐乡市", "市", 2018, None, None, 22, "一、2017年工作回顾", 3),
    "puyuanzhen-2018": ("濮院镇", "镇", 2018, "2018-01-29", "徐华君", 10, "一、2017年工作回顾", 2),
    "puyuanzhen-2017": ("濮院镇", "镇", 2017, "2017-01-11", "徐华君", 15, "一、过去五年的工作回顾", 3),
    "shaoxingshi-2024": ("绍兴市", "市", 2024, None, None, 0, "一、2023年主要工作", 3),
    "huzhoushi-2024": ("湖州市", "市", 2024, None, None, 0, "一、2023年工作回顾", 3),
}


def test_seed_reports_and_skipped_news(corpus, reports):
    assert set(SEED_REPORTS) <= set(reports)
    listing = next(s for s in corpus.sources if "listing" in s.path)
    assert [d.kind for d in listing.documents].count("other") == 7
    assert [d.position for d in listing.documents if d.kind == WORK_REPORT] == [7, 8, 9]


@pytest.mark.parametrize("report_id", sorted(SEED_REPORTS))
def test_seed_report_metadata_and_outline(reports, report_id):
    place, level, year, date, speaker, entries, first_heading, level1 = SEED_REPORTS[report_id]
    doc = reports[report_id]
    assert (doc.meta.place, doc.meta.level, doc.meta.year, doc.meta.date, doc.meta.speaker) == \
        (place, level, year, date, speaker)
    assert len(doc.glossary) == entries
    assert doc.sections[0].number + doc.sections[0].title == first_heading
    assert len(doc.sections) == level1
    assert doc.meta.parent in ("嘉兴市", "浙江省", "桐乡市")


def test_reports_without_header_are_marked_inferred(reports):
    for report_id in ("jiaxingshi-2024", "shaoxingshi-2024", "huzhoushi-2024"):
        assert {"place", "year"} <= set(reports[report_id].meta.inferred)
    assert reports["tongxiangshi-2023"].meta.inferred == []


def test_inline_headings_split_at_the_first_sentence(reports):
    """绍兴 2024 prints （一）以科技创新为动力引领高质量发展。深入实施… on one line."""
    first = reports["shaoxingshi-2024"].sections[1].sections[0]
    assert first.title == "以科技创新为动力引领高质量发展"
    assert first.paragraphs[0].text.startswith("深入实施")


def test_glued_headings_of_one_line_sources(reports):
    doc = reports["tongxiangshi-2018"]
    titles = [c.title for c in doc.sections[1].sections]
    assert titles == ["拉高标杆，着力构建产业转型新优势", "破立结合，着力打好动能转换组合拳",
                      "建管并重，着力推动城市品质再提升", "聚焦“三农”，着力谱写乡村振兴新篇章",
                      "心系民生，着力提升人民群众幸福感"]
    assert doc.sections[2].title == "加强政府自身建设"
    assert doc.sections[0].paragraphs[0].text.startswith("2017年，我们")


def test_numbering_restarted_after_a_colon_is_nested(reports):
    """濮院镇 2017: 三、… 以下五个方面的工作：一、… is a list under 三、, not new top sections."""
    doc = reports["puyuanzhen-2017"]
    third = doc.sections[2]
    assert [c.number for c in third.sections] == ["一、", "二、", "三、", "四、", "五、"]
    assert third.sections[1].title == "更加注重市场提升，坚持布局优化，着力推进市场转型发展"


def test_provincial_layouts(reports):
    nmg = reports["neimengguzizhiqu-2026"]
    assert nmg.meta.level == "自治区" and nmg.meta.speaker == "包钢"
    assert [s.level for s in nmg.sections] == [1, 1]            # unnumbered top headings
    assert nmg.sections[1].sections[0].number == "一、"          # 一、 one level below
    assert nmg.appendices and "民生实事" in nmg.appendices[0].title and len(nmg.appendices[0].paragraphs) == 10
    assert nmg.glossary == []                                   # a numbered 民生实事 list is not a glossary
    assert len(reports["sichuansheng-2026"].glossary) == 20
    assert len(reports["hainansheng-2026"].glossary) == 28


def test_junk_never_reaches_the_output(corpus):
    from build_corpus.pages.export import source_json
    text = json.dumps([source_json(s) for s in corpus.sources], ensure_ascii=False)
    assert "侯卫东官场笔记" not in text
    logged = [r for d in corpus.reports for r in d.removed if r.fix == "drop_injected_junk"]
    assert sum(r.count for r in logged) == 2        # recorded, by reference to cleaning.yml


def test_footnote_markers_become_links_and_leave_the_text(reports):
    doc = reports["tongxiangshi-2018"]
    paragraphs = [p for s in doc.all_sections() for p in s.paragraphs]
    assert not any("[1]" in p.text or "[22]" in p.text for p in paragraphs)
    noted = [n for p in paragraphs for _, n in p.notes]
    assert sorted(set(noted), key=int) == [str(i) for i in range(1, 23)]
    hainan = [p for s in reports["hainansheng-2026"].all_sections() for p in s.paragraphs]
    assert not any("［2］" in p.text for p in hainan)


def test_definitions_joined_across_page_breaks(reports):
    entry = next(e for e in reports["tongxiangshi-2023"].glossary if e.term == "招商引资“1010”攻坚")
    assert "一个工作专班、一批重点项目" in entry.definition


@pytest.mark.parametrize("text", ["7.1%", "R&D占比", "PM2.5", "2.97%", "“4+1”"])
def test_numbers_and_latin_survive(reports, text):
    assert any(text in p.text for d in [reports["tongxiangshi-2018"]] for s in d.all_sections() for p in s.paragraphs) \
        or any(text in e.definition or text in e.term for e in reports["tongxiangshi-2018"].glossary)


# --- the State Council's reports, 1954–2025 ------------------------------------------------

NATIONAL_FILES = sorted(name for name in SOURCE_FILES if name.endswith("_national_report_archive.txt"))
PINNED_YEARS = {1960, 1980, 1982, 1984, 1987}   # no evidence of the year in the text: set by a sidecar


def test_every_national_report_is_bundled():
    assert len(NATIONAL_FILES) == 52
    assert NATIONAL_FILES[0].startswith("1954") and NATIONAL_FILES[-1].startswith("2025")


@pytest.mark.parametrize("name", NATIONAL_FILES)
def test_national_report_place_year_and_no_licence(name, corpus):
    """Each a report of 中华人民共和国 with its year (read from its text, or pinned where it has none),
    an id a reader can type, and nothing of the archive's licence notice."""
    source = next(s for s in corpus.sources if s.path.endswith(name))
    (doc,) = [d for d in source.documents if d.kind == WORK_REPORT]
    year = int(name[:4])
    assert (doc.meta.place, doc.meta.level, doc.meta.year) == ("中华人民共和国", "国家", year)
    assert doc.id == f"zhonghuarenmingongheguo-{year}"
    assert ("year" in doc.meta.pinned) == (year in PINNED_YEARS)
    texts = [p.text for p in doc.all_paragraphs()] + [s.title for s in doc.all_sections()]
    assert not [t for t in texts if "本作品" in t or "Public domain" in t or "公有领域" in t or t == "false"]
