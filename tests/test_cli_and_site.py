"""End to end: the CLI on good and bad inputs, the generated site, and `mkdocs build --strict`."""
from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from project_copy import copy_project

from build_corpus.cli import main
from build_corpus.renderer.reader_hooks import TEMPLATE_CACHES_OFF_ENV
from build_corpus.renderer.render_helper import OFF_ENV
from build_corpus.renderer.search_index import read_chunk

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
SEEDS = ROOT.parent / "shared" / "seeds"


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "build_corpus", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The real commands in a scratch copy of the project: build-corpus build, then mkdocs build --strict."""
    work = tmp_path_factory.mktemp("project")
    copy_project(work)
    build = run_cli("build", "--strict", cwd=work)
    assert build.returncode == 0, build.stderr
    mkdocs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=work, capture_output=True,
                            text=True, timeout=300, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert mkdocs.returncode == 0, mkdocs.stderr[-3000:]
    return work, build.stdout


def test_build_reports_what_it_did(built):
    _, out = built
    assert "90 份报告" in out and "7 篇其他文档" in out   # 7 seed reports, all 31 provinces, the State Council 1954–2025
    assert out.count("跳过 / skipped:") == 7


def test_site_pages_exist(built):
    work, _ = built
    site = work / "site"
    for page in ("index.html", "places.html", "years.html", "skipped.html", "terms/index.html",
                 "reports/tongxiangshi-2023.html", "reports/puyuanzhen-2017.html", "terms/san-gai-yi-chai.html",
                 "downloads/corpus.jsonl.gz", "downloads/glossary.csv", "downloads/glossary.json.gz"):
        assert (site / page).is_file(), page
    lines = gzip.decompress((site / "downloads" / "corpus.jsonl.gz").read_bytes()).decode("utf-8").splitlines()
    assert len(lines) == 90 and json.loads(lines[0])["kind"] == "work_report"


def _mkdocs(cwd: Path, *args: str, helper: bool = True) -> subprocess.CompletedProcess:
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"}
    if not helper:   # MkDocs alone, Material rendering every part of every page
        env[OFF_ENV] = env[TEMPLATE_CACHES_OFF_ENV] = "1"
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env=env)


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_render_helpers_and_template_caches_change_nothing_in_the_site(built, tmp_path):
    """MkDocs with a share of the pages' Markdown and templates rendered by the helper processes, and
    the nav and tables of contents rendered once (the default), builds exactly the site MkDocs builds
    alone, rendering each of them on every page."""
    work, _ = built
    alone = _mkdocs(work, "-d", str(tmp_path / "alone"), helper=False)
    assert alone.returncode == 0, alone.stderr[-3000:]
    with_helper, alone_files = _tree_bytes(work / "site"), _tree_bytes(tmp_path / "alone")
    assert len(alone_files) > 300
    assert with_helper.keys() == alone_files.keys()
    assert [name for name in alone_files if with_helper[name] != alone_files[name]] == []


def test_a_warning_on_a_page_the_helper_renders_still_fails_strict(built, tmp_path):
    """Three pages with a broken link at the end of the page order: one is in the helper's share
    (every third page), and each page's warning is logged once and counted by --strict."""
    work, _ = built
    project = tmp_path / "project"
    shutil.copytree(work, project, symlinks=True, ignore=shutil.ignore_patterns("site"))
    names = [f"zz-broken-{n}.md" for n in range(1, 4)]
    for name in names:
        (project / "docs" / name).write_text(f"# {name}\n\n见[不存在的页面](missing-{name})。\n", encoding="utf-8")
    run = _mkdocs(project, "-v")
    assert run.returncode != 0
    assert re.search(r"render helper: did [1-9]", run.stderr), "the Markdown helper did not run"
    assert re.search(r"template helper: did [1-9]", run.stderr), "the template helper did not run"
    for name in names:
        assert len(re.findall(rf"WARNING.*'{re.escape(name)}'.*missing-{re.escape(name)}", run.stderr)) == 1, \
            (name, run.stderr[-3000:])
    assert "Aborted with 3 warnings in strict mode" in run.stdout + run.stderr, run.stderr[-3000:]


def _search_documents(site) -> list[list]:
    """Every document of the built search index: [location, title, text, …]."""
    docs = []
    for chunk in sorted(site.glob("search/idx-*/d*.js")):
        docs.extend(read_chunk(chunk))
    return docs


def test_the_theme_s_icons_are_drawn_from_one_stylesheet_not_inlined_in_every_page(built):
    """Material's header, search and navigation icons: an empty <svg> with a class on each page, the
    path once, in assets/icons.css (renderer/icons.py); every class a page uses has its rule."""
    site = built[0] / "site"
    css = (site / "assets" / "icons.css").read_text(encoding="utf-8")
    defined = set(re.findall(r"^\.(ic-[a-z0-9-]+)\{--ic:url\(\"data:image/svg\+xml,%3Csvg", css, re.M))
    assert {"ic-material-magnify", "ic-material-menu", "ic-material-library", "ic-material-weather-night"} <= defined
    for page in ("index.html", "reports/anhuisheng-2026.html", "terms/san-gai-yi-chai.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert 'href="../assets/icons.css"' in html or 'href="assets/icons.css"' in html, page
        chrome = html[:html.index("<article")] + html[html.index("</article>"):]
        assert "<path" not in chrome, page
        used = set(re.findall(r'<svg class="ic (ic-[a-z0-9-]+)" viewBox="[0-9 .]+" aria-hidden="true"></svg>', chrome))
        assert len(used) >= 6 and used <= defined, (page, used - defined)


def test_search_skips_what_only_repeats_other_pages(built):
    """Comparisons and a term page's list of uses are titles found on the report pages: a query for a
    term should not list them, and indexing them was a fifth of the indexer's work."""
    work, _ = built
    docs = _search_documents(work / "site")
    locations = [doc[0] for doc in docs]
    assert len(docs) > 1000
    assert any(loc.startswith("reports/tongxiangshi-2023.html#") for loc in locations)
    assert any(loc == "terms/san-gai-yi-chai.html" for loc in locations)
    assert not [loc for loc in locations if loc.startswith("compare/") and loc != "compare/index.html"
                and not loc.startswith("compare/index.html#")]
    assert not [loc for loc in locations if loc.startswith("terms/") and
                any(h in loc for h in ("在报告正文中的使用", "按本报告自己的释义", "按其他报告的释义", "same-wording"))]


def test_the_indexer_s_tokenizer_reads_every_built_page_as_htmlparser_does(built):
    """The whole built pages (header, navigation, scripts, forms; the doctype, which the tokenizer
    leaves to HTMLParser, set aside), not just the content the indexer gets: each one gives the same
    search documents through the tokenizer as through HTMLParser."""
    from unittest import mock

    from material.plugins.search.plugin import Parser, void

    from build_corpus.renderer.search_index import _feed_sections, page_documents
    work, _ = built
    pages = sorted((work / "site").rglob("*.html"))
    assert len(pages) > 150
    for path in pages:
        markup = path.read_text(encoding="utf-8")
        markup = markup[markup.index("<html"):]
        assert _feed_sections(Parser(), markup, void), path
        fast = page_documents(markup, path.name, "页")
        with mock.patch("build_corpus.renderer.search_index._feed_sections", return_value=False):
            assert fast == page_documents(markup, path.name, "页"), path


def test_place_index_knows_the_hierarchy(built):
    work, _ = built
    places = (work / "docs" / "places.md").read_text(encoding="utf-8")
    chain = ("中华人民共和国", "浙江省", "嘉兴市", "桐乡市", "濮院镇")   # the State Council's reports give the country a page
    order = [places.index(f"[{name}](places/") for name in chain]
    assert order == sorted(order)
    indent = {name: re.search(rf"^( *)- <a id=\"[^\"]+\"></a>\[{name}\]", places, re.M).group(1) for name in chain}
    assert [len(i) for i in indent.values()] == [0, 4, 8, 12, 16]


def test_skipped_page_lists_every_news_item(built):
    work, _ = built
    skipped = (work / "docs" / "skipped.md").read_text(encoding="utf-8")
    # The file named once (a heading), each of its 7 news items under it with its position.
    assert skipped.count("<code>sources/2025-07\\_tongxiang\\_investment\\_portal\\_listing.txt</code>\n") == 1
    listing = skipped.split("### <code>sources/2025-07")[1].split("\n## ")[0]
    assert [int(n) for n in re.findall(r"^- 第 (\d+) 篇：", listing, re.M)] == [1, 2, 3, 4, 5, 6, 10]
    assert "有想补充的信息" in skipped          # page chrome outside any document is shown too


def test_term_index_is_grouped_by_pinyin_initial(built):
    work, _ = built
    index = (work / "docs" / "terms" / "index.md").read_text(encoding="utf-8")
    letters = re.findall(r"^## (\S+) \{#letter-", index, re.M)
    assert letters == sorted(line for line in letters if line != "#") + (["#"] if "#" in letters else [])
    w_block = index.split("## W {#letter-w}")[1].split("\n## ")[0]
    assert "[五水共治](wu-shui-gong-zhi.md)" in w_block and "解释 2 · 使用" in w_block


def test_report_page_has_metadata_outline_and_provenance(built):
    work, _ = built
    page = (work / "docs" / "reports" / "huzhoushi-2024.md").read_text(encoding="utf-8")
    assert "**地区**：[湖州市]" in page and "（推断）" in page
    assert "## 一、2023年工作回顾 {#sec-1}" in page and "### （一）" in page
    assert "## 来源与清理记录 {#provenance data-search-exclude}" in page and "`strip_line_indentation`" in page


def test_inspect_reports_bad_files_in_one_line_and_keeps_going(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\t\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes((SOURCES / "2024_huzhou_report.txt").read_text(encoding="utf-8").encode("gb18030"))
    result = run_cli("inspect", *(str(tmp_path / n) for n in ("empty.txt", "blank.txt", "binary.txt", "gbk.txt")))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert any(line.startswith(str(tmp_path / "empty.txt")) and "empty" in line for line in errors)
    assert any(line.startswith(str(tmp_path / "blank.txt")) and "whitespace" in line for line in errors)
    assert any(line.startswith(str(tmp_path / "binary.txt")) and "binary" in line for line in errors)
    sources = json.loads(result.stdout)["sources"]
    assert [s["error"] is None for s in sources] == [False, False, False, True]
    assert sources[3]["encoding"] == "gb18030" and sources[3]["documents"][0]["meta"]["place"] == "湖州市"


def test_inspect_json_shape_on_the_seeds():
    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else sorted(SOURCES.glob("20*.txt"))[:5]
    result = run_cli("inspect", *map(str, paths), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    documents = [d for s in data["sources"] for d in s["documents"]]
    reports = [d for d in documents if d["kind"] == "work_report"]
    assert len(reports) == 7 if SEEDS.is_dir() else len(reports) >= 5
    for doc in reports:
        assert set(doc["meta"]) >= {"place", "level", "year", "date", "speaker"}
        assert isinstance(doc["meta"]["year"], int)
        for section in doc["sections"]:
            assert set(section) >= {"title", "level", "anchor", "paragraphs", "sections"}
            for p in section["paragraphs"]:
                assert "\n" not in p and "**" not in p and not re.search(r"\[\d+\]", p)
    assert "侯卫东官场笔记" not in result.stdout


def test_inspect_markdown_prints_the_page():
    result = run_cli("inspect", str(SOURCES / "2023_tongxiang_report_pdf.txt"), "--format", "markdown")
    assert result.returncode == 0
    assert result.stdout.startswith("---\n") and "# 2023年桐乡市政府工作报告" in result.stdout


def test_inspect_markdown_is_the_sites_page_links_included(tmp_path):
    """The page `inspect` prints is the one a site built from the same files holds, term links and all."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("2023_tongxiang_report_pdf.txt", "2026_sichuan_report_web.txt"):
        shutil.copy(SOURCES / name, sources)
    docs = tmp_path / "docs"
    assert main(["build", "--sources", str(sources), "--docs", str(docs), "--no-cache", "--jobs", "1",
                 "--annotations", str(tmp_path / "none")]) == 0
    result = run_cli("inspect", *(str(p) for p in sorted(sources.iterdir())), "--format", "markdown")
    assert result.returncode == 0
    for page in ("tongxiangshi-2023", "sichuansheng-2026"):
        expected = (docs / "reports" / f"{page}.md").read_text(encoding="utf-8")
        assert expected in result.stdout
    assert "../terms/" in result.stdout


def test_build_exits_non_zero_on_a_bad_source_but_reports_the_rest(tmp_path, capsys):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SOURCES / "2024_huzhou_report.txt", sources)
    (sources / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00binary\x00")
    assert main(["build", "--sources", str(sources), "--docs", str(tmp_path / "docs"),
                 "--glossary", str(tmp_path / "none")]) == 1
    captured = capsys.readouterr()
    assert "1 份报告" in captured.out
    assert "broken.txt" in captured.err and "Traceback" not in captured.err
    assert (tmp_path / "docs" / "reports" / "huzhoushi-2024.md").exists()


def test_sidecar_pins_fields_and_wins(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SOURCES / "2024_huzhou_report.txt", sources)
    (sources / "2024_huzhou_report.txt.meta.yml").write_text("date: 2024-01-28\nspeaker: 测试人\nyear: 2024\n",
                                                              encoding="utf-8")
    result = run_cli("inspect", str(sources / "2024_huzhou_report.txt"))
    meta = json.loads(result.stdout)["sources"][0]["documents"][0]["meta"]
    assert (meta["date"], meta["speaker"]) == ("2024-01-28", "测试人")
    assert set(meta["pinned"]) == {"date", "speaker", "year"} and "year" not in meta["inferred"]


def test_bad_sidecar_is_reported_with_its_key(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(SOURCES / "2024_huzhou_report.txt", sources)
    (sources / "2024_huzhou_report.txt.meta.yml").write_text("date: 28.1.2024\nmayor: x\n", encoding="utf-8")
    result = run_cli("inspect", str(sources / "2024_huzhou_report.txt"))
    assert "2024_huzhou_report.txt.meta.yml:1: date: error: 日期格式应为 YYYY-MM-DD" in result.stderr
    assert "2024_huzhou_report.txt.meta.yml:2: mayor: error: 未知字段 / unknown key" in result.stderr


def test_sources_are_byte_identical_to_their_recorded_hashes():
    table = (SOURCES / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \|.*\| ([0-9a-f]{16}) \|$", table, re.M)
    assert len(rows) == len(list(SOURCES.glob("*.txt")))
    for name, digest in rows:
        assert hashlib.sha256((SOURCES / name).read_bytes()).hexdigest()[:16] == digest, name


def test_most_shared_reports_are_the_top_of_the_full_ranking():
    """Only the reports that can make the cut are sorted; the result is the head of the full sort."""
    from collections import Counter

    from build_corpus.pages.report_context import _most_shared
    rng = random.Random(3)
    for _ in range(300):
        shared = Counter({f"r{rng.randrange(60):02d}": rng.randint(1, 5) for _ in range(rng.randint(1, 40))})
        ranking = [report_id for report_id, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))]
        assert _most_shared(shared, 10) == ranking[:10]


def test_a_reports_doubts_are_the_same_list_in_check_and_on_its_page(tmp_path):
    """A doubt (here: a short report) is a notice: `check --strict` lists it and still passes, and
    the report's page shows the same words."""
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "realworld" / "town_qingshizhen_2024.txt", sources)
    for folder in ("glossary", "annotations"):   # no contributions, only their schemas
        (tmp_path / folder).mkdir()
        shutil.copy(ROOT / folder / "schema.json", tmp_path / folder)
    args = ("--sources", str(sources), "--no-cache")
    check = run_cli("check", "--strict", "--quiet", *args, cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    notices = [line for line in check.stderr.splitlines() if ": notice: " in line]
    assert notices and all("town_qingshizhen_2024.txt: #1: notice: " in line for line in notices), check.stderr
    build = run_cli("build", *args, "--docs", str(tmp_path / "docs"), cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    page = (tmp_path / "docs" / "reports" / "qingshizhen-2024.md").read_text(encoding="utf-8")
    for line in notices:
        assert line.split(": notice: ", 1)[1] in page
