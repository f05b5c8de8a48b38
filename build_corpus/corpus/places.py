"""Reports grouped by place: every report page's timeline and the comparisons pair them from this."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..document.metadata import gazetteer, place_pinyin
from ..model import Document
from ..urls import place_page
from .scope import place_chain


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


def place_info(place: str, parent: str | None = None, level: str | None = None) -> PlaceInfo:
    """Level and parents of a place from the gazetteer (metadata.gazetteer, through scope.place_chain),
    the report's own `parent` and `level` where it states them. Every province's parent is the
    country; a chain whose top is not a province (an unknown place) is not given one."""
    known = gazetteer().get(place)
    level = (known.level if known else None) or level or ""
    tier = "县级" if known and known.county_level else TIERS.get(level, "")
    if place == COUNTRY:
        return PlaceInfo(place, level or "国家", "国家", ())
    chain = place_chain(place, parent)[:-1]
    top = chain[0] if chain else place
    top_known = gazetteer().get(top)
    if top_known and TIERS.get(top_known.level) == "省级":
        chain = (COUNTRY, *chain)
    return PlaceInfo(place, level, tier, chain)


def places_with_pages(reports: list[Document]) -> dict[str, PlaceInfo]:
    """Every place that gets a page: each report's place, and every place above one (a province with
    only its cities' reports still has a page listing them). The country only when a report is national."""
    places: dict[str, PlaceInfo] = {}
    for doc in reports:
        if not doc.meta.place or doc.meta.place in places:
            continue
        info = place_info(doc.meta.place, doc.meta.parent, doc.meta.level)
        places[doc.meta.place] = info
        for n, above in enumerate(info.parents):
            if above not in places and above != COUNTRY:
                places[above] = PlaceInfo(above, _level(above), _tier(above), info.parents[:n])
    return places


def _level(place: str) -> str:
    known = gazetteer().get(place)
    return known.level if known else ""


def _tier(place: str) -> str:
    known = gazetteer().get(place)
    return "" if not known else ("县级" if known.county_level else TIERS.get(known.level, ""))


def place_page_of(place: str) -> str:
    """The page of a place, named as its reports' ids name it (陕西省 → places/shaanxisheng.md)."""
    return place_page(place_pinyin(place))
