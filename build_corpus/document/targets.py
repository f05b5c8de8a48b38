"""Targets: the year's 主要预期目标 and the figures of the year under review, as records.

A report states its targets in one passage (主要预期目标是：地区生产总值增长5.5%左右；城镇新增就业
85万人…). Each clause of it that names an indicator and a number becomes a `Target`; the passage ends
with its paragraph or at the first sentence holding no target. Figures of the year under review
("全年实现地区生产总值…增长6.1%") are read only from the paragraphs before that passage, only for the
common indicators, and never from a sentence about several years or the future. Every pattern is in
data/targets.yml; what is not clearly a target is left out rather than guessed.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import yaml

from ..chinese import percentages_in_digits
from ..model import Document, Paragraph, Problem

DATA = Path(__file__).parent.parent / "data" / "targets.yml"
TARGET, ACHIEVED = "target", "achieved"
NUMBER = r"\d+(?:[.．]\d+)?"   # the older reports' full-width point too: 8．8%
DASH = r"[—–\-－~～至到]+"
# A short remark between a figure's name or amount and its growth: 再上新台阶，/ 稳居全国前十强、
ASIDE = r"[^\d，、；。,;%％]{2,8}[，、,]"
LEAD_CHARS = 24   # longer than any achieved_lead (初步统计，2025年全省全年实现 is 17)
# Larger than any figure of the units read here (全国 GDP is about 1.4 × 10^6 亿元).
MAX_FIGURE = 1e9
SENTENCE_CHARS = 400   # a record's sentence whole up to this (the longest of the real passages: 357)
CONTEXT_CHARS = 40     # in a longer one, the characters kept either side of the record's clause
SENTENCE_END = re.compile(r"(?<=[。！？])")
CLAUSE_SEPARATORS = re.compile(r"[，；,;：:]")
LEADING_WORDS = re.compile(r"^(?:其中|同时|全年|力争|确保)")
PLACE_PREFIX = re.compile(r"^全[省市区县镇乡州盟]")


@dataclass
class Target:
    """One stated figure: a target for the report's year, or what was achieved the year before."""
    kind: str                  # TARGET | ACHIEVED
    indicator: str             # as written: 全省生产总值, 城镇调查失业率
    key: str                   # gdp, unemployment … for the common indicators; "" otherwise
    comparator: str            # as written: 增长, 控制在, 涨幅, 达到 …; "" when none is written
    value: str                 # as written: 5%—5.5%, 85万人; "" for 同步
    low: float | None          # the number, or the lower end of a range
    high: float | None         # the upper end; equal to low when not a range
    unit: str                  # %, 万人, 亿斤 …
    qualifier: str             # 左右, 以上, 以内, 同步, 基本同步 …
    sentence: str              # the sentence it was read from (a long one: the clause and some context)
    anchor: str = ""           # the paragraph's anchor on the report page
    report_id: str = ""
    place: str = ""
    level: str = ""
    year: int | None = None          # the report's year
    figure_year: int | None = None   # the year the figure is about
    numeric: bool = True             # False: a target stated without a number (粮食产量保持稳定), its words in `value`

    @property
    def written(self) -> str:
        """The value with its qualifier: 5.5%左右, 与经济增长同步."""
        return self.value + self.qualifier if self.value else f"与经济增长{self.qualifier}"

    @property
    def statement(self) -> str:
        """Comparator, value and qualifier as a table shows them: 增长 5.5%左右, 增长与经济增长同步."""
        return f"{self.comparator} {self.written}".strip() if self.value else self.comparator + self.written

    def as_json(self) -> dict:
        return asdict(self)


@cache
def _data() -> dict:
    with DATA.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@cache
def _patterns() -> dict[str, re.Pattern]:
    d = _data()
    comparators = "|".join(re.escape(c) for c in sorted(d["comparators"], key=len, reverse=True))
    units = "|".join(re.escape(u) for u in sorted(d["units"], key=len, reverse=True))
    qualifiers = "|".join(re.escape(q) for q in d["qualifiers"])
    value = rf"(?P<value>{NUMBER}(?:(?:{units}){DASH}|{DASH}){NUMBER}|{NUMBER})(?P<unit>{units})(?P<qualifier>{qualifiers})?"
    one_value = rf"{NUMBER}(?:{units})?(?:{qualifiers})?"
    names = sorted({n for spec in d["indicators"].values() for n in spec["names"]}, key=len, reverse=True)
    return {
        "openings": [re.compile(p) for p in d["passage_openings"]],
        "sentence_openings": [re.compile(p) for p in d["sentence_openings"]],
        "clause": re.compile(rf"^(?P<indicator>[^\d%％]+?)(?P<comparator>{comparators})?{value}(?P<rest>[^\d]*)$"),
        "together": re.compile(rf"^(?P<indicator>[^\d%％]+?)(?P<how>分别|均)(?P<comparator>{comparators})?"
                               rf"(?P<values>{one_value}(?:[、和及与]{one_value})+|{one_value})(?P<rest>[^\d]*)$"),
        "one_value": re.compile(rf"(?P<number>{NUMBER})(?P<unit>{units})?(?P<qualifier>{qualifiers})?"),
        "text": re.compile(rf"^(?P<indicator>[^\d%％，；。]{{2,30}}?)(?P<predicate>{'|'.join(f'(?:{p})' for p in d['text_predicates'])})$"),
        "text_objects": [re.compile(p) for p in d["text_objects"]],
        "in_step": re.compile(r"^(?P<indicator>[^\d]+?)(?P<comparator>增长|增速)?(?:和|与|同)经济增长"
                              r"(?:保持)?(?P<qualifier>基本同步|同步)$"),
        "growth_list": re.compile(rf"(?:同比|可比价)*(?:分别)?(?P<comparator>增长)(?P<values>{NUMBER}[%％](?:[和、及与]{NUMBER}[%％])+)"),
        "name_amount": re.compile(rf"^(?:其中|全年实现|实现|完成)?(?P<name>[^\d，、；。,;]{{2,16}}?)(?:实现|达到|达|为)?{NUMBER}(?:万亿|亿|万)?元$"),
        "review_excluded": re.compile(d["review_excluded"]),
        "five_years": re.compile(d["review_five_years"]),
        "plan_period": re.compile(d["review_plan_period"]),
        "one_year": re.compile(d["review_one_year"]),
        # What may stand between a clause's start and an achieved figure's name; checked on the few
        # characters before each name found, since a pattern starting with it is slow to search for.
        "achieved_lead": re.compile(r"(?:^|[，、；：,;:])(?:初步统计[，,]?|其中)?(?:\d{4}年)?"
                                    r"(?:全[省市区县镇乡州盟](?=全年|实现|完成))?(?:全年)?(?:实现|完成)?$"),
        "achieved": re.compile(
            rf"(?P<indicator>(?:全[省市区县镇乡州盟])?(?:{'|'.join(map(re.escape, names))}))"
            rf"(?:{ASIDE})?(?:实现|达到|达|为|超过)?(?:{NUMBER}多?(?:万亿|亿|万)?元)?[、，,]?(?:{ASIDE})?"
            rf"(?:按可比价格?计算[，,]?|可比价|同比|比上年)*"
            rf"(?P<comparator>(?:实际)?(?:增长|下降|上涨))(?P<value>{NUMBER})(?P<unit>%|％)(?![\d.]|{DASH}|[和、及与]{NUMBER})"),
    }


def indicator_key(indicator: str) -> str:
    """The common indicator a name stands for, place prefix aside.

    >>> indicator_key("全省生产总值"), indicator_key("规上工业增加值"), indicator_key("农民人均纯收入")
    ('gdp', 'industry', '')
    """
    name = PLACE_PREFIX.sub("", indicator) if len(indicator) > 3 else indicator
    for key, spec in _data()["indicators"].items():
        if name in spec["names"] or indicator in spec["names"]:
            return key
    return ""


def indicator_notes() -> dict[str, tuple[str, str]]:
    """Key -> (what a reader of its page must know, the key of the page it points to or "")."""
    return {key: (spec["note"], spec.get("see", "")) for key, spec in _data()["indicators"].items() if spec.get("note")}


def indicator_labels() -> dict[str, str]:
    """Key -> the label of its page, in the order of data/targets.yml."""
    return {key: spec["label"] for key, spec in _data()["indicators"].items()}


# --- the passage of targets ---------------------------------------------------

def passage_opening(text: str) -> str | None:
    """The text after a paragraph's first 主要预期目标 opening, or None."""
    found = [m for p in _patterns()["openings"] if (m := p.search(text))]
    return text[min(found, key=lambda m: (m.start(), -m.end())).end():] if found else None


def passage_targets(text: str, following: str = "") -> list[Target]:
    """The targets of a paragraph holding a 主要预期目标 passage, or else a sentence that sets the
    year's growth (今年经济增长预期为7%左右); [] when it holds neither. An opening that ends its
    paragraph (…主要预期目标是：) is followed by the targets in `following`."""
    rest = passage_opening(text)
    if rest is not None and (records := parse_passage(rest if rest.strip() else following)):
        return records
    for sentence in SENTENCE_END.split(text):
        found = [m for p in _patterns()["sentence_openings"] if (m := p.search(sentence))]
        if found:
            m = min(found, key=lambda m: m.start())
            records = parse_passage((m.groupdict().get("indicator") or "") + sentence[m.end():])
            for t in records:
                t.sentence = sentence.strip()   # the sentence as written, not as read
            if records:
                return records
    return []


def parse_passage(text: str) -> list[Target]:
    """Targets of a passage starting after 主要预期目标是： (sentence and anchor filled in, nothing else).

    >>> [(t.indicator, t.comparator, t.value, t.qualifier) for t in parse_passage("地区生产总值增长5.5%左右；城镇新增就业85万人。")]
    [('地区生产总值', '增长', '5.5%', '左右'), ('城镇新增就业', '', '85万人', '')]
    """
    found: list[Target] = []
    for sentence in SENTENCE_END.split(text):
        if not sentence.strip():
            continue
        by_clause = [(clause, parse_clause(clause)) for clause in _clauses(sentence)]
        if not any(records for _, records in by_clause):
            break   # the passage has ended: 这些目标充分考虑了… / 为顺利实现上述目标…
        # A clause without a number beside numbered ones is a target too, kept as its words.
        records = []
        for clause, numbered in by_clause:
            for t in numbered or text_target(clause):
                t.sentence = sentence_context(sentence.strip(), clause)
                records.append(t)
        found.extend(records)
    return found


def sentence_context(sentence: str, part: str) -> str:
    """The sentence a record was read from; from one longer than SENTENCE_CHARS, the record's part
    and CONTEXT_CHARS either side, marked with …. Every record carries its sentence into
    targets.csv/json and corpus.jsonl: n clauses of one sentence made n copies of n clauses (2,000
    clauses, 69 KB of source, made 403 MB of docs/); a record's size is now bounded by its own.

    >>> sentence_context("地区生产总值增长5%；" * 3, "地区生产总值增长5%")
    '地区生产总值增长5%；地区生产总值增长5%；地区生产总值增长5%；'
    >>> sentence_context("就业增长1%；" * 100 + "地区生产总值增长5%", "地区生产总值增长5%")
    '…增长1%；就业增长1%；就业增长1%；就业增长1%；就业增长1%；就业增长1%；地区生产总值增长5%'
    """
    if len(sentence) <= SENTENCE_CHARS:
        return sentence
    at = max(sentence.find(part), 0)
    start, end = max(0, at - CONTEXT_CHARS), min(len(sentence), at + min(len(part), SENTENCE_CHARS) + CONTEXT_CHARS)
    return ("…" if start else "") + sentence[start:end] + ("…" if end < len(sentence) else "")


def text_target(clause: str) -> list[Target]:
    """A target without a number (全员劳动生产率增速高于地区生产总值增速): indicator and predicate as written.

    >>> [(t.indicator, t.value, t.numeric) for t in text_target("粮食播种面积及生态环境质量指标完成国家下达目标任务")]
    [('粮食播种面积及生态环境质量指标', '完成国家下达目标任务', False)]
    """
    flat = LEADING_WORDS.sub("", re.sub(r"\s+", "", clause))
    if m := next((m for p in _patterns()["text_objects"] if (m := p.match(flat))), None):
        indicator, predicate = m["indicator"], flat   # 完成国家下达的…降低目标: the whole clause says it
    elif (m := _patterns()["text"].match(flat)) and _plain_indicator(m["indicator"]):
        indicator, predicate = m["indicator"], m["predicate"]
    else:
        return []
    t = _record(TARGET, indicator, "", predicate, "", "")
    t.numeric = False
    return [t]


def _clauses(sentence: str) -> list[str]:
    """Clauses at commas and semicolons; a 、 too where the part before it ends with a value."""
    out = []
    for clause in CLAUSE_SEPARATORS.split(sentence.rstrip("。！？")):
        if _patterns()["together"].match(LEADING_WORDS.sub("", re.sub(r"\s+", "", clause))):
            out.append(clause)   # 一产、二产、三产增加值分别增长…: the 、 are the clause's own
            continue
        out.extend(re.split(r"(?<=[%％人斤吨元点右上内下次米])、", clause))
    return [c.strip() for c in out if c.strip()]


def parse_clause(clause: str) -> list[Target]:
    """One clause: `indicator [comparator] value [unit] [qualifier]`, or 分别/均 with several, or 同步.

    >>> [(t.indicator, t.value, t.qualifier) for t in parse_clause("城乡居民人均可支配收入分别增长5%、6.5%左右")]
    [('城镇居民人均可支配收入', '5%', '左右'), ('农村居民人均可支配收入', '6.5%', '左右')]
    """
    p = _patterns()
    clause = LEADING_WORDS.sub("", re.sub(r"\s+", "", percentages_in_digits(clause)))
    if m := p["in_step"].match(clause):
        names = _split_indicator(m["indicator"], 0) if "、" in m["indicator"] else []
        return [_record(TARGET, name, m["comparator"] or "", "", "", m["qualifier"])
                for name in names or [m["indicator"]]]
    if m := p["together"].match(clause):
        return _together(m)
    m = p["clause"].match(clause)
    if not m or not _plain_indicator(m["indicator"]):
        return []
    return [_record(TARGET, m["indicator"], m["comparator"] or "", m["value"] + m["unit"], m["unit"],
                    m["qualifier"] or "")]


def _plain_indicator(name: str) -> bool:
    """A name, not a sentence: short enough and with no verb phrase that says it is something else."""
    return 2 <= len(name) <= 40 and not re.search(r"[“”（）()]$", name)


def _together(m: re.Match) -> list[Target]:
    """分别 gives each named part its own value; 均 gives all parts the one value."""
    values = [v for v in _patterns()["one_value"].finditer(m["values"])]
    names = _split_indicator(m["indicator"], len(values) if m["how"] == "分别" else 0)
    if not names or (m["how"] == "分别" and len(names) != len(values)):
        return []
    if m["how"] == "均":
        values = values[:1] * len(names)
    last_unit = values[-1]["unit"] or ""
    # 分别增长4.5%、5.5%左右: the trailing unit and qualifier are said once for all the values.
    shared_qualifier = values[-1]["qualifier"] if not any(v["qualifier"] for v in values[:-1]) else None
    out = []
    for name, v in zip(names, values):
        unit = v["unit"] or last_unit
        if not unit:
            return []
        qualifier = v["qualifier"] or shared_qualifier or ""
        out.append(_record(TARGET, name, m["comparator"] or "", v["number"] + unit, unit, qualifier))
    return out


def _split_indicator(name: str, parts: int) -> list[str]:
    """城镇和农村居民人均可支配收入 → 城镇居民…, 农村居民…: the last part's tail is shared.

    `parts` 0 takes whatever number of parts the name has (≥ 2), else exactly that many.
    """
    for prefix, expanded in _data()["distributed_prefixes"].items():
        if name.startswith(prefix) and (not parts or parts == len(expanded)):
            return [e + name[len(prefix):] for e in expanded]
    pieces = re.split(r"[、和及与]", name)
    if len(pieces) < 2 or (parts and len(pieces) != parts):
        return []
    heads = pieces[:-1]
    if all(len(p) >= 4 for p in pieces):   # 一般公共预算收入、城乡居民人均可支配收入: whole names
        return pieces
    if len({len(h) for h in heads}) != 1 or len(heads[0]) > 3 or len(pieces[-1]) <= len(heads[0]):
        return []
    tail = pieces[-1][len(heads[0]):]
    return [h + tail for h in heads] + [pieces[-1]]


def _record(kind: str, indicator: str, comparator: str, value: str, unit: str, qualifier: str) -> Target:
    low = high = None
    unusable = False
    if value and (numbers := [float(n.replace("．", ".")) for n in re.findall(NUMBER, value)]):
        if all(map(is_figure, numbers)):
            low, high = numbers[0], numbers[-1]
        else:   # the value stays text, as a target without a number (extract_targets notes it)
            unusable = True
    target = Target(kind, indicator, indicator_key(indicator), comparator, value, low, high, unit, qualifier, "")
    target.numeric = not unusable
    return target


def is_figure(number: float) -> bool:
    """A number a report can mean: finite and below MAX_FIGURE. 400 nines parse to inf, which broke the
    charts' scale and is not JSON; 10^300 is no growth rate, headcount or amount in these units.

    >>> is_figure(5.5), is_figure(float("9" * 400)), is_figure(1e300), is_figure(float("nan"))
    (True, False, False, False)
    """
    return math.isfinite(number) and abs(number) < MAX_FIGURE


# --- figures of the year under review -------------------------------------------

def parse_review(text: str) -> list[Target]:
    """Achieved growth of the common indicators in a paragraph of the review.

    >>> [(t.indicator, t.value) for t in parse_review("全年实现地区生产总值1209.7亿元，增长2.6%。过去五年，地区生产总值年均增长6%。")]
    [('地区生产总值', '2.6%')]
    """
    p = _patterns()
    found = []
    for sentence in SENTENCE_END.split(text):
        flat = re.sub(r"\s+", "", percentages_in_digits(sentence))
        if "%" not in flat and "％" not in flat:   # every figure read here is a percentage
            continue
        for m in p["achieved"].finditer(flat):
            lead = flat[max(0, m.start() - LEAD_CHARS):m.start()]
            if not p["achieved_lead"].search(lead) or p["review_excluded"].search(_statement(flat, m.end())):
                continue
            t = _record(ACHIEVED, m["indicator"], m["comparator"], m["value"] + m["unit"], m["unit"], "")
            t.sentence = sentence_context(sentence.strip(), m["indicator"])
            found.append(t)
        for t in _paired_growth(flat):
            t.sentence = sentence_context(sentence.strip(), t.indicator)
            found.append(t)
    return found


def _statement(flat: str, end: int) -> str:
    """The words from the last semicolon up to `end`: what a figure is said with."""
    return flat[:end].rsplit("；", 1)[-1].rsplit(";", 1)[-1]


def _paired_growth(flat: str) -> list[Target]:
    """Several names, then their growth in order: A、B分别增长6.5%和7%; A 2398亿元，B 468.5亿元，增长6.1%和3.5%.

    >>> [(t.indicator, t.value) for t in _paired_growth("规上工业总产值2398亿元，规上工业增加值468.5亿元，增长6.1%和3.5%")]
    [('规上工业增加值', '3.5%')]
    """
    p = _patterns()
    found = []
    for m in p["growth_list"].finditer(flat):
        statement = _statement(flat, m.start())
        if p["review_excluded"].search(statement + m[0]):
            continue
        values = re.findall(rf"{NUMBER}[%％]", m["values"])
        last = re.split(r"[，,]", statement)
        names = re.split(r"[、和]", last[-1]) if last[-1] else []
        if len(names) != len(values) or not all(2 <= len(n) <= 16 for n in names):
            amounts = [p["name_amount"].match(part) for part in last[-len(values) - 1:-1]] if not last[-1] else []
            if len(amounts) != len(values) or not all(amounts):
                continue
            names = [a["name"] for a in amounts]
        for name, value in zip(names, values):
            if indicator_key(name):   # figures of the common indicators only, as for single statements
                found.append(_record(ACHIEVED, name, m["comparator"], value, value[-1], ""))
    return found


# --- a whole report ---------------------------------------------------------------

def _paragraphs(doc: Document):
    """(paragraph, the heading over it) in reading order; appendices hold no targets of the year."""
    for p in doc.preamble:
        yield p, ""
    for section in doc.sections:
        yield from _walk(section)


def _walk(section):
    yield section.paragraphs[0] if section.paragraphs else None, section.number + section.title
    yield from ((p, "") for p in section.paragraphs[1:])
    for child in section.sections:
        yield from _walk(child)


def _about_one_year(paragraphs) -> list[Paragraph]:
    """The paragraphs outside runs about the five years (这五年… / 过去五年… / ——… under them)."""
    p = _patterns()
    several, out = False, []
    for paragraph, heading in paragraphs:
        for opening in (heading, paragraph.text[:30] if paragraph else ""):
            # 2025年是“十四五”收官之年 is about 2025; “十四五”时期和2025年工作回顾 starts with the five years.
            many, one = p["plan_period"].search(opening), p["one_year"].search(opening)
            if p["five_years"].search(opening):
                several = True
            elif many or one:
                several = bool(many) and (not one or many.start() < one.start())
        if paragraph and not several:
            out.append(paragraph)
    return out


def extract_targets(doc: Document) -> list[Target]:
    """The report's targets (from its first 主要预期目标 passage) and, before it, the year's results,
    with the report's metadata (`stamped`). Each report's own: document/steps.py keeps them in the
    document (and the per-source cache)."""
    return stamped(read_targets(doc), doc)


def read_targets(doc: Document) -> list[Target]:
    """The records as the text gives them, each at its paragraph; a number no report can mean is a notice."""
    before: list[tuple[Paragraph | None, str]] = []
    targets: list[Target] = []
    paragraphs = list(_paragraphs(doc))
    for i, (p, heading) in enumerate(paragraphs):
        following = next((q for q, _ in paragraphs[i + 1:i + 2] if q), None)
        targets = passage_targets(p.text, following.text if following else "") if p else []
        if targets:
            # Each record where its words are: an opening ending its paragraph has them in the next.
            rest = passage_opening(p.text)
            where = following if rest is not None and not rest.strip() and following else p
            targets = _located(targets, where)
            break
        before.append((p, heading))
    if not targets:
        return []
    achieved: dict[str, Target] = {}
    for p in _about_one_year(before):
        for t in _located(parse_review(p.text), p):
            achieved.setdefault(t.key, t)   # the first statement of a figure is the year's own
    records = targets + list(achieved.values())
    for t in records:
        if not t.numeric and re.search(NUMBER, t.value):   # a number was written, and is none a report can mean
            doc.notes.append(Problem(doc.source_path, f"“{t.indicator}{t.comparator}{t.value[:40]}”的数字不是可用的数值"
                                     f"（无穷大或超过 {MAX_FIGURE:.0e}），只按文字记录，不进图表 / not a usable figure: "
                                     "kept as text, no number", "notice", key=f"#{doc.position}"))
    return records


def stamped(records: list[Target], doc: Document) -> list[Target]:
    """The records with the report's id, place, level and years (the id is the corpus's: corpus/steps.py)."""
    m = doc.meta
    for t in records:
        t.report_id, t.place, t.level, t.year = doc.id, m.place or "", m.level or "", m.year
        t.figure_year = (m.year - 1 if t.kind == ACHIEVED else m.year) if m.year else None
    return records


def _located(records: list[Target], p: Paragraph) -> list[Target]:
    for t in records:
        t.anchor = p.anchor
    return records
