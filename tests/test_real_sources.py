"""Reports as real archives hold them: damaged text, the report's extent in its page, reports
without an opening, years from evidence, datasets and copies — a rule a test, with real lines
from the archives (../shared/realworld) wherever a rule was written on one."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from build_corpus.cli import main
from build_corpus.document.classify import classify
from build_corpus.document.extent import find_extent
from build_corpus.document.metadata import metadata_data
from build_corpus.document.repair import decode_html_entities, mark_lost_characters, plain_spaces, unescape_line_breaks
from build_corpus.document.years import decide, votes
from build_corpus.model import OTHER, WORK_REPORT
from build_corpus.pipeline import build_corpus

REALWORLD = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld"
LOCAL = REALWORLD / "local"

OPENING = "现在，我代表县人民政府向大会报告工作，请予审议，并请政协委员和其他列席同志提出意见。"
BODY = ("一、2009年工作回顾\n2009年，全县经济保持了较快增长，各项社会事业取得了全面进步。\n"
        "二、2010年发展目标和工作重点\n2010年是“十一五”规划的最后一年。\n三、加强政府自身建设\n坚持依法行政。\n"
        "各位代表！让我们进一步解放思想，为推进全县经济又好又快发展而努力奋斗！\n")


def reports_of(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_corpus([path], tmp_path)


# --- damaged text ----------------------------------------------------------------------

def test_escaped_line_breaks_are_the_lines_of_an_export():
    """徐水县 2010 as an aggregator's export stored it: `\\r\\n` as two characters, one physical line."""
    raw = r"2010年2月4日在徐水县第十四届人民代表大会第四次会议上\r\n徐水县人民政府县长李保森\r\n各位代表：\r\n" + OPENING
    text, changes = unescape_line_breaks(raw)
    assert text.split("\n")[:3] == ["2010年2月4日在徐水县第十四届人民代表大会第四次会议上", "徐水县人民政府县长李保森", "各位代表："]
    assert changes == [(r"\r\n", "\n")] * 3
    assert unescape_line_breaks(r"文件在 C:\new 目录。" + "\n第二行\n第三行")[1] == []   # a mention, not the structure


def test_a_whole_report_in_escapes_gets_its_sections(tmp_path):
    text = r"\r\n".join(["各位代表：", OPENING, *BODY.strip().split("\n")])
    doc = reports_of(tmp_path, "x.txt", text).reports[0]
    assert [s.number + s.title for s in doc.sections][:2] == ["一、2009年工作回顾", "二、2010年发展目标和工作重点"]
    assert any(r.fix == "unescape_line_breaks" for r in doc.removed)


def test_html_references_with_or_without_semicolon_and_odd_spaces():
    assert decode_html_entities("坚持&nbsp以人民为中心&amp;&ldquo;两重&rdquo;")[0] == "坚持\xa0以人民为中心&“两重”"
    assert decode_html_entities("R&D投入，AT&T")[1] == []
    assert plain_spaces("许\u00a0喆\u2002")[0] == "许 喆 "


def test_lost_characters_are_kept_visible_and_counted(tmp_path):
    """博野县 2025's header lost its no-break spaces (????\\t\\t…); 容城县 2017 its indentation
    (??（一）…); inside a sentence the gap stays, as U+FFFD, never joined."""
    text, changes = mark_lost_characters("时间：2025-02-22????\t\t作者：中国县域\n??（一）进一步提升产业创新能力。\n发展??经济")
    assert text == "时间：2025-02-22\t\t作者：中国县域\n（一）进一步提升产业创新能力。\n发展\ufffd\ufffd经济"
    assert changes[-1] == ("??", "\ufffd\ufffd")
    doc = reports_of(tmp_path, "x.txt", "各位代表：\n" + OPENING + "\n" + BODY.replace("较快增长", "较快??增长")).reports[0]
    assert any("2 个字符已经丢失" in n.message for n in doc.notes)


# --- a report's extent -----------------------------------------------------------------

@pytest.mark.skipif(not LOCAL.is_dir(), reason="../shared/realworld is beside the repository in CI")
def test_an_aggregator_page_around_a_report_goes_whatever_its_words():
    """博野县 2025 on a commercial aggregator: 时间/作者/来源/阅读/评论, a 内容摘要 that repeats the
    opening, then 免责声明, 标签, 分享到, 上一篇/下一篇, 相关文章, 阅读排行, 标签云 — all outside."""
    corpus = build_corpus([LOCAL / "boyexian_2025.txt"], LOCAL.parent)
    doc = corpus.reports[0]
    paragraphs = [p.text for p in doc.all_paragraphs()]
    assert paragraphs[0] == "各位代表：" and paragraphs[1].startswith("现在，我代表县人民政府")
    for chrome in ("内容摘要", "作者：中国县域", "免责声明", "标签云", "阅读排行", "上一篇", "QQ空间"):
        assert not [p for p in paragraphs if chrome in p], chrome
    outside = [r.text for r in doc.removed if r.fix == "outside_report"]
    assert "内容摘要：" in outside and "标签云" in outside and any(t.startswith("免责声明") for t in outside)
    assert len(doc.glossary) == 31 and doc.glossary[-1].term == "“四风”"   # the ※名词解释※ block stays
    assert (doc.meta.place, doc.meta.year, doc.meta.date, doc.meta.speaker) == ("博野县", 2025, "2025-01-15", "许喆")


def test_a_vendors_watermark_after_the_appeal_goes():
    lines = ["各位代表：", OPENING, "一、2009年工作回顾", "全县经济保持了较快增长。",
             "各位代表！让我们为推进全县经济又好又快发展而努力奋斗！来 自 马 克 数 据 网"]
    first, end, trailer = find_extent(lines)
    assert (first, end, trailer) == (0, 5, "来 自 马 克 数 据 网")


def test_a_page_that_holds_the_report_twice_ends_before_the_second_copy():
    report = ["政府工作报告", "各位代表：", OPENING, "一、2009年工作回顾", "全县经济保持了较快增长。",
              "各位代表！让我们为推进全县经济又好又快发展而努力奋斗！"]
    lines = ["首页", "当前位置：", *report, "版权所有：某某县人民政府", "冀ICP备06016263号-1", "当前位置：", *report]
    first, end, _ = find_extent(lines)
    assert lines[first:end] == report


def test_a_note_in_brackets_after_the_appeal_belongs_to_the_report():
    lines = ["各位代表：", OPENING, *["全县经济保持了较快增长。"] * 10, "各位代表！让我们共同努力奋斗！",
             "（本报告中2025年部分数据为初步统计数）", "（来源：某某日报）", "分享到："]
    _, end, _ = find_extent(lines)
    assert lines[end - 1] == "（本报告中2025年部分数据为初步统计数）"


def test_glossary_and_appendix_after_the_appeal_belong_to_the_report():
    """海南 2026: 注释 with term and definition on two lines; 广东: 附件1 with its title on the next."""
    lines = ["各位代表：", OPENING, "一、工作回顾", *["全县经济保持了较快增长，各项社会事业取得了全面进步。"] * 10,
             "各位代表！让我们共同努力奋斗！", "注释", "［1］一降三减：",
             "降成本、减审批。", "附件1", "2026年省十件民生实事", "一、提高低保标准。", "责任编辑：", "李莎莎", "相关链接>>"]
    _, end, _ = find_extent(lines)
    assert lines[end - 1] == "一、提高低保标准。"


# --- reports without an opening, and what is not a report --------------------------------

@pytest.mark.parametrize("opening", [
    "我受国务院的委托，现在向大会提出关于1980、1981年国民经济计划安排的报告，请予审议。",     # 1980
    "现在我代表中华人民共和国国务院向第一届全国人民代表大会第三次会议提出关于１９５５年国家决算和１９５６年国家预算的报告，请予审查。",   # 1956
    "我现在代表国务院向本次大会作关于第一个五年计划的报告。",                                 # 1955
    "现在，我代表国务院，就当前的经济形势，今后经济建设的方针，以及我国经济发展的前景，向大会作以下报告，请予审议。",   # 1981
])
def test_the_state_councils_openings_of_every_decade(opening):
    kind, _ = classify("", "各位代表：\n" + opening + "\n" + BODY)
    assert kind == WORK_REPORT


def test_a_report_that_starts_at_its_first_heading(tmp_path):
    """容城县 2017 from the aggregator: no salutation, no opening; its body says what it is."""
    kind, why = classify("", BODY)
    assert kind == WORK_REPORT and "回顾工作" in why and "部署工作" in why


def test_the_cppcc_version_is_a_version_of_the_report(tmp_path):
    doc = reports_of(tmp_path, "x.txt", "各位委员：\n现在，我代表县人民政府向大会报告工作，请予审议。\n" + BODY).reports[0]
    assert doc.kind == WORK_REPORT and any("政协稿" in n.message for n in doc.notes)


@pytest.mark.parametrize("text", [
    # the NPC's resolution on the report
    "第十四届全国人民代表大会第二次会议关于政府工作报告的决议\n第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的政府工作报告。会议同意报告。",
    # a party committee's report that starts at its first heading: it reviews, plans and appeals too
    "一、过去五年的工作回顾\n五年来，全县上下团结奋斗。\n二、今后五年的目标任务\n今后五年要加快发展。\n三、全面加强党的建设\n"
    "让我们更加紧密地团结起来，为建设美好家园而努力奋斗！",
    # a party congress's report
    "同志们：\n现在，我代表第十九届中央委员会向大会作报告。\n一、过去五年的工作和历史性变革\n二、新时代中国特色社会主义思想\n让我们更加紧密地团结起来，努力奋斗！",
    # the standing committee's, the court's, the CPPCC's reports to the same congress
    "各位代表：\n我受全国人民代表大会常务委员会委托，向大会报告工作。\n" + BODY,
    "各位代表：\n现在，我代表最高人民法院向大会报告工作，请予审议。\n" + BODY,
    "各位委员：\n现在，我代表政协第十四届全国委员会常务委员会，向大会报告工作，请予审议。\n" + BODY,
    # the budget, commissioned by the government
    "各位代表：\n受国务院委托，现将2023年中央和地方预算执行情况与2024年中央和地方预算草案的报告提请十四届全国人大二次会议审查。\n" + BODY,
    # a news item about the report
    "新华社北京3月5日电 十四届全国人大二次会议5日上午开幕。国务院总理李强代表国务院向大会作政府工作报告。李强在报告中说，过去一年成绩来之不易。",
])
def test_what_is_not_a_work_report_stays_out(text):
    assert classify("", text)[0] == OTHER


# --- years from evidence ---------------------------------------------------------------

def national_votes(body: str, headings: list[str] | None = None):
    data = metadata_data()["national"]
    return votes(body, headings or [], data["congress_first_year"], data["five_year_plans"])


@pytest.mark.parametrize("body,headings,year", [
    # a span from a past session to this one (1979, 1993, 2008)
    ("从去年三月第五届全国人民代表大会第一次会议闭幕到我们这次会议召开，已经一年零三个月。", [], 1979),
    ("从第七届全国人民代表大会第一次会议，到这次大会的召开，已经整整过去了五年。", [], 1993),
    ("第十届全国人民代表大会第一次会议以来的五年，是不平凡的五年。", [], 2008),
    # the session addressed
    ("我现在根据国务院的决定，向第二届全国人民代表大会第一次会议作政府工作报告。", [], 1959),
    # the year under review, in full-width digits (1992); a plan period reviewed (2011)
    ("", ["一、１９９１年国内工作的回顾"], 1992),
    ("", ["一、“十一五”时期国民经济和社会发展的回顾"], 2011),
    # a December report plans 明年 (1964)
    ("明年发展国民经济的主要任务是，大力组织工农业生产的新高潮。他指出，一九六五年的主要任务就是增产节约。".replace("一九六五", "1965"), [], 1964),
])
def test_year_from_the_texts_own_evidence(body, headings, year):
    chosen, conflict = decide(national_votes(body, headings))
    assert conflict is None and chosen.year == year


@pytest.mark.parametrize("body", [
    "根据1983年6月第六届全国人民代表大会第一次会议的决议，各级政府和全国各族人民一道努力。",   # a decision quoted (1984)
    "本届政府从1993年3月就职，五年来做了大量工作。",                                          # a term's start (1998)
    "2012年以来，在县委的坚强领导下，较好地完成了各项任务。",                                   # a five-year review's first year
])
def test_a_quoted_past_is_never_the_year(body):
    assert decide(national_votes(body))[0] is None


def test_disagreeing_facts_leave_the_year_empty_with_a_note():
    chosen, conflict = decide(national_votes("我们向第六届全国人民代表大会第二次会议报告。第五届全国人民代表大会第一次会议以来的五年。"))
    assert chosen is None and "互相矛盾" in conflict


def test_a_meeting_date_outweighs_an_archives_title(tmp_path):
    """hebeisheng_2019: the archive titled it 2018; its header says 二〇一九年一月十四日."""
    text = ("标题：2018年河北省政府工作报告\n正文：\n政府工作报告\n二〇一九年一月十四日在河北省第十三届人民代表大会第二次会议上\n"
            "河北省人民政府省长许勤\n各位代表：\n现在，我代表河北省人民政府向大会报告工作。\n" + BODY.replace("全县", "全省"))
    doc = reports_of(tmp_path, "hebeisheng_2018.txt", text).reports[0]
    assert (doc.meta.year, doc.meta.date) == (2019, "2019-01-14")


# --- datasets and copies ---------------------------------------------------------------

REPORT = "各位代表：\n" + OPENING + "\n" + BODY


def test_import_writes_byte_faithful_sources_with_their_origin(tmp_path, capsys):
    dataset = tmp_path / "县报告.csv"
    with dataset.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["标题", "年份", "网址", "全文"])
        writer.writerow(["徐水县2010年政府工作报告", "2009", "http://example.gov.cn/a.html", "2010年2月4日在徐水县第十四届人民代表大会第四次会议上\n" + REPORT])
        writer.writerow(["空", "2011", "", ""])
        writer.writerow(["重复", "2010", "javascript:alert(1)", "2010年2月4日在徐水县第十四届人民代表大会第四次会议上\n" + REPORT])
    sources = tmp_path / "sources"
    assert main(["import", str(dataset), "--text", "全文", "--title", "标题", "--year", "年份", "--url", "网址",
                 "--sources", str(sources)]) == 0
    err = capsys.readouterr().err
    assert "第 3 行的正文（全文）是空的" in err and "第 4 行与" in err
    (written,) = sorted(sources.glob("*.txt"))
    assert written.read_bytes() == ("2010年2月4日在徐水县第十四届人民代表大会第四次会议上\n" + REPORT).encode("utf-8")
    doc = build_corpus([written], tmp_path).reports[0]
    assert doc.origin == {"dataset": "县报告.csv", "row": 2, "title": "徐水县2010年政府工作报告", "year": 2009,
                          "url": "http://example.gov.cn/a.html"}
    assert doc.meta.year == 2010 and "year" not in doc.meta.pinned   # the dataset's label is no evidence
    assert any("标注的年份是“2009”" in n.message for n in doc.notes)


def test_import_reads_jsonl_and_xlsx(tmp_path):
    import openpyxl
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"content": REPORT, "link": "https://example.org/x"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["import", str(jsonl), "--text", "content", "--url", "link", "--sources", str(tmp_path / "s1")]) == 0
    book = openpyxl.Workbook()
    book.active.append(["报告全文"])
    book.active.append([REPORT.replace("全县", "全市")])
    book.save(tmp_path / "b.xlsx")
    assert main(["import", str(tmp_path / "b.xlsx"), "--text", "报告全文", "--sources", str(tmp_path / "s2")]) == 0
    assert len(list((tmp_path / "s1").glob("*.txt"))) == len(list((tmp_path / "s2").glob("*.txt"))) == 1


@pytest.mark.parametrize("name,content,args,message", [
    ("a.csv", "t,x\n1,2\n", ["--text", "全文"], "没有列"),
    ("a.jsonl", "{not json\n", ["--text", "x"], "不是 JSON"),
    ("a.xlsx", "not a workbook", ["--text", "x"], "不是可读的 XLSX"),
    ("a.txt", "x", ["--text", "x"], "不支持的格式"),
])
def test_import_refuses_what_it_cannot_read_in_one_line(tmp_path, capsys, name, content, args, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert main(["import", str(path), *args, "--sources", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_the_same_report_twice_is_one_report_listing_both(tmp_path):
    text = "政府工作报告\n2010年2月4日在徐水县第十四届人民代表大会第四次会议上\n" + REPORT
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text("分享到：\n上一篇：某某\n" + text + "来源：某网\n", encoding="utf-8")
    corpus = build_corpus(sorted(tmp_path.glob("*.txt")), tmp_path)
    (report,) = corpus.reports
    assert report.id == "xushuixian-2010" and report.copies == ["b.txt#1"]
    copy = corpus.sources[1].documents[0]
    assert copy.kind == OTHER and copy.duplicate_of == "a.txt" and "同一份报告" in copy.kind_reason
