"""Real-world regression set: the cases of issue 13, one by one.

Provincial cases run on the bundled 2026 reports (sources/). National, county, town and
PDF shapes are not available offline, so tests/fixtures/realworld/ holds synthetic texts
written in those shapes (a Wikisource national report from 各位代表： with full-width digits,
link-broken lines and a licence notice; one in traditional characters; a short town report
with 附:名词解释 and footer chrome; a city no gazetteer holds; a PDF extraction whose inline
heading was cut off a wrapped line).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from build_corpus.model import WORK_REPORT

FIXTURES = Path(__file__).parent / "fixtures" / "realworld"


@pytest.fixture(scope="module")
def shapes():
    """The synthetic reports through the whole pipeline, by file stem."""
    from build_corpus.pipeline import build_corpus, find_sources
    corpus = build_corpus(find_sources(FIXTURES)[0], FIXTURES)
    return {Path(s.path).stem: s.documents[0] for s in corpus.sources}


def paragraphs(doc) -> list[str]:
    return [p.text for p in doc.all_paragraphs()]


def body_text(doc) -> str:
    return "\n".join(paragraphs(doc) + [s.title for s in doc.all_sections()])


# --- provincial 2026 reports (bundled) ------------------------------------------

@pytest.mark.parametrize("report_id,speaker,title", [
    ("shaanxisheng-2026", "赵刚", "省长"),                 # header line followed by breadcrumb chrome (首页)
    ("xinjiangweiwuerzizhiqu-2026", "艾尔肯·吐尼亚孜", "自治区主席"),   # a name with ·
    ("hunansheng-2026", "毛伟明", "省长"),                 # bare name, office from the photo caption
])
def test_speaker_is_a_name_with_its_office(reports, report_id, speaker, title):
    assert (reports[report_id].meta.speaker, reports[report_id].meta.speaker_title) == (speaker, title)


@pytest.mark.parametrize("report_id,date", [
    ("guangdongsheng-2026", "2026-01-26"),   # ——2026年1月26日在广东省第十四届 / 人民代表大会第五次会议上
    ("gansusheng-2026", "2026-01-27"),       # 二〇二六年一月二十七日
])
def test_dates_split_over_lines_or_in_chinese_numerals(reports, report_id, date):
    assert reports[report_id].meta.date == date


@pytest.mark.parametrize("report_id,chrome", [
    ("yunnansheng-2026", ["》》点击图片进入专题《《", "收藏", "|", "分享到：", "分享到微信", "×"]),
    ("qinghaisheng-2026", ["（来源：青海日报）", "何继红"]),
])
def test_chrome_after_the_article_is_gone(reports, report_id, chrome):
    texts = paragraphs(reports[report_id])
    assert not [c for c in chrome if c in texts]
    assert texts[-1].startswith("各位代表！")


def test_glossary_entry_numbers_followed_by_digits(reports):
    glossary = {e.number: e for e in reports["jiangxisheng-2026"].glossary}
    assert [glossary[n].term for n in ("19", "20", "21")] == ["“1+N”常态化帮扶政策体系", "2026年10件民生实事", "5+2就业之家"]
    assert len(glossary) == 26 and "5+2就业之家" not in glossary["19"].definition


def test_two_quoted_terms_in_one_entry_are_always_two(reports):
    terms = {e.term: e.terms for e in reports["jiangxisheng-2026"].glossary}
    assert terms["“两重”“两新”"] == ["两重", "两新"]
    assert terms["“三大高地”“五大战略”"] == ["三大高地", "五大战略"]


def test_ids_follow_official_romanisation(reports):
    assert reports["shaanxisheng-2026"].meta.place == "陕西省"
    assert reports["shanxisheng-2026"].meta.place == "山西省"
    assert reports["neimengguzizhiqu-2026"].meta.place == "内蒙古自治区"


def test_ids_are_lowercase_ascii(corpus):
    assert all(re.fullmatch(r"[a-z0-9-]+", d.id) for d in corpus.reports)
    assert len({d.id for d in corpus.reports}) == len(corpus.reports)


def test_every_province_is_bundled_with_its_place_and_year(corpus):
    provincial = [d for d in corpus.reports if d.meta.year == 2026]
    assert len(provincial) == 31
    assert all(d.meta.level in ("省", "自治区", "直辖市") and not d.meta.inferred for d in provincial)


# --- national reports ----------------------------------------------------------

def test_national_report_from_a_text_archive(shapes):
    doc = shapes["national_wikisource_1992"]
    m = doc.meta
    assert doc.kind == WORK_REPORT
    assert (m.place, m.level, m.parent, m.speaker_title) == ("中华人民共和国", "国家", None, "总理")
    assert m.speaker is None                   # the text does not name the premier: never guessed
    assert m.year == 1992                      # reviews 1991, plans 1992
    assert doc.id == "zhonghuarenmingongheguo-1992"


def test_licence_notice_is_removed_and_logged(shapes):
    doc = shapes["national_wikisource_1992"]
    assert "本作品" not in body_text(doc) and "Public domain" not in body_text(doc)
    assert any(r.text.startswith("本作品是中华人民共和国") for r in doc.removed)


def test_lines_broken_at_links_are_rejoined(shapes):
    texts = paragraphs(shapes["national_wikisource_1992"])
    assert not [t for t in texts if t in ("一是", "邓小平")]
    assert any("坚持以邓小平同志建设有中国特色社会主义理论为指导" in t for t in texts)
    assert any(t.startswith("一是加强了农业基础地位") for t in texts)


def test_numbered_list_items_are_not_headings_and_skipped_numbers_keep_headings(shapes):
    doc = shapes["national_wikisource_1992"]
    assert [s.number + s.title for s in doc.sections] == ["一、1991年的工作回顾", "二、1992年的主要任务"]
    assert [c.number for c in doc.sections[1].sections] == ["（一）", "（二）", "（四）", "（五）"]
    assert any(t.startswith("一、继续坚持有计划有步骤地改革") for t in paragraphs(doc))


def test_traditional_characters_are_recognised_and_never_rewritten(shapes):
    doc = shapes["national_traditional_1988"]
    assert doc.kind == WORK_REPORT and doc.meta.place == "中华人民共和国"
    assert doc.meta.year is None and any("年份留空" in n.message for n in doc.notes)   # no evidence: empty, with a note
    assert "國務院" in body_text(doc)


# --- county, town, city ------------------------------------------------------------

def test_short_town_report_is_a_report(shapes):
    doc = shapes["town_qingshizhen_2024"]
    m = doc.meta
    assert doc.kind == WORK_REPORT and any("篇幅短" in n.message for n in doc.notes)
    assert (m.place, m.level, m.year, m.date, m.speaker, m.speaker_title) == ("青石镇", "镇", 2024, "2024-01-10", "吕明", "镇长")
    assert [s.number for s in doc.sections] == ["一、", "二、", "三、"]
    assert [c.number for c in doc.sections[0].sections] == ["（一）", "（二）", "（三）"]


def test_attached_glossary_and_footer_chrome(shapes):
    doc = shapes["town_qingshizhen_2024"]
    assert doc.glossary_title == "附：名词解释"   # (the half-width colon after Chinese is made full-width)
    assert [e.term for e in doc.glossary] == ["“亩均论英雄”", "“强村富民”", "“千万工程”"]
    text = body_text(doc) + json.dumps([e.definition for e in doc.glossary], ensure_ascii=False)
    for chrome in ("分享到", "上一篇", "下一篇", "版权所有", "主办单位", "当前位置"):
        assert chrome not in text


def test_a_slogan_is_not_a_place(tmp_path):
    """谱写中国式现代化精彩湖州篇章: 精彩湖州 is no place the gazetteer knows; 湖州 with the report's level is."""
    from build_corpus.pipeline import build_corpus
    path = tmp_path / "r.txt"
    path.write_text("各位代表：\n现在，我代表市人民政府，向大会报告工作。\n一、2024年工作回顾\n全市经济稳中向好。\n"
                    "二、2025年工作任务\n全市要继续努力，为谱写中国式现代化精彩湖州篇章而奋斗！\n", encoding="utf-8")
    assert build_corpus([path]).reports[0].meta.place is None
    path.write_text(path.read_text(encoding="utf-8") + "向所有关心支持湖州发展的朋友们表示感谢！\n", encoding="utf-8")
    assert build_corpus([path]).reports[0].meta.place == "湖州市"


def test_a_city_no_division_data_knows_is_no_place(shapes):
    """我代表云岭市人民政府 names a city no year since 1980 knew: no place, and a note says why;
    杭州, named four times, is someone else and is not taken either."""
    doc = shapes["city_yunlingshi_2025"]
    m = doc.meta
    assert (m.place, m.level, m.parent, m.year) == (None, None, None, 2025)
    assert any("云岭市" in n.message and "行政区划数据" in n.message for n in doc.notes)


def test_pdf_wrap_after_an_inline_heading_is_joined(shapes):
    doc = shapes["county_pdf_pingchuanxian_2025"]
    third = doc.sections[0].sections[2]
    assert third.title == "民生保障更加有力"
    assert third.paragraphs[0].text.endswith("县人民医院新院区投入使用，基层医疗服务能力明显提升。")
    m = doc.meta
    # 平川县 is no county of any year since 1980 (平川区 is a district of 白银市): no place, the rest as printed
    assert (m.place, m.level, m.date, m.speaker, m.speaker_title) == (None, None, "2025-01-08", "张明", "县长")


def test_a_report_that_never_names_itself_gets_no_place(tmp_path):
    """Mentions of other places are no evidence: the place stays empty, with a note."""
    from build_corpus.pipeline import build_corpus
    path = tmp_path / "r.txt"
    path.write_text("各位代表：\n现在，我代表市人民政府，向大会报告工作。\n一、2024年工作回顾\n"
                    + "全市与杭州、杭州、宁波的合作不断深化。\n" * 5 + "二、2025年工作任务\n全市要继续努力。\n", encoding="utf-8")
    doc = build_corpus([path]).reports[0]
    assert doc.meta.place is None and doc.meta.level is None and doc.meta.year == 2025
    assert any("地区和层级留空" in n.message for n in doc.notes)


def test_plans_and_resolutions_stay_other(tmp_path):
    from build_corpus.pipeline import build_corpus
    path = tmp_path / "r.txt"
    path.write_text("关于2024年国民经济和社会发展计划执行情况与2025年计划草案的报告\n各位代表：\n"
                    "受市人民政府委托，现将计划执行情况报告如下，请予审议。\n" + "正文。\n" * 20, encoding="utf-8")
    doc = build_corpus([path]).sources[0].documents[0]
    assert doc.kind == "other" and "计划执行情况" in doc.kind_reason


def test_national_report_with_a_header_names_its_premier(tmp_path):
    from build_corpus.pipeline import build_corpus
    path = tmp_path / "r.txt"
    path.write_text("政府工作报告\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n国务院总理 李强\n各位代表：\n"
                    "现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n一、2023年工作回顾\n正文。\n",
                    encoding="utf-8")
    m = build_corpus([path]).reports[0].meta
    assert (m.place, m.level, m.year, m.date, m.speaker, m.speaker_title) == ("中华人民共和国", "国家", 2024, "2024-03-05", "李强", "总理")


def test_year_from_the_national_congress_session(tmp_path):
    """No dated heading: 第七届全国人民代表大会第五次会议 was held in 1988 + 5 − 1 = 1992."""
    from build_corpus.pipeline import build_corpus
    path = tmp_path / "r.txt"
    path.write_text("各位代表：\n现在，我代表国务院，向第七届全国人民代表大会第五次会议报告政府工作。\n一、过去一年的工作\n正文。\n",
                    encoding="utf-8")
    m = build_corpus([path]).reports[0].meta
    assert (m.place, m.year) == ("中华人民共和国", 1992) and "year" in m.inferred


def test_traditional_headings_give_the_year(tmp_path):
    """Short pieces (a heading) are read in simplified characters when the document is traditional."""
    from build_corpus.pipeline import build_corpus
    path = tmp_path / "r.txt"
    path.write_text("各位代表：\n現在，我代表市人民政府，向大會報告工作，請予審議。\n一、二〇二三年工作回顧\n"
                    + "過去一年，全市經濟運行穩中向好，發展質量穩步提升，人民生活持續改善。\n" * 3
                    + "二、二〇二四年工作任務\n全市要堅持穩中求進工作總基調。\n", encoding="utf-8")
    doc = build_corpus([path]).reports[0]
    assert doc.meta.year == 2024 and doc.sections[0].title == "二〇二三年工作回顧"


def test_a_pinned_place_is_not_inferred_nor_noted_missing(tmp_path):
    from build_corpus.pipeline import build_corpus
    path = tmp_path / "r.txt"
    path.write_text("各位代表：\n现在，我代表市人民政府，向大会报告工作。\n一、2024年工作回顾\n全市经济稳中向好。\n", encoding="utf-8")
    (tmp_path / "r.txt.meta.yml").write_text("place: 云岭市\n", encoding="utf-8")
    doc = build_corpus([path]).reports[0]
    assert (doc.meta.place, doc.meta.level, doc.meta.pinned) == ("云岭市", "市", ["place"])
    assert not any("地区" in n.message for n in doc.notes) and doc.id == "yunlingshi-2025"


def test_a_text_archives_author_line_names_the_premier(tmp_path):
    from build_corpus.pipeline import build_corpus
    path = tmp_path / "r.txt"
    path.write_text("政府工作报告\n作者：李鹏\n1992年3月20日\n各位代表：\n现在，我代表国务院，向大会报告政府工作。\n"
                    "一、1991年的工作回顾\n正文。\n", encoding="utf-8")
    m = build_corpus([path]).reports[0].meta
    assert (m.place, m.year, m.speaker, m.speaker_title) == ("中华人民共和国", 1992, "李鹏", "总理")
