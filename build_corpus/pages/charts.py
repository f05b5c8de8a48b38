"""Charts drawn at build time as inline SVG: no chart library, nothing fetched when the page is read.

Each chart is a <figure> holding an <svg role="img"> named by its <title> and <desc>, so a screen
reader announces what it shows; the page puts the same numbers in a table beside it. Every text
that comes from a report goes through safe_text.html_attr here. Sizes are in viewBox units and the SVG
scales to the column's width, so one drawing serves desktop and phone.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..safe_text import html_attr

# Fallback colours; docs/assets/charts.css sets them from the theme (light and dark) by class.
TEXT = "#1f1f1f"           # on white: contrast 16:1
MUTED = "#595959"          # 7:1, for axis labels
TARGET_FILL = "#b71c1c"    # the site's red (primary: red)
RANGE_FILL = "#ef9a9a"     # the upper part of a range (5%—5.5%)
ACHIEVED_FILL = "#0d47a1"
GRID = "#d9d9d9"


def number(value: float) -> str:
    """5.0 → 5, 5.50 → 5.5: figures as reports write them.

    >>> number(5.0), number(5.5), number(15.36)
    ('5', '5.5', '15.36')
    """
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _e(text: str) -> str:
    return html_attr(str(text))


def _figure(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str], caption: str,
            zoom: float = 1.0) -> str:
    """One block of raw HTML for Markdown: no blank line inside, so Python-Markdown keeps it whole."""
    svg = (f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
           f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
           f'xmlns="http://www.w3.org/2000/svg">'
           f'<title id="{chart_id}-title">{_e(title)}</title><desc id="{chart_id}-desc">{_e(desc)}</desc>'
           + "".join(body) + "</svg>")
    return (f'<figure class="chart-figure" id="{chart_id}" style="max-width:{width * zoom:.0f}px">{svg}'
            f"<figcaption>{_e(caption)}</figcaption></figure>\n")


def _scale(top: float) -> float:
    """A round upper end for the axis: 5.5 → 6, 17 → 20, 730 → 800."""
    if top <= 0:
        return 1.0
    step = 10 ** (len(str(int(top))) - 1)
    for multiple in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if top <= multiple * step:
            return multiple * step
    return 10 * step


def _ticks(top: float) -> list[float]:
    return [top * i / 4 for i in range(5)]


@dataclass
class Bar:
    label: str              # a place, a year
    low: float
    high: float             # == low unless a range
    text: str               # the value as written: 5%—5.5%, 6% 左右


def bar_chart(chart_id: str, title: str, desc: str, bars: list[Bar], caption: str) -> str:
    """Horizontal bars, one per row: a range's upper part lighter. Negative values are drawn at 0.

    Narrow enough for a phone's column at full size (letters stay ~13 px); wider screens show it larger.
    """
    longest = max((len(b.label) for b in bars), default=2)
    label_width, value_width, plot, row = 14 * longest + 12, 84, 200, 26
    width = label_width + plot + value_width
    height = 30 + row * len(bars) + 10
    top = _scale(max((b.high for b in bars), default=1))
    x = lambda v: label_width + plot * max(v, 0) / top   # noqa: E731 - a local scale
    body = []
    for t in _ticks(top):
        body.append(f'<line x1="{x(t):.1f}" y1="22" x2="{x(t):.1f}" y2="{height - 10}" class="chart-grid" stroke="{GRID}"/>'
                    f'<text x="{x(t):.1f}" y="16" font-size="11" class="chart-muted" fill="{MUTED}" text-anchor="middle">{number(t)}</text>')
    for i, b in enumerate(bars):
        y = 28 + i * row
        body.append(f'<text x="{label_width - 8}" y="{y + 14}" font-size="13" class="chart-text" fill="{TEXT}" text-anchor="end">{_e(b.label)}</text>')
        body.append(f'<rect x="{label_width}" y="{y + 3}" width="{x(b.low) - label_width:.1f}" height="{row - 8}" class="chart-target" fill="{TARGET_FILL}"/>')
        if b.high > b.low:
            body.append(f'<rect x="{x(b.low):.1f}" y="{y + 3}" width="{x(b.high) - x(b.low):.1f}" height="{row - 8}" '
                        f'class="chart-range" fill="{RANGE_FILL}"/>')
        body.append(f'<text x="{x(b.high) + 6:.1f}" y="{y + 14}" font-size="12" class="chart-text" fill="{TEXT}">{_e(b.text)}</text>')
    return _figure(chart_id, title, desc, width, height, body, caption, zoom=1.25)


@dataclass
class YearPoint:
    year: int
    target_low: float | None = None
    target_high: float | None = None
    achieved: float | None = None


@dataclass
class YearAxis:
    """Years placed true to scale: 1992, 1993 and 2025 stand as far apart as those years are, so a gap
    in the corpus shows as a gap. Labelled every 1, 2, 5, 10 or 20 years, at most MAX_TICKS labels."""
    first: int
    last: int
    left: float
    width: float

    MAX_TICKS = 8

    @classmethod
    def over(cls, years: list[int], left: float, width: float) -> YearAxis:
        return cls(min(years), max(years), left, width)

    @property
    def per_year(self) -> float:
        return self.width / (self.last - self.first + 1)

    def x(self, year: int) -> float:
        """The centre of a year's slot."""
        return self.left + (year - self.first + 0.5) * self.per_year

    def ticks(self) -> list[int]:
        span = self.last - self.first + 1
        step = next((s for s in (1, 2, 5, 10, 20, 50) if span / s <= self.MAX_TICKS), 100)
        ticks = [y for y in range(self.first, self.last + 1) if y % step == 0]
        return ticks or [self.first]

    def labels(self, y: float) -> list[str]:
        return [f'<text x="{self.x(t):.1f}" y="{y}" font-size="12" class="chart-text" fill="{TEXT}" text-anchor="middle">{t}</text>'
                for t in self.ticks()]


def target_series(chart_id: str, title: str, desc: str, points: list[YearPoint], caption: str) -> str:
    """Per year, on a true-to-scale year axis: the target as a bar (a range's upper part lighter), what
    was achieved as a dot. Decades fit a phone's column: the years share a fixed width."""
    left, plot_width, plot_height = 44, 300, 160
    axis = YearAxis.over([p.year for p in points], left, plot_width)
    width, height = left + plot_width + 12, plot_height + 80
    values = [v for p in points for v in (p.target_low, p.target_high, p.achieved) if v is not None]
    top = _scale(max([abs(v) for v in values] or [1]))
    y = lambda v: 20 + plot_height * (1 - max(v, 0) / top)   # noqa: E731 - a local scale
    bar = max(2.0, min(16.0, axis.per_year * 0.6))
    body = []
    for t in _ticks(top):
        body.append(f'<line x1="{left}" y1="{y(t):.1f}" x2="{width - 10}" y2="{y(t):.1f}" class="chart-grid" stroke="{GRID}"/>'
                    f'<text x="{left - 6}" y="{y(t) + 4:.1f}" font-size="11" class="chart-muted" fill="{MUTED}" text-anchor="end">{number(t)}</text>')
    for p in points:
        cx = axis.x(p.year)
        if p.target_low is not None:
            body.append(f'<rect x="{cx - bar / 2:.1f}" y="{y(p.target_low):.1f}" width="{bar:.1f}" '
                        f'height="{y(0) - y(p.target_low):.1f}" class="chart-target" fill="{TARGET_FILL}"/>')
            if p.target_high is not None and p.target_high > p.target_low:
                body.append(f'<rect x="{cx - bar / 2:.1f}" y="{y(p.target_high):.1f}" width="{bar:.1f}" '
                            f'height="{y(p.target_low) - y(p.target_high):.1f}" class="chart-range" fill="{RANGE_FILL}"/>')
        if p.achieved is not None:
            body.append(f'<circle cx="{cx:.1f}" cy="{y(p.achieved):.1f}" r="{min(6.0, max(3.0, bar / 2 + 1)):.1f}" '
                        f'class="chart-achieved" fill="{ACHIEVED_FILL}" stroke="#fff" stroke-width="1.5"/>')
    body.append(f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - 10}" y2="{y(0):.1f}" class="chart-grid" stroke="{GRID}"/>')
    body.extend(axis.labels(20 + plot_height + 18))
    legend_y = 20 + plot_height + 44
    body.append(f'<rect x="{left}" y="{legend_y - 10}" width="12" height="12" class="chart-target" fill="{TARGET_FILL}"/>'
                f'<text x="{left + 18}" y="{legend_y}" font-size="12" class="chart-text" fill="{TEXT}">预期目标</text>'
                f'<circle cx="{left + 100}" cy="{legend_y - 4}" r="6" class="chart-achieved" fill="{ACHIEVED_FILL}"/>'
                f'<text x="{left + 112}" y="{legend_y}" font-size="12" class="chart-text" fill="{TEXT}">实际完成</text>')
    return _figure(chart_id, title, desc, width, height, body, caption, zoom=1.6)


def year_counts(chart_id: str, title: str, desc: str, counts: list[tuple[int, int, int]], caption: str) -> str:
    """Small vertical bars on a true-to-scale year axis: (year, reports using, reports of that year), the
    share as the bar's height, over a light track for each year the corpus has reports. Years the
    corpus lacks are gaps; the counts are in the table beside the chart."""
    left, plot_width, plot_height = 10, 340, 70
    axis = YearAxis.over([c[0] for c in counts], left, plot_width)
    bar_width = max(1.5, min(28.0, axis.per_year * 0.6))
    width, height = left + plot_width + 10, plot_height + 56
    body = []
    for year, using, total in counts:
        cx = axis.x(year)
        share = using / total if total else 0
        bar = plot_height * share
        body.append(f'<rect x="{cx - bar_width / 2:.1f}" y="20" width="{bar_width:.1f}" height="{plot_height}" '
                    f'class="chart-track" fill="#f3f3f3"/>')
        if bar:
            body.append(f'<rect x="{cx - bar_width / 2:.1f}" y="{20 + plot_height - bar:.1f}" width="{bar_width:.1f}" '
                        f'height="{bar:.1f}" class="chart-target" fill="{TARGET_FILL}"/>')
        if axis.per_year >= 40:
            body.append(f'<text x="{cx:.1f}" y="14" font-size="12" class="chart-text" fill="{TEXT}" '
                        f'text-anchor="middle">{using}/{total}</text>')
    body.extend(axis.labels(20 + plot_height + 18))
    return _figure(chart_id, title, desc, width, height, body, caption)
