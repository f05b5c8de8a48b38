"""Classify: is a document a government work report, or some other article?

A work report is a speech to a people's congress, and says so in a few fixed
ways: it addresses 各位代表, opens with "(我)代表…人民政府/国务院…报告…工作",
has a title or header naming it (政府工作报告, "在…人民代表大会…会议上"),
ends with an appeal to the deputies, often carries a 名词解释 block. A news item
about the same place shares its vocabulary but not the salutation. The decision
counts this evidence, never the length: a 1,500-character town report is a
report (its notes say it is short). Plans, budgets and resolutions put to the
same congress are other documents, and say so in their titles.

Traditional-character texts are matched through OpenCC (`simplified`), so every
pattern here is written once, in simplified characters.
"""
from __future__ import annotations

import re
from functools import lru_cache
from operator import ne

from ..chinese import COMMITTEE_SALUTATION_WORD, NUMERALS, SALUTATION, SALUTATION_WORD
from ..model import OTHER, WORK_REPORT

GOVERNMENT = r"(?:国务院|中央人民政府|人民政府|政府)"
_CLAUSE = r"[^。！？\n]"
# The sentence that opens a work report: the government, or one it commissions, reports to the
# congress. 我代表国务院，向大会报告过去五年政府工作 / 代表市人民政府向大会报告工作 / 向大会作政府
# 工作报告; and as the State Council's reports of every decade word it: 我代表国务院向第一届全国人民
# 代表大会第五次会议，提出关于…的报告 / 我受国务院的委托，现在向大会提出关于…的报告 / 我代表国务院，
# 就当前的经济形势…向大会作以下报告.
OPENING = re.compile(rf"代表{_CLAUSE}{{0,24}}{GOVERNMENT}{_CLAUSE}{{0,40}}?报告{_CLAUSE}{{0,24}}?工作"
                     rf"|作{_CLAUSE}{{0,8}}工作报告|报告(?:政府)?工作|关于政府工作的报告"
                     rf"|(?:代表|受){_CLAUSE}{{0,30}}?{GOVERNMENT}(?:的)?(?:委托)?{_CLAUSE}{{0,120}}?(?:向|对){_CLAUSE}{{0,40}}?"
                     rf"(?:大会|会议){_CLAUSE}{{0,80}}?(?:作|提出){_CLAUSE}{{0,80}}?报告"
                     rf"|代表{_CLAUSE}{{0,30}}?{GOVERNMENT}{_CLAUSE}{{0,80}}?(?:作|提出){_CLAUSE}{{0,80}}?报告{_CLAUSE}{{0,12}}?(?:审议|审查)")
# 我代表国务院…: the government speaks itself, not one it commissions (受…委托): what it reports
# on — the five-year plan, in the 1950s the year's plan or budget — is its report to the congress.
SPEAKS_AS_GOVERNMENT = re.compile(rf"代表[^，、。！？\n]{{0,30}}?{GOVERNMENT}")
# Another body reports to a congress: 我代表省人大常委会 / 中共…委员会 / 最高人民法院 / 政协…常务委员会.
OTHER_BODY = re.compile(r"(?:(?<!人民)代表(?!大会)|受)[^，、。！？\n]{0,30}?(?:委员会|常委会|人民法院|人民检察院)")
TITLE_SAYS_REPORT = re.compile(r"政府工作报告")
HEADER_MEETING = re.compile(r"在[^。\n]{2,40}人民代表大会[^。\n]{0,20}会议上")
CLOSING_APPEAL = re.compile(rf"(?:{SALUTATION_WORD}|{COMMITTEE_SALUTATION_WORD})[！!]|让我们[^。]{{0,80}}(?:奋斗|努力|前进|奋进)")
# A line opening the 名词解释 block, searched for in "\n" + text: the regex engine looks for newlines,
# where a `^` pattern is tried at every position (five times slower over a whole report).
GLOSSARY_BLOCK = re.compile(rf"\n[【\[（(※]*\s*(?:附件?[\d{NUMERALS}]*\s*[:：、.．]?\s*)?名词(?:解释|注释|解读)|\n[【\[（(※]+\s*注释\s*[】\]）)※]+")
# Other papers put to the same congress: their title or opening names them.
OTHER_PAPERS = re.compile(r"(?:计划执行情况|预算执行情况|预算草案|决算|决议|审查结果|工作报告的决议|常务委员会工作报告"
                          r"|人民法院工作报告|人民检察院工作报告)")
# A party's congress or a meeting of cadres is addressed as 同志们, never a people's congress.
COMRADES = re.compile(r"^\s*(?:各位代表、)?同志们\s*[:：,，!！]", re.MULTILINE)

# What a report without its opening still shows (a page that starts at its first heading): the
# review of the past year(s), the plan of the year(s) ahead, the government's own conduct.
_LEVEL1 = rf"(?:^|\n)\s*(?:第[{NUMERALS}]{{1,3}}部分|[{NUMERALS}]{{1,3}}、)\s*"
REVIEW_HEADING = re.compile(_LEVEL1 + r"[^\n]{0,30}?(?:回顾|工作完成情况|过去[^\n]{0,6}年)")
PLAN_HEADING = re.compile(_LEVEL1 + r"[^\n]{0,30}?(?:\d{4}|今年|今后|明年|未来)[^\n]{0,30}?(?:工作|任务|目标|安排|部署|思路)")
OWN_CONDUCT = re.compile(r"(?:加强|推进|全面加强)?政府自身建设")
# A digest of the report (the text a news agency published when the full text was not): the
# speaker's report summarised part by part, 周恩来总理在报告中指出 … 报告的第二部分是关于….
DIGEST = re.compile(rf"(?:总理|省长|市长|县长|区长|主席)[^。！？\n]{{0,12}}?(?:在报告中|报告的第[{NUMERALS}]部分)")
MIN_DIGEST_MENTIONS = 3
MIN_DIGEST_CHARS = 5000
# How far into a document the salutation may stand (header, chrome and title come first).
SALUTATION_WINDOW = 3000
SHORT_REPORT = 2000   # characters; a report this short is still a report, with a note to check it is whole
COMMITTEE_VERSION = "政协稿：向政协委员印发的报告文本（称呼“各位委员”）"


def classify(title: str, text: str) -> tuple[str, str]:
    """Return (kind, reason); the reason lists the evidence found, or what was missing."""
    traditional = is_traditional(text)
    text = simplified(text, traditional)
    title = simplified(title or "", traditional)
    head = text[:SALUTATION_WINDOW]
    salutation = SALUTATION.search(head)
    before_salutation = head[: salutation.start()] if salutation else ""
    opening = OPENING.search(text[:SALUTATION_WINDOW + 1500])
    evidence = []
    if opening:
        evidence.append("开头说明向大会报告工作")
    if TITLE_SAYS_REPORT.search(title) or TITLE_SAYS_REPORT.search(before_salutation if salutation else head[:300]):
        evidence.append("标题为政府工作报告")
    if HEADER_MEETING.search(before_salutation):
        evidence.append("题注写明在人民代表大会上所作")
    evidence += _appeal_and_glossary(text)
    itself = opening is not None and SPEAKS_AS_GOVERNMENT.search(opening.group(0)) is not None
    paper = OTHER_PAPERS.search(title) or (not itself and OTHER_PAPERS.search(head[:200]))
    if paper and not TITLE_SAYS_REPORT.search(title + head[:200]):
        return OTHER, f"是提请大会审议的其他文件（{paper.group(0)}），不是政府工作报告"
    other_body = OTHER_BODY.search(head[:SALUTATION_WINDOW])
    if other_body and not (opening and opening.start() < other_body.start()) and not TITLE_SAYS_REPORT.search(title):
        return OTHER, f"是其他机关向大会所作的报告（{other_body.group(0)}），不是政府工作报告"
    if COMRADES.search(head) and not salutation:
        return OTHER, "称呼“同志们”：是党的会议或干部会议上的讲话、报告，不是向人民代表大会所作的政府工作报告"
    strong = [e for e in evidence if e != "结尾向代表们发出号召" and e != "附名词解释"]
    if salutation and strong:
        if salutation.group(0).startswith(COMMITTEE_SALUTATION_WORD):
            if not itself:
                return OTHER, "称呼“各位委员”，开头没有说明代表人民政府报告工作：是政协或其他会议的文件"
            return WORK_REPORT, f"{COMMITTEE_VERSION}，" + "，".join(evidence)
        why = "称呼“各位代表”，" + "，".join(evidence)
        if len(text) < SHORT_REPORT:
            why += f"；篇幅短（{len(text)} 字），证据足以认定"
        return WORK_REPORT, why
    if not opening:   # (a salutation may be there all the same: the closing 各位代表！ of a short text)
        body = body_evidence(text)
        # the review and the plan, and what only a government's report to a congress has (a party
        # committee's report reviews, plans and appeals too)
        if {"有回顾工作的一级标题", "有部署工作的一级标题"} <= set(body) and set(body) & GOVERNMENT_ONLY:
            return WORK_REPORT, "没有称呼和开场白（原文从正文开始），正文有工作报告的结构：" + "，".join(dict.fromkeys(body + evidence))
        digest = len(DIGEST.findall(text))
        if digest >= MIN_DIGEST_MENTIONS and len(text) >= MIN_DIGEST_CHARS:
            return WORK_REPORT, f"{DIGEST_VERSION}：逐部分转述报告内容（{digest} 处“在报告中”“报告的第…部分”）"
    missing = []
    if not salutation:
        missing.append("开头没有“各位代表”称呼")
    if not strong:
        missing.append("没有“代表……政府……报告工作”的开场白，标题或题注也不是政府工作报告")
    return OTHER, "；".join(missing) + (f"（找到：{'，'.join(evidence)}）" if evidence else "")


DIGEST_VERSION = "报告摘要：转述报告内容的新闻稿，不是报告全文"
GOVERNMENT_ONLY = {"有“政府自身建设”部分", "附名词解释", "写明在人民代表大会上所作"}


def _appeal_and_glossary(text: str) -> list[str]:
    """What a report's end shows: the closing appeal, the 名词解释 block."""
    found = []
    if CLOSING_APPEAL.search(text[-3000:]):
        found.append("结尾向代表们发出号召")
    if GLOSSARY_BLOCK.search("\n" + text):
        found.append("附名词解释")
    return found


def body_evidence(text: str) -> list[str]:
    """What the body of a text without its opening shows of a work report's structure."""
    found = []
    if REVIEW_HEADING.search(text):
        found.append("有回顾工作的一级标题")
    if PLAN_HEADING.search(text):
        found.append("有部署工作的一级标题")
    if OWN_CONDUCT.search(text):
        found.append("有“政府自身建设”部分")
    found += _appeal_and_glossary(text)
    if HEADER_MEETING.search(text[:SALUTATION_WINDOW]):
        found.append("写明在人民代表大会上所作")
    return found


def is_traditional(text: str) -> bool:
    """Written in traditional characters: many of its characters change under OpenCC's t2s.

    (A simplified text is left alone: t2s also maps a few characters simplified Chinese uses too.)
    """
    sample = text[:4000]
    if not sample:
        return False
    converted = _converter().convert(sample)
    if converted == sample:   # most simplified texts: t2s changes nothing (one memcmp, not a count)
        return False
    return len(converted) != len(sample) or sum(map(ne, sample, converted)) >= max(5, len(sample) // 100)


def simplified(text: str, traditional: bool | None = None) -> str:
    """The text in simplified characters when it is written in traditional ones, else as it is.
    `traditional` is the document's verdict, for its short pieces (titles) that cannot tell."""
    if not text or not (is_traditional(text) if traditional is None else traditional):
        return text
    return _converter().convert(text)


@lru_cache(maxsize=1)
def _converter():
    import opencc
    return opencc.OpenCC("t2s")
