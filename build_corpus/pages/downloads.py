"""The corpus for researchers: JSON Lines, JSON and CSV downloads, citations, and the page that lists them."""
from __future__ import annotations

import csv
import io
import json

from ..corpus.terms import pinyin_sort_key
from ..model import Site
from ..safe_text import csv_cell
from . import citation
from .export import document_json
from .front_matter import front_matter
from .indicators import record_json


def download_files(site: Site) -> dict[str, bytes]:
    reports = site.corpus.reports
    jsonl = "".join(json.dumps({**document_json(d), "targets": [record_json(t) for t in site.targets.get(d.id, [])]},
                               ensure_ascii=False, allow_nan=False) + "\n" for d in reports)
    glossary = [{"term": t.key, "slug": t.slug, "forms": t.forms,
                 "definitions": [{"report": d.report.id, "place": d.report.meta.place, "year": d.report.meta.year,
                                  "number": d.entry.number, "written": d.written, "definition": d.entry.definition}
                                 for d in t.definitions],
                 "used_in": [{"report": u.report.id, "anchor": u.anchor, "count": u.count} for u in t.uses]}
                for t in sorted(site.terms.values(), key=lambda t: pinyin_sort_key(t.key))]
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["term", "written", "definition", "report", "place", "year", "number", "reports_using"])
    for t in glossary:
        using = len({u["report"] for u in t["used_in"]})
        for d in t["definitions"]:
            writer.writerow([csv_cell(v) for v in (t["term"], d["written"], d["definition"], d["report"], d["place"],
                                                   d["year"], d["number"], using)])
    return {"downloads/corpus.jsonl": jsonl.encode("utf-8"),
            "downloads/glossary.json": json.dumps(glossary, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8"),
            "downloads/glossary.csv": ("\ufeff" + table.getvalue()).encode("utf-8"),
            **citation_files(site)}


def citation_files(site: Site) -> dict[str, bytes]:
    """Per report: BibTeX and CSL-JSON (with the report's URL when the site's address is known);
    `all.bib` and `all.json` hold every report."""
    reports = sorted(site.corpus.reports, key=lambda d: d.id)
    url = site.address.site_url
    files = {}
    for doc in reports:
        files[f"downloads/cite/{doc.id}.bib"] = citation.bibtex(doc, url).encode("utf-8")
        files[f"downloads/cite/{doc.id}.json"] = json.dumps([citation.csl_json(doc, url)], ensure_ascii=False,
                                                            indent=1, allow_nan=False).encode("utf-8")
    files["downloads/cite/all.bib"] = "\n".join(citation.bibtex(d, url) for d in reports).encode("utf-8")
    files["downloads/cite/all.json"] = json.dumps([citation.csl_json(d, url) for d in reports], ensure_ascii=False,
                                                  indent=1, allow_nan=False).encode("utf-8")
    return files


def render_downloads(site: Site) -> str:
    n = len(site.corpus.reports)
    return "\n".join([
        front_matter({"title": "下载语料", "description": "清理后的政府工作报告语料和名词解释的下载（JSONL、JSON、CSV、引文）"}),
        "# 下载语料\n",
        "研究者可以直接下载清理后的语料，无需抓取网站。\n",
        f"- [corpus.jsonl](corpus.jsonl)：{n} 份报告，每行一份，格式与 `build-corpus inspect --format json` "
        "的文档对象相同（元数据、章节树、段落纯文本、名词解释、清理记录），说明见仓库 README。",
        f"- [targets.json](targets.json) / [targets.csv](targets.csv)：{sum(map(len, site.targets.values()))} 条"
        "主要预期目标与上年实际完成数（地区、年份、指标原文与统一键、比较词、数值或区间、单位、限定词、原句、段落链接），"
        "字段说明见仓库 README；[按指标浏览](../indicators/index.md)。",
        f"- [glossary.json](glossary.json)：{len(site.terms)} 个名词，每个名词的全部释义（来源报告、编号、原文写法）和正文使用位置。",
        "- [glossary.csv](glossary.csv)：同上，每条释义一行（UTF-8 带 BOM，可直接用 Excel 打开）。",
        f"- 引文：[all.bib](cite/all.bib)（BibTeX）和 [all.json](cite/all.json)（CSL-JSON）收录全部 {n} 份报告，"
        "可导入 Zotero、EndNote 等文献管理软件；每份报告页的“引用本报告”有单份的引文。\n",
        "原始文本在仓库 `sources/` 目录，逐字节保存。"]) + "\n"
