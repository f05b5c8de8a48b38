"""The benchmark script still runs: 5 synthetic reports through the pipeline, no site build.

No timing is asserted (timings belong to the benchmark's printout, not to tests);
this only keeps benchmarks/run.py working as the pipeline changes.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_on_five_reports(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--reports", "5", "--skip-site",
                           "--keep", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.strip().splitlines()

    assert any(line.startswith("stage") and "seconds" in line and "MB/s" in line for line in lines), proc.stdout
    assert any(line.startswith("pipeline total (build_corpus)") for line in lines), proc.stdout

    summary = json.loads(lines[-1])
    assert {"benchmark", "seed", "cpus", "startup_s", "runs"} <= summary.keys()
    run = summary["runs"]["5"]
    assert {"reports", "files", "source_bytes", "pipeline_s", "incremental_pipeline_s", "stages",
            "peak_rss_mb", "reports_found", "metadata_right", "skipped_site"} <= run.keys()
    assert run["files"] == 5
    # Every synthetic report is read as a work report with the place and year it was written with.
    assert run["reports_found"] == 5 and run["metadata_right"] == 5
    assert run["skipped_site"] is True
    # Every step pipeline.py declares has its row, timed where it ran: a renamed step cannot vanish.
    from build_corpus.pipeline import TABLES
    steps = {f"pipeline: {table}: {step.name}" for table in ("source", "document", "corpus") for step in TABLES[table]}
    assert steps | {"pipeline total (build_corpus)"} <= run["stages"].keys()
    assert run["stages"]["pipeline: document: clean"]["cpu_s"] > 0


def test_synthetic_corpus_is_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    material = synth.harvest()
    first = synth.generate(3, tmp_path / "a", seed=7, material=material)
    second = synth.generate(3, tmp_path / "b", seed=7, material=material)
    assert first == second
    for row in first:
        assert (tmp_path / "a" / row["file"]).read_bytes() == (tmp_path / "b" / row["file"]).read_bytes()
