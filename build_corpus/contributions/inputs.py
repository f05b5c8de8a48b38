"""Which files of an input folder (sources/, glossary/, annotations/) are read, and why not the others.

Everything in these folders can come from a pull request. A symlink can point
at /etc/passwd or at itself, a directory can be named `x.yml`: each such entry
is reported as a problem naming it, never followed out of the repository and
never skipped in silence.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import Problem
from ..safe_text import UNHOLDABLE, unholdable_named


@dataclass
class InputFile:
    path: Path      # as found in the folder (not resolved)
    shown: str      # how messages name it: relative to the repository when inside it


def shown_path(path: Path, root: Path | None) -> str:
    """`sources/x.txt` for a file under the repository root, the path as given otherwise."""
    if root is not None:
        try:
            return str(path.relative_to(root))
        except ValueError:
            pass
    return str(path)


def list_inputs(folder: Path, root: Path | None, wanted: Callable[[str], bool],
                boundary: Path | None = None) -> tuple[list[InputFile], list[Problem]]:
    """The regular files of `folder` whose name `wanted` accepts, in name order, and a problem for
    each wanted name that cannot be read safely.

    A symlink is followed only when it resolves to a file inside `boundary` (the repository root
    when the folder is in it, else the folder itself).
    """
    files: list[InputFile] = []
    problems: list[Problem] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        return [], [Problem(shown_path(folder, root), f"无法读取目录 / cannot list the folder: {err.strerror}")]
    limit = (boundary or _boundary(folder, root)).resolve()
    for entry in entries:
        if not wanted(entry.name):
            continue
        path = Path(entry.path)
        shown = shown_path(path, root)
        problem = refusal(path, limit)
        if not problem and UNHOLDABLE.search(entry.name):   # a name no page, citation or CSV can show as it is
            shown = unholdable_named(shown)
            problem = (f"文件名含有无法显示的字符（控制字符、非字符或双向控制符，见 {shown}），请改名 / the file name holds a "
                       "control, noncharacter or bidi character no page can show; rename the file")
        if problem:
            problems.append(Problem(shown, problem))
        else:
            files.append(InputFile(path, shown))
    return files, problems


def _boundary(folder: Path, root: Path | None) -> Path:
    if root is not None and folder.resolve().is_relative_to(root.resolve()):
        return root
    return folder


def refusal(path: Path, limit: Path) -> str | None:
    """Why `path` is not read, or None when it is a regular file we may read."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):   # dangling, or a loop
            return "符号链接无效（指向不存在的文件或形成循环）/ broken or looping symlink; replace it with the file"
        if not target.is_relative_to(limit):
            return (f"符号链接指向仓库之外（{target}），已拒绝 / symlink leads outside the repository "
                    f"({target}); refused — commit the file itself")
    if path.is_dir():
        return "这是目录，不是文件 / this is a directory, not a file"
    if not path.is_file():
        return "不是普通文件（设备、管道或套接字）/ not a regular file"
    return None
