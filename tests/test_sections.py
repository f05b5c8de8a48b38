"""The sections stage on short synthetic reports: each heading style, nesting, inline and glued headings."""
from __future__ import annotations

from types import SimpleNamespace

from build_corpus.document import sections
from build_corpus.model import Document


def outline(body: str, run_on: bool = False, place_short: str = ""):
    """The sections stage on a body alone: the document it fills in, with its doubts as `notes`."""
    doc = Document(source_path="test.txt", position=1, line=1, raw_text=body, run_on=run_on)
    doubts = sections.outline(doc, body, place_short)
    return SimpleNamespace(preamble=doc.preamble, sections=doc.sections, appendices=doc.appendices,
                           glossary_title=doc.glossary_title, glossary_lines=doc.glossary_lines, notes=doubts)


def tree(result):
    def walk(sections):
        return [(s.level, s.number + s.title, [p.text for p in s.paragraphs], walk(s.sections)) for s in sections]
    return walk(result.sections)


def test_numbered_levels_and_preamble():
    body = "\n".join(["各位代表：", "现在，我代表市人民政府向大会报告工作。", "一、2023年工作回顾",
                      "过去一年，我们做了很多工作。", "（一）稳增长", "全年增长5%。", "1.扩大投资。投资增长7%。",
                      "二、2024年工作安排", "今年的主要目标是……"])
    result = outline(body)
    assert [p.text for p in result.preamble] == ["各位代表：", "现在，我代表市人民政府向大会报告工作。"]
    assert tree(result) == [
        (1, "一、2023年工作回顾", ["过去一年，我们做了很多工作。"], [
            (2, "（一）稳增长", ["全年增长5%。"], [(3, "1.扩大投资", ["投资增长7%。"], [])])]),
        (1, "二、2024年工作安排", ["今年的主要目标是……"], [])]


def test_anchors_follow_the_tree():
    result = outline("一、甲\n正文。\n（一）乙\n正文。\n正文二。\n二、丙\n正文。")
    first = result.sections[0]
    assert (first.anchor, first.sections[0].anchor) == ("sec-1", "sec-1-1")
    assert [p.anchor for p in first.sections[0].paragraphs] == ["sec-1-1-p1", "sec-1-1-p2"]
    assert result.sections[1].anchor == "sec-2"


def test_part_headings_and_parenthesised_digits():
    body = "第一部分 过去一年的工作\n正文。\n（1）工业经济\n正文。\n第二部分 今年的工作\n正文。"
    assert [(s.level, s.number, s.title) for s in outline(body).sections] == [
        (1, "第一部分", "过去一年的工作"), (1, "第二部分", "今年的工作")]
    assert outline(body).sections[0].sections[0].number == "（1）"


def test_long_numbered_lines_are_paragraphs_not_headings():
    body = "一、工作安排\n1.通过“以工代赈”发放“三北”工程、高标准农田建设劳务报酬20亿元以上，扩大失业保险覆盖面。"
    section = outline(body).sections[0]
    assert section.sections == [] and section.paragraphs[0].text.startswith("1.通过")


def test_out_of_sequence_number_is_text():
    body = "一、回顾\n正文。\n六、加强自身建设\n正文。"
    result = outline(body)
    assert len(result.sections) == 1 and result.sections[0].paragraphs[1].text == "六、加强自身建设"
    assert any("编号不连续" in n for n in result.notes)


def test_a_skipped_number_keeps_the_headings_after_it():
    """A report that prints （二） then （四）: （四） and （五） are still headings, with a note."""
    body = "一、回顾\n（一）甲\n正文。\n（二）乙\n正文。\n（四）丁\n正文。\n（五）戊\n正文。"
    result = outline(body)
    assert [c.number for c in result.sections[0].sections] == ["（一）", "（二）", "（四）", "（五）"]
    assert any("跳到第 4 项" in n for n in result.notes)


def test_list_items_are_not_headings():
    """一、…； is an item of a list; so is a numbered line that runs on as one long sentence."""
    body = ("一、改革\n今年要做好以下工作：\n一、继续坚持有计划有步骤地改革不合理的价格体系；\n"
            "二、进一步搞活企业；\n（一）深化国企改革\n正文。\n"
            "（二）加快国有企业改革，推动国有资本向关系国家安全和国民经济命脉的重要行业和关键领域集中并做强做优做大\n"
            "（三）稳定就业\n正文。\n二、开放\n正文。")
    result = outline(body)
    assert [s.number + s.title for s in result.sections] == ["一、改革", "二、开放"]
    assert result.sections[0].paragraphs[1].text.startswith("一、继续坚持")
    first = result.sections[0].sections
    assert [c.number for c in first] == ["（一）", "（三）"] and first[0].paragraphs[1].text.startswith("（二）加快")


def test_unnumbered_top_headings_put_numbered_ones_below():
    body = "\n".join(["各位代表：", "“十四五”时期发展成就和2025年工作回顾", "五年来成绩显著。",
                      "“十五五”时期主要目标和2026年重点工作", "今年要做好以下工作。",
                      "一、把铸牢共同体意识作为主线", "正文。", "二、全力抓好重点工作", "正文。"])
    result = outline(body)
    assert [(s.level, s.title) for s in result.sections] == [
        (1, "“十四五”时期发展成就和2025年工作回顾"), (1, "“十五五”时期主要目标和2026年重点工作")]
    assert [(s.level, s.number) for s in result.sections[1].sections] == [(2, "一、"), (2, "二、")]


def test_glossary_block_and_appendix_are_kept_apart():
    body = "\n".join(["一、工作", "正文。", "各位代表！让我们共同奋斗！", "附件", "2026年民生实事",
                      "1.发放劳务报酬20亿元以上（牵头单位：人社厅）。", "2.新增就业18万人以上（牵头单位：人社厅）。"])
    result = outline(body)
    assert result.glossary_lines == []
    assert [(a.title, len(a.paragraphs)) for a in result.appendices] == [("附件：2026年民生实事", 2)]
    body = "一、工作\n正文。\n名词解释\n五水共治：治污水、防洪水。"
    result = outline(body)
    assert (result.glossary_title, result.glossary_lines) == ("名词解释", ["五水共治：治污水、防洪水。"])


def test_glued_headings_in_one_line_sources():
    body = "\n".join(["一、2017年工作回顾2017年，我们在市委的领导下完成了任务。",
                      "二、2018年目标任务和主要工作2018年是关键一年。",
                      "（一）务实担当，打造有为政府加强统筹谋划。坚持以有为政府激活有效市场。",
                      "三、加强政府自身建设坚持把提高政府工作质量作为根本遵循。"])
    result = outline(body, run_on=True)
    assert [s.title for s in result.sections] == ["2017年工作回顾", "2018年目标任务和主要工作", "加强政府自身建设"]
    assert result.sections[0].paragraphs[0].text.startswith("2017年，我们")
    sub = result.sections[1].sections[0]
    assert sub.title == "务实担当，打造有为政府" and sub.paragraphs[0].text.startswith("加强统筹谋划。")


def test_bold_markers_become_emphasis_spans():
    result = outline("一、工作\n**重点领域改革多点突破**。开展试点。")
    p = result.sections[0].paragraphs[0]
    assert p.text == "重点领域改革多点突破。开展试点。" and p.emphasis == [(0, 10)]


def test_glossary_heading_with_spaces_between_its_characters():
    result = outline("一、工作\n正文解释了一些名词。\n名 词 解 释：\n五水共治：治污水、防洪水。")
    assert (result.glossary_title, result.glossary_lines) == ("名 词 解 释：", ["五水共治：治污水、防洪水。"])


def test_a_heading_word_split_over_two_lines_opens_nothing():
    result = outline("一、工作\n正文提到名词\n解释：五水共治。")
    assert result.glossary_lines == [] and [p.text for p in result.sections[0].paragraphs] == ["正文提到名词", "解释：五水共治。"]


def test_the_sections_stage_reads_jiebas_own_dictionary_whatever_linking_added():
    """A long-lived process (the preview) links between builds: the glossary words linking lays over
    jieba's dictionary must not move where a glued heading ends, or the cached sections would depend on history."""
    import jieba

    from build_corpus.corpus.linking import TermMatcher
    from build_corpus.segmentation import WordBoundaries, word_boundaries
    text = "推进水共治大禹鼎争夺"
    before = word_boundaries(text)
    matcher = TermMatcher(["水共治大", "禹鼎争"])
    assert matcher.boundaries.in_text(text) != before      # the matcher's dictionary has the words …
    assert word_boundaries(text) == before == WordBoundaries().in_text(text)   # … the sections stage's has not
    assert "水共治大" not in jieba.dt.FREQ                  # and jieba's own is left as it was
