"""How long a contributor waits: from saving a glossary note to the preview serving it, at N reports.

    python benchmarks/preview.py --reports 100 [--edits 3] [--keep DIR]

Synthesises N reports (benchmarks/synth.py), starts `build-corpus serve` on them in a scratch
project (its own copy of glossary/, so the repository's is never edited), waits for the first
build, then saves a change to a curated term note --edits times and times each until the term's
page, fetched over HTTP, shows it. Prints one line per edit and, last, a JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

NOTE = "wu-shui-gong-zhi"          # a curated note whose term the synthetic corpus uses
SENTENCE = "其中治污水是突破口。"     # a sentence of that note; each edit adds a marker after it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def project(work: Path, n: int, seed: int) -> Path:
    """mkdocs.yml, docs/ assets and overrides, the package (linked), a copy of glossary/ and
    annotations/, and N synthetic sources."""
    root = work / "preview-project"
    if root.exists():
        shutil.rmtree(root)
    (root / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("assets", "overrides"):
        shutil.copytree(ROOT / "docs" / name, root / "docs" / name)
    (root / "build_corpus").symlink_to(ROOT / "build_corpus")
    for name in ("glossary", "annotations"):
        shutil.copytree(ROOT / name, root / name)
    synth.generate(n, root / "sources", seed=seed)
    return root


def wait_for(url: str, text: str, server: subprocess.Popen, timeout: float) -> float:
    start = time.monotonic()
    while text not in fetch(url):
        if server.poll() is not None:
            raise SystemExit(f"the preview stopped: {server.stderr.read()[-2000:]}")
        if time.monotonic() - start > timeout:
            raise SystemExit(f"{url} never showed {text!r} within {timeout:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the scratch project under DIR")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="preview-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    root = project(work, args.reports, args.seed)
    port = free_port()
    page = f"http://127.0.0.1:{port}/terms/{NOTE}.html"
    started = time.monotonic()
    server = subprocess.Popen([sys.executable, "-m", "build_corpus", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        first = wait_for(page, "五水共治", server, 900)
        print(f"first build served after {time.monotonic() - started:.1f} s ({first:.1f} s of waiting for the page)")
        note = root / "glossary" / f"{NOTE}.yml"
        times = []
        for i in range(1, args.edits + 1):
            time.sleep(1.5)   # let the watcher settle, as between two saves
            marker = f"预览计时标记{i}。"
            note.write_text(note.read_text(encoding="utf-8").replace(SENTENCE, SENTENCE + marker, 1), encoding="utf-8")
            took = wait_for(page, marker, server, 300)
            times.append(took)
            print(f"edit {i}: saved → served in {took:.2f} s")
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"benchmark": "preview", "reports": args.reports, "edits_s": [round(t, 2) for t in times],
                      "median_s": round(statistics.median(times), 2), "loadavg": os.getloadavg()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
