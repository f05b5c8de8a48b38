"""A scratch copy of the project as the real commands see it, for tests that run them.

The whole `build_corpus` package is copied: mkdocs.yml names its hooks by path, and a hook
file without its package beside it would import a half-empty namespace package instead.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Hand-written parts of the project that a build needs (docs/ is otherwise generated).
PROJECT_FILES = ("mkdocs.yml", "build_corpus", "docs/assets", "docs/overrides")
INPUTS = ("sources", "glossary", "annotations")


def copy_project(dest: Path, inputs: tuple[str, ...] = INPUTS) -> Path:
    """mkdocs.yml, the package, docs' hand-written assets and the given input folders, under `dest`."""
    for name in (*PROJECT_FILES, *inputs):
        source, target = ROOT / name, dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
        else:
            shutil.copy2(source, target)
    return dest
