"""`build-corpus`: build the site's pages, inspect sources, check contributions, bundle for offline use.

Every problem is printed as one line naming the file (never a traceback);
all problems are reported before the exit status says whether any was an
error (or, with --strict, a warning).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .model import SEVERITIES, Problem
from .publishing import SPLIT_CHOICES, SPLIT_FROM

ROOT = Path.cwd()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build-corpus", description="政府工作报告注释语料 / annotated corpus of government work reports",
                                     epilog="every problem is one line: file:line: key: error|warning: 中文 / English")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", help="run the pipeline on sources/ and write the site's pages into docs/")
    _pipeline_options(build)
    build.add_argument("--docs", type=Path, default=Path("docs"), help="where the generated pages go (default: docs)")
    build.add_argument("--strict", action="store_true", help="warnings fail the build too")

    inspect = sub.add_parser("inspect", help="print what the pipeline makes of FILEs, writing nothing")
    inspect.add_argument("files", nargs="+", type=Path, metavar="FILE", help="raw source files (.txt)")
    inspect.add_argument("--format", choices=("json", "markdown"), default="json",
                         help="json: the corpus format (README); markdown: the report pages as the site has them")
    inspect.add_argument("--glossary", type=Path, default=Path("glossary"),
                         help="curated term notes the markdown pages link to, as the site does")

    check = sub.add_parser("check", help="validate glossary/ and sidecar files, and report what the pipeline makes of sources/")
    _pipeline_options(check)
    check.add_argument("--strict", action="store_true", help="warnings are errors")
    check.add_argument("--quiet", action="store_true", help="print problems only")

    serve = sub.add_parser("serve", help="preview: build, serve the site, and rebuild when sources/, glossary/ or "
                                         "annotations/ change (only changed pages are re-rendered)")
    _pipeline_options(serve)
    serve.add_argument("--docs", type=Path, default=Path("docs"), help="where the generated pages go (default: docs)")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address the preview listens on")

    bundle = sub.add_parser("bundle", help="zip the built site for offline use (file://)")
    bundle.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    bundle.add_argument("--out", type=Path, default=Path("dist"), help="where the zip goes (default: dist)")
    bundle.add_argument("--name", default="gov-work-reports", help="the zip's name, before -offline-<date>.zip")

    importer = sub.add_parser("import", help="write each row of a dataset (CSV, JSONL, XLSX) as a source with its provenance")
    importer.add_argument("file", type=Path, metavar="FILE", help="the dataset: .csv, .jsonl or .xlsx, one report a row")
    importer.add_argument("--text", required=True, metavar="COLUMN", help="the column holding the report's text")
    for name, what in (("title", "title"), ("year", "year"), ("url", "original's URL"), ("place", "place")):
        importer.add_argument(f"--{name}", metavar="COLUMN", help=f"the column holding the row's {what} (kept as provenance)")
    importer.add_argument("--sheet", help="the XLSX sheet (default: the first)")
    importer.add_argument("--sources", type=Path, default=Path("sources"), help="where the sources go (default: sources)")
    importer.add_argument("--max-source-mb", type=float, default=5, help="refuse rows over this size (default: 5)")

    args = parser.parse_args(argv)
    from .document.divisions import DivisionDataMissing, require_data
    from .publishing import AddressError
    try:
        if args.command not in ("bundle", "import"):
            require_data()
        return {"build": cmd_build, "inspect": cmd_inspect, "check": cmd_check, "bundle": cmd_bundle,
                "serve": cmd_serve, "import": cmd_import}[args.command](args)
    except AddressError as err:
        print(f"环境变量 / environment: {err}", file=sys.stderr)
        return 2
    except DivisionDataMissing as err:
        print(f"安装 / setup: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("build-corpus")
    except PackageNotFoundError:
        return "unknown"


def _pipeline_options(parser: argparse.ArgumentParser) -> None:
    """The inputs `build` and `check` share: they run the same pipeline."""
    parser.add_argument("--sources", type=Path, default=Path("sources"), help="raw report files (default: sources)")
    parser.add_argument("--glossary", type=Path, default=Path("glossary"),
                        help="curated term notes, one YAML file per term (default: glossary)")
    parser.add_argument("--annotations", type=Path, default=Path("annotations"),
                        help="notes on paragraphs, one YAML file per report (default: annotations)")
    parser.add_argument("--cache", type=Path, default=Path(".cache/build-corpus"),
                        help="per-source cache: unchanged sources are not processed again")
    parser.add_argument("--no-cache", action="store_true", help="process every source again, without the cache")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes for the per-source stages (and, from 2, the page steps side by side)")
    parser.add_argument("--max-source-mb", type=float, default=None, metavar="MB",
                        help="refuse sources larger than this (default 5 MB)")
    parser.add_argument("--split", choices=SPLIT_CHOICES, default="auto",
                        help=f"publish in sub-sites, one per province: auto (from {SPLIT_FROM} reports), always, never")


def _settings(args):
    """The pipeline's settings from `build`, `check` or `serve` arguments."""
    from .pipeline import MAX_SOURCE_BYTES, Settings
    return Settings(sources=args.sources, glossary=args.glossary, annotations=args.annotations, root=ROOT,
                    cache=None if args.no_cache else args.cache, jobs=args.jobs, split=args.split,
                    max_source_bytes=int(args.max_source_mb * 2**20) if args.max_source_mb else MAX_SOURCE_BYTES)


def report_problems(problems: list[Problem], strict: bool) -> int:
    """Print every problem, errors first; the exit status says whether any error (with --strict,
    any warning) was among them. Notices (a report's doubts) are shown and never fail."""
    by_severity = {severity: [p for p in problems if p.severity == severity] for severity in SEVERITIES}
    for severity in SEVERITIES:
        for p in by_severity[severity]:
            print(str(p), file=sys.stderr)
    errors, warnings, notices = (len(by_severity[s]) for s in SEVERITIES)
    counts = f"{errors} error(s), {warnings} warning(s)" + (f", {notices} notice(s)" if notices else "")
    if errors or (strict and warnings):
        print(f"失败 / failed: {counts}" + (" (--strict: warnings count)" if strict and warnings else ""), file=sys.stderr)
        return 1
    if warnings or notices:
        print(counts, file=sys.stderr)
    return 0


def cmd_build(args) -> int:
    from .pages.front_matter import FrontMatterError
    from .pages.write import WriteError, build_lock
    from .pipeline import build, write_site
    try:
        with build_lock(args.docs):
            result = build(_settings(args), docs=args.docs)
            write_site(result.site, args.docs)
    except (WriteError, FrontMatterError) as err:
        print(f"失败 / failed: {err}", file=sys.stderr)
        return 1
    corpus, site = result.corpus, result.site
    cached = sum(1 for s in corpus.sources if s.from_cache)
    print(f"读取 {len(result.paths)} 个源文件（{cached} 个未变，取自缓存）：{len(corpus.reports)} 份报告，{len(corpus.others)} 篇其他文档，"
          f"{len(site.terms)} 个名词，写入 {len(site.pages)} 个页面到 {args.docs}/")
    for doc in corpus.others:
        print(f"  跳过 / skipped: {doc.source_path} #{doc.position} “{doc.title[:40]}” — {doc.kind_reason}")
    return report_problems(result.problems, args.strict)


def cmd_serve(args) -> int:
    from .pages.write import WriteError
    from .renderer.preview import ServeError, serve
    try:
        return serve(_settings(args), args.docs, args.dev_addr)
    except (ServeError, WriteError) as err:
        print(f"失败 / failed: {err}", file=sys.stderr)
        return 1


def cmd_inspect(args) -> int:
    from .pages.export import source_json
    problems = [Problem(str(p), "文件不存在 / no such file") for p in args.files if not p.is_file()]
    from .pipeline import build_corpus
    corpus = build_corpus([p for p in args.files if p.is_file()], ROOT)
    problems += corpus.problems
    if args.format == "json":
        json.dump({"sources": [source_json(s) for s in corpus.sources]}, sys.stdout, ensure_ascii=False, indent=1, allow_nan=False)
        print()
    else:
        # The site's own page for each report: the same build_site call, so terms, links and
        # tooltips are those of a site built from these files (with the curated glossary/).
        from .contributions.curation import load_curated
        from .pipeline import build_site
        from .urls import report_page
        curated, curation_problems = load_curated(args.glossary, ROOT)
        problems += curation_problems
        site = build_site(corpus, curated)
        problems += site.problems
        for doc in corpus.reports:
            print(site.pages[report_page(doc.id)])
        for doc in corpus.others:
            print(f"<!-- 跳过 / skipped: {doc.source_path} #{doc.position} “{doc.title}” — {doc.kind_reason} -->")
    return report_problems(problems, False)


def cmd_check(args) -> int:
    from .pages.front_matter import FrontMatterError
    from .pipeline import build
    try:
        result = build(_settings(args))
    except FrontMatterError as err:
        print(f"失败 / failed: {err}", file=sys.stderr)
        return 1
    corpus, curated = result.corpus, result.site.curated
    if not args.quiet:
        for source in corpus.sources:
            print(f"{source.path}: {source.encoding or '—'}, {len(source.documents)} 篇文档"
                  + (f"，错误：{source.error}" if source.error else ""))
            for doc in source.documents:
                removed = sum(len(r.text) * r.count for r in doc.removed if not r.replacement and r.fix != "header_to_metadata")
                if doc.kind == "work_report":
                    m = doc.meta
                    sections = sum(1 for _ in doc.all_sections())
                    print(f"  #{doc.position} 报告 {doc.id}: {m.place or '?'}（{m.level or '?'}）{m.year or '?'}年，"
                          f"日期 {m.date or '—'}，报告人 {m.speaker or '—'}；{sections} 个章节，{len(doc.glossary)} 条名词解释，"
                          f"清理删除 {removed} 个字符" + (f"；推断：{','.join(m.inferred)}" if m.inferred else ""))
                else:
                    print(f"  #{doc.position} 其他：“{doc.title[:30]}” — {doc.kind_reason}")
        print(f"{args.glossary}/: {len(curated)} 个名词注释文件有效；"
              f"{args.annotations}/: {sum(len(d.annotations) for d in corpus.reports)} 条段落注释已定位")
    # The doubts each report page shows, listed with the problems (notices never fail --strict).
    return report_problems(result.problems + result.doubts, args.strict)


def cmd_bundle(args) -> int:
    from .renderer.bundle import BundleError, make_bundle, split_site
    if split_site(args.site):   # its search and compare view read the report pages over http
        print(f"{args.site}: 分站点发布的网站没有离线包（搜索和比较视图通过 http 读取报告页）；全语料文件见 dist/corpus/ / "
              "a site in sub-sites has no offline bundle (its search reads the pages over http); its corpus files are "
              "in dist/corpus/")
        return 0
    try:
        path, files = make_bundle(args.site, args.out, args.name)
    except FileNotFoundError as err:
        print(f"{err.filename}: 找不到已构建的网站，请先运行 mkdocs build / built site not found; run mkdocs build first",
              file=sys.stderr)
        return 1
    except BundleError as err:
        print(f"失败 / failed: {err}", file=sys.stderr)
        return 1
    print(f"写入 {path}（{files} 个文件，{path.stat().st_size / 1e6:.1f} MB）")
    return 0


def cmd_import(args) -> int:
    from .importing import DatasetError, import_dataset
    columns = {name: getattr(args, name) for name in ("title", "year", "url", "place")}
    try:
        result = import_dataset(args.file, args.text, args.sources, columns, args.sheet, int(args.max_source_mb * 1_000_000))
    except DatasetError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for problem in result.problems:
        print(problem, file=sys.stderr)
    print(f"写入 {len(result.written)} 个源文件到 {args.sources}/ / wrote {len(result.written)} sources"
          + (f"；{len(result.problems)} 行未导入或有字段未记录，见上 / {len(result.problems)} rows skipped or fields "
             "not recorded, listed above" if result.problems else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
