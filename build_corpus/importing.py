"""Import a dataset: researchers' corpora come as tables (CSV, JSONL, XLSX), one report a row.

`build-corpus import FILE --text COLUMN [--title/--year/--url/--place COLUMN]` writes each row's
text, exactly as the table holds it (UTF-8), as one source in `sources/`, with a sidecar that
records where it came from: the dataset, its row, and the row's title, year, place and URL as the
dataset states them. These are provenance, never metadata: a dataset's year is a label (one
archive labelled its 2019 report 2018), so the pipeline still reads the year from the text and a
note says where the two disagree. A row whose text is already a source (the same bytes) is
reported and not written again; an empty row, a missing column, an unreadable file are one line
each, naming the file, the row and the problem.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .batch import MAX_SOURCE_BYTES
from .contributions.sidecar import SIDECAR_SUFFIX, read_sidecar
from .model import Problem
from .urls import slugify

FORMATS = (".csv", ".jsonl", ".xlsx")
COLUMNS = ("title", "year", "url", "place")


class DatasetError(Exception):
    """The dataset cannot be read at all; the message names the file and why."""


@dataclass
class Imported:
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number as a spreadsheet shows it, {column: value}) for each data row."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DatasetError(f"{path}: 不支持的格式 / unsupported format {suffix or '(none)'}: CSV, JSONL or XLSX")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DatasetError(f"{path}: 无法读取 / cannot read: {err.strerror}") from None
    if suffix == ".xlsx":
        yield from _xlsx_rows(path, data, sheet)
        return
    text = _decoded(path, data)
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames:
            raise DatasetError(f"{path}: 没有表头 / no header row")
        for number, row in enumerate(reader, start=2):
            yield number, row
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise DatasetError(f"{path}:{number}: 不是 JSON / not JSON: {err.msg}") from None
        if not isinstance(row, dict):
            raise DatasetError(f"{path}:{number}: 每行应是一个 JSON 对象 / each line must be a JSON object")
        yield number, row


def _decoded(path: Path, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DatasetError(f"{path}: 既不是 UTF-8 也不是 GB18030 / neither UTF-8 nor GB18030")


def _xlsx_rows(path: Path, data: bytes, sheet: str | None) -> Iterator[tuple[int, dict[str, object]]]:
    import openpyxl  # here: only an XLSX import needs it
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:   # openpyxl raises many kinds for a file that is no workbook
        raise DatasetError(f"{path}: 不是可读的 XLSX 文件 / not a readable XLSX workbook ({type(err).__name__})") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise DatasetError(f"{path}: 没有工作表 / no sheet {sheet!r} (有 / there are: {', '.join(book.sheetnames)})")
    table = book[sheet] if sheet is not None else book.worksheets[0]
    values = table.iter_rows(values_only=True)
    header = next(values, None)
    if not header:
        raise DatasetError(f"{path}: 没有表头 / no header row")
    names = ["" if h is None else str(h).strip() for h in header]
    for number, row in enumerate(values, start=2):
        if row is not None and any(v is not None for v in row):
            yield number, dict(zip(names, row))


def import_dataset(path: Path, text_column: str, sources: Path, columns: dict[str, str] | None = None,
                   sheet: str | None = None, max_bytes: int = MAX_SOURCE_BYTES) -> Imported:
    """Write each row's text as a source with its provenance sidecar; report what was not written."""
    columns = {k: v for k, v in (columns or {}).items() if v}
    result = Imported()
    known = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in sorted(sources.glob("*.txt")) if p.is_file()} \
        if sources.is_dir() else {}
    stem = slugify(path.stem, fallback="dataset")
    checked = False
    for number, row in rows(path, sheet):
        if not checked:
            missing = [c for c in (text_column, *columns.values()) if c not in row]
            if missing:
                raise DatasetError(f"{path}: 没有列 / no column {', '.join(map(repr, missing))} "
                                   f"(有 / there are: {', '.join(map(str, row))})")
            checked = True
        where = f"{path}:{number}"
        text = row.get(text_column)
        if not isinstance(text, str) or not text.strip():
            result.problems.append(Problem(str(path), f"第 {number} 行的正文（{text_column}）是空的，未导入 / "
                                           f"row {number} has no text in {text_column!r}: not imported", "warning", line=number))
            continue
        data = text.encode("utf-8")
        if len(data) > max_bytes:
            result.problems.append(Problem(str(path), f"第 {number} 行的正文超过 {max_bytes // 1_000_000} MB，未导入 / "
                                           f"row {number} is over {max_bytes // 1_000_000} MB: not imported", "warning", line=number))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            result.problems.append(Problem(str(path), f"第 {number} 行与 {known[digest]} 内容相同，未重复导入 / "
                                           f"row {number} is the same text as {known[digest]}: not imported again",
                                           "notice", line=number))
            continue
        target = sources / f"{stem}-{number:04d}.txt"
        origin, dropped = _origin(path, number, row, columns, sheet)
        result.problems += [Problem(str(path), message, "warning", line=number) for message in dropped]
        sources.mkdir(parents=True, exist_ok=True)
        sidecar = target.with_name(target.name + SIDECAR_SUFFIX)
        sidecar.write_text(_sidecar_text(path, origin), encoding="utf-8")
        target.write_bytes(data)
        _, problems = read_sidecar(target, str(target))   # the build must accept what import writes
        if any(p.severity == "error" for p in problems):
            raise DatasetError(f"{where}: 写出的 sidecar 无效 / the sidecar written is invalid: {problems[0].message}")
        known[digest] = target
        result.written.append(target)
    if not checked:
        raise DatasetError(f"{path}: 没有数据行 / no data rows")
    return result


def _origin(path: Path, number: int, row: dict, columns: dict[str, str], sheet: str | None) -> tuple[dict, list[str]]:
    """The sidecar's `origin`: the dataset's own words for this row, each kept only if it is what
    its field holds (a URL is http(s), a year a year, a place Chinese characters)."""
    origin: dict[str, object] = {"dataset": _one_line(path.name), "row": number}
    if sheet:
        origin["sheet"] = sheet
    dropped = []
    for name, column in columns.items():
        value = row.get(column)
        if value is None or str(value).strip() == "":
            continue
        value = str(value).strip() if not isinstance(value, int) else value
        clean = _field(name, value)
        if clean is None:
            dropped.append(f"第 {number} 行的 {column}（{name}）不像{_WHAT[name]}，未记录：{str(value)[:60]!r} / "
                           f"row {number}: {column!r} is not a {name}, not recorded")
        else:
            origin[name] = clean
    return origin, dropped


_WHAT = {"title": "标题", "year": "年份", "url": "网址", "place": "地名"}


def _field(name: str, value) -> object | None:
    text = str(value)
    if name == "year":
        year = int(text) if text.isdigit() else (int(float(text)) if text.replace(".", "", 1).isdigit() else None)
        return year if year is not None and 1949 <= year <= 2100 else None
    if name == "url":
        return text if text.lower().startswith(("http://", "https://")) and len(text) <= 2000 and text.isprintable() \
            and " " not in text else None
    if name == "place":
        return text if 2 <= len(text) <= 40 and all("\u3400" <= c <= "\u9fff" or c == "·" for c in text) else None
    one_line = " ".join(text.split())
    return one_line[:200] if one_line and one_line.isprintable() else None


def _one_line(name: str) -> str:
    """A file name as one printable line (it goes into a YAML comment and a one-line field)."""
    return "".join(c for c in name if c.isprintable())[:200] or "dataset"


def _sidecar_text(path: Path, origin: dict) -> str:
    head = (f"# Imported by `build-corpus import` from {_one_line(path.name)}, row {origin['row']}.\n"
            "# origin: where the text came from, as the dataset states it (not metadata: the pipeline\n"
            "# reads place and year from the text itself). Pin a field above it to correct the pipeline.\n")
    return head + yaml.safe_dump({"origin": origin}, allow_unicode=True, sort_keys=False)
