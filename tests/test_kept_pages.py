"""A sub-site built page by page (renderer/kept_pages.py): what decides that a page's last build is used.
The end-to-end check (a changed report, the rest kept, the same site as a build from nothing) is
tests/test_subsites.py::test_an_unchanged_sub_site_is_not_built_again."""
from __future__ import annotations

import hashlib
import pickle

from build_corpus.renderer import kept_pages
from build_corpus.renderer.kept_pages import KeptPage, load, save, usable
from build_corpus.renderer.search_index import SearchDoc
from build_corpus.renderer.subsites import BUILT


def _record(key: str, html: bytes, dest: str = "reports/a.html") -> KeptPage:
    return KeptPage(key, dest, hashlib.sha256(html).hexdigest(), None, {"sec-1"}, {},
                    [SearchDoc("reports/a.html", "甲", "正文", text_in_page=True)])


def test_a_page_is_kept_only_with_its_key_and_its_html_intact(tmp_path):
    html = "<html>甲</html>".encode()
    (tmp_path / BUILT / "reports").mkdir(parents=True)
    (tmp_path / BUILT / "reports" / "a.html").write_bytes(html)
    records = {"reports/a.md": _record("k1", html), "reports/b.md": _record("k2", b"<html>b</html>", "reports/b.html")}
    assert usable(records, {"reports/a.md": "k1"}, tmp_path) == {"reports/a.md": "<html>甲</html>"}
    assert usable(records, {"reports/a.md": "k-other"}, tmp_path) == {}        # made from something else
    assert usable(records, {"reports/b.md": "k2"}, tmp_path) == {}             # its HTML is not in the state
    assert usable(records, {"reports/c.md": "k3"}, tmp_path) == {}             # new page
    (tmp_path / BUILT / "reports" / "a.html").write_bytes(html[:-3])          # damaged (a cache restored halfway)
    assert usable(records, {"reports/a.md": "k1"}, tmp_path) == {}


def test_records_are_read_once_and_anything_unreadable_is_none(tmp_path):
    records = {"reports/a.md": _record("k1", b"x")}
    save(tmp_path, records)
    assert load(tmp_path) == records
    assert load(tmp_path) == {}, "read and deleted: a build that fails halfway leaves none to trust"
    (tmp_path / kept_pages.RECORD).write_bytes(b"not a pickle")
    assert load(tmp_path) == {} and not (tmp_path / kept_pages.RECORD).exists()
    (tmp_path / kept_pages.RECORD).write_bytes(pickle.dumps((kept_pages.VERSION + 1, records)))
    assert load(tmp_path) == {}
