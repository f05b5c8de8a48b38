"""The human layer: curated notes on terms in glossary/*.yml, checked and rendered.

Contributors edit these files through pull requests, so everything here is
untrusted input: YAML is loaded safely with a size and depth limit, checked
against glossary/schema.json (problems reported as `file:line: key: message`
in Chinese and English), and rendered with raw HTML escaped and only
http(s) links kept. The reports' own definitions are never replaced: a
correction is shown as a correction beside the original wording.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator

from .checked_yaml import key_lines, load_checked
from .glossary_parse import term_key
from .model import Problem
from .safe_text import contributed_block, html_text, link_html, md_escape, prose_html

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
    validator = Draft202012Validator(json.loads((folder / SCHEMA_FILE).read_text(encoding="utf-8")))
    for path in sorted(folder.glob("*.y*ml")):
        shown = str(path.relative_to(shown_root)) if shown_root and path.is_relative_to(shown_root) else str(path)
        value, file_problems = load_checked(path, shown, validator)
        problems.extend(file_problems)
        if value is None:
            continue
        term = CuratedTerm(shown, value["term"], term_key(value["term"]), value, key_lines(path))
        if term.key in curated:
            problems.append(Problem(shown, f"名词“{term.term}”已在 {curated[term.key].path} 中注释；请合并为一个文件 / "
                                    f"term already curated in {curated[term.key].path}; merge the two files", key="term",
                                    line=term.lines.get("term")))
            continue
        curated[term.key] = term
    return curated, problems


def check_against_corpus(curated: dict[str, CuratedTerm], term_keys: set[str], report_glossaries: dict[str, dict],
                         corpus_text: str) -> list[Problem]:
    """Problems only the whole corpus can reveal: dangling terms, corrections of entries that don't exist."""
    problems = []
    for key, term in curated.items():
        if key not in term_keys and key not in corpus_text:
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
