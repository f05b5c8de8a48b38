"""Targets as data: the hand-checked test set (precision and recall), and the records of the bundled reports.

tests/data/targets_cases.yml holds real sentences from the seeds and the 31 provincial reports with
the records a reader takes from them; a record is compared as `indicator | comparator | value |
qualifier`, all as written.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from build_corpus.document.targets import ACHIEVED, TARGET, Target, extract_targets, parse_review, passage_targets

CASES = yaml.safe_load((Path(__file__).parent / "data" / "targets_cases.yml").read_text(encoding="utf-8"))


def as_line(t: Target) -> str:
    return " | ".join([t.indicator, t.comparator, t.value, t.qualifier]).rstrip(" |")


def _normalised(line: str) -> str:
    return " | ".join(part.strip() for part in line.split("|")).rstrip(" |")


def extracted(case: dict) -> list[str]:
    records = passage_targets(case["text"]) if case["kind"] == TARGET else parse_review(case["text"])
    return [as_line(t) for t in records if t.numeric]


def extracted_text(case: dict) -> list[str]:
    return [f"{t.indicator} | {t.value}" for t in passage_targets(case["text"]) if not t.numeric]


def test_the_test_set_is_what_it_claims():
    kinds = Counter(c["kind"] for c in CASES)
    assert kinds[TARGET] >= 35 and kinds[ACHIEVED] >= 35, kinds
    places = {c["place"] for c in CASES}
    assert len(places) >= 31 + 4, f"cases from {len(places)} places"
    assert all(c["text"].strip() and isinstance(c["expected"], list) for c in CASES)


def test_precision_and_recall_on_the_hand_checked_set():
    found = expected = right = 0
    misses, extras = [], []
    for case in CASES:
        want = Counter(_normalised(line) for line in case["expected"])
        got = Counter(extracted(case))
        hit = want & got
        found += sum(got.values())
        expected += sum(want.values())
        right += sum(hit.values())
        misses += [f"{case['place']} {case['kind']}: {line}" for line in (want - got).elements()]
        extras += [f"{case['place']} {case['kind']}: {line}" for line in (got - want).elements()]
    precision, recall = right / found, right / expected
    print(f"\ntargets: precision {precision:.3f} ({right}/{found}), recall {recall:.3f} ({right}/{expected}) "
          f"over {len(CASES)} hand-checked cases")
    for line in misses:
        print("  missed:", line)
    for line in extras:
        print("  wrong: ", line)
    assert precision >= 0.95, extras
    assert recall >= 0.95, misses


def test_targets_without_a_number_on_the_hand_checked_set():
    """Every target case lists its targets without a number (`text_expected`); measured apart."""
    cases = [c for c in CASES if c["kind"] == TARGET]
    assert all("text_expected" in c for c in cases)
    found = expected = right = 0
    for case in cases:
        want, got = Counter(case["text_expected"]), Counter(extracted_text(case))
        found, expected, right = found + sum(got.values()), expected + sum(want.values()), right + sum((want & got).values())
    print(f"\ntargets without a number: precision {right / found:.3f} ({right}/{found}), recall {right / expected:.3f} "
          f"({right}/{expected}) over {len(cases)} passages")
    assert right / found >= 0.95 and right / expected >= 0.9


@pytest.mark.parametrize("place, year, line", [
    ("四川省", 2026, "地区生产总值 | 增长 | 5.5% | 左右"),
    ("浙江省", 2026, "全省生产总值 | 增长 | 5%—5.5%"),
    ("桐乡市", 2023, "全市地区生产总值 | 增长 | 6% | 左右"),
])
def test_the_issue_examples(place, year, line):
    case = next(c for c in CASES if c["place"] == place and c["year"] == year and c["kind"] == TARGET)
    assert line in extracted(case)


def test_values_units_and_ranges():
    [gdp] = [t for t in passage_targets("主要预期目标为：全省生产总值增长5%—5.5%，在实际工作中努力争取更好结果。")]
    assert (gdp.key, gdp.comparator, gdp.low, gdp.high, gdp.unit, gdp.qualifier) == ("gdp", "增长", 5.0, 5.5, "%", "")
    jobs, grain = passage_targets("主要预期目标是：城镇新增就业85万人，粮食产量730亿斤以上。")
    assert (jobs.key, jobs.low, jobs.unit) == ("new_jobs", 85.0, "万人")
    assert (grain.key, grain.low, grain.unit, grain.qualifier) == ("grain", 730.0, "亿斤", "以上")
    [income] = passage_targets("主要预期目标是：居民收入增长和经济增长同步。")
    assert (income.key, income.value, income.low, income.qualifier) == ("income", "", None, "同步")


def test_the_passage_ends_where_the_targets_end():
    text = ("主要预期目标为:地区生产总值增长7%左右;一般公共预算收入增长10%。为顺利实现上述目标,我们将着力抓好"
            "以下五方面工作。(一)拉高标杆,全市力争引进互联网项目30个,固定资产投资增长15%以上。")
    assert [as_line(t) for t in passage_targets(text)] == ["地区生产总值 | 增长 | 7% | 左右", "一般公共预算收入 | 增长 | 10%"]
    assert passage_targets("“十五五”时期的主要目标是：地区生产总值年均增长5%左右。") == []


# --- the bundled reports ----------------------------------------------------------

def test_records_of_the_bundled_reports(reports):
    sichuan = extract_targets(reports["sichuansheng-2026"])
    gdp = [t for t in sichuan if t.key == "gdp"]
    target = next(t for t in gdp if t.kind == TARGET)
    achieved = next(t for t in gdp if t.kind == ACHIEVED)
    assert (target.value, target.qualifier, target.year, target.figure_year) == ("5.5%", "左右", 2026, 2026)
    assert (achieved.value, achieved.figure_year) == ("5.5%", 2025)
    assert target.place == "四川省" and target.level == "省" and target.report_id == "sichuansheng-2026"
    assert "主要预期目标" in next(p.text for s in reports["sichuansheng-2026"].all_sections()
                              for p in s.paragraphs if p.anchor == target.anchor)
    tongxiang = extract_targets(reports["tongxiangshi-2023"])
    assert any(t.kind == TARGET and t.key == "gdp" and t.value == "6%" and t.qualifier == "左右" for t in tongxiang)


def test_every_record_points_at_its_paragraph(reports):
    for doc in reports.values():
        anchors = {p.anchor: p.text for s in doc.all_sections() for p in s.paragraphs}
        anchors.update({p.anchor: p.text for p in doc.preamble})
        for t in extract_targets(doc):
            assert t.anchor in anchors, (doc.id, t)
            assert t.sentence.replace(" ", "")[:8] in anchors[t.anchor].replace(" ", ""), (doc.id, t.sentence)
