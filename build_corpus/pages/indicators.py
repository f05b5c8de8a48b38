"""Pages and downloads of the targets (targets.py): one page per common indicator, and targets.csv/json.

An indicator page holds, for each year with two or more places, a chart of the places' targets;
for each place with figures from two or more years, its targets against what it achieved; and a
sortable table of every record, each linking to the paragraph it was read from. The charts are
SVG drawn here (charts.py) with the numbers in a table beside them.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

from ..corpus.terms import pinyin_sort_key
from ..document.targets import ACHIEVED, TARGET, Target, indicator_labels, indicator_notes
from ..safe_text import csv_cell, page_title
from ..urls import built_path, href, indicator_page, report_page, slugify
from .charts import Bar, YearPoint, bar_chart, number, target_series
from .front_matter import front_matter
from .report import md_escape

KIND_LABELS = {TARGET: "预期目标", ACHIEVED: "实际完成"}
OTHER = "other"
# Fields of targets.csv / targets.json, in order (README documents them).
FIELDS = ("report_id", "place", "level", "year", "figure_year", "kind", "indicator", "key", "comparator",
          "value", "low", "high", "unit", "qualifier", "numeric", "sentence", "anchor", "page")


def all_records(records: dict[str, list[Target]]) -> list[Target]:
    """Every record, by place (pinyin), year, then as read."""
    flat = [t for same in records.values() for t in same]
    return sorted(flat, key=lambda t: (pinyin_sort_key(t.place), t.year or 0))


def record_json(t: Target) -> dict:
    data = t.as_json()
    data["page"] = built_path(report_page(t.report_id), t.anchor)
    return {k: data[k] for k in FIELDS}


def target_downloads(records: dict[str, list[Target]]) -> dict[str, bytes]:
    rows = [record_json(t) for t in all_records(records)]
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([csv_cell(number(row[k]) if k in ("low", "high") and row[k] is not None else row[k]) for k in FIELDS])
    return {"downloads/targets.json": json.dumps(rows, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8"),
            "downloads/targets.csv": ("\ufeff" + table.getvalue()).encode("utf-8")}


# --- pages ---------------------------------------------------------------------------

def indicator_pages(records: dict[str, list[Target]]) -> dict[str, str]:
    """indicators/index.md, one page per common indicator that has records, and indicators/other.md."""
    by_key: dict[str, list[Target]] = defaultdict(list)
    for t in all_records(records):
        by_key[t.key or OTHER].append(t)
    labels = indicator_labels()
    pages = {indicator_page(key): _indicator_page(key, labels[key], by_key[key], set(by_key)) for key in labels
             if by_key.get(key)}
    pages[indicator_page(OTHER)] = _other_page(by_key.get(OTHER, []))
    pages[indicator_page("index")] = _index_page(records, by_key, labels)
    return pages


def _index_page(records: dict[str, list[Target]], by_key: dict[str, list[Target]], labels: dict[str, str]) -> str:
    with_targets = [rid for rid, same in records.items() if any(t.kind == TARGET for t in same)]
    out = [front_matter({"title": "主要预期目标",
                         "description": f"{len(with_targets)} 份政府工作报告的主要预期目标与上年实际完成数，按指标整理，可下载 CSV 和 JSON"}),
           "# 主要预期目标\n",
           "各报告“主要预期目标”一段中的每一项目标（地区生产总值增长、城镇调查失业率、居民消费价格涨幅……），"
           "以及报告回顾上一年时写明的实际完成数（常见指标的增长率），逐条整理成表。每条都链接到它所在的段落；"
           "数值、比较词和“左右”“以上”等限定词都照原文记录。\n",
           f"共 {len(with_targets)} 份报告写有主要预期目标，{sum(len(v) for v in records.values())} 条记录。\n",
           "- 下载：[targets.csv](../downloads/targets.csv) · [targets.json](../downloads/targets.json)",
           "- 字段说明：[下载语料](../downloads/index.md)\n",
           # Counts of records, not values: "条" says so, and a dash stands for none.
           "| 指标 | 预期目标（条） | 实际完成数（条） | 地区数 |", "| --- | ---: | ---: | ---: |"]
    for key, label in labels.items():
        same = by_key.get(key, [])
        if not same:
            continue
        counts = _kind_counts(same)
        out.append(f"| [{md_escape(label)}]({_link(indicator_page(key))}) | {counts[TARGET] or '—'} | {counts[ACHIEVED] or '—'} | {len({t.place for t in same})} |")
    other = by_key.get(OTHER, [])
    counts = _kind_counts(other)
    out.append(f"| [其他指标](other.md) | {counts[TARGET] or '—'} | {counts[ACHIEVED] or '—'} | {len({t.place for t in other})} |")
    out.append("\n未能读出的目标（没有数值的表述，如“粮食产量保持稳定”）不列入；读法见仓库 "
               "`build_corpus/data/targets.yml`，欢迎补充。")
    return "\n".join(out) + "\n"


def _kind_counts(records: list[Target]) -> dict[str, int]:
    counts = {TARGET: 0, ACHIEVED: 0}
    for t in records:
        counts[t.kind] += 1
    return counts


def _indicator_page(key: str, label: str, records: list[Target], with_pages: set[str]) -> str:
    names = sorted({t.indicator for t in records}, key=pinyin_sort_key)
    description = (f"各地政府工作报告中{label}的预期目标与实际完成：{len({t.report_id for t in records})} 份报告、"
                   f"{len(records)} 条记录，图表和可排序的表格")
    out = [front_matter({"title": page_title("主要预期目标：" + label), "description": description}),
           f"# {md_escape(label)}\n",
           f"报告中的写法：{'、'.join(md_escape(n) for n in names)}。"
           f"{len({t.report_id for t in records})} 份报告，{len(records)} 条记录。\n",
           "[← 全部指标](index.md)\n"]
    note = indicator_notes().get(key)
    if note:
        see = f"见[{md_escape(labels_of(note[1]))}]({note[1]}.md)。" if note[1] in with_pages else ""
        out.append(f"{md_escape(note[0].rstrip('，,'))}{'，' + see if see else '。'}\n")
    out.extend(_year_charts(key, label, records))
    out.extend(_place_charts(key, label, records))
    out.append("## 全部记录 {#records}\n")
    out.append("点击表头可排序。“年份”是数字所指的年份：报告回顾上一年的实际完成数属于上一年。"
               "“原文”照录指标名、比较词、数值和限定词；层级等全部字段见下载的 targets.csv。\n")
    out.append(records_table(records))
    return "\n".join(out) + "\n"


def _year_charts(key: str, label: str, records: list[Target]) -> list[str]:
    """For each year (latest first) with targets of two or more places: a bar per place."""
    out = []
    by_year: dict[int, list[Target]] = defaultdict(list)
    for t in records:
        if t.kind == TARGET and t.low is not None and t.figure_year:
            by_year[t.figure_year].append(t)
    for year in sorted(by_year, reverse=True):
        targets = _one_per_place(by_year[year])
        if len(targets) < 2:
            continue
        units = {t.unit.replace("％", "%") for t in targets}
        if len(units) > 1:   # 万人 and % on one axis would mislead
            targets = [t for t in targets if t.unit.replace("％", "%") == "%"]
            if len(targets) < 2:
                continue
        unit = targets[0].unit
        targets.sort(key=lambda t: (-(t.high or 0), pinyin_sort_key(t.place)))
        bars = [Bar(t.place, t.low, t.high, t.written) for t in targets]
        title = f"{year} 年{label}预期目标（各地区）"
        desc = (f"横条图，{len(bars)} 个地区，单位{unit}。最高 {bars[0].label} {bars[0].text}，"
                f"最低 {bars[-1].label} {bars[-1].text}。区间目标的上半段颜色较浅。数据见图下的表格。")
        out.append(f"## {year} 年各地区的预期目标 {{#year-{year}}}\n")
        out.append(bar_chart(f"chart-{key}-{year}", title, desc, bars, f"{title}（单位：{unit}）"))
        out.append('<div class="sortable-table" markdown>\n\n| 地区 | 预期目标 | 出处 |\n| --- | --- | --- |')
        for t in targets:   # the value first, so the column sorts by it; the wording is in the table of every record
            out.append(f"| {md_escape(t.place)} | {md_escape(t.written)} | {_source_link(t)} |")
        out.append("\n</div>\n")
    return out


def labels_of(key: str) -> str:
    return indicator_labels().get(key, key)


def _one_per_place(targets: list[Target]) -> list[Target]:
    """The first target of each place (a report names an indicator once; 分别 parts are other keys)."""
    seen: dict[str, Target] = {}
    for t in targets:
        seen.setdefault(t.place, t)
    return list(seen.values())


def _place_charts(key: str, label: str, records: list[Target]) -> list[str]:
    """For each place with figures of two or more years: its targets against what it achieved."""
    by_place: dict[str, list[Target]] = defaultdict(list)
    for t in records:
        if t.low is not None and t.figure_year and t.unit.replace("％", "%") == "%":
            by_place[t.place].append(t)
    out = []
    levels = {t.place: t.level for t in records}
    for place in sorted(by_place, key=lambda p: (levels.get(p) != "国家", pinyin_sort_key(p))):   # the country first
        points: dict[int, YearPoint] = {}
        for t in by_place[place]:
            point = points.setdefault(t.figure_year, YearPoint(t.figure_year))
            if t.kind == TARGET and point.target_low is None:
                point.target_low, point.target_high = t.low, t.high
            elif t.kind == ACHIEVED and point.achieved is None:
                point.achieved = -t.low if t.comparator.endswith("下降") else t.low
        if len(points) < 2 or len({t.report_id for t in by_place[place]}) < 2:
            continue   # one report's target and last year's result are in the table already
        ordered = [points[y] for y in sorted(points)]
        title = f"{place}{label}：预期目标与实际完成，{ordered[0].year}–{ordered[-1].year}"
        targets = [p for p in ordered if p.target_low is not None]
        desc = (f"按年份的柱状与圆点图，横轴按实际年份等距（语料缺少的年份留空），{ordered[0].year}–{ordered[-1].year} 年，"
                f"单位%。柱为预期目标（{len(targets)} 年），圆点为下一年报告写明的实际完成数"
                f"（{sum(1 for p in ordered if p.achieved is not None)} 年）。数据见图下的表格。")
        slug = slugify(place, "unknown", joiner="")
        out.append(f"## {md_escape(place)}：历年目标与完成 {{#place-{slug}}}\n")
        out.append(target_series(f"chart-{key}-place-{slug}", title, desc, ordered, f"{title}（%）"))
        out.append("| 年份 | 预期目标（%） | 实际完成（%） |\n| ---: | ---: | ---: |")
        for p in ordered:
            target = "—" if p.target_low is None else (
                number(p.target_low) + (f"—{number(p.target_high)}" if p.target_high and p.target_high > p.target_low else ""))
            achieved = "—" if p.achieved is None else number(p.achieved)
            out.append(f"| {p.year} | {target} | {achieved} |")
        out.append("")
    return out


def _other_page(records: list[Target]) -> str:
    out = [front_matter({"title": "主要预期目标：其他指标",
                         "description": "主要预期目标中常见指标以外的各项（能耗、研发经费、城镇化率等），照原文记录"}), "# 其他指标\n",
           "主要预期目标中不属于常见指标的各项（能耗、研发经费、城镇化率、细颗粒物浓度……），照原文记录。\n",
           "[← 全部指标](index.md)\n"]
    out.append(records_table(records, with_indicator=True) if records else "没有记录。")
    return "\n".join(out) + "\n"


def records_table(records: list[Target], with_indicator: bool = False) -> str:
    """All records as one table, in a block the page's script makes sortable."""
    head = ["地区", "年份", "类型", *(["指标"] if with_indicator else []), "数值", "原文", "出处"]
    rows = ['<div class="sortable-table" markdown>\n', "| " + " | ".join(head) + " |",
            "| --- | ---: | --- | " + ("--- | " if with_indicator else "") + "---: | --- | --- |"]
    for t in records:
        written = f"{t.indicator} {t.statement}"
        indicator = f"{md_escape(t.indicator)} | " if with_indicator else ""
        rows.append(f"| {md_escape(t.place)} | {t.figure_year or ''} | {KIND_LABELS[t.kind]} | {indicator}"
                    f"{_range_number(t)} | {md_escape(written)} | {_source_link(t)} |")
    rows.append("\n</div>\n")
    return "\n".join(rows)


def _range_number(t: Target) -> str:
    if t.low is None:
        return ""
    return number(t.low) + (f"—{number(t.high)}" if t.high is not None and t.high > t.low else "")




def _source_link(t: Target) -> str:
    return f"[{t.year} 年报告]({_link(report_page(t.report_id), t.anchor)})"


def _link(to_page: str, anchor: str = "") -> str:
    """A link from an indicator page: they all live in indicators/."""
    return href(indicator_page("index"), to_page, anchor)
