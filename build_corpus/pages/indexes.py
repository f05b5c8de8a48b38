"""The ways into the corpus: the home page, places (with the gazetteer's hierarchy), years, and the documents
that were not published as reports."""
from __future__ import annotations

from collections import defaultdict

from ..corpus.terms import pinyin_sort_key
from ..model import Corpus, Document, Site
from ..publishing import Address
from ..safe_text import code_text
from ..urls import href, report_page
from .report import LevelLabel, md_escape


def render_home(site: Site) -> str:
    corpus = site.corpus
    reports = corpus.reports
    places = sorted({d.meta.place for d in reports if d.meta.place}, key=pinyin_sort_key)
    years = sorted({d.meta.year for d in reports if d.meta.year})
    latest = sorted(reports, key=lambda d: (-(d.meta.year or 0), d.meta.place or ""))
    out = ["---", f"description: {len(reports)} 份地方政府工作报告的全文、章节与跨报告名词解释", "---",
           "# 政府工作报告注释语料\n",
           "这里收录地方政府每年向人民代表大会所作的《政府工作报告》，经过清理、分节，"
           "并把报告自带的“名词解释”汇编成跨报告、跨年份的名词页：正文中出现的名词都链接到它的释义。\n",
           f"- **{len(reports)}** 份报告，来自 **{len(places)}** 个地区，年份 "
           f"{years[0] if years else '—'}–{years[-1] if years else '—'}",
           f"- **{len(site.terms)}** 个名词（[名词索引](terms/index.md)）",
           "- 浏览：[按地区](places.md) · [按年份](years.md) · [名词](terms/index.md) · [下载语料](downloads/index.md)",
           f"- 未作为报告发布的文档：{len(corpus.others)} 篇（[列表与原因](skipped.md)）",
           *_contribute_lines(site.address), "",
           "原始文本逐字节保存在仓库的 `sources/` 目录；所有清理都在构建时进行，每份报告页末尾都列出了"
           "清理步骤和删除的文字。\n", "## 最新报告\n"]
    out.extend(f"- [{md_escape(d.title)}]({href('index.md', report_page(d.id))})" for d in latest[:20])
    return "\n".join(out) + "\n"


def _contribute_lines(address: Address) -> list[str]:
    """Where a reader who knows better can say so: the contributor guide and the issue forms."""
    if not address.repo_url:
        return []
    return [f"- 参与改进：[如何贡献]({address.repo_file('CONTRIBUTING.md', edit=False)})"
            f" · [报告错误或建议收录]({address.repo_url}/issues/new/choose)"
            " · 每段正文末尾的“注释”可以为这一段提出注释"]


def render_years(reports: list[Document]) -> str:
    by_year: dict = defaultdict(list)
    for doc in reports:
        by_year[doc.meta.year or 0].append(doc)
    out = ["---", "title: 按年份", "description: 按年份浏览各地政府工作报告", "---", "# 按年份浏览\n", "年份为报告所作的年份（回顾 2023 年工作的报告属于 2024 年）。\n"]
    for year in sorted(by_year, reverse=True):
        out.append(f"## {year or '年份未知'} {{#year-{year or 'unknown'}}}\n")
        for doc in sorted(by_year[year], key=lambda d: pinyin_sort_key(d.meta.place or "")):
            level = LevelLabel.get(doc.meta.level or "", doc.meta.level or "")
            out.append(f"- [{md_escape(doc.title)}]({href('years.md', report_page(doc.id))})　<small>{md_escape(level)}</small>")
        out.append("")
    return "\n".join(out)


def render_skipped(corpus: Corpus) -> str:
    out = ["---", "title: 未发布的文档", "description: 源文件中没有作为政府工作报告发布的文档及原因", "---", "# 未作为报告发布的文档\n",
           "构建时读到、但判断不是政府工作报告的文档，以及无法读取的源文件。没有任何文档被悄悄丢弃。\n"]
    errors = [s for s in corpus.sources if s.error]
    if errors:
        out.append("## 无法读取的源文件\n")
        out.extend(f"- {code_text(s.path)}：{md_escape(s.error)}" for s in errors)
        out.append("")
    out.append("## 其他文章\n")
    out.append("| 源文件 | 序号 | 标题 | 判断理由 |\n| --- | ---: | --- | --- |")
    for doc in corpus.others:
        out.append(f"| {code_text(doc.source_path)} | {doc.position} | {md_escape(doc.title)} | {md_escape(doc.kind_reason)} |")
    chrome = [(s.path, r) for s in corpus.sources for r in s.removed]
    if chrome:
        out.append("\n## 页面框架文字（不属于任何文档）\n")
        out.extend(f"- {code_text(path)}：{md_escape(r.text.replace(chr(10), ' ⏎ '))}" for path, r in chrome)
    return "\n".join(out) + "\n"


# --- downloads -------------------------------------------------------------
