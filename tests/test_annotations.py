"""annotations/<report-id>.yml: notes placed at their passage, and every way a contribution can be wrong."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_corpus.contributions.annotations import attach_annotations, load_annotations
from build_corpus.pages.report import PageContext, render_report

SCHEMA = Path(__file__).parent.parent / "annotations" / "schema.json"
QUOTE = "牢牢把握“中国时尚第一镇”的发展总基调"


@pytest.fixture
def folder(tmp_path):
    shutil.copy(SCHEMA, tmp_path / "schema.json")
    return tmp_path


def check(folder, reports, text, name="puyuanzhen-2018.yml"):
    (folder / name).write_text(text, encoding="utf-8")
    found, problems = load_annotations(folder)
    for doc in reports.values():
        doc.annotations.clear()
    problems += attach_annotations(found, list(reports.values()))
    return [str(p) for p in problems]


def note(quote=QUOTE, extra=""):
    return f"notes:\n  - quote: {quote}\n    note: 说明文字\n    author: tester\n{extra}"


def test_a_note_is_placed_under_its_paragraph(folder, reports):
    assert check(folder, reports, note()) == []
    doc = reports["puyuanzhen-2018"]
    assert [a.paragraph_anchor for a in doc.annotations] == ["sec-1-p1"]
    page = render_report(doc, PageContext())
    paragraph, rest = page.split(' id="sec-1-p1">')[1].split("\n", 1)
    assert QUOTE in paragraph and rest.lstrip().startswith(
        '<div class="admonition note" id="note-sec-1-p1-1">\n<p class="admonition-title">整理者注（非报告原文）</p>')
    assert '<p class="has-note" id="sec-1-p1">' in page, "the paragraph is marked as having a note"


def test_a_quote_that_no_longer_matches_names_the_closest_paragraph(folder, reports):
    problems = check(folder, reports, note("牢牢把握“中国时尚第二镇”的发展总基调"))
    assert len(problems) == 1
    assert problems[0].startswith(f"{folder / 'puyuanzhen-2018.yml'}:2: notes.0.quote: error:")
    assert "no longer matches" in problems[0] and "closest paragraph sec-1-p1" in problems[0]


def test_an_ambiguous_quote_asks_for_an_anchor(folder, reports):
    problems = check(folder, reports, note("农民人均纯收入"))
    assert "add an anchor" in problems[0] and "请加 anchor" in problems[0]
    assert check(folder, reports, note("农民人均纯收入", "    anchor: sec-2-p2\n")) == []


def test_a_bad_key(folder, reports):
    problems = check(folder, reports, note(extra="    autor: typo\n"))
    assert problems == [f"{folder / 'puyuanzhen-2018.yml'}:5: notes.0.autor: error: 未知字段 / unknown key "
                        "(allowed: anchor, author, date, note, quote, sources)"]


def test_a_malformed_date(folder, reports):
    problems = check(folder, reports, note(extra="    date: 2026/11/23\n"))
    assert len(problems) == 1 and ":5: notes.0.date:" in problems[0] and "YYYY-MM-DD" in problems[0]


def test_an_unknown_report_id_suggests_the_closest(folder, reports):
    problems = check(folder, reports, note(), name="puyuanzhen-2019.yml")
    assert "no report has this id" in problems[0] and "did you mean puyuanzhen-2018" in problems[0]


def test_traversal_in_an_id_is_refused(folder, reports):
    problems = check(folder, reports, "report: ../../docs/index\n" + note())
    assert any(": report: error:" in p for p in problems)
    problems = check(folder, reports, note(extra="    anchor: ../../x\n"))
    assert any("notes.0.anchor" in p for p in problems)
    problems = check(folder, reports, note(), name="Bad Name.yml")
    assert any("<report-id>.yml" in p for p in problems)


def test_oversized_yaml_is_refused(folder, reports):
    problems = check(folder, reports, note() + "# " + "长" * 40000 + "\n")
    assert len(problems) == 1 and "file too large" in problems[0]


def test_contributed_html_and_script_links_render_inert(folder, reports):
    text = ("notes:\n  - quote: " + QUOTE + "\n    note: '<script>alert(1)</script> [点我](javascript:alert(1))'\n"
            "    author: '<img src=x onerror=alert(1)>'\n")
    problems = check(folder, reports, text)
    # Each is an error for `check`, with line and key; the note still renders, inert, in a preview.
    assert [p.split(": error: ")[0].rsplit("/", 1)[1] for p in problems] == [
        "puyuanzhen-2018.yml:3: notes.0.note", "puyuanzhen-2018.yml:3: notes.0.note", "puyuanzhen-2018.yml:3: notes.0.note",
        "puyuanzhen-2018.yml:4: notes.0.author"]
    assert "script and data URLs" in problems[0] and "HTML tags" in problems[1] and "only http(s) links" in problems[2]
    assert "HTML tags" in problems[3]
    page = render_report(reports["puyuanzhen-2018"], PageContext())
    assert "<script>" not in page and "javascript:" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "点我" in page
