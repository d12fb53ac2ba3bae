"""`[tool.rcc] runtime` and `kind` choose the runtime and the output kind; the command line wins."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PIPELINE = """\
dag:
  start_at: hello
  steps:
    hello:
      type: task
      command_type: shell
      command: echo hi
      next: success
"""
CONFIG = """\
pipeline-executor:
  type: argo
  config:
    pvc_for_runnable: runnable-pvc
    defaults:
      image: python:3.11-slim
    argoWorkflow:
      metadata:
        generateName: hello-
      spec: {}
run-log-store:
  type: chunked-fs
catalog:
  type: file-system
"""


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.rcc]\n{table}")
    (tmp_path / "pipeline.yaml").write_text(PIPELINE)
    (tmp_path / "argo-config.yaml").write_text(CONFIG)
    return tmp_path


def _build(project: Path, *extra: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-o", "-", *extra],
                          cwd=project, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_project_runtime_replaces_the_dialect_default(tmp_path: Path) -> None:
    out = _build(_project(tmp_path, 'runtime = "native"\n'))
    assert "rcc.dev/runtime: native " in out
    assert "execute-single-node" not in out


def test_command_line_runtime_wins_over_the_project(tmp_path: Path) -> None:
    out = _build(_project(tmp_path, 'runtime = "native"\n'), "--runtime", "runnable")
    assert "rcc.dev/runtime: runnable 0.50.0" in out


def test_project_kind(tmp_path: Path) -> None:
    out = _build(_project(tmp_path, 'kind = "workflow-template"\n'))
    assert out.splitlines()[1] == "kind: WorkflowTemplate"
