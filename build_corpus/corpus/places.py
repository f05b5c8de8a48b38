"""Reports grouped by place: every report page's timeline and the comparisons pair them from this."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from ..document.metadata import place_in_year, place_pinyin
from ..model import Document
from ..urls import place_page


def reports_by_place(reports: list[Document]) -> dict[str, list[Document]]:
    """Each place's reports in year order: the timeline of every report page, grouped once."""
    by_place: dict[str, list[Document]] = defaultdict(list)
    for d in reports:
        if d.meta.place:
            by_place[d.meta.place].append(d)
    return {place: sorted(same, key=lambda d: d.meta.year or 0) for place, same in by_place.items()}


# --- where a place sits: its level and the places above it (the division data) -----------------

COUNTRY = "中华人民共和国"
# A division's level (metadata.DATASET_LEVELS, places.yml) → the tier readers filter and browse by.
TIERS = {"国家": "国家", "省": "省级", "自治区": "省级", "直辖市": "省级", "特别行政区": "省级",
         "市": "市级", "自治州": "市级", "盟": "市级", "地区": "市级",
         "县": "县级", "区": "县级", "旗": "县级", "林区": "县级", "特区": "县级",
         "镇": "乡镇级", "乡": "乡镇级", "街道": "乡镇级"}
TIER_ORDER = ("国家", "省级", "市级", "县级", "乡镇级")


@dataclass(frozen=True)
class PlaceInfo:
    """A place as the division data knows it: 桐乡市, 市 (县级市, so 县级), 中华人民共和国 → 浙江省 → 嘉兴市."""
    name: str
    level: str          # as the data (or the report) names it: 省, 市, 县, 镇 …; "" when unknown
    tier: str           # 国家 / 省级 / 市级 / 县级 / 乡镇级; "" when unknown
    parents: tuple[str, ...]   # from the country down, without the place itself

    @property
    def province(self) -> str:
        """The province-level place it lies in (itself for a province); "" for the country."""
        chain = (*self.parents, self.name)
        return chain[1] if len(chain) > 1 else ""


@cache   # a few hundred places, asked for by every report of them
def place_info(place: str, parent: str | None = None, level: str | None = None, year: int | None = None) -> PlaceInfo:
    """Level and parents of a place as the division data of the report's year knows them
    (metadata.place_in_year: the gazetteer, else that year's divisions — 徐水县 of 保定市 in 2010),
    the report's own `parent` and `level` where it states them. Every province's parent is the
    country; a chain whose top is not a province (an unknown place) is not given one."""
    if place == COUNTRY:
        return PlaceInfo(place, level or "国家", "国家", ())
    known = _known(place, year, parent)
    level = (known.level if known else None) or level or ""
    tier = "县级" if known and known.county_level else TIERS.get(level, "")
    chain: list[str] = []
    current = parent or (known.parent if known else None)
    while current and current not in chain and current != place:
        chain.insert(0, current)
        above = _known(current, year)
        current = above.parent if above else None
    top = _known(chain[0] if chain else place, year)
    if top and TIERS.get(top.level) == "省级":
        chain.insert(0, COUNTRY)
    return PlaceInfo(place, level, tier, tuple(chain))


def _known(place: str, year: int | None, parent: str | None = None):
    return place_in_year(place, year, parent)[0]


def places_with_pages(reports: list[Document]) -> dict[str, PlaceInfo]:
    """Every place that gets a page: each report's place, and every place above one (a province with
    only its cities' reports still has a page listing them). The country only when a report is national."""
    places: dict[str, PlaceInfo] = {}
    for doc in reports:
        if not doc.meta.place or doc.meta.place in places:
            continue
        info = place_info(doc.meta.place, doc.meta.parent, doc.meta.level, doc.meta.year)
        places[doc.meta.place] = info
        for n, above in enumerate(info.parents):
            if above not in places and above != COUNTRY:
                known = _known(above, doc.meta.year)
                tier = "" if not known else ("县级" if known.county_level else TIERS.get(known.level, ""))
                places[above] = PlaceInfo(above, known.level if known else "", tier, info.parents[:n])
    return places


def place_page_of(place: str) -> str:
    """The page of a place, named as its reports' ids name it (陕西省 → places/shaanxisheng.md)."""
    return place_page(place_pinyin(place))
