"""How a report is cited and described to machines, built from the Document's metadata.

    reference   the GB/T 7714-like Chinese reference of a report, up to its year   reference_head
    page data   what a report page's scripts need to cite a paragraph            cite_data
    downloads   BibTeX and CSL-JSON per report                                   bibtex, csl_json
    schema.org  Report / DefinedTerm structured data                             report_schema, term_schema
    in a page   JSON safe inside a <script> element                              script_json

The author of a report is the government that delivers it (the speaker reads it on
its behalf), as libraries catalogue 政府工作报告. Nothing is guessed: a report with no
known place has no author, and one with no date cites its year.
"""
from __future__ import annotations

import json
from urllib.parse import quote

from ..chinese import calendar_date
from ..model import Document
from ..safe_text import bibtex_text
from ..urls import built_path, report_page

# A URL's own characters (RFC 3986, and % of what is already encoded); any other, a brace or a
# backslash included, is percent-encoded.
URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"

SITE_NAME = "政府工作报告注释语料"
GENRE = "政府工作报告"


def government(doc: Document) -> str:
    """濮院镇 → 濮院镇人民政府; a 街道 is run by its 办事处, not a 人民政府."""
    place = doc.meta.place or ""
    if not place:
        return ""
    return f"{place}办事处" if doc.meta.level == "街道" else f"{place}人民政府"


def reference_head(doc: Document) -> str:
    """`主要责任者. 题名[R/OL]. 出版地: 出版者, 出版年` — the page script adds locator, access date and URL.

    >>> from build_corpus.model import Metadata
    >>> reference_head(Document("s", 1, 1, "", title="2018年濮院镇政府工作报告",
    ...                         meta=Metadata(place="濮院镇", level="镇", year=2018, date="2018-01-29")))
    '濮院镇人民政府. 2018年濮院镇政府工作报告[R/OL]. 濮院镇: 濮院镇人民政府, 2018-01-29'
    """
    author = government(doc)
    when = doc.meta.date or (str(doc.meta.year) if doc.meta.year else "")
    parts = [f"{author}. " if author else "", f"{doc.title}[R/OL]"]
    published = ", ".join(x for x in ((f"{doc.meta.place}: {author}" if author else doc.meta.place or ""), when) if x)
    return "".join(parts) + (f". {published}" if published else "")


def cite_data(doc: Document) -> dict:
    """A report page's citation data, for its front matter (the page script reads it)."""
    return {"id": doc.id, "reference": reference_head(doc), "title": doc.title}


def report_url(site_url: str, doc: Document) -> str:
    return site_url + built_path(report_page(doc.id)) if site_url else ""


def _date_parts(doc: Document) -> list[int]:
    """CSL-JSON's issued date: the day when it exists on the calendar, else the year, else nothing."""
    if doc.meta.date and calendar_date(*doc.meta.date.split("-")[:3]):
        return [int(x) for x in doc.meta.date.split("-")]
    return [doc.meta.year] if doc.meta.year else []


def csl_json(doc: Document, site_url: str = "") -> dict:
    """CSL-JSON (Zotero, Pandoc citeproc) for one report."""
    item = {"id": doc.id, "type": "report", "genre": GENRE, "title": doc.title, "language": "zh-CN",
            "container-title": SITE_NAME}
    if government(doc):
        item["author"] = [{"literal": government(doc)}]
        item["publisher"] = government(doc)
    if doc.meta.place:
        item["publisher-place"] = doc.meta.place
    if _date_parts(doc):
        item["issued"] = {"date-parts": [_date_parts(doc)]}
    if doc.meta.meeting:
        item["event-title"] = doc.meta.meeting
    if site_url:
        item["URL"] = report_url(site_url, doc)
    return item


def bibtex(doc: Document, site_url: str = "") -> str:
    """A biblatex `@report` entry; the author is in double braces, a body's name not a person's.
    Every value is escaped for BibTeX (safe_text.bibtex_text), the URL percent-encoded (biblatex
    reads it verbatim); tests parse every file back with pybtex."""
    fields = [("title", bibtex_text(doc.title)), ("type", GENRE)]
    if government(doc):
        fields += [("author", "{" + bibtex_text(government(doc)) + "}"), ("institution", bibtex_text(government(doc)))]
    if doc.meta.place:
        fields.append(("location", bibtex_text(doc.meta.place)))
    if _date_parts(doc)[1:]:
        fields.append(("date", doc.meta.date))
    elif doc.meta.year:
        fields.append(("year", str(doc.meta.year)))
    if doc.meta.meeting:
        fields.append(("eventtitle", bibtex_text(doc.meta.meeting)))
    if site_url:
        fields.append(("url", quote(report_url(site_url, doc), safe=URL_SAFE)))
    fields.append(("langid", "chinese"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@report{{{doc.id},\n{body}\n}}\n"


def report_schema(doc: Document) -> dict:
    """schema.org Report: its place, date and the government as author (the page's URL is added in the page)."""
    data = {"@context": "https://schema.org", "@type": "Report", "name": doc.title, "inLanguage": "zh-CN",
            "genre": GENRE, "isPartOf": {"@type": "WebSite", "name": SITE_NAME}}
    if government(doc):
        data["author"] = {"@type": "GovernmentOrganization", "name": government(doc)}
    if doc.meta.place:
        data["spatialCoverage"] = {"@type": "Place", "name": doc.meta.place}
    if doc.meta.date:
        data["dateCreated"] = doc.meta.date
    elif doc.meta.year:
        data["temporalCoverage"] = str(doc.meta.year)
    if doc.meta.speaker:
        data["contributor"] = {"@type": "Person", "name": doc.meta.speaker}
    return data


def term_schema(name: str, description: str, reports: list[Document]) -> dict:
    """schema.org DefinedTerm, in the set of the reports' 名词解释."""
    data = {"@context": "https://schema.org", "@type": "DefinedTerm", "name": name, "inLanguage": "zh-CN",
            "inDefinedTermSet": {"@type": "DefinedTermSet", "name": f"{SITE_NAME} · 名词索引"}}
    if description:
        data["description"] = description
    if reports:
        data["subjectOf"] = [{"@type": "Report", "name": d.title} for d in reports[:20]]
    return data


# Inside <script>, `</script>` or `<!--` in a string would end the element or change how it parses.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value, **extra) -> str:
    """JSON for a <script type="application/(ld+)json"> element: no text can close the element.

    >>> script_json({"name": "</script><b>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    if isinstance(value, dict) and extra:
        value = {**value, **{k: v for k, v in extra.items() if v}}
    return json.dumps(value, ensure_ascii=False, allow_nan=False).translate(SCRIPT_SAFE)
