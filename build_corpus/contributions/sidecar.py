"""A curator's sidecar `sources/<file>.meta.yml`: metadata pinned for one source, loaded as untrusted input.

The same loader as glossary/ and annotations/ (size, depth, no aliases, tags
or duplicate keys, a JSON Schema: data/sidecar.schema.json), so a sidecar
with a problem is refused whole and every problem is one line naming the
file, the line and the key. Its values are plain text: the schema keeps
places to Chinese characters and every field to one line, and the pages
escape them like any other text.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..model import Problem
from .checked_yaml import key_lines, load_checked, load_schema, markup_problems
from .inputs import refusal

SIDECAR_SUFFIX = ".meta.yml"
SCHEMA = Path(__file__).parent.parent / "data" / "sidecar.schema.json"


def sidecar_path(source: Path) -> Path:
    return source.with_name(source.name + SIDECAR_SUFFIX)


@lru_cache(maxsize=1)
def _validator():
    validator, problems = load_schema(SCHEMA, "build_corpus/data/sidecar.schema.json")
    if problems:   # the package's own file: a broken install, not a contributor's mistake
        raise RuntimeError(str(problems[0]))
    return validator


def read_sidecar(source: Path, shown_source: str | None = None) -> tuple[dict[int, dict], list[Problem]]:
    """Pinned fields per document position (0 = every document of the source), or none and the problems."""
    path = sidecar_path(source)
    try:
        path.lstat()   # (one system call: most sources have no sidecar; a dangling link is refused below)
    except (FileNotFoundError, NotADirectoryError):
        return {}, []
    shown = str(sidecar_path(Path(shown_source))) if shown_source else str(path)
    refused = refusal(path, source.resolve().parent)
    if refused:
        return {}, [Problem(shown, refused)]
    value, problems = load_checked(path, shown, _validator(), prepare=_keys_as_text)
    if value is None:
        return {}, problems
    problems += markup_problems(value, shown, key_lines(path), prose=lambda key: False)
    if any(p.severity == "error" for p in problems):
        return {}, problems
    documents = value.pop("documents", {})
    pinned = {0: value} if value else {}
    pinned.update({int(position): fields for position, fields in documents.items() if fields})
    return pinned, problems


def _keys_as_text(value):
    """YAML reads `documents: {2: …}` with an integer key; JSON Schema names keys as strings."""
    if isinstance(value, dict) and isinstance(value.get("documents"), dict):
        value["documents"] = {str(k): v for k, v in value["documents"].items()}
    return value
