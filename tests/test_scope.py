"""Whose definition a link points to (scope.py), quote-safe spans and written forms (linking.py),
and the term page that explains both — on small made-up reports, each rule alone."""
from __future__ import annotations

import pytest

from build_corpus.corpus.linking import TermMatcher, match_forms, record_uses
from build_corpus.corpus.scope import RegionTerm, Scope, ScopeRules, same_words
from build_corpus.corpus.terms import merge_terms
from build_corpus.model import Document, GlossaryEntry, Metadata, Paragraph, Section
from build_corpus.pages.links import link_target
from build_corpus.pages.term import render_term


def report(place: str, year: int, glossary: dict[str, str] | None = None, text: str = "", parent: str | None = None,
           rid: str = "") -> Document:
    doc = Document(source_path=f"{place}{year}.txt", position=1, line=1, raw_text="")
    doc.id = rid or f"{place}-{year}"
    doc.title = f"{year}年{place}政府工作报告"
    doc.meta = Metadata(place=place, year=year, parent=parent)
    doc.glossary = [GlossaryEntry(term=t, definition=d, number=str(i), anchor=f"gloss-{i}")
                    for i, (t, d) in enumerate((glossary or {}).items(), 1)]
    for entry in doc.glossary:
        entry.report_id = doc.id
    doc.sections = [Section(title="工作", level=1, anchor="sec-1", paragraphs=[Paragraph(text, anchor="sec-1-p1")])]
    return doc


RULES = ScopeRules(max_years_apart=5, national_places=("中华人民共和国",), shared_wording_places=2, regions={
    "三资": RegionTerm("全国", "农村集体三资", with_words=("农村", "集体")),
    "五个必须": RegionTerm("全国", "纪律要求", without_words=("规律性认识",)),
    "五水共治": RegionTerm("浙江省", "浙江治水"),
})


def decide(user: Document, *definers: Document, key: str, around: str = ""):
    terms = merge_terms([user, *definers])
    scope = Scope(terms, RULES)
    target = scope.target(user, key, around)
    return (target.definition.report.id if target.definition else None), target.rule


HAINAN = report("海南省", 2026, {"三资": "农村集体所有的资金、资产、资源。", "五个必须": "必须维护党中央权威……"})


def test_own_definition_first():
    mine = report("吉林省", 2026, {"三资": "政府的资金、资产、资源。"})
    assert decide(mine, HAINAN, key="三资", around="政府三资管理") == ("吉林省-2026", "own")


def test_another_places_slogan_is_not_linked():
    """吉林 政府“三资”: 海南's 农村集体“三资” does not explain it."""
    assert decide(report("吉林省", 2026), HAINAN, key="三资", around="实施政府三资管理改革") == (None, "")
    assert decide(report("宁夏回族自治区", 2026), report("江西省", 2026, {"五大战略": "江西的五大战略"}),
                  key="五大战略") == (None, "")


def test_curated_region_with_its_conditions():
    assert decide(report("河南省", 2026), HAINAN, key="三资", around="严格农村集体三资管理") == ("海南省-2026", "region")
    assert decide(report("湖北省", 2026), HAINAN, key="三资", around="深化国有三资管理改革") == (None, "")
    assert decide(report("广西壮族自治区", 2026), HAINAN, key="五个必须", around="牢记五个必须，严防") == \
        ("海南省-2026", "region")
    assert decide(report("新疆维吾尔自治区", 2026), HAINAN, key="五个必须", around="把握五个必须的规律性认识") == (None, "")


def test_a_province_wide_term_stays_in_its_province():
    town = report("濮院镇", 2018, {"五水共治": "治污水、防洪水、排涝水、保供水、抓节水。"}, parent="桐乡市")
    assert decide(report("湖州市", 2024, parent="浙江省"), town, key="五水共治") == ("濮院镇-2018", "region")
    assert decide(report("四川省", 2026), town, key="五水共治") == (None, "")


def test_same_place_and_the_hierarchy():
    town = report("濮院镇", 2017, {"一园两区": "……"}, parent="桐乡市")
    assert decide(report("濮院镇", 2018, parent="桐乡市"), town, key="一园两区") == ("濮院镇-2017", "same_place")
    assert decide(report("桐乡市", 2018, parent="嘉兴市"), town, key="一园两区") == ("濮院镇-2017", "below")
    city = report("桐乡市", 2018, {"四个平台": "……"}, parent="嘉兴市")
    assert decide(report("濮院镇", 2018, parent="桐乡市"), city, key="四个平台") == ("桐乡市-2018", "above")
    assert decide(report("湖州市", 2018, parent="浙江省"), city, key="四个平台") == (None, "")


def test_old_definitions_are_not_borrowed():
    """“四个全面” was reworded in 2020: a 2017 town's definition does not explain a 2026 province's text."""
    town = report("濮院镇", 2017, {"四个全面": "全面建成小康社会……"}, parent="桐乡市")
    assert decide(report("浙江省", 2026), town, key="四个全面") == (None, "")
    assert decide(report("浙江省", 2020), town, key="四个全面") == ("濮院镇-2017", "below")


def test_the_same_words_from_unrelated_places_make_a_national_term():
    sichuan = report("四川省", 2026, {"两新": "是指大规模设备更新和消费品以旧换新。"})
    hainan = report("海南省", 2026, {"两新": "大规模设备更新和消费品以旧换新"})
    assert same_words("是指大规模设备更新和消费品以旧换新。") == same_words("大规模设备更新和消费品以旧换新")
    assert decide(report("北京市", 2026), sichuan, hainan, key="两新")[1] == "shared"
    assert decide(report("北京市", 2033), sichuan, hainan, key="两新") == (None, "")   # revised since, maybe
    # two places above and below each other are one voice, not two
    town = report("濮院镇", 2018, {"三改一拆": "旧住宅区改造"}, parent="桐乡市")
    city = report("桐乡市", 2018, {"三改一拆": "旧住宅区改造"}, parent="嘉兴市")
    assert decide(report("四川省", 2026), town, city, key="三改一拆") == (None, "")


def test_a_national_report_explains_every_report():
    nation = report("中华人民共和国", 2025, {"两重": "国家重大战略实施和重点领域安全能力建设"})
    assert decide(report("西藏自治区", 2026), nation, key="两重") == ("中华人民共和国-2025", "national")
    old = report("中华人民共和国", 2016, {"四个全面": "全面建成小康社会……"})
    assert decide(report("西藏自治区", 2026), old, key="四个全面") == (None, "")


@pytest.mark.parametrize("text,expected", [
    ("拓展治安“三张图”应用", ["治安“三张图”"]),              # the closing quote is taken in
    ("做好金融“五篇大文章”，开展", ["金融“五篇大文章”"]),
    ("用好“两重”“两新”政策", ["两重", "两新"]),                # two quoted terms side by side
    ("锚定“五大战略定位”", []),                             # the first words of a longer quoted name
    ("完善“三资管理”制度", []),
    ("深化“标准地+承诺制”改革", ["标准地"]),                 # a part joined by +: a term of its own
    ("落实“五统一、一开放”基本要求", ["五统一、一开放"]),    # the 、 is kept
    ("出台稳增长“21条”“18条”等政策", ["稳增长“21条”", "“18条”"]),   # the report shares the prefix
    ("提出18条具体举措", []),
])
def test_spans(text, expected):
    doc = report("四川省", 2026, {"治安“三张图”": "……", "金融“五篇大文章”": "……", "“两重”“两新”": "……",
                                 "“五大战略”": "……", "三资": "……", "标准地": "……", "“五统一、一开放”": "……",
                                 "稳增长“21”条": "……", "稳增长“18”条": "……"})
    matcher = TermMatcher(match_forms(merge_terms([doc])))
    assert [text[o.start:o.end] for o in matcher.find(text)] == expected


def test_a_curated_alias_is_a_written_form():
    doc = report("四川省", 2026, {"“六横六纵”现代化水网体系": "……"})
    terms = merge_terms([doc])
    assert TermMatcher(match_forms(terms)).find("“六横六纵”现代水网体系更趋完善") == []

    class Curated:
        data = {"aliases": ["“六横六纵”现代水网体系"]}
    terms["六横六纵现代化水网体系"].curated = Curated()
    found = TermMatcher(match_forms(terms)).find("“六横六纵”现代水网体系更趋完善")
    assert [o.key for o in found] == ["六横六纵现代化水网体系"]


def test_term_page_and_tooltips_say_whose_definition():
    jiangxi = report("江西省", 2026, {"五大战略": "江西的五大战略。"}, text="实施“五大战略”。")
    ningxia = report("宁夏回族自治区", 2026, text="坚定实施“五大战略”。")
    sichuan = report("四川省", 2026, {"两新": "是指大规模设备更新和消费品以旧换新。"}, text="用好“两新”政策。",
                     rid="sichuansheng-2026")
    hainan = report("海南省", 2026, {"两新": "大规模设备更新和消费品以旧换新。"}, rid="hainansheng-2026")
    beijing = report("北京市", 2026, text="优化“两新”政策实施。")
    reports = [jiangxi, ningxia, sichuan, hainan, beijing]
    terms = merge_terms(reports)
    scope = record_uses(reports, terms, Scope(terms, RULES))

    assert [p.term_spans for p in ningxia.sections[0].paragraphs] == [[]]     # not linked…
    assert scope.same_wording["宁夏回族自治区-2026"] == {"五大战略": 1}       # …but recorded
    page = render_term(terms["五大战略"], terms, scope=scope)
    assert "## 释义的适用范围" in page and "各报告的释义只适用于解释它的地区本身" in page
    # Uses are grouped by place, then year, each quoted in its sentence.
    own = page.split("### 按本报告自己的释义")[1].split("###")[0]
    assert "<strong>江西省</strong><ul><li><strong>2026</strong>" in own
    assert "<strong>宁夏回族自治区</strong><ul><li><strong>2026</strong>" in page.split("### 措辞相同、没有适用的释义")[1]
    assert "坚定实施“<mark>五大战略</mark>”。" in page, "the unlinked use is quoted in its sentence too"

    page = render_term(terms["两新"], terms, scope=scope)
    assert "### 按其他报告的释义" in page and "按<a href=\"#wording-2\">海南省 2026 的释义</a>" in page
    assert "四川省 2026、海南省 2026 互不隶属" in page
    target = scope.target(beijing, "两新")
    href, tooltip = link_target(terms["两新"], target, "reports/beijingshi-2026.md")
    assert href.startswith("../terms/") and "#wording-" in href
    assert tooltip == "海南省 2026：大规模设备更新和消费品以旧换新。"
    href, tooltip = link_target(terms["两新"], scope.target(sichuan, "两新"), "reports/sichuansheng-2026.md")
    assert href == "#gloss-1" and tooltip == "是指大规模设备更新和消费品以旧换新。"


def test_matching_does_not_depend_on_earlier_glossaries():
    """jieba's dictionary is process-wide: a glossary linked before must not change word boundaries now."""
    TermMatcher(["两重两新", "北大概"])
    found = TermMatcher(["两重", "两新"]).find("用好“两重”“两新”政策")
    assert [o.key for o in found] == ["两重", "两新"]
    assert [o.key for o in TermMatcher(["北大"]).find("他北大概是不来了")] == []
