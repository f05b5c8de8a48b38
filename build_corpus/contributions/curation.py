"""The human layer: curated notes on terms in glossary/*.yml, checked and rendered.

Contributors edit these files through pull requests, so everything here is
untrusted input: YAML is loaded safely with a size and depth limit, checked
against glossary/schema.json (problems reported as `file:line: key: message`
in Chinese and English), and rendered with raw HTML escaped and only
http(s) links kept. The reports' own definitions are never replaced: a
correction is shown as a correction beside the original wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..document.glossary import term_key
from ..model import Problem
from ..safe_text import contributed_block, html_text, link_html, md_escape, prose_html
from .checked_yaml import load_folder

SCHEMA_FILE = "schema.json"


@dataclass
class CuratedTerm:
    path: str
    term: str
    key: str
    data: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)   # dotted key -> line, for messages


# --- loading and checking ----------------------------------------------------

def load_curated(folder: Path, shown_root: Path | None = None) -> tuple[dict[str, CuratedTerm], list[Problem]]:
    """Every valid curated term by key, and every problem found (invalid files are skipped whole)."""
    curated: dict[str, CuratedTerm] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return curated, problems
    problems, loaded = load_folder(folder, shown_root, folder / SCHEMA_FILE,
                                   wanted=lambda name: name.endswith((".yml", ".yaml")) and not name.startswith("."),
                                   prose=lambda key: re.fullmatch(r"notes\.\d+\.text", key) is not None)
    for item, value, lines in loaded:
        if value is None:
            continue
        term = CuratedTerm(item.shown, value["term"], term_key(value["term"]), value, lines)
        if term.key in curated:
            # Both files are named: either may be the one to change (YAML keys can't hide the term now).
            first = curated[term.key]
            problems.append(Problem(item.shown, f"名词“{term.term}”已在 {first.path} 第 {first.lines.get('term')} 行注释；"
                                    f"请合并为一个文件 / the same term is curated in {first.path}; merge the two files",
                                    key="term", line=term.lines.get("term")))
            continue
        curated[term.key] = term
    return curated, problems


def check_against_corpus(curated: dict[str, CuratedTerm], term_keys: set[str], report_glossaries: dict[str, dict],
                         texts) -> list[Problem]:
    """Problems only the whole corpus can reveal: dangling terms, corrections of entries that don't exist.
    `texts`: the reports' texts, one at a time (all of them in one string was ~400 MB at 10,000 reports)."""
    problems = []
    unseen = {key for key in curated if key not in term_keys}
    for text in texts:
        if not unseen:
            break
        unseen -= {key for key in unseen if key in text}
    for key, term in curated.items():
        if key in unseen:
            problems.append(Problem(term.path, f"名词“{term.term}”既不在任何报告的名词解释中，也不在正文中出现 / "
                                    "the term matches no extracted term and no text", severity="warning", key="term",
                                    line=term.lines.get("term")))
        for ref in term.data.get("see_also", []):
            if term_key(ref) not in term_keys and term_key(ref) not in curated:
                problems.append(Problem(term.path, f"see_also 指向未知名词“{ref}” / see_also names an unknown term",
                                        severity="warning", key="see_also", line=term.lines.get("see_also")))
        for i, fix in enumerate(term.data.get("corrections", [])):
            entries = report_glossaries.get(fix["report"])
            if entries is None:
                problems.append(Problem(term.path, f"未知报告编号 {fix['report']} / unknown report id",
                                        key=f"corrections.{i}.report", line=term.lines.get(f"corrections.{i}.report")))
            elif str(fix["entry"]) not in entries:
                problems.append(Problem(term.path, f"报告 {fix['report']} 的名词解释中没有第 {fix['entry']} 条 / "
                                        "that report's glossary has no such entry", key=f"corrections.{i}.entry",
                                        line=term.lines.get(f"corrections.{i}.entry")))
    return problems


# --- rendering -----------------------------------------------------------------

def render_curated(term: CuratedTerm, term_page=lambda key: None) -> str:
    """The curator's block on a term page, every field through the sanitized-HTML path.

    `term_page(key)` is the .md path of another term's page, or None: see_also names become
    Markdown links after the block, so MkDocs checks them like every other link.
    """
    d = term.data
    parts = []
    if d.get("english"):
        parts.append(f"<p><strong>English</strong>: {html_text(d['english'])}</p>")
    if d.get("aliases"):
        parts.append("<p><strong>其他写法</strong>：" + "、".join(html_text(a) for a in d["aliases"]) + "</p>")
    for note in d.get("notes", []):
        who = html_text(note["author"]) + (f"，{html_text(note['date'])}" if note.get("date") else "")
        parts.append(prose_html(note["text"]) + f"<p><small>—— {who}</small></p>")
    for source in d.get("sources", []):
        line = link_html(source["title"], source["url"]) if source.get("url") else html_text(source["title"])
        by = f"（{html_text(source['author'])}）" if source.get("author") else ""
        parts.append(f"<p><strong>资料</strong>：{line}{by}</p>")
    for fix in d.get("corrections", []):
        parts.append(f"<p><strong>更正</strong>（针对 <code>{html_text(fix['report'])}</code> 第 {html_text(str(fix['entry']))} 条，"
                     f"报告原文保留在上方）：{html_text(fix['definition'])}<br><small>理由：{html_text(fix['reason'])} —— "
                     f"{html_text(fix['author'])}</small></p>")
    block = "## 整理者补充\n\n" + contributed_block(parts, "note", f"整理者补充（非报告原文，来自 {term.path}）")
    if d.get("see_also"):
        refs = [f"[{md_escape(ref)}]({page})" if (page := term_page(term_key(ref))) else md_escape(ref)
                for ref in d["see_also"]]
        block += "\n**参见**：" + "、".join(refs) + "\n"
    return block
