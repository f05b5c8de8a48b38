"""The corpus for researchers: JSON Lines, JSON and CSV downloads, citations, and the page that lists them."""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import struct
import zlib

from ..corpus.terms import pinyin_sort_key
from ..model import Site
from ..remembered import Memo
from ..safe_text import csv_cell
from . import citation
from .export import document_json
from .front_matter import front_matter
from .indicators import record_json


def download_files(site: Site) -> dict[str, bytes]:
    """corpus.jsonl.gz, glossary.json.gz and glossary.csv, each written as it is made (one report, one
    term at a time: all of them at once were ~1 GB at 10,000 reports), and the citations."""
    reports = site.corpus.reports
    jsonl = gzipped_by_piece(json.dumps({**document_json(d), "targets": [record_json(t) for t in site.targets.get(d.id, [])]},
                               ensure_ascii=False, allow_nan=False).encode("utf-8") + b"\n" for d in reports)
    table = io.BytesIO()
    rows = io.TextIOWrapper(table, encoding="utf-8-sig", newline="")
    writer = csv.writer(rows)
    writer.writerow(["term", "written", "definition", "report", "place", "year", "number", "reports_using"])

    def glossary_json():
        """A JSON array of all terms, one term a line, made one term at a time (json's C encoder, which
        `indent` turns off: indented, this file took 0.6 s at 1,000 reports); each term's rows into the CSV too."""
        yield b"["
        for n, t in enumerate(sorted(site.terms.values(), key=lambda t: pinyin_sort_key(t.key))):
            term = {"term": t.key, "slug": t.slug, "forms": t.forms,
                    "definitions": [{"report": d.report.id, "place": d.report.meta.place, "year": d.report.meta.year,
                                     "number": d.entry.number, "written": d.written, "definition": d.entry.definition}
                                    for d in t.definitions],
                    "used_in": [{"report": u.report.id, "anchor": u.anchor, "count": u.count} for u in t.uses]}
            using = len({u.report.id for u in t.uses})
            for d in term["definitions"]:
                writer.writerow([csv_cell(v) for v in (t.key, d["written"], d["definition"], d["report"], d["place"],
                                                       d["year"], d["number"], using)])
            item = json.dumps(term, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            yield (("," if n else "") + "\n" + item).encode("utf-8")
        yield b"\n]" if site.terms else b"]"

    glossary = gzipped(glossary_json())
    rows.flush()
    return {"downloads/corpus.jsonl.gz": jsonl, "downloads/glossary.json.gz": glossary,
            "downloads/glossary.csv": table.getvalue(), **citation_files(site)}


def gzipped(pieces) -> bytes:
    """The two downloads for programs, gzipped as they are made (the whole corpus.jsonl, ~36 KB a report,
    is never in memory at once): Chinese text keeps ~30% of its bytes. No name or time inside: the same
    corpus, the same bytes, so an unchanged download is not rewritten.

    >>> gzip.decompress(gzipped([b"a\\n", b"b\\n"]))
    b'a\\nb\\n'
    """
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) as packed:
        for piece in pieces:
            packed.write(piece)
    return out.getvalue()


GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"   # deflate, no name, time 0, OS unknown (as gzip.compress)
WINDOW = 32 * 1024                                                # deflate's: how far back a match may reach
# Each report's deflate blocks in corpus.jsonl.gz, by a digest of its line and the window before it,
# kept between builds with the per-source cache (remembered.py): compressing the whole corpus again
# was ~1 s of every warm build at 1,000 reports.
DEFLATED = Memo("downloads.deflated")


def gzipped_by_piece(pieces) -> bytes:
    """`gzipped`, each piece compressed on its own but as in one stream: its blocks primed with the 32 KB
    before it (so they may refer back into the previous piece, as one stream's would) and ended on a
    byte boundary (a full flush), so that an unchanged piece after an unchanged window is the same bytes
    again (DEFLATED keeps them). One gzip member, ~0.3% larger than `gzipped`'s.

    >>> gzip.decompress(gzipped_by_piece([b"a\\n" * 3, b"b\\n", b""])) == b"a\\na\\na\\nb\\n"
    True
    """
    out, crc, size, window = [GZIP_HEADER], 0, 0, b""
    for piece in pieces:
        digest = hashlib.blake2b(len(window).to_bytes(4, "big"), digest_size=16)
        digest.update(window)
        digest.update(piece)
        key = digest.digest()
        blocks = DEFLATED.get(key)
        if blocks is None:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY, window) if window \
                else zlib.compressobj(6, zlib.DEFLATED, -15)
            blocks = packer.compress(piece) + packer.flush(zlib.Z_FULL_FLUSH)
            DEFLATED.put(key, blocks)
        out.append(blocks)
        crc, size = zlib.crc32(piece, crc), size + len(piece)
        window = (window + piece)[-WINDOW:]
    out.append(zlib.compressobj(6, zlib.DEFLATED, -15).flush())   # the last block: empty, final
    out.append(struct.pack("<II", crc, size & 0xFFFFFFFF))
    return b"".join(out)


def citation_files(site: Site) -> dict[str, bytes]:
    """Per report: BibTeX and CSL-JSON (with the report's URL when the site's address is known);
    `all.bib` and `all.json` hold every report."""
    reports = sorted(site.corpus.reports, key=lambda d: d.id)
    url = site.address.site_url
    files = {}
    for doc in reports:
        files[f"downloads/cite/{doc.id}.bib"] = citation.bibtex(doc, url).encode("utf-8")
        files[f"downloads/cite/{doc.id}.json"] = json.dumps([citation.csl_json(doc, url)], ensure_ascii=False,
                                                            indent=1, allow_nan=False).encode("utf-8")
    files["downloads/cite/all.bib"] = "\n".join(citation.bibtex(d, url) for d in reports).encode("utf-8")
    files["downloads/cite/all.json"] = json.dumps([citation.csl_json(d, url) for d in reports], ensure_ascii=False,
                                                  indent=1, allow_nan=False).encode("utf-8")
    return files


# A site in sub-sites publishes the corpus-wide files with each release of the repository instead (a
# GitHub release takes files of up to 2 GB; the Pages site, 1 GB in all, would spend ~17 KB a report on
# them): `build-corpus build` writes them into dist/corpus/ under these names, release.yml attaches them.
RELEASE_FILES = {"downloads/corpus.jsonl.gz": "corpus.jsonl.gz", "downloads/glossary.json.gz": "glossary.json.gz",
                 "downloads/glossary.csv": "glossary.csv", "downloads/cite/all.bib": "citations.bib",
                 "downloads/cite/all.json": "citations.json"}
RELEASE_FOLDER = "dist/corpus"


def release_href(site: Site, path: str) -> str:
    """Where a download is: beside the page (`cite/all.bib`), or, for a site in sub-sites, the latest
    release's file (`https://github.com/o/r/releases/latest/download/citations.bib`; '' without a repository)."""
    if not site.subsites or path not in RELEASE_FILES:
        return path[len("downloads/"):]
    return f"{site.address.repo_url}/releases/latest/download/{RELEASE_FILES[path]}" if site.address.repo_url else ""


def render_downloads(site: Site) -> str:
    n = len(site.corpus.reports)

    def link(label: str, path: str) -> str:
        where = release_href(site, path)
        return f"[{label}]({where})" if where else f"{label}（构建时写入 `{RELEASE_FOLDER}/{RELEASE_FILES[path]}`）"
    released = ["\n语料较大，网站按省分站发布；全语料文件随仓库的每个版本（release）发布，链接指向最新版本，"
                "内容截至该版本。"] if site.subsites else []
    return "\n".join([
        front_matter({"title": "下载语料", "description": "清理后的政府工作报告语料和名词解释的下载（JSONL、JSON、CSV、引文）"}),
        "# 下载语料\n",
        "研究者可以直接下载清理后的语料，无需抓取网站。\n", *released,
        f"- {link('corpus.jsonl.gz', 'downloads/corpus.jsonl.gz')}：{n} 份报告，每行一份，格式与 `build-corpus inspect --format json` "
        "的文档对象相同（元数据、章节树、段落纯文本、名词解释、清理记录），说明见仓库 README；"
        "gzip 压缩（解压：`gunzip corpus.jsonl.gz`，Python 可直接用 `gzip.open` 读取）。",
        f"- [targets.json](targets.json) / [targets.csv](targets.csv)：{sum(map(len, site.targets.values()))} 条"
        "主要预期目标与上年实际完成数（地区、年份、指标原文与统一键、比较词、数值或区间、单位、限定词、原句、段落链接），"
        "字段说明见仓库 README；[按指标浏览](../indicators/index.md)。",
        f"- {link('glossary.json.gz', 'downloads/glossary.json.gz')}：{len(site.terms)} 个名词，每个名词的全部释义"
        "（来源报告、编号、原文写法）和正文使用位置（gzip 压缩）。",
        f"- {link('glossary.csv', 'downloads/glossary.csv')}：同上，每条释义一行（UTF-8 带 BOM，可直接用 Excel 打开）。",
        f"- 引文：{link('all.bib', 'downloads/cite/all.bib')}（BibTeX）和 {link('all.json', 'downloads/cite/all.json')}"
        f"（CSL-JSON）收录全部 {n} 份报告，"
        "可导入 Zotero、EndNote 等文献管理软件；每份报告页的“引用本报告”有单份的引文。\n",
        "原始文本在仓库 `sources/` 目录，逐字节保存。"]) + "\n"
