"""The attack corpus: every hostile input of issue #11, and the classes behind them, laid out in a
copy of the project the way a pull request or a dropped-in file would bring them.

Each payload that could run calls `alert('<label>')`, so a browser test names the one that ran.
`EXPECTED_ERRORS` lists what `build-corpus check --strict` must report for the contributions,
as (file, line, key) — the line and key a contributor needs to find the problem.
"""
from __future__ import annotations

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
]
