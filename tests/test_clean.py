"""Stage 4, clean: every named fix on real text — what it must change and what it
must leave alone — then whole scraped pages: what must be gone, what must survive,
and what the removal log says.

Inputs to a single fix are what that fix sees in the pipeline: `upstream()` runs
the fixes before it in FIXES order. A fix returns its text and what it changed;
clean() logs that, and tests/clean_log.py cross-checks the log against each fix's
input and output.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from clean_log import junk_string, runs, unaccounted

from build_corpus.chinese import HEADING_START, TERMINAL
from build_corpus.document.clean import FIXES, clean, cleaning_data, junk_reference, readable
from build_corpus.document.split import split_documents

SOURCES = Path(__file__).resolve().parent.parent / "sources"
FIX = {name: (lambda text, fix=fix: fix(text)[0]) for name, fix in FIXES}   # name -> the text the fix returns


def source(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


@cache
def documents(name: str):
    return split_documents(source(name), name)[0]


@cache
def cleaned(name: str, position: int = 1):
    """(clean text, removal log) of one document of a real source, computed once."""
    return clean(documents(name)[position - 1].raw_text)


def upstream(fix_name: str, text: str) -> str:
    """The text as `fix_name` receives it in clean(): every earlier fix applied."""
    for name, fix in FIXES:
        if name == fix_name:
            return text
        text = fix(text)[0]
    raise KeyError(fix_name)


LISTING = "2025-07_tongxiang_investment_portal_listing.txt"
PDF = "2023_tongxiang_report_pdf.txt"
SICHUAN = "2026_sichuan_report_web.txt"
NEIMENGGU = "2026_neimenggu_report_web.txt"
PDF_LINES = source(PDF).split("\n")


# --- each fix: a case it changes, a case it leaves alone ------------------------------

CHANGES = {
    "remove_unholdable_characters": [   # garbled PDF/web text: C1 controls, noncharacters, bidi overrides
        ("指治污水、防洪水\ufffe排涝水\x85\x9f。", "指治污水、防洪水排涝水。"),
        ("2024年甲乙市政府工作报告\u202e告报\u2066x\u2069", "2024年甲乙市政府工作报告告报x"),
        ("第一页\x0c二、第二页\ufdd0\U0010ffff", "第一页\n二、第二页"),
    ],
    "remove_invisible_characters": [
        ("\ufeff各位代表：\u200b现在，\u200c我代表\u200d市人民\u2060政府\u00ad。", "各位代表：现在，我代表市人民政府。"),
    ],
    "drop_injected_junk": [
        ("繁荣发展文化事业。侯卫东官场笔记把加快", "繁荣发展文化事业。把加快"),
        ("名词解释侯卫东官场笔记1.两化融合:信息化和工业化的高层次深度融合。",
         "名词解释1.两化融合:信息化和工业化的高层次深度融合。"),
    ],
    "drop_page_footer": [
        ("各位代表：\n" + "现在，我代表省人民政府，向大会报告工作。\n" * 6
         + "责任编辑：\n李莎莎\n扫一扫在手机打开当前页\n关闭窗口\n2026年四川省人民政府工作报告",
         "各位代表：\n" + "现在，我代表省人民政府，向大会报告工作。\n" * 5 + "现在，我代表省人民政府，向大会报告工作。"),
    ],
    "drop_web_chrome": [
        ("2026年四川省人民政府工作报告\n来源:\n四川日报\n【字体：\n大\n中\n小\n】\n分享：\n各位代表：",
         "2026年四川省人民政府工作报告\n来源:\n四川日报\n各位代表："),
        ("下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年内蒙古自治区政府工作报告",
         "2026年内蒙古自治区政府工作报告"),
        ("【字体：大 中 小】\n当前位置：首页 > 政务公开\n浏览次数：1234\n"
         "Copyright © 2026 四川省人民政府 版权所有\n各位代表：", "各位代表："),
        ("自治区人民政府主席包钢作政府工作报告。本报记者 韩卿立 摄\n各位代表：", "各位代表："),
        ("abcd39f1fb7f426d9dfb6bd0fa1f2146:\n四川省第十四届人民代表大会第五次会议关于政府工作报告的决议",
         "四川省第十四届人民代表大会第五次会议关于政府工作报告的决议"),
    ],
    "drop_page_numbers": [
        ("经济运行监测服务机\n— 2 —\n制，推动经济稳步增长", "经济运行监测服务机\n制，推动经济稳步增长"),
        ("服务机\n第 3 页\n4/45\n 12 \n-3-\n制", "服务机\n制"),
    ],
    "drop_running_headers": [
        ("2023年桐乡市政府工作报告\n过去的一年，我们保持定力、攻坚克难。\n2023年桐乡市政府工作报告\n"
         "我们众志成城、精密智控。\n2023年桐乡市政府工作报告\n各位代表，艰难方显勇毅。",
         "过去的一年，我们保持定力、攻坚克难。\n我们众志成城、精密智控。\n各位代表，艰难方显勇毅。"),
    ],
    "balance_bold_markers": [
        ("**重点领域改革多点突破**。开展**", "**重点领域改革多点突破**。开展"),
        ("****镇村风貌焕发新颜。", "镇村风貌焕发新颜。"),
    ],
    "fullwidth_alphanumerics_to_ascii": [
        ("增长７．２％，ＧＤＰ达到１２００亿元", "增长7．2％，GDP达到1200亿元"),
    ],
    "halfwidth_punctuation_to_fullwidth": [
        # Real: the listing page's reports use ASCII , : ! throughout.
        ("各位代表:现在,我代表市人民政府向大会作工作报告,请予审议,并请市政协委员和其他列席人员提出意见。",
         "各位代表：现在，我代表市人民政府向大会作工作报告，请予审议，并请市政协委员和其他列席人员提出意见。"),
        ("(一)拉高标杆,着力构建产业转型新优势", "（一）拉高标杆，着力构建产业转型新优势"),
        ("1.一镇三村:石门镇,崇福镇城郊村", "1.一镇三村：石门镇，崇福镇城郊村"),
        ("文明市创建(国卫复查)决胜战", "文明市创建（国卫复查）决胜战"),
        ("2017年,增长7.2%;PM2.5下降", "2017年，增长7.2%；PM2.5下降"),
        ("而努力奋斗!", "而努力奋斗！"),
    ],
    "strip_line_indentation": [
        ("\u3000\u3000各位代表：\n\n  现在，\t\n\u00a0一、2022年工作回顾 ", "各位代表：\n现在，\n一、2022年工作回顾"),
        # A PDF line's trailing spaces, then a blank line of spaces: logged as one piece, ␣␣\n␣␣.
        ("现在，我代表市人民政府向大会报告工作。  \n  \n请予审议。", "现在，我代表市人民政府向大会报告工作。\n请予审议。"),
    ],
    "join_wrapped_lines": [
        # Real: sources/2023_tongxiang_report_pdf.txt, lines 17 and 19 (a page break).
        (PDF_LINES[16] + "\n" + PDF_LINES[18], PDF_LINES[16] + PDF_LINES[18]),
        ("把数字经济打造成高质量发展的最大增量。发布“三智一\n网”产业规划，出台细分产业政策。",
         "把数字经济打造成高质量发展的最大增量。发布“三智一网”产业规划，出台细分产业政策。"),
        ("7.“双向揭榜挂帅”：企业找技术、成果找市场“双向\n揭榜\n挂帅”的简称。",
         "7.“双向揭榜挂帅”：企业找技术、成果找市场“双向揭榜挂帅”的简称。"),
    ],
    "break_run_on_lines": [
        ("提出意见。 一、2017年工作回顾2017年，我们" + "很好。" * 500,
         "提出意见。\n一、2017年工作回顾2017年，我们" + "很好。" * 500),
    ],
    "remove_spaces_next_to_chinese": [
        ("增长 2.4%，新增 3 个应用入选", "增长2.4%，新增3个应用入选"),
        ("桐乡市市长 王 坚", "桐乡市市长王坚"),
    ],
}

UNCHANGED = {
    "remove_unholdable_characters": [
        "各位代表：\t现在，我代表市人民政府向大会报告工作。\n二、\ue000私用区与𠀀扩展B汉字\ufffd",
    ],
    "remove_invisible_characters": [
        "各位代表：现在，我代表市人民政府向大会报告工作，请予审议。",
        "\u3000\u3000各位代表：现在，R&D\u00a0PM2.5",   # visible spaces are layout, handled later
    ],
    "drop_injected_junk": ["侯卫东同志做读书笔记。", "繁荣发展文化事业，把加快建设文化强市摆在突出位置。"],
    "drop_page_footer": [
        source("2024_jiaxing_report.txt"),
        # A toolbar at the top of a page is not a footer (drop_web_chrome takes its lines).
        "打印本页\n关闭窗口\n各位代表：\n" + "现在，我代表省人民政府，向大会报告工作。\n" * 6,
    ],
    "drop_web_chrome": [
        "推动优质教育资源共享，分享改革发展成果。\n加快数字化改革，实现证照电子化下载、收藏和打印。",
        "编辑出版《桐乡市志》。\n记者节期间开展新闻宣传活动。\n打印",
        source("2024_huzhou_report.txt"),
    ],
    "drop_page_numbers": [
        "2024-02-06\n7.2%\n12:30\n2024\n1/3以上的村完成改造。\nPM2.5\nG60",
        PDF_LINES[16] + "\n" + PDF_LINES[18],
    ],
    "drop_running_headers": [
        # Real: 各位代表！ recurs across the Sichuan report but ends in punctuation.
        "各位代表！\n过去五年成绩的取得。\n各位代表！\n在看到成绩的同时。\n各位代表！\n骐骥迎春至。",
        "（一）拉高标杆\n甲。\n（一）拉高标杆\n乙。\n（一）拉高标杆\n丙。",
        # Real: the whole Sichuan page, in which 揭榜 is split off three times by
        # hyperlinks (close together) and 各位代表！ recurs.
        upstream("drop_running_headers", source(SICHUAN)),
    ],
    "balance_bold_markers": [
        "新增口袋公园16个、绿道35公里。**镇村风貌焕发新颜。**统筹推进美丽城镇、美丽乡村。",
        "数字化改革工作两次获全省五星综合评价。**重点领域改革多点突破**。开展省农业标准地改革试点。",
    ],
    "fullwidth_alphanumerics_to_ascii": ["各位代表：现在，（一）“两新”；《纲要草案》！？…—·％．", "增长7.2%，GDP"],
    "halfwidth_punctuation_to_fullwidth": [
        "G60科创走廊", "详见https://www.gov.cn/a_b.html。", "时间12:30，地点：桐乡",
        "Essential Science Indicators (ESI), Nature Index", "R&D占比", "PM2.5平均浓度下降7.2%",
        "2024-02-06", "按1:1比例配套", "上午9:00—12:00", "Made in China 2025",
    ],
    "strip_line_indentation": ["各位代表：\n现在，", "Essential Science Indicators\n桐乡市市长 王 坚"],
    "join_wrapped_lines": [
        # Real: the head of the PDF report — title, meeting, speaker, address, headings.
        "政府工作报告\n2023年2月9日在桐乡市第十七届人民代表大会第二次会议上\n桐乡市市长王坚\n各位代表：\n"
        "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席同志提出意见。\n"
        "一、2022年工作回顾\n" + PDF_LINES[14],
        "（一）聚焦数字文明先行，全力构筑“互联网+”新高地\n" + PDF_LINES[70],
        "“十四五”时期发展成就和2025年工作回顾\n“十四五”时期内蒙古发展历程极不平凡。",
        "1.坚持投资拉动\n强化项目建设支撑作用，突出有效投入与供给质量。",
        "新形势新任务，对政府工作提出了新的更高要求。\n各位代表！",
    ],
    "break_run_on_lines": [
        "提出意见。 一、2017年工作回顾2017年，我们很好。",           # shorter than a run-on line
        "推动经济稳步增长，" * 200,                               # long, but nowhere to break
        source("2024_shaoxing_report.txt"),
    ],
    "remove_spaces_next_to_chinese": [
        "Essential Science Indicators", "Made in China 2025", "https://www.gov.cn/a_b.html", "R&D", "12:30",
    ],
}


def test_every_fix_has_a_change_and_an_unchanged_case():
    names = [name for name, _ in FIXES]
    assert len(names) == len(set(names))
    assert set(CHANGES) == set(names) and set(UNCHANGED) == set(names)
    assert all(CHANGES[n] and UNCHANGED[n] for n in names)


@pytest.mark.parametrize("name, given, expected", [
    pytest.param(n, g, e, id=f"{n}-{i}") for n, cases in CHANGES.items() for i, (g, e) in enumerate(cases, 1)])
def test_fix_changes(name, given, expected):
    assert FIX[name](given) == expected


@pytest.mark.parametrize("name, given", [
    pytest.param(n, g, id=f"{n}-{i}") for n, cases in UNCHANGED.items() for i, g in enumerate(cases, 1)])
def test_fix_leaves_alone(name, given):
    assert FIX[name](given) == given


# --- each fix reports what it changed ------------------------------------------------

@pytest.mark.parametrize("name, given", [
    pytest.param(n, g, id=f"{n}-{i}") for n, cases in CHANGES.items() for i, (g, _) in enumerate(cases, 1)] + [
    pytest.param(n, g, id=f"{n}-unchanged-{i}") for n, cases in UNCHANGED.items() for i, g in enumerate(cases, 1)])
def test_fix_reports_what_it_changed(name, given):
    """Nothing when it changed nothing; otherwise changes whose log accounts for every character it removed."""
    fixed, changes = dict(FIXES)[name](given)
    assert (changes == []) == (fixed == given)
    assert unaccounted(given, fixed, [entry for change in changes for entry in readable(*change)]) == []


# Whole lines, already clean: the pipeline must hand them back untouched, with an empty log.
CLEAN_ALREADY = [
    "各位代表：现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席同志提出意见。",
    "全年实现地区生产总值1209.7亿元，增长2.6%；财政总收入179.8亿元。",
    "城镇调查失业率5.7%左右（牵头单位：人社厅）。",
    "R&D经费投入强度达到3.2%，PM2.5平均浓度下降到28微克/立方米。",
    "推动G60科创走廊建设，详见https://www.gov.cn/a_b.html。",
    "2024-02-06",
    "会议时间12:30，地点：桐乡。",
    "入选Essential Science Indicators (ESI)全球前1%学科。",
    "“十四五”规划（2021—2025年）圆满收官！",
    "**重点领域改革多点突破**。",
    "一、2022年工作回顾\n2022年，面对严峻的外部环境和繁重的发展任务，全市上下坚持稳中求进。",
]


@pytest.mark.parametrize("text", CLEAN_ALREADY)
def test_clean_text_stays_unchanged(text):
    assert clean(text) == (text, [])


# --- known failures of single fixes ----------------------------------------------

def test_thousands_separator_stays():
    assert FIX["halfwidth_punctuation_to_fullwidth"]("完成投资1,200亿元") == "完成投资1,200亿元"


def test_sentence_about_copyright_owners_stays():
    line = "深入实施知识产权强市战略，依法保护版权所有人合法权益，严厉打击侵权盗版行为。"
    assert FIX["drop_web_chrome"](line) == line


def test_comma_after_a_space_becomes_fullwidth():
    text, _ = clean("持续优化营商环境 ,通过一系列举措高效推进改革。")
    assert text == "持续优化营商环境，通过一系列举措高效推进改革。"


def test_run_of_halfwidth_marks_becomes_fullwidth():
    assert clean("难道不是吗?!")[0] == "难道不是吗？！"


# --- real sources: junk, page numbers, wrapped lines, headings ---------------------

def test_injected_junk_is_gone_from_the_listing():
    """Gone from the text, and logged by its entry in cleaning.yml rather than repeated."""
    junk = "侯卫东官场笔记"
    assert source(LISTING).count(junk) == 2
    assert cleaning_data()["junk_strings"].index(junk) == 0
    logged = 0
    for position in range(1, len(documents(LISTING)) + 1):
        text, log = cleaned(LISTING, position)
        assert junk not in text
        assert all(junk not in r.text and junk not in r.replacement for r in log)
        logged += sum(r.count for r in log if (r.fix, r.text) == ("drop_injected_junk", junk_reference(0)))
    assert logged == 2


def test_pdf_wrap_across_a_page_number_is_joined():
    """Real PDF lines 17–19: `…经济运行监测服务机`, a blank line, `制，推动经济稳步增长…`."""
    assert PDF_LINES[16].endswith("经济运行监测服务机") and PDF_LINES[17] == ""
    assert PDF_LINES[18].startswith("制，推动经济稳步增长")
    for page_break in (["", ""], ["", "— 2 —", ""], ["— 2 —"], ["", "第 2 页", ""]):
        raw = "\n".join([PDF_LINES[16], *page_break, PDF_LINES[18]])
        text, log = clean(raw)
        assert "\n" not in text
        assert "经济运行监测服务机制，推动经济稳步增长" in text
        assert "— 2 —" not in text and "第 2 页" not in text
        if "— 2 —" in page_break:
            assert ("drop_page_numbers", "— 2 —") in [(r.fix, r.text) for r in log]


def test_pdf_wrap_inside_quotes_is_joined():
    assert PDF_LINES[74].endswith("发布“三智一") and PDF_LINES[76].startswith("网”产业规划")
    text, _ = clean("\n".join(PDF_LINES[74:77]))
    assert "发布“三智一网”产业规划" in text and "\n" not in text


def test_whole_pdf_report_joins_its_page_breaks():
    text, _ = cleaned(PDF)
    assert "经济运行监测服务机制，推动经济稳步增长" in text
    assert "发布“三智一网”产业规划" in text
    assert "\n\n" not in text


HEADINGS = [
    (PDF, "一、2022年工作回顾"),
    (PDF, "二、2023年目标任务和重点工作"),
    (PDF, "（一）聚焦数字文明先行，全力构筑“互联网+”新高地"),
    (NEIMENGGU, "一、把铸牢中华民族共同体意识作为民族地区各项工作的主线"),
    (NEIMENGGU, "三、全力抓好七项重点工作"),
    (NEIMENGGU, "四、把坚持党的全面领导贯穿政府工作各方面全过程"),
    (NEIMENGGU, "“十四五”时期发展成就和2025年工作回顾"),
    (SICHUAN, "一、2025年工作回顾和“十四五”发展主要成绩"),
    (SICHUAN, "二、“十五五”发展的主要考虑"),
    (SICHUAN, "名词解释"),
]


@pytest.mark.parametrize("name, heading", HEADINGS)
def test_heading_stays_a_line_of_its_own(name, heading):
    assert heading in cleaned(name)[0].split("\n")


@pytest.mark.parametrize("name", [PDF, NEIMENGGU, SICHUAN, "2026_hainan_report_web.txt",
                                  "2024_jiaxing_report.txt", "2024_huzhou_report.txt",
                                  "2024_shaoxing_report.txt"])
def test_no_heading_of_a_real_report_is_joined_to_the_next_line(name):
    """A heading line (一、 （一） 1.) of up to 40 characters that closes its quotes keeps its own line.

    (A numbered line that leaves a quote open is a glossary entry split by
    hyperlinks, like Sichuan's 7.“双向揭榜挂帅”…“双向 / 揭榜; joining it is right.)
    """
    before = upstream("join_wrapped_lines", documents(name)[0].raw_text)
    headings = [line for line in before.split("\n")
                if HEADING_START.match(line) and len(line) <= 40 and line[-1] not in TERMINAL
                and line.count("“") == line.count("”")]
    assert headings
    after = FIX["join_wrapped_lines"](before).split("\n")
    for heading in headings:
        assert heading in after


# --- run-on one-line reports of the listing ---------------------------------------

def lines_before_break(position: int) -> str:
    return upstream("break_run_on_lines", documents(LISTING)[position - 1].raw_text)


def test_run_on_reports_are_one_line_before_breaking():
    for position in (7, 8, 9):
        before = lines_before_break(position)
        assert "\n" not in before and len(before) >= 1500


@pytest.mark.parametrize("position, fragment", [
    (7, "实现率位居嘉兴第 一、全省第五"),
    (9, "城乡污水管网扩面提质，新建 二、三级污水管网"),
])
def test_run_on_line_not_broken_inside_a_sentence(position, fragment):
    before = lines_before_break(position)
    assert fragment in before
    assert fragment in FIX["break_run_on_lines"](before).split("\n")[1]
    text, _ = cleaned(LISTING, position)
    assert fragment.replace(" ", "") in text
    assert not any(line.startswith(("一、全省第五", "二、三级污水管网")) for line in text.split("\n"))


def test_run_on_line_broken_where_the_source_lost_the_full_stop():
    before = lines_before_break(9)
    assert "加快濮院镇旧镇改建项目房屋征收扫尾工作 二、更加注重市场提升" in before
    lines = FIX["break_run_on_lines"](before).split("\n")
    assert any(line.startswith("二、更加注重市场提升，坚持布局优化") for line in lines)
    assert any(line.endswith("加快濮院镇旧镇改建项目房屋征收扫尾工作") for line in lines)


@pytest.mark.parametrize("position, first_entry", [
    (7, "1.一镇三村：石门镇，崇福镇城郊村、洲泉镇马鸣村、大麻镇海华村。"),
    (9, "1.两化融合：信息化和工业化的高层次深度融合。"),
])
def test_run_on_line_broken_before_the_glossary(position, first_entry):
    lines = cleaned(LISTING, position)[0].split("\n")
    at = lines.index("名词解释")
    assert lines[at + 1] == first_entry
    assert lines[at - 1].endswith("而努力奋斗！")


def test_run_on_report_headings_in_order():
    lines = cleaned(LISTING, 9)[0].split("\n")
    starts = [line[:2] for line in lines if re.match("[一二三四五]、", line)]
    assert starts == ["一、", "二、", "三、", "一、", "二、", "三、", "四、", "五、"]


def test_run_on_line_with_wuyi_holiday_does_not_crash():
    """五一、 (like 三一、 七一、) in a run-on line is not a heading number (it used to raise ValueError)."""
    raw = documents(LISTING)[6].raw_text.replace(
        "完成供水管网改造283公里。", "完成供水管网改造283公里。抓住春节、五一、国庆等节假日消费旺季,举办各类促消费活动。")
    text, _ = clean(raw)
    assert "抓住春节、五一、国庆等节假日消费旺季，举办各类促消费活动。" in text


def test_bold_span_split_by_a_run_on_break_stays_balanced():
    raw = "各位代表：现在，我代表市人民政府向大会作工作报告。 **坚持稳中求进。 推动高质量发展。**" + "推动消费持续回暖。" * 200
    text, _ = clean(raw)
    assert all(line.count("**") % 2 == 0 for line in text.split("\n"))


def test_line_after_glossary_heading_has_no_leading_space():
    lines = cleaned(LISTING, 8)[0].split("\n")
    at = lines.index("名词解释")
    assert lines[at + 1] == "五位一体：经济建设、政治建设、文化建设、社会建设、生态文明建设五位一体。"


# --- scraped pages: chrome gone, text kept -----------------------------------------

HEX_ID = re.compile(r"[0-9a-f]{32}")

SICHUAN_CHROME_LINES = ["【字体：", "大", "中", "小", "】", "分享：", "责任编辑：", "李莎莎",
                        "扫一扫在手机打开当前页", "相关附件>>", "相关链接>>", "打印本页", "关闭窗口",
                        "四川省第十四届人民代表大会第五次会议关于政府工作报告的决议"]
NEIMENGGU_CHROME_LINES = ["下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】",
                          "自治区人民政府主席包钢作政府工作报告。本报记者 韩卿立 摄", "相关报道："]

SICHUAN_SENTENCES = [
    "2026年四川省人民政府工作报告",
    "现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。",
    "各位代表！骐骥迎春至，万象启新程。",
    "过去五年成绩的取得，根本在于以习近平同志为核心的党中央领航掌舵",
    "1.“两重”：是指国家重大战略实施和重点领域安全能力建设。",
    "7.“双向揭榜挂帅”：企业找技术、成果找市场“双向揭榜挂帅”的简称",
    "由技术供给方带团队、带技术揭榜；“成果找市场”",
    # The last glossary entry, whole; the page footer starts right after it.
    "20.“一件事”全链条专项整治：针对某一类安全风险突出、群众反映强烈、事故多发的重点问题，由一个部门牵头、"
    "多个部门协同，贯通生产、销售、流通、使用、回收等各个环节，推进系统治理、源头治理、综合治理。",
]
NEIMENGGU_SENTENCES = [
    "2026年内蒙古自治区政府工作报告",
    "现在，我代表自治区人民政府向大会报告工作，请予审议，并请各位政协委员和列席同志提出意见。",
    "营商环境不需要花大钱，但好的营商环境值大钱。",
    "——这五年综合经济实力大幅提升。经济总量达到2.67万亿元，人均GDP进入全国前8位。",
    "10.发放城镇住房保障家庭租赁补贴1.6万户，加装、更新住宅电梯500部以上，实施物业服务质量提升行动（牵头单位：住建厅）。",
]


def test_sichuan_chrome_is_gone():
    text, _ = cleaned(SICHUAN)
    lines = text.split("\n")
    for chrome in SICHUAN_CHROME_LINES:
        assert chrome not in lines
    # (分享 alone also occurs in the report: 充分享有机会.)
    for chrome in ("【字体", "分享：", "责任编辑", "扫一扫", "打印本页", "关闭窗口", "相关附件", "相关链接", "李莎莎"):
        assert chrome not in text
    assert not HEX_ID.search(text)


def test_sichuan_repeated_title_and_opening_after_close_window_are_gone():
    text, _ = cleaned(SICHUAN)
    lines = text.split("\n")
    assert text.count("2026年四川省人民政府工作报告") == 1 and lines[0] == "2026年四川省人民政府工作报告"
    assert text.count("现在，我代表省人民政府，向大会报告工作") == 1
    assert "各位代表：现在，我代表省人民政府" not in text
    assert lines[-1].startswith("20.“一件事”全链条专项整治")


def test_neimenggu_chrome_is_gone():
    text, _ = cleaned(NEIMENGGU)
    lines = text.split("\n")
    for chrome in NEIMENGGU_CHROME_LINES:
        assert chrome not in lines
    for chrome in ("【字号", "本报记者", "韩卿立", "相关报道"):
        assert chrome not in text
    assert lines[0] == "2026年内蒙古自治区政府工作报告"
    assert lines[-1].startswith("10.发放城镇住房保障家庭租赁补贴")


@pytest.mark.parametrize("name, sentence", [(SICHUAN, s) for s in SICHUAN_SENTENCES]
                         + [(NEIMENGGU, s) for s in NEIMENGGU_SENTENCES])
def test_key_sentences_survive(name, sentence):
    assert sentence in cleaned(name)[0]


def test_scraped_pages_keep_every_paragraph_of_the_body():
    """Everything between 各位代表： and the glossary's last entry survives, lines joined or not."""
    for name, first, last in ((SICHUAN, "各位代表：", "20.“一件事”"), (NEIMENGGU, "各位代表：", "10.发放城镇住房")):
        raw = source(name)
        body = raw[raw.index(first):raw.index("\n", raw.index(last))]
        text, _ = cleaned(name)
        squashed = re.sub(r"\s", "", text)
        for line in body.split("\n"):
            line = re.sub(r"\s", "", line).replace(":", "：")
            assert line in squashed, line[:40]


# --- the removal log -------------------------------------------------------------

def fixes_that_changed(text: str) -> list[str]:
    changed = []
    for name, fix in FIXES:
        fixed = fix(text)[0]
        if fixed != text:
            changed.append(name)
        text = fixed
    return changed


@pytest.mark.parametrize("name, position", [(SICHUAN, 1), (NEIMENGGU, 1), (PDF, 1), (LISTING, 7), (LISTING, 9)])
def test_log_names_exactly_the_fixes_that_changed_something(name, position):
    _, log = cleaned(name, position)
    changed = fixes_that_changed(documents(name)[position - 1].raw_text)
    assert changed
    assert {r.fix for r in log} == set(changed)
    assert all(r.count >= 1 and (r.text or r.replacement) for r in log)


def test_log_holds_the_removed_chrome_of_sichuan():
    _, log = cleaned(SICHUAN)
    removed = {(r.fix, r.text) for r in log}
    for line in ("【字体：", "大", "中", "小", "】", "分享："):
        assert ("drop_web_chrome", line) in removed
    for line in ("责任编辑：", "李莎莎", "扫一扫在手机打开当前页", "相关附件>>", "相关链接>>",
                 "abcd39f1fb7f426d9dfb6bd0fa1f2146:", "e4c29f31c6964493a14c4ddf6b160169:",
                 "be341a59f1dd422394845dcb3fce09dc:", "打印本页", "关闭窗口", "2026年四川省人民政府工作报告",
                 "各位代表：现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员提出意见。"):
        assert ("drop_page_footer", line) in removed


def test_log_holds_the_removed_chrome_of_neimenggu():
    _, log = cleaned(NEIMENGGU)
    removed = {(r.fix, r.text) for r in log}
    for line in ("下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】",
                 "自治区人民政府主席包钢作政府工作报告。本报记者 韩卿立 摄"):
        assert ("drop_web_chrome", line) in removed
    assert ("drop_page_footer", "相关报道：") in removed


def test_log_records_replacements_with_what_replaced_them():
    _, log = clean("各位代表:现在,我代表市人民政府向大会作工作报告,请予审议。")
    assert [(r.fix, r.text, r.replacement, r.count) for r in log] == [
        ("halfwidth_punctuation_to_fullwidth", ":", "：", 1),
        ("halfwidth_punctuation_to_fullwidth", ",", "，", 2),
    ]


def test_log_names_whitespace_removals_readably():
    _, log = clean("增长 2.4%，新增 3 个应用入选")
    assert [(r.fix, r.text, r.count) for r in log] == [("remove_spaces_next_to_chinese", "␣", 3)]


def test_log_of_a_join_when_a_line_repeats():
    """(A diff of the lines, which the log once was, paired the joined line with its twin.)"""
    before = "坚持稳中求进工作总基调，\n推动经济实现质的有效提升。\n坚持稳中求进工作总基调，"
    after, log = clean(before)
    assert after == "坚持稳中求进工作总基调，推动经济实现质的有效提升。\n坚持稳中求进工作总基调，"
    assert [(r.fix, r.text, r.replacement, r.count) for r in log] == [("join_wrapped_lines", "\\n", "", 1)]


def test_log_of_a_space_before_a_comma():
    """The fix says what happened: the space went and the comma became full-width."""
    after, log = clean("营商环境 ,，通过")
    assert after == "营商环境，，通过"
    assert [(r.text, r.replacement, r.count) for r in log] == [("␣", "", 1), (",", "，", 1)]


def test_log_of_removed_lines_is_line_by_line():
    assert readable("【字体：\n大\n\n小\n】\n", "") == [("【字体：", ""), ("大", ""), ("\\n", ""), ("小", ""), ("】", "")]
    assert readable("\u3000 \t", "") == [("␣␣\\t", "")]
    assert readable("", "\n") == []                     # a line broken in two: nothing went
    assert readable("", "**") == [("", "**")]


def test_cross_check_finds_an_unlogged_removal():
    """The cross-check itself can fail: a removed character missing from the log, or a logged one not removed."""
    assert unaccounted("甲乙丙", "甲丙", []) != []
    assert unaccounted("甲乙丙", "甲丙", [("丙", "")]) != []
    assert unaccounted("甲乙丙", "甲丙", [("乙", "")]) == []
    assert unaccounted("甲,乙", "甲，乙", [(",", "，")]) == []


REALWORLD = os.environ.get("BUILD_CORPUS_REALWORLD")   # a folder of more real reports, e.g. the 31 provincial 2026 ones
LOGGED_SOURCES = sorted(SOURCES.glob("*.txt")) + sorted((Path(__file__).parent / "fixtures" / "realworld").glob("*.txt")) \
    + (sorted(Path(REALWORLD).glob("*.txt")) if REALWORLD else [])


@pytest.mark.parametrize("path", LOGGED_SOURCES, ids=lambda p: p.name)
def test_log_accounts_for_every_removed_character_of_real_documents(path):
    """The cross-check: on real text, each fix's log entries account for what the fix took out of
    its input, and clean()'s log is those entries, counted."""
    for doc in split_documents(path.read_text(encoding="utf-8"), path.name)[0]:
        counted: Counter = Counter()
        for fix, before, after, entries in runs(doc.raw_text):
            assert unaccounted(before, after, entries) == [], (doc.position, fix)
            counted.update((fix, *entry) for entry in entries)
        _, log = clean(doc.raw_text)
        assert {(r.fix, junk_string(r.text), r.replacement): r.count for r in log} == dict(counted), doc.position
