"""Contributor YAML, loaded as untrusted input: size and depth limits, a JSON Schema, line numbers.

Used for glossary/*.yml and annotations/*.yml. Each problem names the file,
the line and the dotted key, in Chinese and English; a file with any problem
is left out whole rather than half-used.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

from .model import Problem

MAX_FILE_BYTES = 64 * 1024
MAX_DEPTH = 8


class PlainLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the strings the contributor wrote (the schema checks them)."""


PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load_checked(path: Path, shown: str, validator: Draft202012Validator) -> tuple[dict | None, list[Problem]]:
    """The file's data if it is valid, else None and every problem found."""
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        return None, [Problem(shown, f"文件过大（{len(data)} 字节，上限 {MAX_FILE_BYTES}）/ file too large "
                                     f"({len(data)} bytes, limit {MAX_FILE_BYTES}); split the notes")]
    try:
        text = data.decode("utf-8")
        # Aliases (&a / *a) are never needed here and are how YAML bombs multiply; refuse them.
        alias = next((e for e in yaml.parse(text, Loader=PlainLoader) if isinstance(e, yaml.AliasEvent)), None)
        if alias is not None:
            return None, [Problem(shown, "不允许使用 YAML 别名（*引用）/ YAML aliases are not allowed",
                                  line=alias.start_mark.line + 1)]
        node = yaml.compose(text, Loader=PlainLoader)
    except UnicodeDecodeError:
        return None, [Problem(shown, "文件不是 UTF-8 编码 / the file is not UTF-8")]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        return None, [Problem(shown, f"YAML 格式错误：{reason} / malformed YAML: {reason}", line=line)]
    if node is None:
        return None, [Problem(shown, "文件为空 / the file is empty")]
    if _depth(node) > MAX_DEPTH:
        return None, [Problem(shown, f"嵌套过深（上限 {MAX_DEPTH} 层）/ nested too deeply (limit {MAX_DEPTH})", line=1)]
    value = yaml.load(text, Loader=PlainLoader)
    problems = []
    for error in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path)):
        key, line = _locate(node, list(error.absolute_path), error)
        problems.append(Problem(shown, _message(error), line=line, key=key))
    if problems:
        return None, problems
    return value, []


def _depth(node, level: int = 1) -> int:
    children = []
    if isinstance(node, yaml.MappingNode):
        children = [v for _, v in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    return max([level] + [_depth(c, level + 1) for c in children])


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
    if error.validator == "additionalProperties" and isinstance(node, yaml.MappingNode):
        extra = re.findall(r"'([^']+)' (?:was|were) unexpected", error.message) or re.findall(r"'([^']+)'", error.message)
        for k, _ in node.value:
            if extra and k.value == extra[0]:
                return ".".join(keys + [k.value]), k.start_mark.line + 1
    return ".".join(keys) or "(top)", line


def _message(error) -> str:
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return f"未知字段 / unknown key (allowed: {allowed})"
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
    walk(yaml.compose(path.read_text(encoding="utf-8"), Loader=PlainLoader), "")
    return lines
