"""The ways into the corpus: the home page, places (with the gazetteer's hierarchy), years, and the documents
that were not published as reports."""
from __future__ import annotations

from collections import Counter, defaultdict

from ..corpus.places import TIER_ORDER, place_info
from ..corpus.terms import pinyin_sort_key
from ..model import Corpus, Document, Site
from ..publishing import Address
from ..safe_text import code_text, csv_cell, link_html
from ..urls import PLACES_PAGE, SPEAKERS_PAGE, built_href, href, report_page, speaker_anchor
from .front_matter import front_matter
from .report import LevelLabel, list_title, md_escape


def render_home(site: Site) -> str:
    corpus = site.corpus
    reports = corpus.reports
    places = sorted({d.meta.place for d in reports if d.meta.place}, key=pinyin_sort_key)
    years = sorted({d.meta.year for d in reports if d.meta.year})
    out = [front_matter({"description": f"{len(reports)} 份政府工作报告的全文、章节与跨报告名词解释"}),
           "# 政府工作报告注释语料\n",
           "这里收录中央和地方政府每年向人民代表大会所作的《政府工作报告》，经过清理、分节，"
           "并把报告自带的“名词解释”汇编成跨报告、跨年份的名词页：正文中出现的名词都链接到它的释义。"
           "语料从哪里来、怎样引用，见[关于](about.md)。\n",
           f"- **{len(reports)}** 份报告，来自 **{len(places)}** 个地区，年份 "
           f"{years[0] if years else '—'}–{years[-1] if years else '—'}",
           f"- **{len(site.terms)}** 个名词（[名词索引](terms/index.md)）",
           "- [搜索全部报告](search.md)：每一处都列出，按地区、层级、年份筛选",
           "- 浏览：[按地区](places.md) · [按年份](years.md) · [名词](terms/index.md) · [主要预期目标](indicators/index.md)"
           " · [下载语料](downloads/index.md) · [更新记录](changes.md)",
           f"- 没有收录的文档：{len(corpus.others)} 篇（[列表与原因](skipped.md)）",
           *_contribute_lines(site.address), ""]
    out.extend(_years_table(reports))
    if years:
        latest = sorted((d for d in reports if d.meta.year == years[-1]),
                        key=lambda d: (_TIER_RANK.get(_tier(d, site), 9), pinyin_sort_key(d.meta.place or "")))
        out.append(f"\n## {years[-1]} 年的报告（{len(latest)} 份） {{#latest}}\n")
        out.append("按层级、再按地名拼音排列。其他年份见[按年份](years.md)。\n")
        out.append("<ul class=\"report-columns\">")
        out.extend(f"<li>{link_html(list_title(d), built_href('index.md', report_page(d.id)))}</li>" for d in latest)
        out.append("</ul>\n")
    out.append("原始文本逐字节保存在仓库的 `sources/` 目录；所有清理都在构建时进行，每份报告页末尾都列出了"
               "清理步骤和删除的文字。\n")
    return "\n".join(out) + "\n"


_TIER_RANK = {tier: n for n, tier in enumerate(TIER_ORDER)}


def _tier(doc: Document, site: Site) -> str:
    info = site.places.get(doc.meta.place or "")
    return info.tier if info else ""


def _years_table(reports: list[Document]) -> list[str]:
    """What the corpus holds over time: reports per year, by level."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for doc in reports:
        if doc.meta.year:
            info = place_info(doc.meta.place, doc.meta.parent, doc.meta.level, doc.meta.year) if doc.meta.place else None
            counts[doc.meta.year][info.tier if info and info.tier else "其他"] += 1
    if not counts:
        return []
    tiers = [t for t in (*TIER_ORDER, "其他") if any(c[t] for c in counts.values())]
    out = ["## 历年收录 {#by-year}\n", "| 年份 | 报告 | " + " | ".join(tiers) + " |",
           "| ---: | ---: | " + " | ".join("---:" for _ in tiers) + " |"]
    for year in sorted(counts, reverse=True):
        c = counts[year]
        cells = " | ".join(str(c[t]) if c[t] else "—" for t in tiers)
        out.append(f"| [{year}](years.md#year-{year}) | {sum(c.values())} | {cells} |")
    return out


def _contribute_lines(address: Address) -> list[str]:
    """Where a reader who knows better can say so: the contributor guide and the issue forms."""
    if not address.repo_url:
        return []
    return [f"- 参与改进：[如何贡献]({address.repo_file('CONTRIBUTING.md', edit=False)})"
            f" · [报告错误或建议收录]({address.repo_url}/issues/new/choose)"
            " · 每段正文末尾的“注释”可以为这一段提出注释"]


def render_subsite_home(slug: str, province: str, reports: list[Document]) -> str:
    """A province's sub-site's first page: its places (by pinyin) and each place's reports by year."""
    by_place: dict[str, list[Document]] = defaultdict(list)
    for doc in reports:
        by_place[doc.meta.place or ""].append(doc)
    here = f"{slug}/index.md"
    out = [front_matter({"title": province, "description": f"{province}及其所辖地区的政府工作报告（{len(reports)} 份）"}),
           f"# {md_escape(province)}\n",
           f"{md_escape(province)}及其所辖地区的 {len(reports)} 份报告。全部地区见[按地区浏览]({href(here, PLACES_PAGE)})。\n"]
    for place in sorted(by_place, key=pinyin_sort_key):
        docs = sorted(by_place[place], key=lambda d: d.meta.year or 0)
        links = " · ".join(f"[{d.meta.year or '年份未知'}]({href(here, report_page(d.id))})" for d in docs)
        out.append(f"- **{md_escape(place or '地区未知')}**：{links}")
    return "\n".join(out) + "\n"


def render_years(reports: list[Document]) -> str:
    by_year: dict = defaultdict(list)
    for doc in reports:
        by_year[doc.meta.year or 0].append(doc)
    out = [front_matter({"title": "按年份", "description": "按年份浏览各地政府工作报告"}), "# 按年份浏览\n", "年份为报告所作的年份（回顾 2023 年工作的报告属于 2024 年）。\n"]
    for year in sorted(by_year, reverse=True):
        out.append(f"## {year or '年份未知'} {{#year-{year or 'unknown'}}}\n")
        for doc in sorted(by_year[year], key=lambda d: pinyin_sort_key(d.meta.place or "")):
            level = LevelLabel.get(doc.meta.level or "", doc.meta.level or "")
            out.append(f"- [{md_escape(list_title(doc))}]({href('years.md', report_page(doc.id))})　<small>{md_escape(level)}</small>")
        out.append("")
    return "\n".join(out)


def render_speakers(reports: list[Document]) -> str:
    """Who delivered which report: one entry per speaker (by pinyin), each report with the office
    held then, the place and the year; then the reports whose speaker the text does not name."""
    by_speaker: dict[str, list[Document]] = defaultdict(list)
    unnamed = []
    for doc in reports:
        (by_speaker[doc.meta.speaker] if doc.meta.speaker else unnamed).append(doc)
    out = [front_matter({"title": "报告人", "description": f"{len(by_speaker)} 位报告人所作的政府工作报告：姓名、职务、地区和年份"}),
           "# 报告人\n",
           f"谁在哪一年、以什么职务向人民代表大会作了政府工作报告：{len(by_speaker)} 位报告人，"
           f"{len(reports) - len(unnamed)} 份报告。姓名和职务是报告自己写明的（标题下的署名或题注），"
           "或由整理者在源文件旁的 sidecar 文件中指定；同名的不同人物无法区分。也可下载 "
           "[speakers.csv](downloads/speakers.csv)。\n"]
    if by_speaker:
        out.append("| 报告人 | 职务 | 地区 | 年份 | 报告 |\n| --- | --- | --- | ---: | --- |")
        for speaker in sorted(by_speaker, key=pinyin_sort_key):
            for i, doc in enumerate(sorted(by_speaker[speaker], key=lambda d: (d.meta.year or 0, d.id))):
                name = (f'<span id="{speaker_anchor(speaker)}"></span>' if i == 0 else "") + md_escape(speaker)
                out.append(f"| {name} | {md_escape(doc.meta.speaker_title or '')} | {md_escape(doc.meta.place or '')} | "
                           f"{doc.meta.year or ''} | [{md_escape(doc.title)}]({href(SPEAKERS_PAGE, report_page(doc.id))}) |")
        out.append("")
    if unnamed:
        out.append(f"## 未写明报告人的报告（{len(unnamed)}） {{#unnamed}}\n")
        out.append("知道报告人的读者可以在源文件旁的 sidecar 文件中补充（`speaker`、`speaker_title`），见仓库的 CONTRIBUTING.md。\n")
        out.append("、".join(f"[{md_escape(d.meta.place or '地区未知')} {d.meta.year or ''}]({href(SPEAKERS_PAGE, report_page(d.id))})"
                            for d in sorted(unnamed, key=lambda d: (pinyin_sort_key(d.meta.place or ""), d.meta.year or 0))) + "\n")
    return "\n".join(out) + "\n"


def speakers_csv(reports: list[Document]) -> bytes:
    """downloads/speakers.csv: speaker, speaker_title, place, level, year, report_id, title (UTF-8 with BOM)."""
    import csv
    import io
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(SPEAKER_FIELDS)
    for doc in sorted(reports, key=lambda d: (pinyin_sort_key(d.meta.speaker or "~"), d.meta.year or 0, d.id)):
        m = doc.meta
        writer.writerow([csv_cell(v) for v in (m.speaker, m.speaker_title, m.place, m.level, m.year, doc.id, doc.title)])
    return ("\ufeff" + table.getvalue()).encode("utf-8")


SPEAKER_FIELDS = ("speaker", "speaker_title", "place", "level", "year", "report_id", "title")


def render_skipped(corpus: Corpus) -> str:
    out = [front_matter({"title": "未收录的文档", "description": "源文件中没有作为政府工作报告收录的文档及原因"}),
           "# 没有作为报告收录的文档\n",
           "构建时读到、但判断不是政府工作报告的文档，以及无法读取的源文件。没有任何文档被悄悄丢弃。"
           "一个源文件可以包含多篇文档（如网站的列表页），序号是它在文件中的位置；"
           "同一文件中被收录为报告的篇目不在此列，所以序号可能不连续。\n"]
    errors = [s for s in corpus.sources if s.error]
    if errors:
        out.append("## 无法读取的源文件\n")
        out.extend(f"- {code_text(s.path)}：{md_escape(s.error)}" for s in errors)
        out.append("")
    by_source: dict[str, list[Document]] = defaultdict(list)
    for doc in corpus.others:
        by_source[doc.source_path].append(doc)
    if by_source:
        out.append("## 其他文章\n")
    for path, docs in by_source.items():
        # The file once, as a heading; each document under it (a long name repeated per row cut the
        # reason column on a phone).
        out.append(f"### {code_text(path)}\n")
        out.extend(f"- 第 {doc.position} 篇：{md_escape(doc.title)}<br><small>{md_escape(doc.kind_reason)}</small>"
                   for doc in docs)
        out.append("")
    chrome = [(s.path, r) for s in corpus.sources for r in s.removed]
    if chrome:
        out.append("\n## 页面框架文字（不属于任何文档）\n")
        out.extend(f"- {code_text(path)}：{md_escape(r.text.replace(chr(10), ' ⏎ '))}" for path, r in chrome)
    return "\n".join(out) + "\n"


# --- downloads -------------------------------------------------------------
