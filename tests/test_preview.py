"""`build-corpus serve`: an edit to a contributor file shows in the preview without any other command."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from project_copy import copy_project

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from preview import fetch, free_port  # noqa: E402   (the preview benchmark's HTTP helpers)

ROOT = Path(__file__).resolve().parent.parent


def quiet(log: Path, still: float = 2.0, at_most: float = 60.0) -> None:
    """Wait until the server's log has not grown for `still` seconds (a loaded machine builds slowly)."""
    deadline, size, since = time.monotonic() + at_most, -1, time.monotonic()
    while time.monotonic() < deadline:
        now = log.stat().st_size
        if now != size:
            size, since = now, time.monotonic()
        elif time.monotonic() - since >= still:
            return
        time.sleep(0.2)


def test_a_glossary_edit_shows_in_the_preview(tmp_path):
    project = tmp_path / "project"
    copy_project(project)
    port = free_port()
    log = tmp_path / "serve.log"   # a file, not a pipe: MkDocs' log could fill a pipe no one reads
    server = subprocess.Popen([sys.executable, "-m", "build_corpus", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=log.open("w"), text=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    page = f"http://127.0.0.1:{port}/terms/wu-shui-gong-zhi.html"
    try:
        deadline = time.monotonic() + 240
        while "五水共治" not in fetch(page):
            assert server.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            assert time.monotonic() < deadline, "the preview never served the term page"
            time.sleep(0.5)
        note = project / "glossary" / "wu-shui-gong-zhi.yml"
        note.write_text(note.read_text(encoding="utf-8").replace("其中治污水是突破口。", "其中治污水是突破口。预览测试标记。"),
                        encoding="utf-8")
        saved = time.monotonic()
        while "预览测试标记" not in fetch(page):
            assert server.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            assert time.monotonic() < saved + 120, "the edit never reached the preview"
            time.sleep(0.2)
        print(f"\nglossary edit → preview: {time.monotonic() - saved:.1f} s")
        index = fetch(f"http://127.0.0.1:{port}/search/search_index.json")
        assert '"shards"' in index, "a preview rebuild lost the search index"

        # A mistake in the file: the page says so (the note is gone), not only the terminal.
        quiet(log)   # the last edit's build may still be finishing (its page was written mid-build)
        before = len(log.read_text(encoding="utf-8"))
        note.write_text(note.read_text(encoding="utf-8").replace("author: corpus-maintainers", "author: [1, 2]", 1),
                        encoding="utf-8")
        saved = time.monotonic()
        while "预览：输入文件有问题" not in (shown := fetch(page)):
            assert server.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            assert time.monotonic() < saved + 120, "the problem never reached the page"
            time.sleep(0.2)
        assert "wu-shui-gong-zhi.yml" in shown
        quiet(log)   # a second build, if one came, would have started and ended by now
        said = log.read_text(encoding="utf-8")
        assert f"http://127.0.0.1:{port}/" in said.splitlines()[0], said[:300]   # its address, first
        assert "'dirty' build" not in said and '"nav" configuration' not in said and "wu-shui-gong-zhi.yml" in said
        after_edit = said[before:]
        assert after_edit.count("Reloading browsers") == 1, f"one save, {after_edit.count('Reloading browsers')} reloads:\n{after_edit[-2500:]}"
    finally:
        server.terminate()
        server.wait(timeout=30)
