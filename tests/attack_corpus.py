"""The attack corpus: every hostile input of issues #11 and #28, and the classes behind them, laid out
in a copy of the project the way a pull request or a dropped-in file would bring them.

Each payload that could run calls `alert('<label>')`, so a browser test names the one that ran.
`EXPECTED_ERRORS` lists what `build-corpus check --strict` must report for the contributions,
as (file, line, key) — the line and key a contributor needs to find the problem.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from project_copy import copy_project

ROOT = Path(__file__).resolve().parent.parent

# Report text: Markdown, attribute lists, raw HTML, entities, block starts, template and snippet syntax.
TEXT_PAYLOADS = [
    "**加粗**{: onclick=\"alert('bold-attr')\" }",
    "五水共治{: onclick=\"alert('term-attr')\" }",
    "<script>alert('script')</script><img src=x onerror=\"alert('img')\">",
    "[点我](javascript:alert('md-link')) ![](http://evil.example/beacon.png)",
    "&#x3C;img src=x onerror=alert('entity')&#x3E; \x02wzxhzdk:0\x03",
    "{{ config.site_name }} {% include 'x' %} --8<-- \"/etc/passwd\"",
    "<!-- --><svg onload=\"alert('svg')\"></svg><details open ontoggle=\"alert('details')\">x</details>",
]
BLOCK_PAYLOADS = ["!!! danger \"alert('admonition')\"", "??? note \"x\"", "{: onclick=\"alert('para-attr')\" }",
                  "<div onmouseover=\"alert('div')\">块</div>", "[x]: javascript:alert('refdef')"]
# The title line of a report (its first line) becomes the page title, the nav entry and <title>.
# A title line becomes the page title, <title>, the header and the nav entry when it names the place
# and year and is at most 40 characters (metadata.read_header): the payloads are short for that.
HOSTILE_TITLES = ("2026年四川省人民政府工作报告<svg onload=alert(1)>", "2026年四川省工作报告</title><svg onload=alert()>")
# Attribute values are double-quoted: Python-Markdown takes `<img onerror=alert('x')>` for text anyway.
FILE_NAME = "a`<img src=x onerror=\"alert('filename')\">`.txt"
NEWLINE_NAME = "b\n# injected heading\n<img src=x onerror=\"alert('newline-name')\">.txt"

DEFINITION_PAYLOAD = "<img src=x onerror=\"alert('definition')\">\"'><b>"

NOTE_PAYLOADS = {   # contributor Markdown that got past the old regex, one per notes entry
    "reference link": "[x][1]\n\n[1]: javascript:alert('ref')",
    "single-quoted title": "[x](javascript:alert('sq') 'y')",
    "nested brackets": "[[x]](javascript:alert('nested'))",
    "leading space": "[x]( javascript:alert('space'))",
    "tab in scheme": "[x](java\tscript:alert('tab'))",
    "attribute list": "段落\n{: onclick=\"alert('note-attr')\" }",
    "link attribute list": "[ok](https://ok.example/){: onclick=\"alert('link-attr')\" }",
    "external image": "![](http://evil.example/track.png)",
    "raw html": "<img src=x onerror=\"alert('note-img')\"><script>alert('note-script')</script>",
    "deep brackets": "[" * 600 + "]" * 600,
}
FIELD_PAYLOAD = "[x](javascript:alert('{}'))"


@dataclass
class AttackCorpus:
    project: Path
    outside: Path            # a folder outside the project a traversal would write into
    secret: str              # a line of a file outside the repository that must never be published


def lay_out(project: Path) -> AttackCorpus:
    """Copy the project's inputs into `project` and add every hostile input."""
    copy_project(project)
    # The browser test opens every page: the attack site keeps the seeds and the three provinces the
    # project bundled first (the payloads go into copies of them), not the State Council's 52 reports
    # nor the other 28 provinces, which carry no payload and would triple its pages.
    kept = ("2026_sichuan_", "2026_hainan_", "2026_neimenggu_")
    for source in (project / "sources").glob("*.txt*"):
        if source.name.startswith(("19", "20")) and "_report_web" in source.name and not source.name.startswith(kept) \
                or "_national_report_archive" in source.name:
            source.unlink()
    outside = project.parent / f"{project.name}-outside"
    outside.mkdir(exist_ok=True)
    secret_file = outside / "secret.txt"
    secret = "root:x:0:0:SECRET-LINE-THAT-MUST-NOT-BE-PUBLISHED"
    secret_file.write_text(secret + "\n" + "各位代表：\n" * 3, encoding="utf-8")
    _sources(project / "sources", secret_file)
    _glossary(project / "glossary", secret_file)
    _annotations(project / "annotations", secret_file)
    return AttackCorpus(project, outside, secret)


def hostile_report(base: str, title: str) -> str:
    """A real report with the payloads in its title, its paragraphs and as whole paragraphs."""
    lines = base.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip())
    lines[first] = title   # in place of the report's own title line, so the header reads as before
    out = []
    body_lines = [i for i, line in enumerate(lines) if len(line) > 40]
    payloads = iter(TEXT_PAYLOADS)
    glossary_at = next((i for i, line in enumerate(lines) if "名词解释" in line), len(lines))
    for i, line in enumerate(lines):
        if i in body_lines[5:5 + len(TEXT_PAYLOADS) * 7:7]:
            line += next(payloads, "")
        if glossary_at < i and "：" in line:   # definitions become the tooltips of term links
            line += DEFINITION_PAYLOAD
        out.append(line)
        if i == body_lines[30]:
            out.extend(BLOCK_PAYLOADS)
    return "\n".join(out) + "\n"


def _sources(sources: Path, secret_file: Path) -> None:
    # 四川's page: its first line is a title naming place and year, which becomes the page title.
    # Each delivered in another year (its header's date), so the two are reports of their own, not
    # copies of the bundled one (which the build would merge into one page): sichuansheng-2025, -2024.
    sichuan = (ROOT / "sources" / "2026_sichuan_report_web.txt").read_text(encoding="utf-8")
    meeting = "2026年2月3日在四川省"
    assert meeting in sichuan
    for name, title, year in ((FILE_NAME, HOSTILE_TITLES[0], 2025), (NEWLINE_NAME, HOSTILE_TITLES[1], 2024)):
        (sources / name).write_text(hostile_report(sichuan.replace(meeting, f"{year}年2月3日在四川省"), title), encoding="utf-8")
    os.symlink(secret_file, sources / "passwd.txt")
    os.symlink("loop.txt", sources / "loop.txt")
    (sources / "folder.txt").mkdir()
    (sources / "huge.txt").write_bytes(("各位代表：" + "发展" * 40 + "\n").encode() * 30000)   # ~6 MB
    huzhou = (ROOT / "sources" / "2024_huzhou_report.txt").read_bytes()
    sidecars = {
        "sidecar-title": "title: '湖州 {: onclick=\"alert(1)\" }'\n",
        "sidecar-place": "place: ../../../../tmp/x/PWNED\n",
        "sidecar-newline": "place: \"北京市\\n# injected\"\n",
        "sidecar-bomb": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
        "sidecar-type": "year: [2024]\ndate: 2024-02-30\n",
        "sidecar-tag": "speaker: !!python/object/apply:os.system [\"touch /tmp/attack-pwned\"]\n",
        "sidecar-dup": "place: 湖州市\nplace: 嘉兴市\n",
    }
    for name, text in sidecars.items():
        (sources / f"{name}.txt").write_bytes(huzhou)
        (sources / f"{name}.txt.meta.yml").write_text(text, encoding="utf-8")
    (sources / "sidecar-link.txt").write_bytes(huzhou)
    os.symlink(secret_file, sources / "sidecar-link.txt.meta.yml")
    _round_two_sources(sources)


# --- round two (issue #28): front matter, downloads, figures, amplification ----------------------

def small_report(year: int, place: str = "湖州市", title: str = "", meeting_date: str = "", targets: str = "",
                 body: str = "", sections: str = "", glossary: str = "") -> str:
    """A short work report of `place` (its header, a review, a plan with 主要预期目标, a 名词解释 block)."""
    return (f"{title or f'{year}年{place}政府工作报告'}\n"
            f"——{meeting_date or f'{year}年1月20日'}在{place}第九届人民代表大会第三次会议上\n市长  张三\n"
            "各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员提出意见。\n"
            f"一、{year - 1}年工作回顾\n过去一年，全市地区生产总值增长6.1%，五水共治取得新成效。{body}\n"
            f"二、{year}年工作安排\n今年经济社会发展的主要预期目标是：{targets or '地区生产总值增长5.5%左右；城镇新增就业3万人。'}\n"
            f"我们要坚持五水共治，推进共同富裕，抓好各项工作落实。\n{sections}"
            f"名词解释\n{glossary or '1.五水共治：指治污水、防洪水、排涝水、保供水、抓节水。'}\n")


def numbered_sections(n: int, paragraph: str = "我们要坚持五水共治，推进共同富裕，抓好各项工作落实。") -> str:
    """n numbered sections, 50 under each （k） (a report numbers at most 99 at one level)."""
    out = []
    for i in range(n):
        if i % 50 == 0:
            out.append(f"（{i // 50 + 1}）第{i // 50 + 1}组工作\n{paragraph}\n")
        out.append(f"{i % 50 + 1}.第{i + 1}项工作\n{paragraph}\n")
    return "".join(out)


# Amplifiers (benchmarks/amplification.py measures them at two sizes): each makes output of the
# size of its input times n when a record, a tooltip or a comparison carries a whole input.
def many_clauses(n: int) -> str:
    """One 主要预期目标 sentence of n clauses: every record carried the whole sentence."""
    return "；".join(["地区生产总值增长5.5%左右"] * n) + "。"


def long_definition(chars: int) -> str:
    return "1.五水共治：" + "治" * chars + "。"


# (2^16 and more: a UTF-16 cut through it halves a surrogate pair) 23 characters, then 𠀀 at the
# 24th, where readers.js cut the annotation link's quote.
ASTRAL_AT_CUT = "甲" * 23 + "\U00020000" + "乙字在统一码的基本多文种平面之外，引文截断时不能把它切成两半。"
FRONT_MATTER_DEFINITION = "指治污水、防洪水<img src=x onerror=\"alert('frontmatter')\">排涝水\ufffe\x9f\uffff"
BIBTEX_TITLE = "2042年湖州市政府工作报告}@misc(linepwn,url={http://evil.example/})"   # pinned by a sidecar
CSV_PAYLOADS = ("=HYPERLINK(\"http://evil.example/\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
                "-2+3+cmd|' /C calc'!A0")
BIDI = "\u202e告报作工\u2066府政\u2069"
ROUND_TWO_IDS = {   # the report each hostile source becomes
    "frontmatter": "huzhoushi-2031", "bibtex-title": "huzhoushi-2032", "csv": "huzhoushi-2033", "figures": "huzhoushi-2034",
    "dates": "huzhoushi-2035", "terms": "huzhoushi-2036", "bidi": "huzhoushi-2037", "astral": "huzhoushi-2038",
    "amplify": "huzhoushi-2039", "unbalanced": "huzhoushi-2040", "sidecar-bibtex": "huzhoushi-2042",
}
AMPLIFY_N = 200
QUOTE_PARAGRAPH = "发展" * 10_000   # a long paragraph, and quotes made of its most common character


def _round_two_sources(sources: Path) -> None:
    reports = {
        "frontmatter": small_report(2031, glossary="1.五水共治：" + FRONT_MATTER_DEFINITION + "。"),
        "bibtex-title": small_report(2032, title="2032年湖州市政府工作报告}@misc(linepwn)"),
        "unbalanced": small_report(2040, title="2040年湖州市政府工作报告{"),
        "csv": small_report(2033, targets="=cmd|' /C calc'!A地区生产总值增长5%。", glossary="\n".join(
            [f"1.{CSV_PAYLOADS[0]}：{CSV_PAYLOADS[0]}"] + [f"{i}.公式{i}：{p}" for i, p in enumerate(CSV_PAYLOADS[1:], 2)])),
        "figures": small_report(2034, targets="地区生产总值增长" + "9" * 400 + "%左右；城镇新增就业" + "9" * 310 + "万人。",
                                body="全市一般公共预算收入增长" + "9" * 400 + "%。"),
        "dates": small_report(2035, meeting_date="2035年13月45日"),
        "terms": small_report(2036, glossary="1.“”：引号。\n2.+++：加号。\n3...：点点。\n4.五水共治：治水。"),
        "bidi": small_report(2037, title=f"2037年湖州市政府工作报告{BIDI}", body=f"“{BIDI}”从右往左。"),
        "astral": small_report(2038, body="\n" + ASTRAL_AT_CUT),
        "amplify": small_report(2039, targets=many_clauses(AMPLIFY_N), sections=numbered_sections(AMPLIFY_N),
                                body="五水共治[1]推进。" * AMPLIFY_N + "\n" + QUOTE_PARAGRAPH + "。",
                                glossary=long_definition(4_000)),
    }
    for name, text in reports.items():
        (sources / f"r2-{name}.txt").write_text(text, encoding="utf-8")
    # A listing whose items are dated 0000-00-00 and 2024-02-30.
    (sources / "r2-listing.txt").write_text(
        "【要闻】某地召开会议\n会议强调抓好落实。\n0000-00-00\n-----\n【要闻】某地开展调研\n调研了解情况。\n2024-02-30\n",
        encoding="utf-8")
    (sources / f"r2-bidi-{BIDI}.txt").write_text(small_report(2041), encoding="utf-8")   # a name no page can show
    # Sidecars pinning a title (reports of years of their own: the build merges copies of one report).
    for year, name, sidecar in ((2042, "sidecar-bibtex", f"title: {json.dumps(BIBTEX_TITLE, ensure_ascii=False)}\n"),
                                (2043, "sidecar-bidi", "title: \"湖州\\u202e市\"\n")):
        (sources / f"{name}.txt").write_text(small_report(year), encoding="utf-8")
        (sources / f"{name}.txt.meta.yml").write_text(sidecar, encoding="utf-8")


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _glossary(glossary: Path, secret_file: Path) -> None:
    (glossary / "wu-shui-gong-zhi.yml").unlink()   # one curated file per term: evil-fields takes 五水共治
    _dump(glossary / "evil-fields.yml", {
        "term": "五水共治",
        "english": FIELD_PAYLOAD.format("english"),
        "aliases": [FIELD_PAYLOAD.format("alias")],
        "notes": [{"text": "正常的注释。", "author": FIELD_PAYLOAD.format("author")}],
        "see_also": [FIELD_PAYLOAD.format("see-also")],
        "sources": [{"title": FIELD_PAYLOAD.format("source-title"), "url": "https://ok.example/a"}],
        "corrections": [{"report": "tongxiangshi-2023", "entry": 1, "definition": FIELD_PAYLOAD.format("correction"),
                         "reason": "<b onclick=\"alert('reason')\">x</b>", "author": "mallory"}],
    })
    (glossary / "san-gai-yi-chai.yml").unlink()
    _dump(glossary / "evil-notes.yml", {
        "term": "三改一拆", "notes": [{"text": text, "author": "mallory"} for text in NOTE_PAYLOADS.values()]})
    _dump(glossary / "evil-url.yml", {"term": "四换三名", "sources": [
        {"title": "资料", "url": "https://ok.example/){:onclick=alert('url')}"}]})
    (glossary / "evil-dupkey.yml").write_text("term: 甲乙丙丁\nterm: 两化融合\n", encoding="utf-8")
    (glossary / "evil-tag.yml").write_text("term: !!python/object/apply:os.system [\"touch /tmp/attack-pwned\"]\n",
                                           encoding="utf-8")
    (glossary / "evil-bomb.yml").write_text("term: 两化融合\nnotes: &a [{text: x, author: y}]\naliases: *a\n",
                                            encoding="utf-8")
    (glossary / "evil-deep.yml").write_text("term: 两化融合\nenglish: " + "[" * 600 + "]" * 600 + "\n", encoding="utf-8")
    (glossary / "dir.yml").mkdir()
    os.symlink(secret_file, glossary / "leak.yml")
    # YAML refuses U+202E written as it is, not written as an escape.
    (glossary / "evil-bidi.yml").write_text('term: 两化融合\nenglish: "two \\u202eintegrations"\n', encoding="utf-8")


def _annotations(annotations: Path, secret_file: Path) -> None:
    _dump(annotations / "puyuanzhen-2018.yml", {"notes": [{
        "quote": "牢牢把握“中国时尚第一镇”的发展总基调",
        "note": "\n\n".join(NOTE_PAYLOADS.values()),
        "author": "<img src=x onerror=\"alert('annotation-author')\">",
        "sources": [{"title": FIELD_PAYLOAD.format("annotation-source"), "url": "https://ok.example/b"}],
    }]})
    _dump(annotations / "jiaxingshi-2024.yml", {"notes": [{
        "quote": "过去的一年里我们", "note": "x", "author": "y",
        "sources": [{"title": "t", "url": "javascript:alert('annotation-url')"}]}]})
    os.symlink(secret_file, annotations / "passwd-leak.yml")
    (annotations / "dir-entry.yml").mkdir()
    # Quotes that match nothing against a 20,000-character paragraph (each was compared with difflib
    # with every paragraph), and a date no calendar has.
    _dump(annotations / f"{ROUND_TWO_IDS['amplify']}.yml", {"notes": [
        {"quote": "发" * (300 - i), "note": "x", "author": "mallory"} for i in range(10)]})
    _dump(annotations / f"{ROUND_TWO_IDS['frontmatter']}.yml", {"notes": [
        {"quote": "我们要坚持五水共治", "note": "x", "author": "mallory", "date": "2024-02-30"}]})


# (file, line, key) of every error `check --strict` must report; line/key None where the file as a
# whole is refused.
EXPECTED_ERRORS = [
    ("glossary/evil-fields.yml", 2, "english"),
    ("glossary/evil-fields.yml", 4, "aliases.0"),
    ("glossary/evil-fields.yml", 7, "notes.0.author"),
    ("glossary/evil-fields.yml", 9, "see_also.0"),
    ("glossary/evil-fields.yml", 11, "sources.0.title"),
    ("glossary/evil-fields.yml", 16, "corrections.0.definition"),
    ("glossary/evil-fields.yml", 17, "corrections.0.reason"),
    *[("glossary/evil-notes.yml", None, f"notes.{i}.text") for i, name in enumerate(NOTE_PAYLOADS)
      if name != "deep brackets"],
    ("glossary/evil-url.yml", None, "sources.0.url"),
    ("glossary/evil-dupkey.yml", 2, "term"),
    ("glossary/evil-tag.yml", 1, None),
    ("glossary/evil-bomb.yml", 2, None),
    ("glossary/evil-deep.yml", 2, None),
    ("glossary/dir.yml", None, None),
    ("glossary/leak.yml", None, None),
    ("annotations/puyuanzhen-2018.yml", None, "notes.0.note"),
    ("annotations/puyuanzhen-2018.yml", None, "notes.0.author"),
    ("annotations/puyuanzhen-2018.yml", None, "notes.0.sources.0.title"),
    ("annotations/jiaxingshi-2024.yml", None, "notes.0.sources.0.url"),
    ("annotations/passwd-leak.yml", None, None),
    ("annotations/dir-entry.yml", None, None),
    ("sources/passwd.txt", None, None),
    ("sources/loop.txt", None, None),
    ("sources/folder.txt", None, None),
    ("sources/huge.txt", None, None),
    ("sources/sidecar-title.txt.meta.yml", None, "title"),
    ("sources/sidecar-place.txt.meta.yml", 1, "place"),
    ("sources/sidecar-newline.txt.meta.yml", 1, "place"),
    ("sources/sidecar-bomb.txt.meta.yml", 1, None),
    ("sources/sidecar-type.txt.meta.yml", 1, "year"),
    ("sources/sidecar-tag.txt.meta.yml", 1, None),
    ("sources/sidecar-dup.txt.meta.yml", 2, "place"),
    ("sources/sidecar-link.txt.meta.yml", None, None),
    # round two (issue #28)
    ("glossary/evil-bidi.yml", 2, "english"),
    ("sources/sidecar-bidi.txt.meta.yml", 1, "title"),
    ("sources/r2-bidi-⟨U+202E⟩告报作工⟨U+2066⟩府政⟨U+2069⟩.txt", None, None),   # (safe_text.unholdable_named)
    *[(f"annotations/{ROUND_TWO_IDS['amplify']}.yml", None, f"notes.{i}.quote") for i in range(10)],
    (f"annotations/{ROUND_TWO_IDS['frontmatter']}.yml", 5, "notes.0.date"),
]
