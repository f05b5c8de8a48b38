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

from ..chinese import NUMERALS, SALUTATION, SALUTATION_WORD
from ..model import OTHER, WORK_REPORT

# 我代表国务院，向大会报告过去五年政府工作 / 代表市人民政府向大会报告工作 / 向大会作政府工作报告
OPENING = re.compile(r"代表[^。！？\n]{0,24}(?:人民政府|国务院|政府)[^。！？\n]{0,40}?报告[^。！？\n]{0,24}?工作"
                     r"|作[^。！？\n]{0,8}工作报告|报告(?:政府)?工作|关于政府工作的报告")
TITLE_SAYS_REPORT = re.compile(r"政府工作报告")
HEADER_MEETING = re.compile(r"在[^。\n]{2,40}人民代表大会[^。\n]{0,20}会议上")
CLOSING_APPEAL = re.compile(rf"{SALUTATION_WORD}[！!]|让我们[^。]{{0,80}}(?:奋斗|努力|前进|奋进)")
# A line opening the 名词解释 block, searched for in "\n" + text: the regex engine looks for newlines,
# where a `^` pattern is tried at every position (five times slower over a whole report).
GLOSSARY_BLOCK = re.compile(rf"\n[【\[（(]?(?:附件?[\d{NUMERALS}]*\s*[:：、.．]?\s*)?名词(?:解释|注释|解读)")
# Other papers put to the same congress: their title or opening names them.
OTHER_PAPERS = re.compile(r"(?:计划执行情况|预算执行情况|预算草案|决算|决议|审查结果|工作报告的决议|常务委员会工作报告"
                          r"|人民法院工作报告|人民检察院工作报告)")
# How far into a document the salutation may stand (header, chrome and title come first).
SALUTATION_WINDOW = 3000
SHORT_REPORT = 2000   # characters; a report this short is still a report, with a note to check it is whole


def classify(title: str, text: str) -> tuple[str, str]:
    """Return (kind, reason); the reason lists the evidence found, or what was missing."""
    traditional = is_traditional(text)
    text = simplified(text, traditional)
    title = simplified(title or "", traditional)
    head = text[:SALUTATION_WINDOW]
    salutation = SALUTATION.search(head)
    evidence = []
    if OPENING.search(text[:SALUTATION_WINDOW + 1500]):
        evidence.append("开头说明向大会报告工作")
    if TITLE_SAYS_REPORT.search(title) or TITLE_SAYS_REPORT.search(head[: salutation.start()] if salutation else head[:300]):
        evidence.append("标题为政府工作报告")
    if HEADER_MEETING.search(head[: salutation.start()] if salutation else ""):
        evidence.append("题注写明在人民代表大会上所作")
    if CLOSING_APPEAL.search(text[-3000:]):
        evidence.append("结尾向代表们发出号召")
    if GLOSSARY_BLOCK.search("\n" + text):
        evidence.append("附名词解释")
    paper = OTHER_PAPERS.search(title) or OTHER_PAPERS.search(head[:200])
    if paper and not TITLE_SAYS_REPORT.search(title + head[:200]):
        return OTHER, f"是提请大会审议的其他文件（{paper.group(0)}），不是政府工作报告"
    strong = [e for e in evidence if e != "结尾向代表们发出号召" and e != "附名词解释"]
    if salutation and strong:
        why = "称呼“各位代表”，" + "，".join(evidence)
        if len(text) < SHORT_REPORT:
            why += f"；篇幅短（{len(text)} 字），证据足以认定"
        return WORK_REPORT, why
    missing = []
    if not salutation:
        missing.append("开头没有“各位代表”称呼")
    if not strong:
        missing.append("没有“代表……政府……报告工作”的开场白，标题或题注也不是政府工作报告")
    return OTHER, "；".join(missing) + (f"（找到：{'，'.join(evidence)}）" if evidence else "")


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
