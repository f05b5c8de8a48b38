"""The one path from untrusted text to a page: text is text.

Everything that reaches docs/ comes from somewhere we do not control: report
text and titles, sidecar metadata, file names, contributors' YAML. Each kind
goes through exactly one of these:

- `md_escape(text)`: plain text placed in Markdown. Every character the
  site's Markdown extensions could read as syntax is escaped — emphasis,
  links, raw HTML, entities, attribute lists (`{: onclick=…}`), admonitions
  (`!!!`, `???`), headings and lists at a line start — and control
  characters (line breaks included) cannot start a new block.
- `code_text(text)`: a file name or other literal shown as code; a backtick
  in it cannot end the code span.
- `html_text(text)` / `html_attr(text)`: plain text inside HTML we write; `tooltip_attr(text)` for a
  title="…" that Material turns into a tooltip (it reads the value as HTML), a bounded excerpt.
- `page_title(text)`: a title in a page's front matter (MkDocs treats it as
  HTML, and Material's <title> unescapes it once more).
- `prose_html(markdown)`: contributors' notes, which may use a little
  Markdown. A restricted renderer (no raw HTML, no attribute lists, no
  reference definitions, no images) turns them into HTML, and the `nh3`
  allowlist sanitizer (Rust's ammonia) keeps only plain formatting tags,
  links to http(s) and fragments, and no attributes but
  href/title. The result is placed in the page as a raw HTML block, which
  Markdown leaves alone.

Regexes over Markdown are not a sanitizer (reference links, nested brackets,
`java\\tscript:` all got past one); escaping every special character and
sanitizing the rendered HTML are.
"""
from __future__ import annotations

import html
import json
import re

import markdown
import nh3

from .chinese import join_wrapped_chinese

# Characters that are Markdown syntax anywhere in a line, escaped with a backslash (Python-Markdown
# accepts one for each): `{` and `}` matter most, since attr_list reads `{: …}` after any paragraph,
# heading or inline element; `|` makes table cells; `#` closes a heading. Characters that are syntax
# only at a line start (`- + > !!! ??? 1.`) are escaped there only, which keeps pages small; `(`,
# `)` and `!` need no escape once `[` has one. (`~` is not special here and a backslash would show.)
_BACKSLASHED = "\\`*_{}[]#|"
_SPECIALS = str.maketrans({**{c: "\\" + c for c in _BACKSLASHED}, "&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SPECIAL_CHARS = re.compile(r"[\\`*_{}\[\]#|&<>]")
# In HTML we write: the same characters, as character references (html_text).
_HTML_SPECIALS = str.maketrans({**{c: f"&#{ord(c)};" for c in _BACKSLASHED}, "&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Control characters: line breaks and tabs become a space (a new line could start a block);
# the rest, including Python-Markdown's own placeholder markers \x02 and \x03, become U+FFFD
# so nothing vanishes unseen.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKS = "\t\n\v\f\r\x1c\x1d\x1e\x85\u2028\u2029"
# What starts a block at a line start, after any blanks: a quote, a list item (- + * 1. 1)),
# an admonition (!!!) or a details block (???); `#` and `*` are backslashed already.
_LINE_START_MARKER = re.compile(r"^(\s*)([>+\-!]|\d+[.)])")
_MARKER_CHARS = re.compile(r"([>+\-!.)])")


# Characters that no text format of the site can hold: YAML refuses C0/C1 controls and noncharacters
# (U+FFFE, U+FDD0…), so a front matter holding one is not read as data; XML and JSON-LD consumers
# refuse or mangle them; bidi controls (U+202E, U+2066–2069, …) reorder what a reader of a title, a
# citation or a CSV cell sees; a lone surrogate cannot even be written as UTF-8. Tab and line break are
# text. Report text loses them in cleaning (document/fixes.remove_unholdable_characters, logged),
# contributed YAML that holds one is refused (contributions/checked_yaml), and so is a source's file name.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
UNHOLDABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                        f"\ud800-\udfff{_NONCHARACTERS}]")
# Controls that stood for a line or page break (form feed between PDF pages): a break, not nothing.
BREAKING_CONTROLS = "\x0b\x0c\x1c\x1d\x1e"


def unholdable_named(text: str) -> str:
    """Each such character as its code point, for a log or a message: what was there stays visible.

    >>> unholdable_named("排涝水\\ufffe。\\u202e")
    '排涝水⟨U+FFFE⟩。⟨U+202E⟩'
    """
    return UNHOLDABLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def _controls_out(text: str) -> str:
    return _CONTROL.sub(lambda m: " " if m.group() in _LINE_BREAKS else "\ufffd", text)


def escape_inline(text: str) -> str:
    """Text made literal inside a Markdown line; it may not start the line (see md_escape).

    >>> escape_inline("**加粗**{: onclick=alert(1) }")
    '\\\\*\\\\*加粗\\\\*\\\\*\\\\{: onclick=alert(1) \\\\}'
    """
    if _CONTROL.search(text):
        text = _controls_out(text)
    return text.translate(_SPECIALS) if _SPECIAL_CHARS.search(text) else text


def md_escape(text: str) -> str:
    """Plain text made literal in Markdown, wherever it is placed, line starts included.

    >>> md_escape("1.通过*加强*<b>[x]")
    '1\\\\.通过\\\\*加强\\\\*&lt;b&gt;\\\\[x\\\\]'
    >>> md_escape("??? note 标题\\n# 注入")
    '&#63;?? note 标题 \\\\# 注入'
    >>> md_escape("!!! danger")
    '\\\\!!! danger'
    """
    return escape_line_start(escape_inline(text))


def escape_line_start(escaped: str) -> str:
    """Already escaped text that begins a line: no block may start there, nor an indented code block."""
    escaped = escaped.lstrip(" ")
    if escaped.startswith("?"):
        return "&#63;" + escaped[1:]
    m = _LINE_START_MARKER.match(escaped)
    if not m:
        return escaped
    return m.group(1) + _MARKER_CHARS.sub(r"\\\1", m.group(2), count=1) + escaped[m.end():]


def code_text(text: str) -> str:
    """A literal shown in code type (a file name): `<code>` with its content escaped.

    >>> code_text("a`<img src=x onerror=alert(1)>`.txt")
    '<code>a\\\\`&lt;img src=x onerror=alert(1)&gt;\\\\`.txt</code>'
    """
    return f"<code>{escape_inline(text)}</code>"


def html_text(text: str) -> str:
    """Plain text inside HTML we write (paragraphs, table cells, SVG, raw HTML blocks).

    Markdown's characters become character references too, so the text stays inert even where
    Markdown would read the HTML's text (an HTML block that is not one, say): it looks the same.

    >>> html_text("**加粗**{: onclick=x} <b>&")
    '&#42;&#42;加粗&#42;&#42;&#123;: onclick=x&#125; &lt;b&gt;&amp;'
    """
    text = _controls_out(text)
    return text.translate(_HTML_SPECIALS) if _SPECIAL_CHARS.search(text) else text


def html_attr(text: str) -> str:
    """Plain text as an HTML attribute value (title="…"), quotes included."""
    return html.escape(_controls_out(text), quote=True)


# A tooltip is an excerpt: the first use of a term in every section carries one, so a tooltip holding
# a whole definition made a page of sections × definition (2,000 sections × 8,658 characters: 70 MB).
# The whole definition is a tap away (the link, the popover's link). Real definitions: 90% ≤ 125.
TOOLTIP_CHARS = 200


def tooltip_attr(text: str) -> str:
    """Plain text for a title="…" attribute that Material's `content.tooltips` shows on hover, cut to
    TOOLTIP_CHARS characters.

    Material copies the attribute's value into the tooltip as HTML (innerHTML), so the text is
    escaped twice: once for the attribute, once for that copy. (Found by the attack corpus: a
    definition holding `<img onerror=…>` ran when its term link was hovered.)

    >>> tooltip_attr('<img src=x onerror="y"> & “两化”')
    '&amp;lt;img src=x onerror=&amp;quot;y&amp;quot;&amp;gt; &amp;amp; “两化”'
    >>> len(tooltip_attr("治" * 10_000)) == TOOLTIP_CHARS
    True
    """
    if len(text) > TOOLTIP_CHARS:
        text = text[:TOOLTIP_CHARS - 1] + "…"
    return html.escape(html.escape(_controls_out(text), quote=True), quote=True)


def page_title(text: str) -> str:
    """A page title for front matter. MkDocs takes it as HTML and Material's <title> strips tags and
    unescapes entities once, so < and > are written in their full-width forms, which no unescaping
    turns back into markup.

    >>> page_title("</title><script>x</script> & co")
    '＜/title＞＜script＞x＜/script＞ &amp; co'
    """
    return html.escape(_controls_out(text).replace("<", "＜").replace(">", "＞"), quote=False)


# --- downloads -------------------------------------------------------------------

# A spreadsheet reads a cell starting with these as a formula (`=HYPERLINK(…)`, `+cmd|' /C calc'!A0`):
# OWASP's CSV injection advice is a leading apostrophe, which Excel and LibreOffice show as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    r"""A value for a CSV cell of a download: text that a spreadsheet would run as a formula is prefixed
    with ' (the csv module quotes the rest); None is an empty cell.

    >>> [csv_cell(v) for v in ("=HYPERLINK(1)", "+cmd|2!A0", "-1", "@SUM(A1)", "\tx", "五水共治", 2024, None)]
    ["'=HYPERLINK(1)", "'+cmd|2!A0", "'-1", "'@SUM(A1)", "'\tx", '五水共治', '2024', '']
    """
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


# BibTeX counts every brace, whatever stands before it, so `\}` still closes a field: `}@misc(…` in a
# title planted an entry of its own, an unbalanced `{` swallowed the entries after it (issue #28).
# Braces are written as commands with no brace of their own; backslash, @ and LaTeX's specials as
# commands too, so the value holds no brace but balanced `{}` and nothing that starts an entry.
_BIBTEX = str.maketrans({"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
                         "@": r"\char64{}", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_",
                         "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"})


def bibtex_text(text: str) -> str:
    r"""Plain text as the value of a braced BibTeX field, on one line.

    >>> bibtex_text("报告}@misc(x, url={http://e}) 100% #1 \\")
    '报告\\textbraceright{}\\char64{}misc(x, url=\\textbraceleft{}http://e\\textbraceright{}) 100\\% \\#1 \\textbackslash{}'
    """
    return " ".join(_controls_out(text).split()).translate(_BIBTEX)


# --- contributors' prose -------------------------------------------------------

PROSE_TAGS = {"p", "br", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "a", "small", "del", "ins"}
PROSE_ATTRIBUTES = {"a": {"href", "title"}}
PROSE_URL_SCHEMES = {"http", "https"}
# http(s) to a named host, or a fragment of the same page. Relative paths are not kept: the notes are
# rendered outside MkDocs' link checking, so a relative link could not be verified (the docs say so).
_SAFE_HREF = re.compile(r"^(https?://[^/\\\s]|#)", re.I)


def _prose_renderer() -> markdown.Markdown:
    """Python-Markdown without raw HTML, reference definitions or images, and no extensions.

    A new one for every note: an instance that raised mid-parse (RecursionError) is left broken."""
    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    md.parser.blockprocessors.deregister("reference")
    for name in ("html", "image_link", "image_reference", "short_image_ref", "reference", "short_reference"):
        if name in md.inlinePatterns:
            md.inlinePatterns.deregister(name)
    return md


def _href_allowed(tag: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: an href must be http(s) or a fragment."""
    if tag == "a" and attribute == "href":
        return value if _SAFE_HREF.match(value) and "\\" not in value else None
    return value


def prose_html(text: str) -> str:
    """Contributor Markdown as sanitized HTML: a few formatting tags and safe links, nothing else.

    >>> prose_html("见[说明](https://example.org/a)与[x](javascript:alert(1))<img src=x onerror=y>")
    '<p>见<a href="https://example.org/a" rel="noopener noreferrer nofollow">说明</a>与<a rel="noopener noreferrer nofollow">x</a>&lt;img src=x onerror=y&gt;</p>'
    """
    md = _prose_renderer()
    text = join_wrapped_chinese(text)   # Chinese has no space where a YAML block wrapped the line
    text = _CONTROL.sub(lambda m: m.group() if m.group() in "\n\t" else "\ufffd", text)
    try:
        rendered = md.convert(text)
    except RecursionError:   # Python-Markdown recurses once per nesting level: show such a note as text
        rendered = "".join(f"<p>{html_text(block)}</p>" for block in text.split("\n\n"))
    return sanitize_html(rendered)


def sanitize_html(fragment: str) -> str:
    """The allowlist every piece of contributed HTML passes last, however it was made."""
    return nh3.clean(fragment, tags=PROSE_TAGS, attributes=PROSE_ATTRIBUTES, url_schemes=PROSE_URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow", attribute_filter=_href_allowed, strip_comments=True)


def link_html(label: str, url: str) -> str:
    """A link with a plain-text label. (In a contributed block, the sanitizer then drops the href
    unless it is http(s); the pages' own links are built by urls.)"""
    return f'<a href="{html_attr(url)}">{html_text(label)}</a>'


def contributed_block(parts_html: list[str], css_class: str, title: str, anchor: str = "") -> str:
    """Contributed HTML, sanitized as a whole, as an admonition-looking block Markdown passes through.

    One raw HTML block at the start of a line with no blank line inside, so Markdown neither
    parses nor re-wraps it (and no attribute list or Markdown in it can take effect).
    `title` is plain text; it is ours, the parts are the contributor's; `anchor` an id of ours.
    """
    body = re.sub(r"\n\s*\n", "\n", sanitize_html("\n".join(parts_html)).strip())
    anchor_attr = f' id="{html_attr(anchor)}"' if anchor else ""
    return (f'<div class="admonition {css_class}"{anchor_attr}>\n<p class="admonition-title">{html_text(title)}</p>\n'
            f"{body}\n</div>\n")


_JS_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def js_json(value) -> str:
    """JSON as a JavaScript expression in a script file or a <script>: no text can close an element,
    start a comment or end the line (U+2028 ends a line in older JavaScript).

    >>> js_json({"t": "</script>\\u2028"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u2028"}'
    """
    return json.dumps(value, ensure_ascii=False).translate(_JS_SAFE)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Text for an XML element (the Atom feed): characters XML 1.0 cannot hold become U+FFFD, so
    nothing vanishes unseen and the document stays well-formed; ElementTree escapes the rest.

    >>> xml_text("甲\\x00乙\\x1b")
    '甲\\ufffd乙\\ufffd'
    """
    return _NOT_XML.sub("\ufffd", text)
