"""Stage 5 — metadata: place, level, year, meeting date, speaker, meeting.

Read first from the report's own header (the lines before 各位代表), the
listing title and the web page's 来源/时间 lines; what the header lacks is
inferred from the body (marked in `meta.inferred`); a curator's sidecar file
next to the source pins any field and always wins (`meta.pinned`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .clean import HAN
from .model import Metadata

PLACES = Path(__file__).parent / "data" / "places.yml"

# Longest suffix first: 自治区 before 区, 街道 before 道.
LEVEL_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "街道", "省", "市", "县", "区", "镇", "乡", "旗", "盟", "州")
SALUTATION = re.compile(r"各位代表\s*[：:，,！!、]")
MEETING = re.compile(rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日\s*在\s*(?P<meeting>[{HAN}\w]+?会议)\s*上")
MEETING_PLACE = re.compile(rf"^(?P<place>[{HAN}]{{2,12}}?)第[{HAN}\d]{{1,5}}届人民代表大会")
OFFICE = "代?(?:省长|市长|县长|区长|镇长|乡长|州长|盟长|旗长|主席|主任)"
SPEAKER = re.compile(rf"^(?P<title>[{HAN}]*?{OFFICE})\s*(?P<name>[{HAN}·]{{2,4}})$")
BARE_NAME = re.compile(rf"^[{HAN}·]{{2,4}}$")
TITLE = re.compile(rf"(?:(?P<y>\d{{4}})\s*年\s*)?(?P<place>[{HAN}]{{2,16}}?)?(?:人民)?政府工作报告")
PUBLISHER = re.compile(r"来源\s*[:：]\s*\n?\s*(?P<v>[^\s\n]{2,30})")
PUBLISHED = re.compile(r"(?:时间|发布时间|日期)\s*[:：]\s*(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})"
                       r"|^(?P<y2>\d{4})年(?P<m2>\d{2})月(?P<d2>\d{2})日\s+\d{2}时\d{2}分", re.MULTILINE)
# In the body: "中共绍兴市委", "我代表海南省人民政府", "市第十四次党代会" does not name the place.
BODY_PLACE = [
    re.compile(rf"中共(?P<place>[{HAN}]{{2,8}}?(?:省|自治区|市|县|区|镇|乡))委"),
    re.compile(rf"我代表(?P<place>[{HAN}]{{2,8}}?(?:省|自治区|市|县|区|镇|乡))人民政府"),
]
BODY_LEVEL = re.compile(r"我(?:代表|受)(?P<level>省|自治区|市|县|区|镇|乡|街道)人民政府")
REVIEW_HEADING = re.compile(r"(?P<y>\d{4})\s*年(?:的)?(?:工作)?回顾|(?P<y2>\d{4})\s*年.{0,6}(?:成绩|成就)")
YEAR_HEADING = re.compile(r"(?P<y>\d{4})\s*年")
# Without dated headings: "2024年是……的关键之年" opens the plan for the year being reported on.
PLAN_YEAR = re.compile(r"(?P<y>20\d{2})\s*年是[^。]{2,60}(之年|一年)")
LISTING_PREFIX = re.compile(r"^【[^】]{1,20}】\s*")


@dataclass
class Place:
    name: str
    level: str
    parent: str | None
    short: str
    county_level: bool = False


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    with PLACES.open(encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    return {name: Place(name, v["level"], v.get("parent"), v.get("short") or strip_level(name),
                        bool(v.get("county_level"))) for name, v in raw.items()}


def strip_level(place: str) -> str:
    for suffix in LEVEL_SUFFIXES:
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


def level_of(place: str) -> str | None:
    known = gazetteer().get(place)
    if known:
        return known.level
    return next((s for s in LEVEL_SUFFIXES if place.endswith(s)), None)


def split_header(text: str) -> tuple[str, str]:
    """(header, body): the header is what precedes the salutation 各位代表 near the start."""
    m = SALUTATION.search(text[:3000])
    if not m:
        return "", text
    return text[: m.start()].strip(), text[m.start():]


def page_metadata(raw_text: str, meta: Metadata) -> None:
    """来源 and posting time of a web page: kept as metadata though cleaning drops the lines."""
    head = raw_text[:3000]
    if (m := PUBLISHER.search(head)) and not meta.publisher:
        meta.publisher = m.group("v")
        meta.evidence["publisher"] = m.group(0).replace("\n", " ")
    if (m := PUBLISHED.search(head)) and not meta.published:
        y, mo, d = (m.group("y") or m.group("y2"), m.group("m") or m.group("m2"), m.group("d") or m.group("d2"))
        meta.published = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
        meta.evidence["published"] = m.group(0)


def read_header(header: str, listing_title: str, meta: Metadata) -> None:
    """Fill what the header, and the listing's item title, state outright."""
    lines = [line.strip() for line in header.split("\n") if line.strip()]
    title = LISTING_PREFIX.sub("", listing_title or "").strip()
    title_line = next((line for line in lines if "工作报告" in line), None)
    meta.title = title_line or title or None
    for source in filter(None, [title_line, title]):
        m = TITLE.search(source)
        if m and m.group("y") and not meta.year:
            meta.year = int(m.group("y"))
            meta.evidence["year"] = source
        if m and m.group("place") and not meta.place:
            _set_place(meta, m.group("place"), source)

    rest = "\n".join(line for line in lines if line != title_line)
    if m := MEETING.search(rest):
        meta.date = f"{int(m.group('y')):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
        meta.meeting = m.group("meeting")
        meta.evidence["date"] = meta.evidence["meeting"] = m.group(0)
        if not meta.year:
            meta.year = int(m.group("y"))
            meta.evidence["year"] = m.group(0)
        if pm := MEETING_PLACE.match(meta.meeting):
            _set_place(meta, pm.group("place"), m.group(0), override=True)
        rest = (rest[: m.start()] + "\n" + rest[m.end():]).strip()
    _read_speaker(rest.lstrip("—-– \n"), meta)


def _read_speaker(rest: str, meta: Metadata) -> None:
    for line in reversed([line.strip("—-– ") for line in rest.split("\n") if line.strip()]):
        compact = re.sub(r"\s+", "", line)
        if m := SPEAKER.match(compact):
            meta.speaker, meta.speaker_title = m.group("name"), m.group("title")
        elif BARE_NAME.match(compact) and not compact.endswith(("报告", "政府")):
            meta.speaker = compact
        else:
            continue
        meta.evidence["speaker"] = line
        return


def _set_place(meta: Metadata, written: str, evidence: str, override: bool = False) -> None:
    """`桐乡市濮院镇` names a town and its parent; keep the most specific as the place."""
    written = written.strip()
    parent = None
    for m in re.finditer(r"(?:省|自治区|市|县|区)(?=.)", written):
        head, tail = written[: m.end()], written[m.end():]
        if level_of(tail) in ("镇", "乡", "街道", "区", "县", "市") and len(tail) >= 2:
            parent, written = head, tail
            break
    if meta.place and not override:
        return
    if level_of(written) is None:
        return
    meta.place = written
    meta.level = level_of(written)
    meta.parent = parent or (gazetteer()[written].parent if written in gazetteer() else None)
    meta.evidence["place"] = evidence


def infer_from_body(body: str, level1_headings: list[str], meta: Metadata) -> None:
    """Fill place, level and year from the body where the header said nothing."""
    if not meta.place:
        _infer_place(body, meta)
    if not meta.year:
        _infer_year(level1_headings, body, meta)


def _infer_place(body: str, meta: Metadata) -> None:
    for pattern in BODY_PLACE:
        if m := pattern.search(body):
            _set_place(meta, m.group("place"), m.group(0))
            if meta.place:
                meta.inferred += [f for f in ("place", "level", "parent") if getattr(meta, f)]
                return
    level_match = BODY_LEVEL.search(body[:2000])
    level = level_match.group("level") if level_match else None
    counts = {}
    for place in gazetteer().values():
        if level and place.level != level and not (level == "市" and place.level == "直辖市"):
            continue
        n = body.count(place.short)
        if n:
            counts[place.name] = n
    if not counts:
        return
    best = max(counts, key=lambda name: (counts[name], -len(name)))
    place = gazetteer()[best]
    meta.place, meta.level, meta.parent = place.name, place.level, place.parent
    meta.evidence["place"] = (f"正文中“{place.short}”出现 {counts[best]} 次"
                              + (f"，且称“{level_match.group(0)}”" if level_match else ""))
    meta.inferred += [f for f in ("place", "level", "parent") if getattr(meta, f)]


def _infer_year(level1_headings: list[str], body: str, meta: Metadata) -> None:
    """A report reviewing year Y is delivered in Y+1; one planning year Y in Y."""
    candidates = []
    for heading in level1_headings:
        if m := REVIEW_HEADING.search(heading):
            candidates.append((int(m.group("y") or m.group("y2")) + 1, heading))
        elif m := YEAR_HEADING.search(heading):
            candidates.append((int(m.group("y")), heading))
    if candidates:
        year, heading = max(candidates)
        meta.year = year
        meta.evidence["year"] = heading
        meta.inferred.append("year")
    elif m := PLAN_YEAR.search(body[:20000]):
        meta.year = int(m.group("y"))
        meta.evidence["year"] = m.group(0)
        meta.inferred.append("year")


# --- pinned by a sidecar (read by sidecar.py) -------------------------------

def apply_pinned(meta: Metadata, fields: dict) -> None:
    for name, value in fields.items():
        if name == "kind":
            continue
        setattr(meta, name, value)
        meta.pinned.append(name)
        meta.evidence[name] = "sidecar"
        if name in meta.inferred:
            meta.inferred.remove(name)
    if "place" in fields and "level" not in fields:
        meta.level = level_of(meta.place)
