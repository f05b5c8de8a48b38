"""The one safe path (build_corpus/safe_text.py, urls.py): text stays text through the site's own Markdown.

The strongest check is a round trip: any text, escaped by md_escape and rendered by Python-Markdown
with exactly the extensions of mkdocs.yml, comes out as one paragraph whose text is the input
(control characters aside) and which holds no element and no attribute.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from build_corpus.model import Problem
from build_corpus.safe_text import code_text, contributed_block, md_escape, page_title, prose_html
from build_corpus.urls import UnsafePath, gloss_anchor, page_path, report_id, slugify

ROOT = Path(__file__).resolve().parent.parent
PROPERTY_SETTINGS = settings(max_examples=400, derandomize=True, database=None, deadline=None)
# Every character the site's Markdown extensions give a meaning, line starts, controls and Han text.
SYNTAX = st.sampled_from(list("\\`*_[](){}#+-.!|<>&:;=\"'~^$%?@/ \t\n\x02\x03") + ["{:", "!!!", "???", "1.", "&#", "--8<--",
                                                                                  "onclick=", "javascript:", "两化", "“"])


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_markdown(without: tuple[str, ...] = ()) -> markdown.Markdown:
    """Python-Markdown configured as mkdocs.yml configures it (its slugify tag needs no import here),
    leaving out the extensions named in `without`."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    extensions, configs = [], {}
    for item in config["markdown_extensions"]:
        name, options = (next(iter(item.items())) if isinstance(item, dict) else (item, None))
        if name in without:
            continue
        extensions.append(name)
        if options:
            configs[name] = {k: v for k, v in options.items() if v is not None}
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


MD = site_markdown()


def render(text: str) -> str:
    MD.reset()
    return MD.convert(text)


def visible(text: str) -> str:
    """What a reader should see of `text`: controls shown as a space or U+FFFD, blanks squeezed at the ends."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: " " if m.group() in "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"
                  else "\ufffd", text)
    return text.strip()


@PROPERTY_SETTINGS
@given(st.lists(SYNTAX, max_size=14).map("".join))
def test_escaped_text_renders_as_exactly_that_text(text):
    out = render(md_escape(text))
    if not visible(text):
        return
    assert out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1, out
    inner = out[3:-4]
    assert "<" not in inner.replace("&lt;", ""), f"an element: {out}"
    assert html.unescape(inner).strip() == visible(text)


@PROPERTY_SETTINGS
@given(st.lists(SYNTAX, max_size=10).map("".join))
def test_escaped_text_is_inert_in_a_heading_with_an_anchor(text):
    out = render(f"## {md_escape(text)} {{#sec-1}}")
    assert re.fullmatch(r'<h2 id="sec-1">.*</h2>', out, re.S), out
    assert " on" not in out.split(">", 1)[0]


def test_file_names_stay_code():
    out = render("原始文件：" + code_text("a`<img src=x onerror=alert(1)>`\n# x.txt"))
    assert out == "<p>原始文件：<code>a`&lt;img src=x onerror=alert(1)&gt;` # x.txt</code></p>"


def test_page_title_cannot_close_the_title_element():
    title = page_title("</title><script>alert(1)</script> & 报告")
    assert "<" not in title and ">" not in title and html.unescape(title) == "＜/title＞＜script＞alert(1)＜/script＞ & 报告"


@pytest.mark.parametrize("note, kept, gone", [
    ("见[说明](https://www.gov.cn/a)。", '<a href="https://www.gov.cn/a" rel="noopener noreferrer nofollow">说明</a>', ""),
    ("[x][1]\n\n[1]: javascript:alert(1)", "[x][1]", "href"),
    ("[x](javascript:alert(1) 'y')", "x", "javascript"),
    ("[[x]](javascript:alert(1))", "[x]", "javascript"),
    ("[x]( javascript:alert(1))", "x", "javascript"),
    ("[x](java\tscript:alert(1))", "x", "script:"),
    ("[x](//evil.example/a)", "x", "evil"),
    ("[x](/\\evil.example/a)", "x", "evil"),
    ("段落\n{: onclick=\"alert(1)\" }", "{: onclick", ""),
    ("[ok](https://ok.example/){: onclick=alert(1) }", "ok", ""),
    ("![](http://evil.example/x.png)", "![](http://evil.example/x.png)", "<img"),
    ("<img src=x onerror=alert(1)><script>alert(2)</script>", "&lt;img", "<script"),
    ("<https://ok.example/a>", 'href="https://ok.example/a"', ""),
    ("- " * 1000 + "x", "x", "<ul"),   # deeper than Python-Markdown's recursion: shown as text
])
def test_contributor_prose_keeps_formatting_and_drops_everything_else(note, kept, gone):
    out = prose_html(note)
    assert kept in out
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", out), f"an event attribute: {out}"
    assert not re.search(r"<(?!/?(p|a|em|strong|code|pre|ul|ol|li|blockquote|br)\b)", out), f"a tag outside the allowlist: {out}"
    if gone:
        assert gone not in out


def test_ids_and_slugs_use_a_restricted_alphabet():
    assert report_id("../../../../tmp/x/PWNED", 2024, "abcdef12") == "tmp-x-pwned-2024"
    assert report_id("北京市\n# injected", None, "abcdef12") == "beijingshiinjected-undated-abcdef"
    assert report_id(None, 2024, "abcdef12") == "report-abcdef12"
    assert slugify("index") == "index-page" and slugify("<>") == "term"
    assert gloss_anchor('1" onclick="x') == "gloss-1-onclick-x"


@pytest.mark.parametrize("relative", ["../x.md", "reports/../../x.md", "/etc/passwd", "reports/a b.md", "reports/x.php",
                                      "reports/\n.md", "reports/北京.md", "", ".other/x.md", ".projects/../x.md",
                                      ".projects/a/../../x.md", "reports/.build-digest"])
def test_page_paths_outside_the_alphabet_or_docs_are_refused(tmp_path, relative):
    with pytest.raises(UnsafePath):
        page_path(tmp_path / "docs", relative)


def test_page_paths_through_a_symbolic_link_out_of_docs_are_refused(tmp_path):
    docs, outside = tmp_path / "docs", tmp_path / "outside"
    (docs / "reports").mkdir(parents=True)
    outside.mkdir()
    (docs / "terms").symlink_to(outside, target_is_directory=True)
    (docs / "reports" / "a.md").symlink_to(outside / "a.md")
    (docs / "reports" / "b.md").symlink_to(docs / "reports" / "c.md")   # within docs/: allowed
    for relative in ("terms/x.md", "reports/a.md"):
        with pytest.raises(UnsafePath):
            page_path(docs, relative)
    assert page_path(docs, "reports/b.md") == docs / "reports" / "b.md"
    assert page_path(docs, "reports/new/c.md") == docs / "reports" / "new" / "c.md"


def test_a_problem_is_always_one_line():
    line = str(Problem("sources/b\n# x\r.txt", "bad\nthing", line=3, key="a\nb"))
    assert "\n" not in line and "\r" not in line and line.startswith("sources/b\\n# x\\r.txt:3: a\\nb: error: bad\\nthing")


def test_a_contributed_block_is_sanitized_as_a_whole():
    """The second layer: whatever HTML a renderer put together from contributed fields, the block's
    own sanitizer pass keeps only the allowlist (prose_html is the first)."""
    block = contributed_block(['<p onclick="x">a</p>', '<img src="http://evil.example/t.png">',
                               '<a href="javascript:alert(1)">b</a>', "<script>alert(2)</script>"], "note", "标题<b>")
    assert "onclick" not in block and "<img" not in block and "javascript" not in block and "<script" not in block
    assert block.startswith('<div class="admonition note">\n<p class="admonition-title">标题&lt;b&gt;</p>')
    assert "\n\n" not in block   # one raw HTML block: Markdown leaves it alone


def test_a_note_too_deep_to_parse_does_not_break_the_next_one():
    prose_html("- " * 1000 + "x")
    assert prose_html("[a](https://www.gov.cn/)") == \
        '<p><a href="https://www.gov.cn/" rel="noopener noreferrer nofollow">a</a></p>'
