"""What readers and machines get besides the text: the site's address, citations, structured data,
page descriptions, reader-facing wording, and the CLI's own description of itself."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from build_corpus.contributions.annotations import attach_annotations, load_annotations
from build_corpus.document.clean import FIXES
from build_corpus.model import Document, Metadata
from build_corpus.pages import citation
from build_corpus.pages.report import _fix_labels, fix_label
from build_corpus.pages.term import render_term_index
from build_corpus.pipeline import build_site
from build_corpus.publishing import Address, AddressError, address, from_environment

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "</script><script>alert(1)</script><!--&amp;"


# --- the site's address ----------------------------------------------------------------

def test_a_repository_is_a_project_site_and_its_repository():
    where = address("Octo-Org/gov-reports")
    assert where == Address("https://octo-org.github.io/gov-reports/", "https://github.com/Octo-Org/gov-reports",
                            "Octo-Org/gov-reports")
    assert where.repo_file("glossary/x.yml") == "https://github.com/Octo-Org/gov-reports/edit/main/glossary/x.yml"
    assert address("octo/Octo.github.io").site_url == "https://octo.github.io/"
    assert address("octo/reports", "https://reports.example.org").site_url == "https://reports.example.org/"
    assert address("") == Address() and Address().repo_file("x") == ""


@pytest.mark.parametrize("bad", ["octo", "octo/", "/reports", "a/b/c", "octo/re ports", "-octo/x", "octo/<x>"])
def test_a_malformed_repository_is_refused_in_both_languages(bad):
    with pytest.raises(AddressError, match="SITE_REPOSITORY.*owner/name"):
        address(bad)


def test_the_environment_names_the_repository_once():
    assert from_environment({}).site_url == ""
    assert from_environment({"GITHUB_REPOSITORY": "ci/site"}).site_url == "https://ci.github.io/site/"
    assert from_environment({"GITHUB_REPOSITORY": "ci/site", "SITE_REPOSITORY": "me/mine"}).repo_name == "me/mine"


def test_a_bad_repository_setting_is_one_line_not_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "build_corpus", "build", "--sources", str(tmp_path), "--docs",
                             str(tmp_path / "docs"), "--no-cache"], capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "SITE_REPOSITORY": "not a repo"}, cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "SITE_REPOSITORY" in result.stderr


# --- citations and structured data --------------------------------------------------------

def _doc(**meta) -> Document:
    doc = Document("sources/x.txt", 1, 1, "", title=meta.pop("title", "2024年某某市政府工作报告"), meta=Metadata(**meta))
    doc.id = "moumoushi-2024"
    return doc


def test_the_reference_names_only_what_is_known():
    assert citation.reference_head(_doc(place="某某市", level="市", year=2024)) == \
        "某某市人民政府. 2024年某某市政府工作报告[R/OL]. 某某市: 某某市人民政府, 2024"
    assert citation.reference_head(_doc(title="政府工作报告")) == "政府工作报告[R/OL]"
    assert citation.government(_doc(place="新城街道", level="街道")) == "新城街道办事处"


def test_bibtex_and_csl_json_hold_any_title():
    doc = _doc(title="报告{草案}_100% & #1 \\end", place="某某市", level="市", date="2024-01-28", year=2024)
    bib = citation.bibtex(doc, "https://o.github.io/r/")
    assert bib.count("{") == bib.count("}"), bib   # BibTeX counts every brace, escaped or not
    assert r"title = {报告\textbraceleft{}草案\textbraceright{}\_100\% \& \#1 \textbackslash{}end}" in bib
    assert "date = {2024-01-28}" in bib and "url = {https://o.github.io/r/reports/moumoushi-2024.html}" in bib
    csl = citation.csl_json(doc, "")
    assert csl["issued"] == {"date-parts": [[2024, 1, 28]]} and "URL" not in csl
    assert csl["author"] == [{"literal": "某某市人民政府"}]


def test_script_json_cannot_close_its_script_element():
    data = citation.report_schema(_doc(title=HOSTILE, place=HOSTILE))
    text = citation.script_json(data, url="https://x/" + HOSTILE)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == HOSTILE and json.loads(text)["url"] == "https://x/" + HOSTILE


# --- generated pages -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(corpus):
    from build_corpus.contributions.curation import load_curated
    curated, problems = load_curated(ROOT / "glossary", ROOT)
    assert not problems
    return build_site(corpus, curated, address=address("octo/gov-reports"))


def _front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---\n", 2)[1])


def test_every_page_has_its_own_description(site):
    descriptions = {}
    for path, page in site.pages.items():
        meta = _front_matter(page)
        assert meta.get("description"), f"{path} has no description"
        descriptions.setdefault(meta["description"], []).append(path)
    shared = {d: paths for d, paths in descriptions.items() if len(paths) > 1}
    assert not shared, shared


def test_report_pages_carry_citation_and_schema_data(site, reports):
    meta = _front_matter(site.pages["reports/puyuanzhen-2018.md"])
    assert meta["cite"] == citation.cite_data(reports["puyuanzhen-2018"])
    assert meta["schema"]["@type"] == "Report" and meta["schema"]["author"]["name"] == "濮院镇人民政府"
    page = site.pages["reports/puyuanzhen-2018.md"]
    assert "](../downloads/cite/puyuanzhen-2018.bib)" in page and "](../downloads/cite/puyuanzhen-2018.json)" in page
    for doc in reports.values():
        bib = site.files[f"downloads/cite/{doc.id}.bib"].decode()
        assert f"url = {{https://octo.github.io/gov-reports/reports/{doc.id}.html}}" in bib
    assert len(json.loads(site.files["downloads/cite/all.json"])) == len(reports)


def test_reader_pages_speak_to_readers(site):
    for path, page in site.pages.items():
        if not path.startswith("reports/"):
            continue
        body = page.split("## 来源与清理记录", 1)[0]
        assert "sidecar" not in body, f"{path}: curation jargon before the provenance section"
        table = re.findall(r"^\| (.+?) \| \d+ \|$", page, re.M)
        assert table and all(not row.startswith("`") for row in table), f"{path}: cleaning steps by code name only"


def test_every_cleaning_step_has_a_label_for_readers():
    logged = set()
    for module in (ROOT / "build_corpus").glob("*.py"):
        logged |= set(re.findall(r'Removal\("([a-z_]+)"', module.read_text(encoding="utf-8")))
    missing = sorted(({name for name, _ in FIXES} | logged) - set(_fix_labels()))
    assert not missing, f"add these to build_corpus/data/fix_labels.yml: {missing}"
    assert fix_label("no_such_step") == "no_such_step"


def test_term_pages_quote_once_link_see_also_and_offer_an_edit(site):
    for path, page in site.pages.items():
        assert "““" not in page and "””" not in page, f"{path} doubles a quote"
    term = site.pages["terms/wu-shui-gong-zhi.md"]
    assert re.search(r"\*\*参见\*\*：\[三改一拆\]\(san-gai-yi-chai\.md\)", term), "参见 is not a link"
    assert "(https://github.com/octo/gov-reports/edit/main/glossary/wu-shui-gong-zhi.yml)" in term
    uncurated = next(p for path, p in site.pages.items() if path.startswith("terms/") and "整理者补充" not in p
                     and path != "terms/index.md")
    assert "https://github.com/octo/gov-reports/new/main/glossary?filename=" in uncurated
    assert "[build_corpus/data/places.yml](https://github.com/octo/gov-reports/blob/main/build_corpus/data/places.yml)" \
        in site.pages["places.md"]


def test_the_home_page_title_is_not_repeated(site):
    assert "title" not in _front_matter(site.pages["index.md"])


def test_the_other_group_of_the_term_index_has_a_heading(site):
    from build_corpus.corpus.terms import Term
    index = render_term_index({**site.terms, "3A景区": Term("3A景区", slug="3a-jing-qu")})
    heading = re.search(r"^## (.+) \{#letter-other\}$", index, re.M)
    assert heading and heading[1] == "\\#", "the '#' group heading would render empty"


# --- contributors and the CLI --------------------------------------------------------------------

def test_a_changed_quote_shows_where_it_differs(tmp_path, reports):
    (tmp_path / "schema.json").write_text((ROOT / "annotations" / "schema.json").read_text(encoding="utf-8"))
    (tmp_path / "puyuanzhen-2018.yml").write_text(
        "notes:\n  - quote: 牢牢把握“中国时尚第一城”的发展总基调\n    note: 说明\n    author: t\n", encoding="utf-8")
    found, problems = load_annotations(tmp_path)
    problems += attach_annotations(found, list(reports.values()))
    assert len(problems) == 1
    message = str(problems[0])
    assert "sec-1-p1" in message and "第一【城】" in message and "第一【镇】" in message, message


def test_version_and_help_texts():
    from build_corpus.cli import main
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    for command in ("build", "check", "inspect", "bundle"):
        out = subprocess.run([sys.executable, "-m", "build_corpus", command, "--help"], capture_output=True,
                             text=True, timeout=60).stdout
        options = re.findall(r"^  (--[a-z-]+)[^\n]*\n?(.*)$", out, re.M)
        assert options
        for option, _ in options:
            block = out.split(option, 1)[1].split("\n  -", 1)[0]
            assert len(block.strip().split()) > 1 or option == "--help", f"{command} {option} has no help text"


def test_descriptions_claim_only_what_the_report_has(site, reports):
    for doc in reports.values():
        description = _front_matter(site.pages[f"reports/{doc.id}.md"])["description"]
        assert description.startswith(doc.title)
        assert ("名词解释" in description) == bool(doc.glossary), description


def test_the_home_page_leads_to_contributing(site, corpus):
    home = site.pages["index.md"]
    assert "(https://github.com/octo/gov-reports/blob/main/CONTRIBUTING.md)" in home
    assert "(https://github.com/octo/gov-reports/issues/new/choose)" in home
    assert "CONTRIBUTING" not in build_site(corpus, address=Address()).pages["index.md"]
