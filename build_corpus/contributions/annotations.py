"""Passage annotations: contributors' notes on one paragraph of a report, in annotations/<report-id>.yml.

A note names its paragraph by an exact quote (and, when the quote occurs
more than once, the paragraph's anchor), so it stays attached when anchors
move and fails loudly when the text it quotes changes: the check names the
file, the entry and the closest paragraph, so the contributor can fix it.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path

from ..model import Annotation, Document, Problem
from .checked_yaml import load_folder
from .inputs import shown_path

SCHEMA_FILE = "schema.json"
REPORT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def load_annotations(folder: Path, shown_root: Path | None = None) -> tuple[dict[str, list[Annotation]], list[Problem]]:
    """Valid annotations by report id; every problem found (a file with any problem is left out)."""
    found: dict[str, list[Annotation]] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return found, problems
    for path in sorted(folder.iterdir()):
        if path.name in (SCHEMA_FILE, "README.md") or path.name.startswith("."):
            continue
        if path.suffix not in (".yml", ".yaml") or not REPORT_ID.match(path.stem):
            problems.append(Problem(shown_path(path, shown_root), "文件名必须是“报告编号.yml”（小写字母、数字和连字符）/ "
                                    "the file must be named <report-id>.yml (lowercase letters, digits, hyphens)"))
    folder_problems, loaded = load_folder(
        folder, shown_root, folder / SCHEMA_FILE,
        wanted=lambda name: name.endswith((".yml", ".yaml")) and REPORT_ID.match(name.rsplit(".", 1)[0]) is not None,
        prose=lambda key: re.fullmatch(r"notes\.\d+\.note", key) is not None)
    problems += folder_problems
    for item, value, lines in loaded:
        if value is None:
            continue
        shown, stem = item.shown, item.path.name.rsplit(".", 1)[0]
        if value.get("report", stem) != stem:
            problems.append(Problem(shown, f"report 应与文件名一致（{stem}）/ report must equal the file name",
                                    key="report", line=lines.get("report")))
            continue
        found[stem] = [Annotation(path=shown, index=i, quote=n["quote"], note=n["note"], author=n["author"],
                                       anchor=n.get("anchor"), date=n.get("date"), sources=n.get("sources", []),
                                       line=lines.get(f"notes.{i}.quote"))
                            for i, n in enumerate(value["notes"])]
    return found, problems


def attach_annotations(annotations: dict[str, list[Annotation]], reports: list[Document]) -> list[Problem]:
    """Find each note's paragraph; a note whose quote no longer matches is an error naming the closest paragraph."""
    by_id = {d.id: d for d in reports}
    problems = []
    for report_id, notes in annotations.items():
        doc = by_id.get(report_id)
        if doc is None:
            close = difflib.get_close_matches(report_id, list(by_id), n=1)
            hint = f"；是否指 {close[0]}？/ did you mean {close[0]}?" if close else ""
            problems.append(Problem(notes[0].path, f"没有编号为 {report_id} 的报告{hint} / no report has this id "
                                    "(see the report page's URL)", key="report", line=1))
            continue
        text = ReportText(list(doc.all_paragraphs()))
        for note in notes:
            problem = _resolve(note, text)
            if problem:
                problems.append(problem)
            else:
                doc.annotations.append(note)
    return problems


class ReportText:
    """A report's paragraphs with their text squashed once (not once per note), and the character
    pairs of each, made when a quote first fails: the cheap prefilter of the closest paragraph."""

    def __init__(self, paragraphs):
        self.paragraphs = paragraphs
        self.squashed = [_squash(p.text) for p in paragraphs]
        self._pairs: list[set[str]] | None = None
        self.searched = 0                   # quotes whose closest paragraph was looked for

    def pairs(self) -> list[set[str]]:
        """Each paragraph's characters and pairs of adjacent characters."""
        if self._pairs is None:
            self._pairs = [character_pairs(t) for t in self.squashed]
        return self._pairs


def character_pairs(text: str) -> set[str]:
    """The characters of a text and its pairs of adjacent characters: what a quote and a paragraph
    share, counted cheaply. (Characters too, so a quote sharing no pair still finds a paragraph.)"""
    return set(text) | {text[i:i + 2] for i in range(len(text) - 1)}


# A quote that matches nothing is compared closely (difflib, quadratic) only with the few paragraphs
# sharing most of its character pairs, and only with the stretch of each where those pairs stand
# thickest: 10 such quotes against a 100,000-character paragraph took 47 s of `check` (issue #28).
CLOSE_CANDIDATES = 3
CLOSE_SEARCHES = 20   # per report: the first 20 quotes that match nothing are given their closest paragraph


def _resolve(note: Annotation, text: ReportText) -> Problem | None:
    key = f"notes.{note.index}.quote"
    quote = _squash(note.quote)
    paragraphs = text.paragraphs
    matches = [p for p, squashed in zip(paragraphs, text.squashed) if quote in squashed]
    if note.anchor:
        anchored = [p for p in paragraphs if p.anchor == note.anchor]
        if not anchored:
            return Problem(note.path, f"没有锚点为 {note.anchor} 的段落 / no paragraph has anchor {note.anchor}",
                           key=f"notes.{note.index}.anchor", line=note.line)
        matches = [p for p in matches if p.anchor == note.anchor]
    if len(matches) == 1:
        note.paragraph_anchor = matches[0].anchor
        return None
    if len(matches) > 1:
        anchors = ", ".join(p.anchor for p in matches[:8])
        return Problem(note.path, f"引文出现在 {len(matches)} 个段落中，请加 anchor 指明（{anchors}）/ the quote occurs "
                       f"in {len(matches)} paragraphs; add an anchor: {anchors}", key=key, line=note.line)
    best = _closest(quote, text) if text.searched < CLOSE_SEARCHES else None
    text.searched += 1
    where = f"最接近的段落 / closest paragraph {best[0].anchor}：{first_difference(quote, best[1])}" if best else ""
    return Problem(note.path, f"引文与报告正文不符（报告可能已更新）/ the quote no longer matches the report text. {where}。"
                   "请改为段落中的原文 / copy the exact words from the paragraph", key=key, line=note.line)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _closest(quote: str, text: ReportText) -> tuple | None:
    """(paragraph, the stretch of its text to show) closest to a quote found nowhere, in bounded work:
    the CLOSE_CANDIDATES paragraphs holding most of its character pairs, each cut to the stretch
    around the densest run of them, then difflib on those stretches alone."""
    wanted = character_pairs(quote)
    scored = sorted(((len(wanted & pairs), -i) for i, pairs in enumerate(text.pairs()) if wanted & pairs), reverse=True)
    candidates = [(text.paragraphs[-i], _stretch(quote, wanted, text.squashed[-i]))
                  for _, i in scored[:CLOSE_CANDIDATES]]
    return max(candidates, key=lambda c: _overlap(quote, c[1]), default=None)


def _stretch(quote: str, wanted: set[str], squashed: str) -> str:
    """The part of a paragraph, the quote's length and DIFF_CONTEXT either side, holding the most of
    the quote's character pairs (the whole paragraph when it is that short already)."""
    width = len(quote) + 2 * DIFF_CONTEXT
    hits = [i for i in range(len(squashed)) if squashed[i:i + 2] in wanted or squashed[i] in wanted]
    if len(squashed) <= width or not hits:
        return squashed[:width]
    most, start, first = 0, 0, 0
    for last, at in enumerate(hits):   # the hits within `width` before each hit: two pointers, linear
        while at - hits[first] >= width - DIFF_CONTEXT:
            first += 1
        if last - first + 1 > most:
            most, start = last - first + 1, hits[first]
    start = max(0, min(start - DIFF_CONTEXT, len(squashed) - width))
    return squashed[start:start + width]


def _overlap(quote: str, text: str) -> float:
    match = difflib.SequenceMatcher(None, quote, text, autojunk=False).find_longest_match(0, len(quote), 0, len(text))
    return match.size / max(1, len(quote))


DIFF_CONTEXT = 12


def first_difference(quote: str, text: str) -> str:
    """Where the quote departs from the paragraph's words, both sides marked 【】 with some context.

    The quote is aligned with the paragraph at their longest common run (difflib, once), then
    read character by character: bounded work, whatever the two hold (difflib's full diff of two
    texts sharing one character everywhere took a second).

    >>> first_difference("加快推动产业转型升级", "我们要加快推进产业转型升级，做大做强")
    '引文“加快推【动】产业转型升级” ≠ 原文“我们要加快推【进】产业转型升级，做大做强”'
    """
    match = difflib.SequenceMatcher(None, quote, text, autojunk=False).find_longest_match(0, len(quote), 0, len(text))
    start = max(0, match.b - match.a)          # where the quote would begin in the paragraph
    a1 = next((i for i in range(len(quote)) if start + i >= len(text) or quote[i] != text[start + i]), None)
    if a1 is None:
        return f"“{text[start:start + len(quote) + DIFF_CONTEXT]}…”"
    b1 = start + a1
    # The differing run: up to where the two agree again (DIFF_CONTEXT characters at most).
    a2 = next((i for i in range(a1 + 1, min(len(quote), a1 + DIFF_CONTEXT))
               if b1 + i - a1 < len(text) and quote[i] == text[b1 + i - a1]), min(len(quote), a1 + DIFF_CONTEXT))
    b2 = min(len(text), b1 + a2 - a1)
    left = max(0, a1 - DIFF_CONTEXT)
    shown_quote = ("…" if left else "") + quote[left:a1] + f"【{quote[a1:a2]}】" + quote[a2:a2 + DIFF_CONTEXT] \
        + ("…" if a2 + DIFF_CONTEXT < len(quote) else "")
    around = max(0, b1 - DIFF_CONTEXT)
    shown_text = ("…" if around else "") + text[around:b1] + f"【{text[b1:b2]}】" + text[b2:b2 + DIFF_CONTEXT] \
        + ("…" if b2 + DIFF_CONTEXT < len(text) else "")
    return f"引文“{shown_quote}” ≠ 原文“{shown_text}”"
