"""Tests for the glossary parser: one short real-looking fixture per layout,
then the glossaries of the real sources in `sources/` (read, never changed)."""
from pathlib import Path

import pytest

from build_corpus.document.glossary import (
    glossary_heading,
    parse_entries,
    split_terms,
    strip_footnote_markers,
    term_core,
    term_key,
)

SOURCES = Path(__file__).resolve().parent.parent / "sources"


def terms_of(lines):
    entries, problems = parse_entries(lines)
    assert problems == []
    return [(e.number, e.term) for e in entries]


# --- headings ----------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "名词解释", "名词注释", "注释", "名词解释：", "名词解释:", "  名词解释  ", "名 词 解 释",
    "附件2 名词解释", "附件２：名词解释", "附件：名词解释", "附件:名词解释",
    "《政府工作报告》有关内容名词注释", "《政府工作报告》有关内容名词注释：", "【名词解释】",
])
def test_glossary_headings(line):
    assert glossary_heading(line) == line.strip()


@pytest.mark.parametrize("line", [
    "注：本报告中部分数据为预计数。",
    "注：",
    "报告后附名词解释，供代表参考。",
    "名词解释1.一镇三村:石门镇,崇福镇城郊村。",
    "附件",
    "2026年自治区民生实事",
    "1.通过“以工代赈”发放“三北”工程、高标准农田建设劳务报酬20亿元以上（牵头单位：农牧厅）。",
    "",
])
def test_not_glossary_headings(line):
    assert glossary_heading(line) is None


# --- one layout each ------------------------------------------------------------

def test_one_entry_a_line_unnumbered():
    entries, problems = parse_entries([
        "三智一网：智能汽车、智能计算、智能传感和工业互联网。", "",
        "三区三线：对应城镇、农业、生态三种国土空间，划定城镇开发边界、永久基本农田、生态保护红线三条控制线。",
    ])
    assert problems == []
    assert [(e.number, e.term, e.terms) for e in entries] == [
        (None, "三智一网", ["三智一网"]), (None, "三区三线", ["三区三线"])]
    assert entries[0].definition == "智能汽车、智能计算、智能传感和工业互联网。"
    assert entries[0].anchor == entries[0].report_id == ""


def test_inline_numbered_with_numbers_inside_definitions():
    line = ("1.一镇三村:石门镇,崇福镇城郊村。2.R&D占比:全社会研发经费投入占GDP的比重,2017年增长7.1%。"
            "3.“4+1”重大项目建设:“4”指交通投资;“1”指省市县长项目工程。"
            "4.“12355”行动计划:力争建成1个现代农业园区、20个农业特色精品村、3.5平方公里。5.双爱:企业关爱职工。")
    entries, problems = parse_entries([line])
    assert problems == []
    assert [(e.number, e.term) for e in entries] == [
        ("1", "一镇三村"), ("2", "R&D占比"), ("3", "“4+1”重大项目建设"), ("4", "“12355”行动计划"), ("5", "双爱")]
    assert entries[1].definition == "全社会研发经费投入占GDP的比重,2017年增长7.1%。"
    assert entries[3].definition == "力争建成1个现代农业园区、20个农业特色精品村、3.5平方公里。"


def test_inline_unnumbered_space_separated():
    line = ("五位一体:经济建设、政治建设。 四个全面:全面建成小康社会、全面深化改革。 "
            "一园两区:“一园”指濮院针织产业园区,“两区”指纺织产业集聚区。")
    assert terms_of([line]) == [(None, "五位一体"), (None, "四个全面"), (None, "一园两区")]


@pytest.mark.parametrize("lines, numbers", [
    (["1.“两重”：是指国家重大战略实施。", "2.“两新”：是指大规模设备更新。"], ["1", "2"]),
    (["5. “一网通办”：政务服务。", "6. “一表同享”：数据共享。"], ["5", "6"]),
    (["1．三改一拆：旧住宅区改造。", "2．五水共治：治污水。"], ["1", "2"]),
    (["①三改一拆：旧住宅区改造。", "②五水共治：治污水。"], ["1", "2"]),
    (["（1）三改一拆：旧住宅区改造。", "（2）五水共治：治污水。"], ["1", "2"]),
    (["1、三改一拆：旧住宅区改造。", "2、五水共治：治污水。"], ["1", "2"]),
    (["[1]三改一拆：旧住宅区改造。", "[2]五水共治：治污水。"], ["1", "2"]),
])
def test_numbering_styles(lines, numbers):
    assert [n for n, _ in terms_of(lines)] == numbers


def test_term_on_one_line_definition_on_the_next():
    entries, problems = parse_entries(["1.“四上”企业：", "现阶段统计工作中规模以上工业企业等的统称。"])
    assert problems == []
    assert (entries[0].term, entries[0].definition) == ("“四上”企业", "现阶段统计工作中规模以上工业企业等的统称。")


def test_footnote_numbered_term_then_definition():
    entries, problems = parse_entries(["［1］一降三减：", "全年火灾起数总体下降。", "[2]四库：", "水库、粮库。"])
    assert problems == []
    assert [(e.number, e.term, e.definition) for e in entries] == [
        ("1", "一降三减", "全年火灾起数总体下降。"), ("2", "四库", "水库、粮库。")]


def test_unnumbered_term_line_then_definition_line():
    entries, _ = parse_entries(["三区三线：", "对应城镇、农业、生态三种国土空间。", "五水共治：治污水。"])
    assert [(e.term, e.definition) for e in entries] == [
        ("三区三线", "对应城镇、农业、生态三种国土空间。"), ("五水共治", "治污水。")]


def test_colon_inside_definition_does_not_split():
    entries, problems = parse_entries([
        "［8］1+5+N：", "“1”即省疾控中心，发挥龙头带动作用；“5”即依托海口等5家市疾控中心。",
        "［9］培训活动：面向基层干部，时间：2024年3月，地点：海口。",
    ])
    assert problems == []
    assert [e.term for e in entries] == ["1+5+N", "培训活动"]
    assert entries[1].definition == "面向基层干部，时间：2024年3月，地点：海口。"


def test_definition_continued_on_following_lines_is_joined():
    entries, problems = parse_entries([
        "招商引资“1010”攻坚：建立一个产业方向、一个工作专班、一", "批重点项目、一个顾问团“十个一”招商体系。",
        "三医联动、六医统筹：医疗、医保、医药联动。",
    ])
    assert problems == []
    assert entries[0].definition == "建立一个产业方向、一个工作专班、一批重点项目、一个顾问团“十个一”招商体系。"
    raw = ["7.“双向揭榜挂帅”：成果找市场“双向", "揭榜", "挂帅”的简称，由技术供给方带团队", "揭榜", "。", "8.“灯塔工厂”：示范性工厂。"]
    entries, problems = parse_entries(raw)
    assert problems == []
    assert entries[0].definition == "成果找市场“双向揭榜挂帅”的简称，由技术供给方带团队揭榜。"
    assert entries[1].number == "8"


def test_latin_words_broken_over_lines_keep_a_space():
    entries, _ = parse_entries(["［5］ESI：", "Essential Science", "Indicators，基本科学指标数据库。"])
    assert entries[0].definition == "Essential Science Indicators，基本科学指标数据库。"


def test_two_and_three_term_entries():
    entries, problems = parse_entries([
        "三医联动、六医统筹：医疗、医保、医药联动。",
        "“三大高地”“五大战略”：略。",
        "两个基地、两个枢纽、两个网络：总部基地、航运枢纽、合作网络。",
    ])
    assert problems == []
    assert [e.terms for e in entries] == [
        ["三医联动", "六医统筹"], ["三大高地", "五大战略"], ["两个基地", "两个枢纽", "两个网络"]]


# --- nothing dropped silently ---------------------------------------------------

def test_text_before_first_entry_is_reported():
    entries, problems = parse_entries(["（按在报告中出现的先后排序）", "1.两化融合:信息化和工业化的深度融合。"])
    assert [e.term for e in entries] == ["两化融合"]
    assert len(problems) == 1 and "（按在报告中出现的先后排序）" in problems[0]


def test_junk_glued_before_first_number_is_reported():
    entries, problems = parse_entries(["某某广告1.两化融合:信息化和工业化的深度融合。2.两退两进:退低进高。"])
    assert [e.term for e in entries] == ["两化融合", "两退两进"]
    assert len(problems) == 1 and "某某广告" in problems[0]


def test_entry_without_colon_is_reported_with_its_text():
    entries, problems = parse_entries(["1.两化融合：信息化和工业化的深度融合。", "2.“两重”是指国家重大战略实施和重点领域安全能力建设。"])
    assert [e.term for e in entries] == ["两化融合"]
    assert len(problems) == 1 and "“两重”是指国家重大战略实施和重点领域安全能力建设。" in problems[0]


def test_skipped_number_at_line_start_is_reported_and_still_splits():
    entries, problems = parse_entries(["1.三改一拆：旧住宅区改造。", "3.五水共治：治污水。"])
    assert [e.number for e in entries] == ["1", "3"]
    assert len(problems) == 1 and "第 2 条" in problems[0] and "五水共治" in problems[0]


def test_skipped_number_inline_is_reported():
    entries, problems = parse_entries(["1.三改一拆:旧住宅区改造。3.五水共治:治污水。"])
    assert len(entries) == 1
    assert len(problems) == 1 and "五水共治" in problems[0]


def test_entry_without_definition_is_reported():
    entries, problems = parse_entries(["1.三改一拆：", "2.五水共治：治污水。"])
    assert [e.definition for e in entries] == ["", "治污水。"]
    assert len(problems) == 1 and "三改一拆" in problems[0]


# --- term identity ----------------------------------------------------------------

@pytest.mark.parametrize("written", ["三改一拆", "“三改一拆”", '"三改一拆"', "「三改一拆」", "『三改一拆』", " 三改 一拆 "])
def test_term_key_ignores_quotes_and_spaces(written):
    assert term_key(written) == "三改一拆"


@pytest.mark.parametrize("written, key", [
    ("“两化”融合", "两化融合"), ("Ｒ＆Ｄ占比", "R&D占比"), ("“１＋３＋１＋Ｘ”产业", "1+3+1+X产业"),
    ("《政府工作报告》", "政府工作报告"), ("［1］", "1"),
])
def test_term_key_normalises(written, key):
    assert term_key(written) == key


@pytest.mark.parametrize("written, core", [
    ("“四位一体”管理", "四位一体"), ("“五位一体”总体布局", "五位一体"), ("农业“两区”", "两区"),
    ("“1+3+1+X”产业", "1+3+1+X"), ("城市品质提升“七大专项行动”", "七大专项行动"),
    ("招商引资“1010”攻坚", None), ("“141”基层社会治理体系", None), ("五个“1”整治项目", None),
    ("三改一拆", None), ("“三改一拆”", None), ("“三大高地”“五大战略”", None),
])
def test_term_core(written, core):
    assert term_core(written) == core


@pytest.mark.parametrize("written, parts", [
    ("三医联动、六医统筹", ["三医联动", "六医统筹"]),
    ("“三大高地”“五大战略”", ["“三大高地”", "“五大战略”"]),
    ("两个基地、两个枢纽、两个网络", ["两个基地", "两个枢纽", "两个网络"]),
    ("“一核、两翼、两带”", ["“一核、两翼、两带”"]),
    ("“两化”融合", ["“两化”融合"]),
    ("科技英才领航工程和“双千”计划", ["科技英才领航工程和“双千”计划"]),
    ("三改一拆", ["三改一拆"]),
])
def test_split_terms(written, parts):
    assert split_terms(written) == parts


# --- footnote markers in body text ---------------------------------------------------

def test_strip_footnote_markers_records_offsets():
    clean, notes = strip_footnote_markers("开展“一镇三村”[1]试点，R&D占比[2]达2.97%，四大主导产业［3］占GDP比重。", {"1", "2", "3"})
    assert clean == "开展“一镇三村”试点，R&D占比达2.97%，四大主导产业占GDP比重。"
    assert notes == [(clean.index("试点"), "1"), (clean.index("达2.97"), "2"), (clean.index("占GDP"), "3")]


def test_strip_circled_and_adjacent_markers():
    clean, notes = strip_footnote_markers("推进“三改一拆”①和“两重”[2][3]建设。", {"1", "2", "3"})
    assert clean == "推进“三改一拆”和“两重”建设。"
    after_1, after_3 = clean.index("和"), clean.index("建设")
    assert notes == [(after_1, "1"), (after_3, "2"), (after_3, "3")]


@pytest.mark.parametrize("text", [
    "依据浙政发[2024]12号文件。",        # a year, not a glossary number
    "见“三改一拆”[5]。",                 # 5 is not a glossary number
    "按第[3]条办理。",                    # a clause number
    "重点是：①加强监管；②优化服务。",      # a list, not footnotes
    "[1]开头的一行",
])
def test_strip_footnote_markers_leaves_other_brackets(text):
    assert strip_footnote_markers(text, {"1", "2", "3"}) == (text, [])


# --- the real sources ------------------------------------------------------------------

def source_lines(name):
    return (SOURCES / name).read_text(encoding="utf-8").split("\n")


def block_after(lines, heading, stop=None):
    start = next(i for i, line in enumerate(lines) if glossary_heading(line) == heading) + 1
    end = next((i for i, line in enumerate(lines) if i > start and line.strip() == stop), len(lines))
    return lines[start:end]


def inline_block(line_number):
    line = source_lines("2025-07_tongxiang_investment_portal_listing.txt")[line_number - 1]
    return line[line.index("名词解释") + len("名词解释"):].replace("侯卫东官场笔记", "")


def test_tongxiang_2023_pdf():
    entries, problems = parse_entries(block_after(source_lines("2023_tongxiang_report_pdf.txt"), "名词解释"))
    assert problems == []
    assert [e.term for e in entries] == [
        "三智一网", "三区三线", "“141”基层社会治理体系", "三个聚焦用力", "“1+3+1+X”产业", "“12310”创新矩阵", "一区四园",
        "招商引资“1010”攻坚", "省“千项万亿”工程", "城市品质提升“七大专项行动”", "农民共富十法", "三医联动、六医统筹",
        "“十爱连心”共富行动", "七大工程"]
    assert "一个工作专班、一批重点项目" in entries[7].definition
    assert entries[7].definition.endswith("一个顾问团“十个一”招商体系。")


@pytest.mark.parametrize("line_number, count, first, last", [
    (27, 22, ("1", "一镇三村"), ("22", "双爱")),
    (31, 10, (None, "五位一体"), (None, "濮院指数")),
    (35, 15, ("1", "两化融合"), ("15", "一岗双责")),
])
def test_portal_listing_inline_blocks(line_number, count, first, last):
    entries, problems = parse_entries([inline_block(line_number)])
    assert problems == []
    assert len(entries) == count
    assert [(e.number, e.term) for e in (entries[0], entries[-1])] == [first, last]
    if first[0]:
        assert [e.number for e in entries] == [str(n) for n in range(1, count + 1)]


def test_portal_listing_definitions_keep_their_numbers():
    entries, _ = parse_entries([inline_block(27)])
    assert entries[18].definition.startswith("力争建成1个现代农业园区、20个农业特色精品村")
    assert entries[16].definition == "“4”指交通投资、生态环境和公共设施投资、高新技术产业投资、民间投资;“1”指省市县长项目工程。"


def test_sichuan_2026_raw_lines():
    entries, problems = parse_entries(block_after(source_lines("2026_sichuan_report_web.txt"), "名词解释", "责任编辑："))
    assert problems == []
    assert [e.number for e in entries] == [str(n) for n in range(1, 21)]
    assert entries[6].term == "“双向揭榜挂帅”"
    assert entries[6].definition.startswith("企业找技术、成果找市场“双向揭榜挂帅”的简称，")
    assert entries[6].definition.endswith("由成果需求方带资金、带场景揭榜。")
    assert entries[7].term == "“灯塔工厂”"


def test_hainan_2026_footnote_style():
    entries, problems = parse_entries(block_after(source_lines("2026_hainan_report_web.txt"), "注释"))
    assert problems == []
    assert [e.number for e in entries] == [str(n) for n in range(1, 29)]
    assert (entries[0].term, entries[0].definition) == ("一降三减", "全年火灾起数总体下降，火灾亡人数、伤人数减少，财产损失数减少。")
    assert entries[9].terms == ["两个基地", "两个枢纽", "两个网络"]
    assert entries[27].term == "三个立法权"


def test_hainan_2026_body_markers():
    lines = source_lines("2026_hainan_report_web.txt")
    line = next(line for line in lines if "四大主导产业［2］" in line)
    clean, notes = strip_footnote_markers(line, {str(n) for n in range(1, 29)})
    assert "［2］" not in clean and ("四大主导产业占GDP比重") in clean
    assert (clean.index("占GDP比重"), "2") in notes


def test_bold_entries_keep_their_term():
    """A PDF glossary may bold the term or the whole entry; the term is the same term."""
    entries, problems = parse_entries([
        "**“4+1”重大项目建设：“4”指交通投资、民间投资；“1”指省市县长项目工程。**",
        "**三改一拆**：旧住宅区、旧厂区、城中村改造和拆除违法建筑。",
        "*三区三线：对应城镇、农业、生态三种国土空间。**",
    ])
    assert problems == []
    assert [(e.term, e.terms) for e in entries] == [
        ("“4+1”重大项目建设", ["4+1重大项目建设"]), ("三改一拆", ["三改一拆"]), ("三区三线", ["三区三线"])]
    assert entries[2].definition == "对应城镇、农业、生态三种国土空间。"
    assert entries[0].definition == "“4”指交通投资、民间投资；“1”指省市县长项目工程。"
