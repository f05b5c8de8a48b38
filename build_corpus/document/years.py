"""Years: the year a report was delivered, from what its text says of its own time.

Evidence, strongest first:

- the session of the National People's Congress the report is addressed to (向第六届全国人民代表
  大会第一次会议作政府工作报告), through the table of sessions in data/metadata.yml;
- a span from a dated event to now: 第十届全国人民代表大会第一次会议以来的五年 (2003 + 5),
  从去年三月第五届全国人民代表大会第一次会议闭幕到我们这次会议 (1978 + 1), 五年来 after a session;
- the year under review (一、１９９１年国内工作的回顾, 首先报告２００１年的工作, 刚刚过去的１９８４年:
  delivered the year after), a five-year plan period under review (“十一五”时期…的回顾: the year
  after its last), the year planned (2024年的主要任务: that year).

Never evidence: a year inside a quotation of an earlier decision (根据一九八三年六月…会议的决议),
the start of a government's term (本届政府从1993年3月就职), the first year of a five-year review
(2012年以来), a file's name, an archive's label. Where the evidence disagrees the year stays empty,
with a note that says what disagreed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..chinese import FULLWIDTH_ALNUM_TO_ASCII, chinese_numeral_value
from ..chinese import NUMERALS_WITH_ZERO as NUMERAL

_N = rf"[{NUMERAL}\d]{{1,3}}"
# 第六届全国人民代表大会(第一次会议) — the national congress and, usually, its session.
SESSION = re.compile(rf"第(?P<n>{_N})届全国人民代表大会(?!常务委员会)(?:第(?P<m>{_N})次会议)?")
# What stands before a session the report is addressed to (向…, 在…上, 我们…) and after one in its past.
_ADDRESSED_BEFORE = re.compile(r"(?:向(?:大会和)?|我们|这次|本次)(?:的)?$")
# 在第十四届全国人民代表大会第二次会议上 — the header's own meeting, in a report's first lines only
# (later, 在第三届全国人民代表大会上 recalls an earlier one).
_HEADER_AREA = 400
_PAST_AFTER = re.compile(r"^[^。；\n]{0,12}?(?:以来|闭幕|的决议|决议|期间|通过的|到现在|到这次|到本次|到我们|召开以来)")
_PAST_BEFORE = re.compile(r"(?:从|自|根据|去年|上次|前年)[^。，；\n]{0,12}$")
# The span from a dated event to this session: …以来的五年 / 已经整整过去了五年 / 一年零三个月.
_SPAN = re.compile(rf"以来的(?P<a>[{NUMERAL}\d]{{1,2}})年|过去了?(?P<b>[{NUMERAL}\d]{{1,2}})年|(?P<c>[{NUMERAL}\d]{{1,2}})年来"
                   r"|(?P<one>一年零)")
_LAST_YEAR = re.compile(r"去年[^。，；\n]{0,8}$")

YEAR = r"(?P<y>(?:19|20)\d{2})\s*年"
# The year under review: 一、2023年工作回顾 / 一、１９９１年国内工作的回顾 / 首先报告２００１年的工作 /
# 刚刚过去的１９８４年 / 一、过去一年工作回顾 ⏎ 2004年，….
REVIEW = re.compile(YEAR + r"(?:的)?[^，。；：\n]{0,8}?(?:回顾|总结|完成情况)"
                    r"|首先报告(?P<y2>(?:19|20)\d{2})\s*年的工作|过去的(?P<y3>(?:19|20)\d{2})\s*年"
                    r"|过去一年[^，。；\n]{0,6}回顾\s*\n?\s*(?P<y4>(?:19|20)\d{2})\s*年[，,]")
# The year planned: 2024年的主要任务 / 2024年工作安排 / 关于2024年的工作 / 2024年经济社会发展的主要预期目标.
PLAN = re.compile(YEAR + r"(?:的)?(?:政府)?(?:工作|经济社会发展|国民经济和社会发展)?的?"
                  r"(?:主要任务|工作任务|重点工作|工作安排|总体要求|主要目标|预期目标|工作部署|主要预期目标|工作建议)"
                  r"|关于(?P<y2>(?:19|20)\d{2})\s*年的?(?:政府)?工作")
# “十一五”时期…的回顾 / 胜利完成“十五”计划: a five-year plan period under review.
PERIOD_REVIEW = re.compile(rf"[“\"]?(?P<p>[{NUMERAL}]{{1,3}}五)[”\"]?(?:时期|计划|规划)[^，。；\n]{{0,24}}?(?:回顾|完成情况|胜利完成)"
                           rf"|(?:胜利)?完成[^，。；\n]{{0,4}}[“\"]?(?P<q>[{NUMERAL}]{{1,3}}五)[”\"]?(?:计划|规划)")
# 明年发展国民经济的主要任务 (a report of December planning the next year): its plan years are
# the year after the one it is delivered in.
NEXT_YEAR_PLAN = re.compile(r"明年[^。，；\n]{0,12}?(?:主要任务|的任务|工作任务|计划)")
THIS_YEAR_PLAN = re.compile(r"今年[^。，；\n]{0,12}?(?:主要任务|的任务|工作任务|总体要求|主要预期目标)")
# "2025年是“十四五”规划收官之年": the year reviewed or the year planned — used only in pairs.
YEAR_IS = re.compile(YEAR + r"是[^。]{2,60}(?:之年|一年)")
HEAD = 30000


@dataclass
class YearVote:
    year: int
    text: str        # the words that say so, as a note or the evidence shows them
    kind: str        # session, span, review, plan, period


def normalized(text: str) -> str:
    """Digits as one pattern reads them: full-width to ASCII, spaced digits of a year joined
    (1 9 9 3 年 → 1993年). Chinese numerals are converted before (metadata.arabic_dates)."""
    text = text.translate(FULLWIDTH_ALNUM_TO_ASCII)
    return _SPACED_YEAR.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)


_SPACED_YEAR = re.compile(r"(?<!\d)\d(?:[ \t\u3000]+\d){3}(?=\s*年)")


def session_year(n: int, m: int | None, first_years: list[int]) -> int | None:
    """The year of the m-th session of the n-th National People's Congress (its first without m)."""
    if not 1 <= n <= len(first_years):
        return None
    return first_years[n - 1] + (m or 1) - 1


def votes(body: str, headings: list[str], first_years: list[int], plan_periods: dict[str, list[int]]) -> list[YearVote]:
    """Every piece of evidence of the year delivered in a report's body and level-1 headings."""
    body, headings = normalized(body), [normalized(h) for h in headings]
    found = _session_votes(body[:HEAD], first_years)
    ahead = 1 if NEXT_YEAR_PLAN.search(body[:HEAD]) and not THIS_YEAR_PLAN.search(body[:HEAD]) else 0
    for heading in headings:   # a heading's vote is shown as the whole heading
        found += [YearVote(v.year, heading, v.kind) for v in _review_and_plan(heading, plan_periods, ahead)]
    if not any(v.kind in ("review", "plan", "period") for v in found):
        found += _review_and_plan(body[:HEAD], plan_periods, ahead)
    return found


def _session_votes(text: str, first_years: list[int]) -> list[YearVote]:
    found = []
    for m in SESSION.finditer(text):
        n = chinese_numeral_value(m.group("n"))
        k = chinese_numeral_value(m.group("m")) if m.group("m") else None
        year = session_year(n, k, first_years) if n else None
        if year is None:
            continue
        before, after = text[max(0, m.start() - 20):m.start()], text[m.end():m.end() + 60]
        if _PAST_AFTER.match(after) or _PAST_BEFORE.search(before):
            sentence_end = min((i for i in (text.find(c, m.end()) for c in "。；") if i >= 0), default=len(text))
            rest = text[m.end():min(sentence_end, m.end() + 80)]
            if span := _SPAN.search(rest):
                elapsed = 1 if span.group("one") else chinese_numeral_value(span.group("a") or span.group("b") or span.group("c"))
                if elapsed:
                    found.append(YearVote(year + elapsed, text[m.start():m.end() + span.end()].replace("\n", ""), "span"))
            elif _LAST_YEAR.search(before):
                found.append(YearVote(year + 1, text[max(0, m.start() - 8):m.end()].replace("\n", ""), "span"))
        elif _ADDRESSED_BEFORE.search(before) or m.start() < _HEADER_AREA and before.endswith("在") \
                and text[m.end():m.end() + 1] == "上":
            found.append(YearVote(year, (before[-6:] + m.group(0)).replace("\n", ""), "session"))
    return found


def _review_and_plan(text: str, plan_periods: dict[str, list[int]], ahead: int) -> list[YearVote]:
    """Review, plan and plan-period votes; `ahead` is 1 when the report plans “明年” (the year after its own)."""
    found = [YearVote(int(next(filter(None, m.group("y", "y2", "y3", "y4")))) + 1, m.group(0).replace("\n", " "), "review")
             for m in REVIEW.finditer(text)]
    found += [YearVote(int(m.group("y") or m.group("y2")) - ahead, m.group(0) + ("（“明年”的任务）" if ahead else ""), "plan")
              for m in PLAN.finditer(text)]
    for m in PERIOD_REVIEW.finditer(text):
        period = plan_periods.get(m.group("p") or m.group("q"))
        if period:
            found.append(YearVote(period[1] + 1, m.group(0), "period"))
    return found


def pairs_of_year_is(body: str) -> tuple[list[YearVote], str | None]:
    """“2025年是…之年” names the year reviewed or the year planned: only two consecutive ones say which."""
    said = {int(m.group("y")): m.group(0) for m in YEAR_IS.finditer(normalized(body)[:HEAD])}
    if len(said) == 2 and max(said) - min(said) == 1:
        return [YearVote(max(said), said[max(said)], "plan")], None
    if said:
        return [], f"“{next(iter(said.values()))}”既可能是所回顾的一年，也可能是所规划的一年，不据此推断年份"
    return [], None


def decide(found: list[YearVote]) -> tuple[YearVote | None, str | None]:
    """The year the evidence agrees on, or None and a note saying what disagreed.

    A session the report is addressed to, or a span from a dated event to it, is a fact about the
    report's own meeting; the review and plan years read its contents. Either kind, split between
    two years, leaves the year empty.
    """
    if not found:
        return None, None
    facts = [v for v in found if v.kind in ("session", "span")]
    pool = facts or found
    counts = Counter(v.year for v in pool)
    (year, n), *others = counts.most_common()
    if others and (facts or others[0][1] * 2 > n):
        return None, "年份证据互相矛盾（" + "；".join(f"{y}年：{'、'.join(dict.fromkeys(v.text for v in pool if v.year == y))}"
                                             for y, _ in counts.most_common()) + "），年份留空"
    chosen = next(v for v in pool if v.year == year)
    return chosen, None
