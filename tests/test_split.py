"""Stage 2, split: the real investment-portal listing page, single reports, and
files that only look a little like a listing."""
from __future__ import annotations

from pathlib import Path

import pytest

from build_corpus.document.split import split_documents

SOURCES = Path(__file__).resolve().parent.parent / "sources"
LISTING_PATH = SOURCES / "2025-07_tongxiang_investment_portal_listing.txt"
LISTING = LISTING_PATH.read_text(encoding="utf-8")
LISTING_LINES = LISTING.split("\n")

# As posted on the page, top to bottom.
LISTING_ITEMS = [
    ("桐乡市优化营商环境助推招商引资升级", "2025-07-22", 2),
    ("【桐乡市招商】江南古镇与创新国度的产业融合 桐乡以色列共建合作新平台", "2025-07-22", 6),
    ("桐乡深化证照分离改革助力招商引资优化营商环境", "2025-07-22", 10),
    ("融资融智双引擎驱动桐乡小微企业招商引资新局面", "2025-07-22", 14),
    ("【桐乡市招商】嘉兴项目获中央资金支持提升产业环境", "2025-07-20", 18),
    ('【桐乡市招商】桐乡"企业服务直通车"畅通企业转型发展新路', "2025-07-20", 22),
    ("【投资桐乡市】2018年桐乡市政府工作报告", "2025-07-19", 26),
    ("【投资桐乡市】2018年濮院镇政府工作报告", "2025-07-16", 30),
    ("【投资桐乡市】2017年桐乡市濮院镇政府工作报告", "2025-07-15", 34),
    ("【桐乡市招商】桐乡市招商引资成效显著 外资利用呈现多点开花态势", "2025-07-14", 38),
]


@pytest.fixture(scope="module")
def listing():
    return split_documents(LISTING, "sources/" + LISTING_PATH.name)


def test_listing_splits_into_ten_documents_in_source_order(listing):
    documents, _ = listing
    assert [(d.title, d.meta.published, d.line) for d in documents] == LISTING_ITEMS
    assert [d.position for d in documents] == list(range(1, 11))
    assert {d.source_path for d in documents} == {"sources/" + LISTING_PATH.name}


def test_listing_line_numbers_point_at_the_titles(listing):
    documents, _ = listing
    for d in documents:
        assert LISTING_LINES[d.line - 1].strip() == d.title


def test_listing_bodies_are_the_lines_between_title_and_date(listing):
    documents, _ = listing
    for d in documents:
        # On this page every item is a title, one body line (the whole text) and a date.
        assert d.raw_text == LISTING_LINES[d.line]
        assert LISTING_LINES[d.line + 1] == d.meta.published
    reports = {d.title: d.raw_text for d in documents}
    assert reports["【投资桐乡市】2018年桐乡市政府工作报告"].startswith(
        "各位代表:现在,我代表市人民政府向大会作工作报告,请予审议")
    assert reports["【投资桐乡市】2018年濮院镇政府工作报告"].startswith(
        "2018年1月29日在濮院镇第十七届人民代表大会第三次会议上 徐华君 各位代表:")
    assert reports["【投资桐乡市】2017年桐乡市濮院镇政府工作报告"].startswith(
        "2017年1月11日在濮院镇第十七届人民代表大会第一次会议上徐华君各位代表:")


def test_listing_trailing_chrome_is_a_removal_not_lost(listing):
    documents, removed = listing
    assert [(r.fix, r.text) for r in removed] == [
        ("listing_page_chrome", "有想补充的信息?点我投稿\n- 联系我们\n- 企业入驻")]
    for d in documents:
        # 企业入驻 also occurs in the reports' own text; the chrome is the whole line.
        for chrome in ("有想补充的信息?点我投稿", "- 联系我们", "- 企业入驻"):
            assert chrome not in d.raw_text.split("\n") and chrome != d.title


def test_listing_loses_nothing(listing):
    """Every non-blank line is a separator, a title, a posting date, body text or a removal."""
    documents, removed = listing
    accounted = "\n".join([r.text for r in removed] + [d.raw_text for d in documents])
    titles = {d.title for d in documents}
    dates = {d.meta.published for d in documents}
    for line in LISTING_LINES:
        stripped = line.strip()
        if stripped in ("", "-") or stripped in titles or stripped in dates:
            continue
        assert stripped in accounted, line[:40]


@pytest.mark.parametrize("path", [p for p in sorted(SOURCES.glob("*.txt")) if p != LISTING_PATH],
                         ids=lambda p: p.name)
def test_single_report_is_one_document(path):
    text = path.read_text(encoding="utf-8")
    documents, removed = split_documents(text, path.name)
    assert removed == []
    assert len(documents) == 1
    d = documents[0]
    assert (d.position, d.line, d.raw_text, d.source_path) == (1, 1, text, path.name)
    assert d.title == "" and d.meta.published is None


SYNTHETIC_LISTING = """首页 > 投资桐乡 > 政策动态
====
【桐乡市招商】桐乡市招商引资成效显著

今年以来，桐乡市深入实施招商引资“一号工程”。
1-9月累计实际利用外资增长12.5%。
2025年7月2日
----
2018年桐乡市政府工作报告
各位代表：现在，我代表市人民政府向大会作工作报告，请予审议。
2025/7/19 10:30
返回顶部
"""


def test_synthetic_listing_with_two_items():
    documents, removed = split_documents(SYNTHETIC_LISTING, "portal.txt")
    assert [(d.position, d.line, d.title, d.meta.published) for d in documents] == [
        (1, 3, "【桐乡市招商】桐乡市招商引资成效显著", "2025-07-02"),
        (2, 9, "2018年桐乡市政府工作报告", "2025-07-19"),
    ]
    assert documents[0].raw_text == "今年以来，桐乡市深入实施招商引资“一号工程”。\n1-9月累计实际利用外资增长12.5%。"
    assert documents[1].raw_text == "各位代表：现在，我代表市人民政府向大会作工作报告，请予审议。"
    assert [(r.fix, r.text) for r in removed] == [
        ("listing_page_chrome", "首页 > 投资桐乡 > 政策动态"),
        ("listing_page_chrome", "返回顶部"),
    ]


def test_one_dated_item_is_not_a_listing():
    text = "新闻标题\n正文第一句。\n2025-07-22\n-\n页脚链接\n"
    documents, removed = split_documents(text, "page.txt")
    assert len(documents) == 1 and removed == []
    assert documents[0].raw_text == text


JIAXING = (SOURCES / "2024_jiaxing_report.txt").read_text(encoding="utf-8")
JIAXING_LINES = JIAXING.split("\n")
MIDDLE = len(JIAXING_LINES) // 2


@pytest.mark.parametrize("rule", ["-", " - ", "----", "====", "——"])
def test_lone_rule_line_inside_a_report_is_not_a_listing(rule):
    text = "\n".join(JIAXING_LINES[:MIDDLE] + [rule] + JIAXING_LINES[MIDDLE:])
    documents, removed = split_documents(text, "report.txt")
    assert removed == []
    assert [(d.position, d.line, d.raw_text) for d in documents] == [(1, 1, text)]


def test_lone_rule_in_a_report_with_a_posting_date_is_not_a_listing():
    """A web page: title, posting date, the report, a rule, one line of chrome."""
    text = "\n".join(["2024年嘉兴市政府工作报告", "2024-01-25 09:30"] + JIAXING_LINES
                     + ["-", "返回顶部"])
    documents, removed = split_documents(text, "report.txt")
    assert removed == []
    assert [(d.position, d.raw_text) for d in documents] == [(1, text)]


# A report page of the common portal layout: title, 来源, posting date, the report;
# then a rule and the "related news" box, which itself has a title, a line and a date.
REPORT_PAGE_WITH_RELATED_NEWS = "\n".join(
    ["2024年嘉兴市政府工作报告", "来源：嘉兴日报", "2024-01-25 09:30"] + JIAXING_LINES
    + ["-", "相关新闻", "嘉兴市第九届人民代表大会第三次会议开幕", "2024-01-21"])


def test_report_page_with_a_dated_related_news_box_keeps_the_report():
    documents, removed = split_documents(REPORT_PAGE_WITH_RELATED_NEWS, "report.txt")
    assert "过去一年，面对复杂严峻的外部环境" in documents[0].raw_text
    assert all("过去一年，面对复杂严峻的外部环境" not in r.text for r in removed)
