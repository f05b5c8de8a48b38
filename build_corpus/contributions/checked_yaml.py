"""Contributor YAML, loaded as untrusted input: size and depth limits, a JSON Schema, line numbers.

Used for glossary/*.yml, annotations/*.yml and sources/*.meta.yml. Each problem names the file,
the line and the dotted key, in Chinese and English; a file with any problem
is left out whole rather than half-used.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from ..chinese import calendar_date
from ..model import Problem
from ..safe_text import UNHOLDABLE
from .inputs import list_inputs, shown_path

MAX_FILE_BYTES = 64 * 1024
MAX_DEPTH = 8


class PlainLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the strings the contributor wrote (the schema checks them)."""


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load_schema(path: Path, shown: str) -> tuple[Draft202012Validator | None, list[Problem]]:
    """A folder's JSON Schema; a missing or broken one is a problem, not a traceback."""
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except (OSError, UnicodeDecodeError, ValueError, SchemaError) as err:
        return None, [Problem(shown, f"无法读取 JSON Schema / cannot load the JSON Schema: {type(err).__name__}: "
                                     f"{str(err).splitlines()[0][:200]}")]
    return Draft202012Validator(schema), []


def load_folder(folder: Path, root: Path | None, schema: Path, wanted: Callable[[str], bool],
                prose: Callable[[str], bool], prepare: Callable[[object], object] | None = None):
    """Every wanted file of a contributor folder, checked: yields (InputFile, value, lines), value None when
    the file is refused; problems go to the list it returns first.

    Markup problems (markup_problems) are reported but do not refuse the file: it renders inert
    either way, and a local preview shows the contributor what they wrote.
    """
    problems: list[Problem] = []
    validator, schema_problems = load_schema(schema, shown_path(schema, root))
    problems += schema_problems
    files, listing_problems = list_inputs(folder, root, wanted)
    problems += listing_problems
    loaded = []
    for item in files if validator else []:
        try:
            value, file_problems = load_checked(item.path, item.shown, validator, prepare)
            problems += file_problems
            lines = key_lines(item.path) if value is not None else {}
            if value is not None:
                problems += markup_problems(value, item.shown, lines, prose)
        except Exception as err:   # a bug must not hide the other files' results
            problems.append(Problem(item.shown, f"内部错误 / internal error: {type(err).__name__}: {err}"))
            value, lines = None, {}
        loaded.append((item, value, lines))
    return problems, loaded


def load_checked(path: Path, shown: str, validator: Draft202012Validator,
                 prepare: Callable[[object], object] | None = None) -> tuple[dict | None, list[Problem]]:
    """The file's data if it is valid, else None and every problem found. Never raises.

    `prepare` may reshape the loaded value before validation (the sidecar's integer keys).
    """
    try:
        data = path.read_bytes()
    except OSError as err:   # a directory, no permission, vanished
        return None, [Problem(shown, f"无法读取 / cannot read: {err.strerror or err}")]
    if len(data) > MAX_FILE_BYTES:
        return None, [Problem(shown, f"文件过大（{len(data)} 字节，上限 {MAX_FILE_BYTES}）/ file too large "
                                     f"({len(data)} bytes, limit {MAX_FILE_BYTES}); split the notes")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(shown, "文件不是 UTF-8 编码 / the file is not UTF-8")]
    try:
        problem = _refused_syntax(text, shown)
        if problem:
            return None, [problem]
        node = yaml.compose(text, Loader=PlainLoader)
        if node is None:
            return None, [Problem(shown, "文件为空 / the file is empty")]
        refused = _duplicate_keys(node, shown) or _unholdable_characters(node, shown)
        if refused:
            return None, refused
        value = PlainLoader(text).construct_document(node)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        return None, [Problem(shown, f"YAML 格式错误 / malformed YAML: {reason}", line=mark.line + 1 if mark else None)]
    except (RecursionError, MemoryError, ValueError, TypeError) as err:
        return None, [Problem(shown, f"无法解析 / cannot parse: {type(err).__name__}")]
    if prepare is not None:
        value = prepare(value)
    problems = []
    for error in _relevant(validator.iter_errors(value), validator.schema):
        key, line = _locate(node, list(error.absolute_path), error)
        problems.append(Problem(shown, _message(error, validator.schema), line=line, key=key))
    problems += _impossible_dates(node, shown)
    if problems:
        return None, problems
    return value, []


def _relevant(errors, root: dict) -> list:
    """The schema's errors, by position, without the spurious "unknown key" that unevaluatedProperties
    reports for known keys when a sibling failed (a failing subschema evaluates nothing)."""
    kept = []
    for error in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        if error.validator == "unevaluatedProperties":
            allowed = _property_names(error.schema, root)
            if all(k in allowed for k in re.findall(r"'([^']+)'", error.message)):
                continue
        kept.append(error)
    return kept


def _refused_syntax(text: str, shown: str) -> Problem | None:
    """Aliases (how YAML bombs multiply), explicit tags (!!python/…) and deep nesting, found in the
    event stream before anything is built: the parser is iterative, composing is recursive."""
    depth = 0
    for event in yaml.parse(text, Loader=PlainLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return Problem(shown, "不允许使用 YAML 锚点与别名（&a / *a）/ YAML anchors and aliases are not allowed", line=line)
        tag = getattr(event, "tag", None)   # set only when the file writes one: !!python/object, !!str …
        if tag not in (None, "!"):
            return Problem(shown, f"不允许使用 YAML 标签 {tag} / YAML tags are not allowed ({tag})", line=line)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return Problem(shown, f"嵌套过深（上限 {MAX_DEPTH} 层）/ nested too deeply (limit {MAX_DEPTH})", line=line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _duplicate_keys(node, shown: str) -> list[Problem]:
    """YAML keeps the last of two equal keys without a word; here it is an error naming both lines."""
    problems, stack = [], [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in current.value:
                name = str(key.value)
                line = key.start_mark.line + 1
                if name in first:
                    problems.append(Problem(shown, f"键 {name} 重复（第 {first[name]} 行已有）/ duplicate key {name} "
                                            f"(first on line {first[name]})", line=line, key=name))
                else:
                    first[name] = line
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(problems, key=lambda p: p.line or 0)


def _unholdable_characters(node, shown: str) -> list[Problem]:
    """A key or value holding a control, a noncharacter or a bidi override (written as an escape such
    as "\\u202e": YAML refuses them raw): no page, citation or CSV cell can show it as written."""
    problems, stack = [], [(node, "")]
    while stack:
        current, key = stack.pop()
        if isinstance(current, yaml.MappingNode):
            stack.extend(item for k, v in current.value for item in ((k, key), (v, f"{key}{k.value}.")))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, f"{key}{i}.") for i, item in enumerate(current.value))
        elif isinstance(current.value, str) and (found := UNHOLDABLE.search(current.value)):
            code = f"U+{ord(found.group()):04X}"
            problems.append(Problem(shown, f"含有无法显示的字符 {code}（控制字符、非字符或双向控制符），请删除 / holds {code}, "
                                    "a control, noncharacter or bidi character no page can show; delete it",
                                    line=current.start_mark.line + 1, key=key.rstrip(".") or None))
    return sorted(problems, key=lambda p: p.line or 0)


DATE_KEYS = ("date", "published")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _impossible_dates(node, shown: str) -> list[Problem]:
    """2024-02-30 matches the schemas' pattern but is no date (chinese.calendar_date: the one rule)."""
    problems, stack = [], [(node, "")]
    while stack:
        current, key = stack.pop()
        if isinstance(current, yaml.MappingNode):
            stack.extend((v, f"{key}{k.value}.") for k, v in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend((item, f"{key}{i}.") for i, item in enumerate(current.value))
        elif key.rstrip(".").rsplit(".", 1)[-1] in DATE_KEYS and isinstance(current.value, str) \
                and (m := _ISO_DATE.match(current.value)) and calendar_date(*m.groups()) is None:
            problems.append(Problem(shown, f"日期不存在 / no such date: {current.value}", line=current.start_mark.line + 1,
                                    key=key.rstrip(".")))
    return problems


def _locate(node, path: list, error) -> tuple[str, int]:
    """The dotted key and 1-based line of the YAML node an error points at."""
    keys, line = [], node.start_mark.line + 1
    for step in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == step:
                    node, line = v, k.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        keys.append(str(step))
    if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(node, yaml.MappingNode):
        extra = re.findall(r"'([^']+)' (?:was|were) unexpected", error.message) or re.findall(r"'([^']+)'", error.message)
        for k, _ in node.value:
            if extra and k.value == extra[0]:
                return ".".join(keys + [k.value]), k.start_mark.line + 1
    return ".".join(keys) or "(top)", line


def _message(error, root: dict) -> str:
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        allowed = ", ".join(sorted(_property_names(error.schema, root)))
        return f"未知字段 / unknown key (allowed: {allowed})"
    if error.validator == "propertyNames":
        return f"键名不符合格式 / invalid key {error.instance!r}: {error.message}"
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"缺少必填字段 {missing} / required key {missing} is missing"
    if error.validator == "pattern" and "date" in str(error.schema_path) or error.schema.get("$ref", "").endswith("date") \
            or error.schema.get("pattern") == r"^\d{4}-\d{2}-\d{2}$":
        return f"日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD, got {error.instance!r}"
    if error.validator == "pattern" and error.schema.get("pattern", "").startswith("^https?"):
        return f"链接只能是 http(s) 地址 / only http(s) links are allowed, got {error.instance!r}"
    if error.validator == "type":
        return f"类型错误，应为 {error.validator_value} / wrong type, expected {error.validator_value}, got {error.instance!r}"
    if error.validator in ("maxLength", "minLength"):
        return f"长度不符（{error.validator} {error.validator_value}）/ length out of range ({error.validator} {error.validator_value})"
    return f"不符合格式 / invalid: {error.message}"


def _property_names(schema: dict, root: dict) -> set[str]:
    """The keys a schema object allows, through allOf and $refs to the root's $defs."""
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        ref = part.get("$ref", "")
        target = root.get("$defs", {}).get(ref.removeprefix("#/$defs/"), part) if ref.startswith("#/$defs/") else part
        names |= _property_names(target, root)
    return names


def key_lines(path: Path) -> dict[str, int]:
    """1-based line of every dotted key (notes.0.quote) of a file load_checked accepted."""
    lines: dict[str, int] = {}

    def walk(node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                dotted = f"{prefix}{key.value}"
                lines[dotted] = key.start_mark.line + 1
                walk(value, dotted + ".")
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[f"{prefix}{i}"] = item.start_mark.line + 1
                walk(item, f"{prefix}{i}.")
    walk(yaml.compose(path.read_text(encoding="utf-8"), Loader=PlainLoader), "")   # accepted: it parses
    return lines


# --- markup in contributed text ---------------------------------------------------
# Contributed text is rendered inert whatever it holds (safe_text); these checks tell the
# contributor, as errors in `check`, that something in it would never work as meant.
_SCRIPT_URL = re.compile(r"(javascript|vbscript|data|file):", re.I)
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200d\ufeff]+")
_RAW_HTML = re.compile(r"<\s*[a-zA-Z!/?]|&#?[a-zA-Z0-9]+;")
_ATTR_LIST = re.compile(r"\{\s*[:#.]|\{[^}\n]*\bon[a-z]+\s*=", re.I)
_REFERENCE_LINK = re.compile(r"^\s*\[[^\]\n]+\]\s*:|\]\s*\[", re.M)   # `[1]: url` or `[text][1]`
_LINK = re.compile(r"\]\s*\(|" + _REFERENCE_LINK.pattern, re.M)
_IMAGE = re.compile(r"!\[")
_PROSE_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")
_HTTP = re.compile(r"^(https?://[^/\\\s]|#)", re.I)


def markup_problems(value, shown: str, lines: dict[str, int], prose: Callable[[str], bool]) -> list[Problem]:
    """Every string field that holds markup which the site will not render: HTML, attribute lists,
    script URLs, and (outside prose fields) Markdown links; in prose, images, reference definitions
    and links that are not http(s)."""
    problems = []
    for key, text in _strings(value, ""):
        where = {"line": lines.get(key), "key": key}
        squashed = _INVISIBLE.sub("", text)
        if _SCRIPT_URL.search(squashed):
            problems.append(Problem(shown, "不允许 javascript:/data:/vbscript:/file: 地址 / script and data URLs are not "
                                    "allowed", **where))
        if _RAW_HTML.search(text):
            problems.append(Problem(shown, "不允许 HTML 标签或实体，会原样显示为文字 / HTML tags and entities are not "
                                    "allowed (they would show as text)", **where))
        if _ATTR_LIST.search(text):
            problems.append(Problem(shown, "不允许属性列表 {: …} / attribute lists {: …} are not allowed", **where))
        if prose(key):
            if _IMAGE.search(text):
                problems.append(Problem(shown, "注释中不能插入图片 / images are not allowed in notes", **where))
            if _REFERENCE_LINK.search(text):
                problems.append(Problem(shown, "请用行内链接 [文字](https://…)，不支持引用式链接 / use inline links "
                                        "[text](https://…); reference links are not supported", **where))
            for target in _PROSE_LINK_TARGET.findall(text):
                if not _HTTP.match(target):
                    problems.append(Problem(shown, f"链接只能是 http(s) 地址 / only http(s) links are kept, got {target!r}",
                                            **where))
        elif _LINK.search(text):
            problems.append(Problem(shown, "此字段是纯文本，不支持 Markdown 链接；资料请写在 sources 中 / this field is "
                                    "plain text: Markdown links are not rendered; put references under sources", **where))
    return problems


def _strings(value, prefix: str):
    """(dotted key, text) of every string in a loaded YAML value; URLs are checked by the schema."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "url":
                yield from _strings(item, f"{prefix}{key}.")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{prefix}{i}.")
    elif isinstance(value, str):
        yield prefix.rstrip("."), value
