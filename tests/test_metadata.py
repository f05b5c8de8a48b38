"""The metadata stage: headers as reports print them, inference from the body, and sidecars."""
from __future__ import annotations

import pytest

from build_corpus.contributions.sidecar import read_sidecar
from build_corpus.document.metadata import apply_pinned, infer_from_body, level_of, page_metadata, read_header, split_header
from build_corpus.model import Metadata


def header_meta(header: str, listing_title: str = "") -> Metadata:
    meta = Metadata()
    read_header(header, listing_title, meta)
    return meta


@pytest.mark.parametrize("header,expected", [
    ("政府工作报告\n2023年2月9日在桐乡市第十七届人民代表大会第二次会议上\n桐乡市市长王坚",
     ("桐乡市", "市", 2023, "2023-02-09", "王坚", "市长")),
    ("政府工作报告\n——2026年1月27日在海南省第七届人民代表大会第五次会议上\n海南省省长 刘小明",
     ("海南省", "省", 2026, "2026-01-27", "刘小明", "省长")),
    ("2026年内蒙古自治区政府工作报告\n——2026年2月4日在内蒙古自治区第十四届人民代表大会第五次会议上\n自治区人民政府主席 包钢",
     ("内蒙古自治区", "自治区", 2026, "2026-02-04", "包钢", "自治区主席")),
    ("2018年1月29日在濮院镇第十七届人民代表大会第三次会议上徐华君", ("濮院镇", "镇", 2018, "2018-01-29", "徐华君", None)),
    ("政府工作报告\n——2025年1月8日在平遥县第十八届人民代表大会第五次会议上\n代县长 欧阳·明",
     ("平遥县", "县", 2025, "2025-01-08", "欧阳·明", "代县长")),
    # date in Chinese numerals, 第 left out, the speaker after a colon, a name like a word (正文)
    ("2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n省长：张正文",
     ("甘肃省", "省", 2026, "2026-01-27", "张正文", "省长")),
    # ○ for 〇, an acting mayor
    ("政府工作报告\n——二○二四年一月十日在大同市第九届人民代表大会第三次会议上\n大同市人民政府代理市长 李四",
     ("大同市", "市", 2024, "2024-01-10", "李四", "代理市长")),
    # a county of 2010 that has been a district since 2015, with its parent of that year
    ("2010年2月4日在徐水县第十四届人民代表大会第四次会议上\n徐水县人民政府县长李保森",
     ("徐水县", "县", 2010, "2010-02-04", "李保森", "县长")),
    # the header line holds date, meeting and speaker, breadcrumb chrome follows
    ("陕西省2026年政府工作报告\n2026年1月27日在陕西省第十四届人民代表大会第四次会议上 陕西省省长 赵刚\n时间：\n首页",
     ("陕西省", "省", 2026, "2026-01-27", "赵刚", "省长")),
])
def test_headers(header, expected):
    m = header_meta(header)
    assert (m.place, m.level, m.year, m.date, m.speaker, m.speaker_title) == expected
    assert m.inferred == []


def test_a_place_of_its_time_has_its_parent_of_that_time():
    m = header_meta("二〇〇八年一月十日在清苑县第十四届人民代表大会第一次会议上")
    assert (m.place, m.level, m.parent) == ("清苑县", "县", "保定市")
    m = header_meta("2009年1月10日在襄樊市第十四届人民代表大会第三次会议上")
    assert (m.place, m.level, m.parent) == ("襄樊市", "市", "湖北省")


@pytest.mark.parametrize("header", [
    "政府工作报告\n——2025年1月8日在某某县第十八届人民代表大会第五次会议上",   # a placeholder
    "2024年1月10日在云岭市第九届人民代表大会第三次会议上",                    # no such city
    "2024年1月10日在较好完成了乡第九届人民代表大会第三次会议上",                # a phrase, not a township
])
def test_a_name_no_division_data_knows_is_no_place_and_is_noted(header):
    meta, notes = Metadata(), []
    read_header(header, "", meta, notes=notes)
    assert meta.place is None and meta.level is None
    assert notes and ("不见于" in notes[0] or "不是乡镇名" in notes[0])


def test_a_town_is_a_real_name_under_its_county():
    m = header_meta("2024年1月10日在濮院镇第十八届人民代表大会第三次会议上")
    assert (m.place, m.level) == ("濮院镇", "镇")
    meta, notes = Metadata(), []
    read_header("2024年1月10日在安肃镇第十八届人民代表大会第三次会议上", "", meta, notes=notes)
    assert (meta.place, meta.parent, notes) == ("安肃镇", "徐水区", [])   # the only 安肃镇, under 徐水区 today


def test_listing_title_names_town_and_parent():
    m = header_meta("2017年1月11日在濮院镇第十七届人民代表大会第一次会议上徐华君", "【投资桐乡市】2017年桐乡市濮院镇政府工作报告")
    assert (m.place, m.parent, m.year) == ("濮院镇", "桐乡市", 2017)


def test_split_header_at_the_salutation():
    header, body = split_header("政府工作报告\n某某\n各位代表：\n现在，")
    assert header == "政府工作报告\n某某" and body.startswith("各位代表：")
    assert split_header("各位代表、同志们：\n现在")[0] == ""
    assert split_header("没有称呼的文本")[0] == ""


def test_page_metadata_from_web_chrome():
    meta = Metadata()
    page_metadata("2026年四川省人民政府工作报告\n2026年02月10日 07时41分\n来源:\n四川日报\n【字体：", meta)
    assert (meta.publisher, meta.published) == ("四川日报", "2026-02-10")


@pytest.mark.parametrize("body,headings,expected", [
    ("我代表市人民政府……向所有关心支持嘉兴发展的海内外朋友……嘉兴……浙江", ["一、2023年工作回顾", "二、2024年工作任务"],
     ("嘉兴市", 2024)),
    # how often a place is named says nothing: a report that never names itself gets no place
    ("我代表市人民政府……谱写嘉兴新篇章……嘉兴……嘉兴……浙江", ["一、2023年工作回顾", "二、2024年工作任务"], (None, 2024)),
    ("在中共绍兴市委的坚强领导下", ["一、2023年主要工作", "二、2024年主要目标和重点工作"], ("绍兴市", 2024)),
    ("我代表海南省人民政府", ["一、过去一年的工作"], ("海南省", None)),
    # "2025年是…收官之年" alone opens a 2025 plan or a 2026 review: no year; with the year before it, the plan's
    ("我代表县人民政府。2025年是“十四五”规划收官之年。", [], (None, None)),
    ("我代表县人民政府。2024年是极不平凡的一年。2025年是“十四五”规划收官之年。", [], (None, 2025)),
])
def test_inference_from_the_body(body, headings, expected):
    meta = Metadata()
    infer_from_body(body, headings, meta)
    assert (meta.place, meta.year) == expected
    assert set(meta.inferred) >= {f for f, v in zip(("place", "year"), expected) if v}
    if meta.place is None:
        assert meta.level is None and "地区和层级留空" in "".join(meta_notes(body))


def meta_notes(body: str) -> list[str]:
    notes: list[str] = []
    infer_from_body(body, [], Metadata(), notes)
    return notes


def test_a_review_year_means_the_next_years_report():
    meta = Metadata()
    infer_from_body("", ["一、2023年工作回顾"], meta)
    assert meta.year == 2024 and meta.evidence["year"] == "一、2023年工作回顾"


@pytest.mark.parametrize("place,level", [("桐乡市", "市"), ("濮院镇", "镇"), ("内蒙古自治区", "自治区"),
                                         ("北京市", "直辖市"), ("梧桐街道", "街道"), ("某某旗", "旗")])
def test_levels(place, level):
    assert level_of(place) == level


def test_sidecar_pins_and_reports_bad_keys(tmp_path):
    source = tmp_path / "r.txt"
    source.write_text("x", encoding="utf-8")
    (tmp_path / "r.txt.meta.yml").write_text("speaker: 张三\ndocuments:\n  2: {year: 2019, kind: other}\nmayor: x\n",
                                            encoding="utf-8")
    pinned, problems = read_sidecar(source)
    assert pinned == {} and [(p.key, p.line) for p in problems] == [("mayor", 4)]   # refused whole, like glossary/
    (tmp_path / "r.txt.meta.yml").write_text("speaker: 张三\ndocuments:\n  2: {year: 2019, kind: other}\n", encoding="utf-8")
    pinned, problems = read_sidecar(source)
    assert pinned == {0: {"speaker": "张三"}, 2: {"year": 2019, "kind": "other"}} and problems == []
    meta = Metadata(speaker="李四", inferred=["place"])
    apply_pinned(meta, {"speaker": "张三", "place": "湖州市"})
    assert (meta.speaker, meta.place, meta.level) == ("张三", "湖州市", "市")
    assert set(meta.pinned) == {"speaker", "place"} and meta.inferred == []


def test_malformed_sidecar_is_one_problem(tmp_path):
    source = tmp_path / "r.txt"
    source.write_text("x", encoding="utf-8")
    (tmp_path / "r.txt.meta.yml").write_text("year: [2019\n", encoding="utf-8")
    pinned, problems = read_sidecar(source)
    assert pinned == {} and len(problems) == 1 and "malformed YAML" in problems[0].message
