"""The code style the project holds itself to (pyproject.toml [tool.ruff]), checked like any test."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    targets = [str(ROOT / name) for name in ("build_corpus", "tests", "benchmarks") if (ROOT / name).exists()]
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *targets], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
