"""A dry run's verdict follows what ran: a map or conditional that could not run for want of an
`--output` value makes the run Error (exit 1), and the message names the value and the option.

Driven through the real `rcc build` and `rcc simulate` entry points, as a user meets them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# A map over a returned list, then a conditional on a returned value: both read outputs that
# only a process writes, so a dry run needs them from --output.
PIPELINE = """\
dag:
  start_at: list
  steps:
    list:
      type: task
      command: examples.functions.chunks
      returns:
        - name: chunks
        - name: mode
      next: fan
    fan:
      type: map
      iterate_on: chunks
      iterate_as: chunk
      branch:
        start_at: work
        steps:
          work:
            type: task
            command_type: shell
            command: echo "$chunk"
            next: success
          success:
            type: success
          fail:
            type: fail
      next: choose
    choose:
      type: conditional
      parameter: mode
      branches:
        fast:
          start_at: quick
          steps:
            quick:
              type: stub
              next: success
            success:
              type: success
            fail:
              type: fail
      next: success
    success:
      type: success
    fail:
      type: fail
"""
CONFIG = """\
pipeline-executor:
  type: argo
  config:
    defaults:
      image: python:3.11-slim
    argoWorkflow:
      metadata: {generateName: dry-}
      spec: {}
"""


def _rcc(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compiler.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def _manifest(tmp_path: Path) -> Path:
    (tmp_path / "pipeline.yaml").write_text(PIPELINE)
    (tmp_path / "argo-config.yaml").write_text(CONFIG)
    built = _rcc(tmp_path, "build", "pipeline.yaml", "-o", "manifest.yaml")
    assert built.returncode == 0, built.stderr
    return tmp_path / "manifest.yaml"


def test_missing_outputs_make_the_dry_run_error_and_name_the_option(tmp_path: Path) -> None:
    _manifest(tmp_path)
    proc = _rcc(tmp_path, "simulate", "manifest.yaml", "--format", "json")
    assert proc.returncode == 1
    run = json.loads(proc.stdout)
    assert run["workflow"]["phase"] == "Error"
    assert any("incomplete" in n for n in run["notes"])
    assert "error[RCC1005]" in proc.stderr
    assert "`--output fan.fan-out.iterate-on=VALUE`" in proc.stderr
    assert "`--output choose.fan-out.case=VALUE`" in proc.stderr
    assert "fix the manifest" not in proc.stderr  # the manifest is not at fault


def test_with_the_values_given_everything_runs_and_succeeds(tmp_path: Path) -> None:
    _manifest(tmp_path)
    proc = _rcc(tmp_path, "simulate", "manifest.yaml", "--format", "json",
                "--output", 'fan.fan-out.iterate-on=["a", "b"]', "--output", "choose.fan-out.case=fast")
    assert proc.returncode == 0, proc.stderr
    run = json.loads(proc.stdout)
    assert run["workflow"]["phase"] == "Succeeded"
    names = [n["name"] for n in run["nodes"]]
    assert "fan.iterations(1:b).work" in names and "choose.branch-fast.quick" in names
    assert "RCC1005" not in proc.stderr
