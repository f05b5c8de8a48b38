"""Every generated page's front matter: written by the YAML library and read back before it is written.

MkDocs reads a page's front matter with PyYAML and, when that fails, says nothing and renders the
whole block as Markdown, raw HTML included: a 名词解释 definition ending in U+FFFE (which YAML refuses)
once ran its `<img onerror>` on the term page, whose front matter was written by hand with json.dumps
(issue #28). So no page writes front matter itself: `front_matter(data)` has the safe dumper write it
(which escapes whatever YAML cannot hold as it is) and loads it back as MkDocs will; data that does not
come back the same is a `FrontMatterError`, and `unreadable_front_matter` is the check `write_pages`
makes of every page before anything is written.
"""
from __future__ import annotations

import re

import yaml

from ..remembered import Memo, key_of

# libyaml's safe dumper writes the same YAML as PyYAML's in a tenth of the time (front matter was
# 1.5 s of the build at 1,000 reports); MkDocs loads with libyaml's safe loader where it is installed.
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# How MkDocs' get_data finds a front matter (mkdocs/utils/meta.py YAML_RE; tests/test_render.py
# checks they are the same): a page opening with this block and failing to load is shown as Markdown.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


class FrontMatterError(ValueError):
    """A generated page whose front matter MkDocs would not read as the data it was made from."""


def front_matter(data: dict) -> str:
    """`---`, the data as YAML, `---`: read back before it is returned. Kept between builds (WRITTEN).

    >>> print(front_matter({"title": "五水共治", "description": "排涝水\\ufffe<img>"}), end="")
    ---
    title: 五水共治
    description: "排涝水\\uFFFE<img>"
    ---
    """
    key = key_of(data)
    text = WRITTEN.get(key)
    if text is None:
        text = "---\n" + yaml.dump(data, Dumper=YAML_DUMPER, allow_unicode=True, sort_keys=False) + "---\n"
        if read_front_matter(text) != data:
            raise FrontMatterError(f"front matter does not read back as written: {text[:200]!r}")
        WRITTEN.put(key, text)
    _read_back.add(hash(FRONT_MATTER.match(text).group(1)))
    return text


# Front matters written and read back, by a digest of their data's repr (remembered.key_of: it tells apart
# what YAML writes differently), kept between builds with the
# per-source cache (remembered.py): writing and reading back a report page's was ~0.6 s of a warm build
# at 1,000 reports, for the same text as the last build's.
WRITTEN = Memo("front_matter.written")


# Front matters front_matter() has read back in this process (their hashes): the check of every page
# before it is written need not load them again (it loaded every page's twice, ~0.4 s at 1,000 reports).
# A page opening with such a block has MkDocs find that very block: the match ends at its first `---` line.
_read_back: set[int] = set()


def read_front_matter(page: str) -> dict | None:
    """A page's front matter as MkDocs reads it: {} when it has none, None when it has one MkDocs
    would not read as data (and would show as Markdown)."""
    m = FRONT_MATTER.match(page)
    if not m:
        return {}
    try:
        data = yaml.load(m.group(1), Loader=YAML_LOADER)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def unreadable_front_matter(pages: dict[str, str]) -> list[str]:
    """The pages (paths under docs/) that open a front matter MkDocs would not read as data."""
    return [path for path, text in pages.items()
            if path.endswith(".md") and text.startswith("---") and not _made_here(text) and read_front_matter(text) is None]


def _made_here(page: str) -> bool:
    m = FRONT_MATTER.match(page)
    return m is not None and hash(m.group(1)) in _read_back
