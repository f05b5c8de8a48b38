"""Reports grouped by place: every report page's timeline and the comparisons pair them from this."""
from __future__ import annotations

from collections import defaultdict

from ..model import Document


def reports_by_place(reports: list[Document]) -> dict[str, list[Document]]:
    """Each place's reports in year order: the timeline of every report page, grouped once."""
    by_place: dict[str, list[Document]] = defaultdict(list)
    for d in reports:
        if d.meta.place:
            by_place[d.meta.place].append(d)
    return {place: sorted(same, key=lambda d: d.meta.year or 0) for place, same in by_place.items()}
