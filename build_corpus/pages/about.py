"""The pages that explain the site: 关于 (what the corpus is, where each source comes from, how it was
cleaned, how to cite it, its licences), 更新记录 and its Atom feed, and every contributor's annotation.

The feed is written with the standard library's ElementTree: a plugin such as mkdocs-rss-plugin dates
pages by their own git history, and these pages are generated (their files have none); a source's
commits are what says a report was added or changed (contributions/history.py).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from ..contributions.history import ADDED
from ..model import Document, Site
from ..safe_text import code_text, link_html, md_escape, xml_text
from ..urls import (
    ABOUT_PAGE,
    ANNOTATIONS_PAGE,
    CHANGES_PAGE,
    DOWNLOADS_PAGE,
    FEED,
    built_href,
    built_path,
    href,
    report_page,
)
from .front_matter import front_matter
from .report import annotation_html, list_title

SITE_NAME = "政府工作报告注释语料"
CODE_LICENCE = "MIT"
DATA_LICENCE = "CC BY 4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
FEED_ENTRIES = 50
# Past this many reports the about page counts the reports of each origin instead of listing every
# report's source: the list was 2.5 MB at 10,000 reports, a page no phone should load. Each report's
# page ends with its source and cleaning record, and corpus.jsonl gives every report's source file.
SOURCES_LISTED = 500
ORIGINS_LISTED = 100


def latest_date(site: Site) -> str:
    """The corpus's version: the date of its newest change, or "" without history."""
    return site.history[0].date if site.history else ""


def render_about(site: Site) -> str:
    reports = site.reports
    years = sorted({d.meta.year for d in reports if d.meta.year})
    places = {d.meta.place for d in reports if d.meta.place}
    address = site.address
    url = address.site_url or "（本地构建没有网址；发布后为网站首页的网址）"
    version = latest_date(site)
    repo = f"仓库 [{address.repo_name}]({address.repo_url}) " if address.repo_url else "本项目仓库"
    out = [front_matter({"title": "关于", "description": "语料是什么、每份报告从哪里来、怎样清理、怎样引用、许可"}),
           "# 关于本语料\n",
           "## 这是什么 {#what}\n",
           f"地方和中央政府每年向人民代表大会所作的《政府工作报告》的全文语料：{len(reports)} 份报告，"
           f"{len(places)} 个地区，年份 {years[0] if years else '—'}–{years[-1] if years else '—'}。"
           "每份报告经过清理、按报告自身的标题分节，报告自带的“名词解释”汇编成跨报告的名词页，"
           "“主要预期目标”整理成表。网站、可下载的语料文件（JSONL、CSV、JSON）和离线包都由同一次构建生成。\n",
           "## 每份报告从哪里来、怎样清理 {#sources}\n",
           f"原始文本逐字节保存在{repo}的 `sources/` 目录（出处见该目录的 README）。清理全部在构建时进行："
           "去掉网页框架、页眉页脚、注释编号等，合并被分页打断的段落；每一步都有名字、都有记录，"
           "删除的每一段文字都列在报告页末的“来源与清理记录”里，没有悄悄删掉的内容。"
           "报告的地区、年份、报告人等信息只取报告自己写明的；推断出来的标注“推断”，整理者指定的标注“人工指定”。\n",
           *(_source_table(site) if len(reports) <= SOURCES_LISTED else _origin_counts(site))]
    head = f"{SITE_NAME}[DS/OL]." + (f" 版本 {version}." if version else "")
    out += ["",
            "## 怎样引用 {#cite}\n",
            "引用一份报告或其中一段：用报告页上的“引用本报告”、每段的“引用”，或选中文字后的“引用所选”。"
            "引用整个语料（GB/T 7714）：\n",
            f"> {md_escape(head)} {md_escape(url)}\n",
            "BibTeX：\n",
            "```bibtex\n@misc{gov_work_reports_corpus,\n  title = {" + _bibtex_text(SITE_NAME) + "},\n"
            + (f"  version = {{{version}}},\n" if version else "")
            + (f"  url = {{{_bibtex_text(address.site_url)}}},\n" if address.site_url else "")
            + "  note = {政府工作报告全文、章节与跨报告名词解释}\n}\n```\n",
            "## 许可 {#licence}\n",
            "- **报告原文**：国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件不适用《中华人民共和国著作权法》"
            "（第五条），政府工作报告属于此类，可以自由使用。",
            f"- **整理者的注释和名词说明**（仓库的 `glossary/`、`annotations/`）以及本语料加工产生的数据"
            f"（分节、名词汇编、目标表）：[{DATA_LICENCE}]({DATA_LICENCE_URL})，使用时请注明“{SITE_NAME}”及贡献者。"
            "提交注释即表示同意以此许可发布。",
            f"- **生成网站和语料的程序**：{CODE_LICENCE} 许可（仓库的 LICENSE 文件）。\n",
            "## 更新 {#updates}\n",
            f"每份报告加入和修改的时间见[更新记录]({href(ABOUT_PAGE, CHANGES_PAGE)})，"
            f"也可以用阅读器订阅 [Atom 源]({FEED})。整理者的全部注释见[注释一览]({href(ABOUT_PAGE, ANNOTATIONS_PAGE)})。\n"]
    return "\n".join(out) + "\n"


def _origin(site: Site, doc: Document) -> str:
    return site.provenance.get(doc.source_path.rsplit("/", 1)[-1]) or (doc.meta.publisher or "—")


def _source_table(site: Site) -> list[str]:
    """Every report's source file, its origin and how many changes cleaning made."""
    out = ["“出处”一栏照录 `sources/README.md`（英文）；“清理改动”是清理步骤改动的次数，明细见各报告页末。\n",
           "| 报告 | 源文件 | 出处 | 清理改动 |", "| --- | --- | --- | ---: |"]
    for doc in sorted(site.reports, key=lambda d: (-(d.meta.year or 0), d.meta.place or "")):
        source = code_text(doc.source_path)
        if site.address.repo_url:
            source = f"[{source}]({site.address.repo_file(doc.source_path, edit=False)})"
        changes = sum(r.count for r in doc.removed)
        out.append(f"| [{md_escape(list_title(doc))}]({href(ABOUT_PAGE, report_page(doc.id), 'provenance')}) | {source} "
                   f"| {md_escape(_origin(site, doc))} | {changes} |")
    return out


def _origin_counts(site: Site) -> list[str]:
    """A large corpus: how many reports each origin gave, the most first (SOURCES_LISTED says why)."""
    counts = Counter(_origin(site, doc) for doc in site.reports)
    shown = counts.most_common(ORIGINS_LISTED)
    out = [f"{len(site.reports)} 份报告来自 {len(counts)} 个出处。每份报告的源文件和清理记录见报告页末的“来源与清理记录”，"
           f"全部报告的源文件也在[下载语料]({href(ABOUT_PAGE, DOWNLOADS_PAGE)})的 corpus.jsonl 中（`source` 字段）。"
           "“出处”照录 `sources/README.md`（英文）或报告页所载的来源。\n",
           "| 出处 | 报告 |", "| --- | ---: |"]
    out += [f"| {md_escape(origin)} | {n} |" for origin, n in shown]
    if len(counts) > len(shown):
        rest = len(counts) - len(shown)
        out.append(f"| 其他 {rest} 个出处 | {sum(counts.values()) - sum(n for _, n in shown)} |")
    return out


def _bibtex_text(text: str) -> str:
    """Text inside a BibTeX brace group: braces and backslashes taken out (they would end it)."""
    return "".join(ch for ch in text if ch not in "{}\\")


def _events_by_report(site: Site) -> list[tuple[object, list[Document]]]:
    """Each history event with the reports of its source (a listing holds several)."""
    by_source: dict[str, list[Document]] = {}
    for doc in site.reports:
        by_source.setdefault(doc.source_path, []).append(doc)
    return [(event, by_source[event.path]) for event in site.history if event.path in by_source]


def render_changes(site: Site) -> str:
    out = [front_matter({"title": "更新记录", "description": "报告的加入与修改，按时间倒序"}), "# 更新记录\n",
           f"每份报告的源文件加入或修改的日期（源文件的版本历史），最新的在前。订阅：[Atom 源]({FEED})。"
           "清理程序的改进也会改变已有报告的页面，不在此列；每份报告页末的“来源与清理记录”说明当前的处理。\n"]
    events = _events_by_report(site)
    if not events:
        out.append(f"没有可显示的记录：{md_escape(site.history_note or '版本历史中没有报告的源文件')}。\n")
        return "\n".join(out)
    grouped: dict[tuple[str, str], dict[str, Document]] = {}
    for event, docs in events:   # one line per day and kind: a commit often adds many reports
        same = grouped.setdefault((event.date, event.kind), {})   # by id: a list's `in` made 10,000 reports quadratic
        same.update((d.id, d) for d in docs if d.id not in same)
    current = ""
    for (date, kind), by_id in grouped.items():
        docs = list(by_id.values())
        if date != current:
            current = date
            out.append(f"\n## {date} {{#d{date}}}\n")
        what = "加入" if kind == ADDED else "修改"
        links = "、".join(f"[{md_escape(list_title(d))}]({href(CHANGES_PAGE, report_page(d.id))})" for d in docs)
        out.append(f"- {what} {len(docs)} 份：{links}")
    return "\n".join(out) + "\n"


def atom_feed(site: Site) -> bytes:
    """An Atom 1.0 feed of the latest reports added or changed (RFC 4287). Relative links without an
    address (a local build), resolved against the feed's own location."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    base = site.address.site_url
    feed = ET.Element(f"{{{ns}}}feed")
    _sub(feed, ns, "title", f"{SITE_NAME}：更新记录")
    _sub(feed, ns, "id", base + FEED if base else f"tag:gov-work-reports,2026:{FEED}")
    _sub(feed, ns, "updated", _timestamp(latest_date(site) or "1970-01-01"))
    ET.SubElement(feed, f"{{{ns}}}link", rel="self", href=base + FEED if base else FEED)
    ET.SubElement(feed, f"{{{ns}}}link", rel="alternate", href=base + built_path(CHANGES_PAGE) if base else built_path(CHANGES_PAGE))
    author = ET.SubElement(feed, f"{{{ns}}}author")
    _sub(author, ns, "name", SITE_NAME)
    for event, docs in _events_by_report(site)[:FEED_ENTRIES]:
        for doc in docs:
            entry = ET.SubElement(feed, f"{{{ns}}}entry")
            what = "加入" if event.kind == ADDED else "修改"
            _sub(entry, ns, "title", f"{what}：{list_title(doc)}")
            page = built_path(report_page(doc.id))
            _sub(entry, ns, "id", f"{base}{page}#{event.date}-{event.kind}" if base
                 else f"tag:gov-work-reports,{event.date}:{doc.id}/{event.kind}")
            _sub(entry, ns, "updated", _timestamp(event.date))
            ET.SubElement(entry, f"{{{ns}}}link", rel="alternate", href=base + page if base else page)
            when = doc.meta.meeting or doc.meta.date
            _sub(entry, ns, "summary", f"{list_title(doc)}" + (f"（{when}）" if when else "") + ("加入语料。" if event.kind == ADDED else "的源文件有修改。"))
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def _sub(parent, ns: str, tag: str, text: str):
    node = ET.SubElement(parent, f"{{{ns}}}{tag}")
    node.text = xml_text(text)
    return node


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def render_annotations(site: Site) -> str:
    notes = [(doc, a) for doc in site.reports for a in doc.annotations if a.paragraph_anchor]
    out = [front_matter({"title": "注释一览", "description": "整理者为报告段落写的全部注释"}), "# 注释一览\n",
           f"整理者为报告段落写的注释，共 {len(notes)} 条，按报告排列。注释不是报告原文；"
           f"在报告页上，有注释的段落左侧有标记，注释紧接在段落之后。以 [{DATA_LICENCE}]({DATA_LICENCE_URL}) 许可发布。\n"]
    if not notes:
        out.append("还没有注释。")
    by_report = Counter(doc.id for doc, _ in notes)
    seen = set()
    for doc, a in notes:
        if doc.id not in seen:
            seen.add(doc.id)
            out.append(f"\n## {md_escape(list_title(doc))}（{by_report[doc.id]} 条）\n")
        link = built_href(ANNOTATIONS_PAGE, report_page(doc.id), a.paragraph_anchor)
        out.append(f'<p class="note-where">{link_html(f"在报告中的位置（段落 {a.paragraph_anchor}）", link)}</p>\n')
        out.append(annotation_html(a))
    return "\n".join(out) + "\n"
