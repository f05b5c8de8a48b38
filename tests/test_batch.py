"""Running in two processes (processes.beside and what uses it), checked in a fresh interpreter.

processes.can_fork refuses to fork while other threads run (a forked copy could inherit a lock one of
them holds), and this suite keeps threads alive once the browser tests have started; so the checks
live in tests/fork_checks.py and run here under their own pytest, where nothing else runs.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from build_corpus.processes import beside, can_fork

HERE = Path(__file__).resolve().parent


def test_two_process_checks_pass_in_a_fresh_process():
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", str(HERE / "fork_checks.py")],
                         cwd=HERE.parent, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"\b7 passed", run.stdout), run.stdout[-2000:]
    if can_fork():
        assert "skipped" not in run.stdout, run.stdout[-2000:]


def test_with_other_threads_running_nothing_is_forked():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert not can_fork()
        assert beside(os.getpid, os.getpid) == (os.getpid(), os.getpid())
    finally:
        stop.set()
        thread.join()
