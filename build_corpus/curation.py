"""The human layer: curated notes on terms in glossary/*.yml, checked and rendered.

Contributors edit these files through pull requests, so everything here is
untrusted input: YAML is loaded safely with a size and depth limit, checked
against glossary/schema.json (problems reported as `file:line: key: message`
in Chinese and English), and rendered with raw HTML escaped and only
http(s) links kept. The reports' own definitions are never replaced: a
correction is shown as a correction beside the original wording.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from jsonschema import Draft202012Validator

from .checked_yaml import key_lines, load_checked
from .glossary_parse import term_key
from .model import Problem

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

SAFE_LINK = re.compile(r"\[([^\]]*)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:\s+\"[^\"]*\")?\)")


def safe_markdown(text: str) -> str:
    """Contributor Markdown with raw HTML escaped and only http(s) or relative links kept."""
    text = html.escape(text, quote=False)

    def keep(m: re.Match) -> str:
        label, target = m.group(1), m.group(2)
        if re.match(r"^(https?://|\.{0,2}/|#)", target) and not re.match(r"^//", target):
            return f"[{label}]({target})"
        return label   # javascript:, data:, vbscript: … become plain text
    text = SAFE_LINK.sub(keep, text)
    return re.sub(r"<(?=[a-zA-Z]+:)", "&lt;", text)   # no autolinks to arbitrary schemes


def render_curated(term: CuratedTerm, see_also_link=lambda ref: None) -> str:
    """`see_also_link(ref)` is the relative link to a referenced term's page, or None when it has none."""
    d = term.data
    body = []
    if d.get("english"):
        body.append(f"**English**: {html.escape(d['english'])}")
    if d.get("aliases"):
        body.append("**其他写法**：" + "、".join(html.escape(a) for a in d["aliases"]))
    for note in d.get("notes", []):
        who = html.escape(note["author"]) + (f"，{note['date']}" if note.get("date") else "")
        body.append(f"{safe_markdown(note['text']).strip()}\n\n<small>—— {who}</small>")
    if d.get("see_also"):
        body.append("**参见**：" + "、".join(f"[{html.escape(s)}]({see_also_link(s)})" if see_also_link(s)
                                             else html.escape(s) for s in d["see_also"]))
    for source in d.get("sources", []):
        title = html.escape(source["title"])
        line = f"[{title}]({source['url']})" if source.get("url") else title
        body.append(f"**资料**：{line}" + (f"（{html.escape(source['author'])}）" if source.get("author") else ""))
    for fix in d.get("corrections", []):
        body.append(f"**更正**（针对 `{fix['report']}` 第 {html.escape(str(fix['entry']))} 条，报告原文保留在上方）："
                    f"{html.escape(fix['definition'])}<br><small>理由：{html.escape(fix['reason'])} —— "
                    f"{html.escape(fix['author'])}</small>")
    indented = "\n\n".join(body).replace("\n", "\n    ")
    return f'## 整理者补充\n\n!!! note "整理者补充（非报告原文，来自 `{term.path}`）"\n\n    {indented}\n'
