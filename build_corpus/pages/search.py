"""The full results page (search.html) and the data it filters by (search/reports.js).

Material's search list shows what a first query's download allows; this page checks every candidate
(docs/assets/javascripts/search_page.js, running the site's own search worker as a script) and counts
reports and sections. The form is plain HTML, so the page says what it does before any script runs.
"""
from __future__ import annotations

from ..corpus.places import TIER_ORDER, place_info
from ..model import Site
from ..safe_text import js_json
from ..urls import SEARCH_PAGE, SEARCH_REPORTS, built_path, report_page
from .front_matter import front_matter
from .report import list_title


def render_search_page() -> str:
    levels = "".join(f'<option value="{tier}">{tier}</option>' for tier in TIER_ORDER)
    return "\n".join([
        front_matter({"title": "搜索", "description": "在全部报告中检索字词，按地区、层级、年份筛选", "search": {"exclude": True}}),
        "# 搜索全部报告\n",
        '<div id="search-page" class="search-page">',
        '<form class="search-page__form" action="search.html" aria-label="检索全部报告">',
        '<p><label for="search-q">检索的字词</label> <input id="search-q" name="query" type="search" required '
        'autocomplete="off" placeholder="如：营商环境　或　“两重”" size="24"> <button type="submit">检索</button></p>',
        '<p class="search-page__filters">'
        '<label>省份 <select name="place"><option value="">全部</option></select></label> '
        f'<label>层级 <select name="level"><option value="">全部</option>{levels}</select></label> '
        '<label>年份 <select name="from" aria-label="起始年份"><option value="">不限</option></select></label>'
        '<label>至 <select name="to" aria-label="截止年份"><option value="">不限</option></select></label> '
        '<label>排序 <select name="sort"><option value="score">相关度</option><option value="year">年份（新→旧）</option></select></label>'
        '</p>',
        "</form>",
        '<p class="search-page__summary" role="status" aria-live="polite"></p>',
        '<button type="button" class="search-page__check" hidden></button>',
        '<ol class="search-page__results"></ol>',
        '<button type="button" class="search-page__more" hidden></button>',
        "<noscript><p>搜索需要浏览器运行 JavaScript。</p></noscript>",
        "</div>\n",
        "## 检索规则 {#rules}\n",
        "- 每个字词按原样相连出现才算找到（中间的引号、标点不计：“五水共治”和五水共治相同）；"
        "多个字词用空格隔开时，章节要包含其中每一个。",
        "- 用引号括起的字词（\"两个毫不动摇\" 或 “两重”）按原文逐字匹配，标点也要一致。",
        "- 先在索引中找出包含这些字的全部章节，再逐一核对原文；核对完成前显示已核对的数目，"
        "完成后的报告数、章节数和出现次数都是准确数字。",
        "- 点开结果，页面会高亮检索的字词。",
        "- 筛选的省份包括其下的市、县、镇；层级按报告所属的地区：省级、市级、县级（含县级市、区）、乡镇级。",
        "",
    ])


def search_reports_js(site: Site) -> bytes:
    """search/reports.js: page → [place, tier, year, province, title] for every report."""
    data = {}
    for doc in site.reports:
        info = place_info(doc.meta.place, doc.meta.parent, doc.meta.level, doc.meta.year) if doc.meta.place else None
        data[built_path(report_page(doc.id))] = [
            doc.meta.place or "", info.tier if info else "", doc.meta.year or 0,
            (info.province or info.name) if info else "", list_title(doc)]
    return f"self.__searchReports = {js_json(data)};\n".encode()


def search_files(site: Site) -> dict[str, bytes]:
    return {SEARCH_REPORTS: search_reports_js(site)}


__all__ = ["render_search_page", "search_files", "SEARCH_PAGE"]
