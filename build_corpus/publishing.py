"""Where the site is published, from one setting: the GitHub repository `owner/name`.

`SITE_REPOSITORY` names it (GitHub Actions' own `GITHUB_REPOSITORY` is the default, so a
build in CI knows its repository without any configuration); `SITE_URL` overrides the
address for a custom domain. Both the MkDocs hook (canonical links, sitemap, 404 page,
repository links) and `build-corpus build` (the URL inside citation downloads) read it
here, so the two can never disagree.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from urllib.parse import quote

REPOSITORY = re.compile(r"^(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?P<name>[A-Za-z0-9._-]{1,100})$")
BRANCH = "main"


class AddressError(ValueError):
    """The repository setting is not `owner/name`."""


@dataclass(frozen=True)
class Address:
    site_url: str = ""      # https://owner.github.io/name/ — empty when unknown (a local build)
    repo_url: str = ""      # https://github.com/owner/name
    repo_name: str = ""     # owner/name

    def repo_file(self, path: str, edit: bool = True) -> str:
        """A repository file's page on GitHub: its editor, or its view. The path is percent-encoded:
        a source's file name is input (`a<img onerror=…>.txt`), and the URL lands in a link.

        >>> Address(repo_url="https://github.com/o/r").repo_file("sources/a b<x>(1).txt", edit=False)
        'https://github.com/o/r/blob/main/sources/a%20b%3Cx%3E%281%29.txt'
        """
        if not self.repo_url:
            return ""
        return f"{self.repo_url}/{'edit' if edit else 'blob'}/{BRANCH}/{quote(path, safe='/')}"


def address(repository: str = "", site_url: str = "") -> Address:
    """`owner/name` → its GitHub Pages project site and repository; an explicit site_url wins.

    >>> address("octo/reports").site_url
    'https://octo.github.io/reports/'
    >>> address("octo/octo.github.io").site_url
    'https://octo.github.io/'
    """
    repository = repository.strip()
    site_url = site_url.strip()
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    if not repository:
        return Address(site_url=site_url)
    m = REPOSITORY.match(repository)
    if not m:
        raise AddressError(f"SITE_REPOSITORY 应为“所有者/仓库名”，而不是 {repository!r} / "
                           f"SITE_REPOSITORY must be owner/name, not {repository!r}")
    owner, name = m["owner"], m["name"]
    pages = f"https://{owner.lower()}.github.io/"
    if name.lower() != f"{owner.lower()}.github.io":
        pages += f"{name}/"
    return Address(site_url=site_url or pages, repo_url=f"https://github.com/{owner}/{name}", repo_name=f"{owner}/{name}")


def from_environment(env: dict[str, str] | None = None) -> Address:
    """The address from SITE_REPOSITORY (or GITHUB_REPOSITORY in CI) and SITE_URL."""
    env = os.environ if env is None else env
    return address(env.get("SITE_REPOSITORY") or env.get("GITHUB_REPOSITORY") or "", env.get("SITE_URL") or "")


# --- one site, or sub-sites ------------------------------------------------------------------

# From this many reports a build is published as a main site and one sub-site per province (`--split
# auto`; corpus/subsites.py). Below it one site holds everything and works from file:// (the offline
# bundle). From it the split builds as fast as one site (1,000 reports: 48.7 s against 44.8 s; 3,000:
# 0.92× one site's time, 29% of its memory for MkDocs), a rebuild builds only the sub-sites whose
# pages changed, and the site keeps one copy of each report's text (benchmarks/README.md).
SPLIT_FROM = 1000
SPLIT_CHOICES = ("auto", "always", "never")


def is_split(reports: int, choice: str = "auto") -> bool:
    """`auto`: from SPLIT_FROM reports.

    >>> is_split(999), is_split(1000), is_split(5, "always"), is_split(10**6, "never")
    (False, True, True, False)
    """
    if choice not in SPLIT_CHOICES:
        raise ValueError(f"split must be one of {', '.join(SPLIT_CHOICES)}, not {choice!r}")
    return choice == "always" or (choice == "auto" and reports >= SPLIT_FROM)
