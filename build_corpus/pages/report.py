"""Stage 8 — render: one report as the Markdown page the site shows.

Headings, the metadata box, the outline and the provenance log are Markdown; the report's own
paragraphs (and its 名词解释 entries) are written as the HTML Python-Markdown made of them, because
they are most of the page and their text is plain: escaping it for Markdown and having
Python-Markdown parse it back cost most of MkDocs' time on a report page. Links in that HTML are
written as the built site has them (`urls.built_href`), since MkDocs does not rewrite them; the
tests check that each lands on a page and anchor that exist.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml

from ..corpus.places import PlaceInfo
from ..model import META_FIELDS, Annotation, Document, GlossaryEntry, Paragraph, Section
from ..safe_text import (
    code_text,
    contributed_block,
    html_attr,
    html_text,
    link_html,
    md_escape,
    page_title,
    prose_html,
    tooltip_attr,
)
from ..urls import gloss_anchor, web_address
from .front_matter import front_matter

__all__ = ["md_escape", "render_report", "PageContext", "paragraph_html", "list_title", "annotation_html"]

LevelLabel = {"国家": "全国", "省": "省级", "自治区": "省级", "直辖市": "省级", "市": "市级", "县": "县级", "区": "区级",
              "镇": "镇级", "乡": "乡级", "街道": "街道"}
FIELD_LABELS = [("place", "地区"), ("level", "层级"), ("parent", "上级"), ("year", "年份"), ("date", "会议日期"),
                ("meeting", "会议"), ("speaker", "报告人"), ("publisher", "来源"), ("published", "发布日期")]
MAX_HEADING_LEVEL = 6


def list_title(doc: Document) -> str:
    """One form for every list of reports: 浙江省2026年政府工作报告 (the page keeps the report's own
    title); a report without a known place or year is listed by its own title."""
    m = doc.meta
    if m.place and m.year:
        return f"{m.place}{m.year}年政府工作报告"
    return doc.title


def report_front_matter(doc: Document, extra: dict | None = None) -> str:
    """The page's YAML header; `extra` adds what the site stage knows (description, citation data)."""
    m = doc.meta
    data = {"title": page_title(doc.title), "report_id": doc.id, "kind": doc.kind}
    data.update({k: getattr(m, k) for k in META_FIELDS if k != "title" and getattr(m, k)})   # the title is above
    data["inferred"] = m.inferred
    data["pinned"] = m.pinned
    data["source"] = {"path": doc.source_path, "position": doc.position, "line": doc.line}
    data.update(extra or {})
    return front_matter(data)


def render_report(doc: Document, context: PageContext) -> str:
    out = [report_front_matter(doc, context.front_matter), f"# {md_escape(doc.title)}\n"]
    # The page's own apparatus before the text (info box, citation, other years, outline) is not the
    # report's text: search neither finds nor counts words in it (the outline repeats every heading).
    # A <section>, not a <div>: Material's parser ends a skipped element at the first closing tag of
    # the same name, and the admonitions inside are divs.
    out.append('<section class="report-apparatus" data-search-exclude="" markdown>\n')
    out.append(_metadata_block(doc, context))
    if context.citation:
        out.append(context.citation)
    if context.timeline:
        out.append(context.timeline)
    out.append(_outline_block(doc))
    out.append("</section>\n")
    out.extend(_paragraph_md(p, doc, context) for p in doc.preamble)
    for section in doc.sections:
        out.extend(_section_md(section, doc, context))
    for appendix in doc.appendices:
        out.extend(_section_md(appendix, doc, context, appendix=True))
    if doc.glossary or doc.glossary_lines:
        out.append(_glossary_block(doc, context))
    if context.terms_used:
        out.append(context.terms_used)
    out.append(_provenance_block(doc, context))
    return "\n".join(out).rstrip() + "\n"


class PageContext:
    """What a report page needs from the rest of the corpus (filled by the site stage)."""

    def __init__(self, place_link: Callable[[str], str] = lambda p: "",
                 term_link: Callable[[GlossaryEntry, str], str | None] = lambda e, t: None,   # built href
                 link_paragraph: Callable[[Paragraph, Document], str] | None = None,
                 timeline: str = "", terms_used: str = "", depth: int = 1,
                 front_matter: dict | None = None, citation: str = "",
                 speaker_link: Callable[[str], str] = lambda s: "",
                 place: PlaceInfo | None = None, source_url: str = "", contribute_url: str = "",
                 entry_uses: Callable[[GlossaryEntry], list[str]] = lambda e: []):
        self.place_link = place_link
        self.speaker_link = speaker_link   # the speaker's entry on the speakers' page
        self.term_link = term_link
        self.link_paragraph = link_paragraph
        self.timeline = timeline
        self.terms_used = terms_used
        self.depth = depth
        self.front_matter = front_matter or {}   # extra YAML header keys (site stage)
        self.citation = citation                 # the "cite this report" block
        self.place = place                       # the place's level and parents (corpus/places.py)
        self.source_url = source_url             # the raw source in the repository, on a published site
        self.contribute_url = contribute_url     # how to contribute (CONTRIBUTING.md), on a published site
        self.entry_uses = entry_uses             # a 名词解释 entry → the anchors of its uses in this report


def level_label(level: str, tier: str) -> str:
    """省 → 省级, 自治区 → 自治区（省级）, a 县级市 → 市（县级）: the tier once, the level where it adds something."""
    if not tier or tier.startswith(level):
        return tier or level
    if level == "市" and tier == "县级":
        return "县级市"
    return f"{level}（{tier}）"


def _metadata_block(doc: Document, context: PageContext) -> str:
    m = doc.meta
    lines = ['!!! info "报告信息"', ""]
    info = context.place
    for field, label in FIELD_LABELS:
        value = getattr(m, field)
        from_data = False
        if field == "parent" and not value and info and info.parents:
            value, from_data = info.parents[-1], True   # a province's parent is the country: never unknown
        if not value:
            continue
        shown = md_escape(str(value))
        if field in ("place", "parent") and context.place_link(value):
            shown = f"[{shown}]({context.place_link(value)})"
        if field == "speaker" and context.speaker_link(value):
            shown = f"[{shown}]({context.speaker_link(value)})"
        if field == "speaker" and m.speaker_title:
            shown = f"{md_escape(m.speaker_title)} {shown}"
        if field == "level":
            shown = md_escape(level_label(value, info.tier if info else LevelLabel.get(value, "")))
        if field == "published":
            label = "网页发布日期"
            if m.year and value[:4].isdigit() and int(value[:4]) > m.year:
                shown += "（转载或收录这份报告的网页的日期，不是报告的日期）"
        mark = ""
        if from_data:
            mark = ' <span class="inferred" title="报告没有写明，按行政区划数据补充">（据行政区划）</span>'
        elif field in m.inferred:
            why = tooltip_attr(m.evidence.get(field, ""))
            mark = f' <span class="inferred" title="由正文推断：{why}">（推断）</span>'
        elif field in m.pinned:
            mark = ' <span class="pinned" title="由整理者根据其他资料指定（见页末“来源与清理记录”）">（人工指定）</span>'
        lines.append(f"    - **{label}**：{shown}{mark}")
    missing = _missing_fields(doc, context)
    # A field whose text was found but not usable (a date no calendar has) is not "not stated".
    unstated = [label for field, label in missing if not m.evidence.get(field)]
    unusable = [label for field, label in missing if m.evidence.get(field)]
    if unstated:
        lines.append(f"    - **原文未载明**：{'、'.join(unstated)}")
    if unusable:
        lines.append(f"    - **不可用**：{'、'.join(unusable)}（原文所写不可用，见页末“处理中的疑点”）")
    official = web_address(m.url)
    if official:   # a curator's sidecar names the government's own page
        lines.append(f"    - **官方原文**：{link_html('发布机关的网页', official)}")
    elif dataset_url := web_address(str(doc.origin.get("url", ""))):   # else the dataset it was imported from
        lines.append(f"    - **原文网址**：{link_html('数据集所记的原文网页', dataset_url)}（见页末来源）")
    lines.append("    - **原始文本**：逐字保存，清理的每一步见页末[来源与清理记录](#provenance)")
    return "\n".join(lines) + "\n"


def _missing_fields(doc: Document, context: PageContext) -> list[tuple[str, str]]:
    """What neither the report, a curator nor the division data gives: a national report, and any
    place the division data places, has a parent that is not missing."""
    m = doc.meta
    return [(field, label) for field, label in FIELD_LABELS[:5] if not getattr(m, field)
            and not (field == "parent" and (m.level == "国家" or (context.place and context.place.parents)))]


def _outline_block(doc: Document) -> str:
    """A collapsible 目录 at the top of the article, for a phone reader who has not opened the drawer.

    The navigation holds the heading tree already (Material's `toc.integrate`); readers.js draws this one
    from the article's headings when the page loads, so a page does not carry its tree a second time
    (~2.5 KB a report page, issue #27). Without JavaScript it says where the tree is.
    """
    if not (doc.sections or doc.appendices or doc.glossary):
        return ""
    return ('??? abstract print-skip report-outline "目录（报告自身的标题结构）"\n\n'
            "    本报告的标题结构见导航栏（手机上点左上角的菜单按钮）。\n")


def _section_md(section: Section, doc: Document, context: PageContext, appendix: bool = False) -> list[str]:
    hashes = "#" * min(MAX_HEADING_LEVEL, section.level + 1)
    label = ("附录 · " if appendix and not section.title.startswith(("附件", "附表")) else "")
    out = [f"{hashes} {label}{md_escape(section.number + section.title)} {{#{section.anchor}}}\n"]
    out.extend(_paragraph_md(p, doc, context) for p in section.paragraphs)
    for child in section.sections:
        out.extend(_section_md(child, doc, context, appendix))
    return out


def _paragraph_md(p: Paragraph, doc: Document, context: PageContext) -> str:
    body = context.link_paragraph(p, doc) if context.link_paragraph else paragraph_html(p, doc)
    notes = [a for a in doc.annotations if a.paragraph_anchor == p.anchor]
    if not notes:
        return f'<p id="{p.anchor}">{body}</p>\n'
    # Marked in the text (the class draws a rule and a badge), the notes right under it.
    return (f'<p class="has-note" id="{p.anchor}">{body}</p>\n'
            + "".join(annotation_html(a, f"note-{p.anchor}-{n}") for n, a in enumerate(notes, 1)))


def annotation_html(a: Annotation, anchor: str = "") -> str:
    """A contributor's note under its paragraph (and on the annotations page), set apart from the report's words."""
    parts = [f"<blockquote><p>{html_text(a.quote)}</p></blockquote>", prose_html(a.note)]
    if a.sources:
        items = (link_html(s["title"], s["url"]) if s.get("url") else html_text(s["title"]) for s in a.sources)
        parts.append("<ul>" + "".join(f"<li>资料：{item}</li>" for item in items) + "</ul>")
    who = html_text(a.author) + (f"，{html_text(a.date)}" if a.date else "")
    parts.append(f"<p><small>—— {who}（<code>{html_text(a.path)}</code>）</small></p>")
    return "\n" + contributed_block(parts, "note", "整理者注（非报告原文）", anchor)


def paragraph_html(p: Paragraph, doc: Document, insertions: dict[int, list[tuple[int, str]]] | None = None) -> str:
    """The paragraph's text as HTML, with emphasis and footnote links put back at their offsets.

    `insertions` maps an offset to (end, html) replacements made by the linker.
    The text between two offsets is escaped in one piece, not character by character. Leading
    blanks are dropped, as Python-Markdown dropped them from the Markdown line this used to be.
    """
    events = _inline_events(p, doc)
    replacements = insertions or {}
    stops = sorted(events.keys() | replacements.keys())
    text, out, pos = p.text, [], 0
    for stop in stops:
        if stop < pos or stop > len(text):   # inside a replaced span, or past the text
            continue
        out.append(html_text(text[pos:stop]))
        out.extend(events.get(stop, ()))
        pos = stop
        if stop in replacements:
            end, markup = replacements[stop][0]
            out.append(markup)
            # emphasis/footnotes inside a replaced span are kept after it
            for inside in stops:
                if stop < inside < end:
                    out.extend(events.get(inside, ()))
            pos = end
    out.append(html_text(text[pos:]))
    return "".join(out).lstrip(" ")


def _inline_events(p: Paragraph, doc: Document) -> dict[int, list[str]]:
    """Markup to put in at each offset of the plain text: <strong> around emphasis, footnote references."""
    events: dict[int, list[str]] = defaultdict(list)
    for start, end in p.emphasis:
        events[start].append("<strong>")
        events[end].insert(0, "</strong>")
    if p.notes:
        definitions = {e.number: e.definition for e in doc.glossary}
        for offset, number in p.notes:
            title = tooltip_attr(definitions.get(number, ""))
            events[offset].insert(0, f'<sup class="footnote-ref"><a href="#{gloss_anchor(number)}" title="{title}">'
                                     f'[{html_attr(number)}]</a></sup>')
    return events


def _glossary_block(doc: Document, context: PageContext) -> str:
    title = doc.glossary_title or "名词解释"
    out = [f"## {md_escape(title)} {{#glossary}}\n"]
    if not doc.glossary:
        out.append("!!! warning \"未能解析\"\n    本报告的名词解释未能拆分为条目，原文如下。\n")
        out.extend(md_escape(line) + "\n" for line in doc.glossary_lines)
        return "\n".join(out)
    out.append("本报告自带的名词解释（原文）。名词链接到全语料的名词页，可比较各报告的释义。\n")
    for entry in doc.glossary:
        number = f"{html_text(entry.number)}. " if entry.number else ""
        targets = [(key, url) for key in entry.terms if (url := context.term_link(entry, key))]
        # One term page: the entry's term is its link. Several (an entry explaining two slogans): each
        # named after the entry. None: only this report mentions it, and this entry is its page.
        term, see = html_text(entry.term), ""
        if len(targets) == 1:
            term = link_html(entry.term, targets[0][1])
        elif targets:
            see = f" <small class=\"gloss-term\">名词页：{'、'.join(link_html(k, url) for k, url in targets)}</small>"
        out.append(f'<p id="{entry.anchor}">{number}<strong>{term}</strong>：'
                   f'{html_text(entry.definition)}{see}{_back_links(context.entry_uses(entry))}</p>\n')
    return "\n".join(out)


MAX_BACK_LINKS = 12


def _back_links(anchors: list[str]) -> str:
    """↩ from a 名词解释 entry to the paragraphs of the report that use its term (as a footnote's
    back-references go): one ↩, or ↩ 1 2 3 … when there are several."""
    if not anchors:
        return ""
    if len(anchors) == 1:
        return (f' <a class="gloss-back" href="#{html_attr(anchors[0])}" title="回到正文中用到它的段落"'
                ' aria-label="回到正文中用到它的段落">↩</a>')
    links = "".join(f' <a href="#{html_attr(a)}" aria-label="正文中第 {n} 处">{n}</a>'
                    for n, a in enumerate(anchors[:MAX_BACK_LINKS], 1))
    more = f" 等 {len(anchors)} 处" if len(anchors) > MAX_BACK_LINKS else ""
    return f' <span class="gloss-back" title="正文中用到它的段落">↩{links}{more}</span>'


def _origin_lines(origin: dict) -> list[str]:
    """The dataset row a report was imported from, and its original on the web (http(s) only)."""
    if not origin:
        return []
    sheet = f"工作表 {md_escape(str(origin['sheet']))}，" if origin.get("sheet") else ""
    lines = [f"- 导入自数据集 {code_text(str(origin['dataset']))}（{sheet}第 {int(origin['row'])} 行）"
             + "".join(f"；数据集所标{label}：{md_escape(str(origin[key]))}" for key, label in
                       (("title", "标题"), ("year", "年份"), ("place", "地区")) if key in origin)]
    url = web_address(str(origin.get("url", "")))
    if url:
        lines.append(f"- 原文网址：{link_html(url, url)}")
    return lines


def _provenance_block(doc: Document, context: PageContext) -> str:
    source = code_text(doc.source_path)
    if context.source_url:
        source = f"[{source}]({context.source_url})"
    out = ["## 来源与清理记录 {#provenance data-search-exclude}\n",
           f"- 原始文件：{source}，第 {doc.position} 篇，第 {doc.line} 行起",
           *(f"- 同一报告的另一来源：{code_text(copy)}（内容相同，本页用上面那一份）" for copy in doc.copies),
           *_origin_lines(doc.origin),
           f"- 分类：政府工作报告（{md_escape(doc.kind_reason)}）"]
    for field, why in doc.meta.evidence.items():
        out.append(f"- {dict(FIELD_LABELS).get(field, field)}的依据：{md_escape(why)}")
    missing = _missing_fields(doc, context)
    if missing:
        unusable = any(doc.meta.evidence.get(field) for field, _ in missing)
        how = f"[参与改进]({context.contribute_url})" if context.contribute_url else "仓库中的 CONTRIBUTING.md"
        out.append(f"- 原文未载明{'（或所写不可用）' if unusable else ''}{'、'.join(label for _, label in missing)}。"
                   f"如果您知道（例如从报告的官方发布页），欢迎补充，方法见{how}。")
    if doc.notes:
        out.append("\n!!! warning \"处理中的疑点\"\n")
        out.extend(f"    - {md_escape(n.message)}" for n in doc.notes)
    counts: dict[str, int] = defaultdict(int)
    for r in doc.removed:
        counts[r.fix] += r.count
    out.append("\n| 清理步骤 | 改动次数 |\n| --- | ---: |")
    # Fix names are ours ([a-z_]+), the only text written into a code span unescaped.
    out.extend(f"| {md_escape(fix_label(fix))} <small>`{fix}`</small> | {n} |" for fix, n in counts.items())
    removed = [r for r in doc.removed if not r.replacement and r.text not in ("\\n", "␣")]
    if removed:
        out.append(f'\n??? note print-skip "删除的文字（{len(removed)} 处，逐条列出；打印时略去）"\n')
        for r in removed:
            shown = md_escape(r.text.replace("\n", " ⏎ "))
            times = f" ×{r.count}" if r.count > 1 else ""
            out.append(f"    - `{r.fix}`{times}：{shown}")
    replaced = [r for r in doc.removed if r.replacement]
    if replaced:
        out.append(f'\n??? note print-skip "替换的字符（{sum(r.count for r in replaced)} 处；打印时略去）"\n')
        for r in replaced[:200]:
            out.append(f"    - `{r.fix}`：{code_text(r.text)} → {code_text(r.replacement)} ×{r.count}")
    return "\n".join(out) + "\n"


@cache
def _fix_labels() -> dict[str, str]:
    return yaml.safe_load((Path(__file__).parent.parent / "data" / "fix_labels.yml").read_text(encoding="utf-8"))


def fix_label(fix: str) -> str:
    """A cleaning step in a reader's words (data/fix_labels.yml); its code name when unlabelled."""
    return _fix_labels().get(fix, fix)
