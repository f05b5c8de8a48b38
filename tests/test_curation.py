"""glossary/*.yml: each problem reported as file:line: key: message, in Chinese and English."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_corpus.cli import main
from build_corpus.contributions.curation import check_against_corpus, load_curated, render_curated

GLOSSARY = Path(__file__).parent.parent / "glossary"


@pytest.fixture
def folder(tmp_path):
    shutil.copy(GLOSSARY / "schema.json", tmp_path / "schema.json")
    return tmp_path


def problems_for(folder, text, name="term.yml"):
    (folder / name).write_text(text, encoding="utf-8")
    curated, problems = load_curated(folder)
    return curated, [str(p) for p in problems]


def test_the_bundled_glossary_is_valid():
    curated, problems = load_curated(GLOSSARY)
    assert problems == []
    assert "五水共治" in curated


def test_a_valid_file_loads_with_its_key(folder):
    curated, problems = problems_for(folder, "term: “三改一拆”\nenglish: Three renovations\n")
    assert problems == [] and "三改一拆" in curated


def test_malformed_yaml_names_the_line(folder):
    _, problems = problems_for(folder, "term: 五水共治\nnotes:\n  - text: [unclosed\n    author: x\n")
    assert len(problems) == 1
    assert problems[0].startswith(str(folder / "term.yml") + ":")
    assert "YAML 格式错误" in problems[0] and "malformed YAML" in problems[0]


def test_unknown_key_is_an_error_with_its_line(folder):
    _, problems = problems_for(folder, "term: 五水共治\n\nenglsh: typo\n")
    assert problems == [f"{folder / 'term.yml'}:3: englsh: error: 未知字段 / unknown key "
                        "(allowed: aliases, corrections, english, notes, see_also, sources, term)"]


def test_nested_unknown_key_and_bad_date(folder):
    _, problems = problems_for(folder, "term: 五水共治\nnotes:\n  - text: 说明\n    author: a\n    date: 23/11/2026\n"
                                        "    mood: happy\n")
    assert any(":5: notes.0.date:" in p and "YYYY-MM-DD" in p for p in problems)
    assert any(":6: notes.0.mood:" in p and "unknown key" in p for p in problems)


def test_missing_required_key(folder):
    _, problems = problems_for(folder, "english: no term here\n")
    assert len(problems) == 1 and "required key term is missing" in problems[0] and "缺少必填字段" in problems[0]


def test_oversized_and_deeply_nested_files_are_refused(folder):
    _, problems = problems_for(folder, "term: 五水共治\nenglish: " + "x" * 70000 + "\n")
    assert "文件过大" in problems[0] and "file too large" in problems[0]
    _, problems = problems_for(folder, "term: 五水共治\nnotes: " + "[" * 12 + "]" * 12 + "\n", "deep.yml")
    assert any("nested too deeply" in p for p in problems)


def test_non_http_links_are_refused_by_the_schema(folder):
    _, problems = problems_for(folder, "term: 五水共治\nsources:\n  - title: x\n    url: javascript:alert(1)\n")
    assert any(":4: sources.0.url:" in p and "http(s)" in p for p in problems)


def test_dangling_term_is_a_warning_and_corrections_must_exist(folder):
    curated, _ = problems_for(folder, "term: 不存在的名词\ncorrections:\n  - report: puyuanzhen-2018\n    entry: 99\n"
                                      "    definition: x\n    reason: y\n    author: z\n")
    problems = check_against_corpus(curated, {"五水共治"}, {"puyuanzhen-2018": {"1", "五位一体"}}, ["正文"])
    assert [p.severity for p in problems] == ["warning", "error"]
    assert "matches no extracted term and no text" in problems[0].message
    assert problems[1].key == "corrections.0.entry"


def test_check_command_fails_on_a_dangling_term_only_with_strict(folder, capsys):
    (folder / "x.yml").write_text("term: 完全不存在的名词\n", encoding="utf-8")
    sources = Path(__file__).parent.parent / "sources"
    assert main(["check", "--quiet", "--sources", str(sources), "--glossary", str(folder)]) == 0
    assert main(["check", "--quiet", "--strict", "--sources", str(sources), "--glossary", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "x.yml:1: term: warning: 名词“完全不存在的名词”" in err


def test_a_term_only_in_running_text_is_found_there_also_from_the_cache(folder, tmp_path, capsys):
    """The check reads the reports' shown text (headings, paragraphs, 名词解释), which is all a cached
    source keeps of it."""
    (folder / "x.yml").write_text("term: 高质量发展\n", encoding="utf-8")
    sources = Path(__file__).parent.parent / "sources"
    args = ["check", "--quiet", "--strict", "--sources", str(sources), "--glossary", str(folder), "--cache", str(tmp_path / "c")]
    assert main(args) == 0   # fills the cache
    assert list((tmp_path / "c").glob("*.pickle"))
    assert main(args) == 0   # from it
    assert "高质量发展" not in capsys.readouterr().err


def test_curated_content_is_set_apart_from_the_reports_words():
    curated, _ = load_curated(GLOSSARY)
    html = render_curated(curated["五水共治"])
    assert "整理者补充（非报告原文" in html and "corpus-maintainers" in html


def test_yaml_aliases_are_refused(folder):
    _, problems = problems_for(folder, "term: 五水共治\naliases: &a [甲乙丙]\nsee_also: *a\n")
    assert len(problems) == 1 and ":2:" in problems[0] and "aliases are not allowed" in problems[0]


def test_yaml_tags_and_duplicate_keys_are_refused(folder):
    """Even a tag the safe loader would accept (!!str) is refused: contributors never need one."""
    _, problems = problems_for(folder, "term: !!str 五水共治\n")
    assert len(problems) == 1 and ":1:" in problems[0] and "YAML tags are not allowed" in problems[0]
    _, problems = problems_for(folder, "term: 甲乙丙丁\nenglish: x\nterm: 五水共治\n")
    assert len(problems) == 1 and ":3: term:" in problems[0] and "duplicate key term (first on line 1)" in problems[0]
