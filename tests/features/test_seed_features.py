"""Seed capabilities whose behaviour golden files do not show well: output_file, kinds, runtimes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ("magnus", "cron-nightly", "cloudharness", "kedro-machine-types", "kedro-fused", "kedro-templates",
            "native-runtime")


def rcc(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compiler.cli", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_builds_with_plain_command(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    proc = rcc("build", "pipeline.yaml", "-o", str(out), cwd=ROOT / "examples" / name)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().startswith("apiVersion: argoproj.io/v1alpha1")


def _magnus(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "pipeline.yaml").write_text((ROOT / "examples/hello/pipeline.yaml").read_text())
    (tmp_path / "argo-config.yaml").write_text(f"mode:\n  type: argo\n  config:\n    docker_image: x:1\n{extra}")
    return tmp_path


def test_output_file_is_used_when_o_is_absent(tmp_path: Path) -> None:
    d = _magnus(tmp_path, "    output_file: wf.yaml\n")
    proc = rcc("build", "pipeline.yaml", cwd=d)
    assert proc.returncode == 0, proc.stderr
    assert "kind: Workflow" in (d / "wf.yaml").read_text()


def test_magnus_default_output_file_never_overwrites_the_pipeline(tmp_path: Path) -> None:
    d = _magnus(tmp_path)
    before = (d / "pipeline.yaml").read_text()
    proc = rcc("build", "pipeline.yaml", cwd=d)
    assert proc.returncode == 1 and "RCC0705" in proc.stderr
    assert (d / "pipeline.yaml").read_text() == before


def test_o_wins_over_output_file(tmp_path: Path) -> None:
    d = _magnus(tmp_path, "    output_file: wf.yaml\n")
    assert rcc("build", "pipeline.yaml", "-o", "other.yaml", cwd=d).returncode == 0
    assert (d / "other.yaml").exists() and not (d / "wf.yaml").exists()


@pytest.mark.parametrize("kind,expected", [("workflow", "kind: Workflow\n"), ("workflow-template", "kind: WorkflowTemplate\n")])
def test_kind_option_on_check_and_build(kind: str, expected: str, tmp_path: Path) -> None:
    d = _magnus(tmp_path)
    assert rcc("check", "pipeline.yaml", "--kind", kind, cwd=d).returncode == 0
    proc = rcc("build", "pipeline.yaml", "--kind", kind, "-o", "-", cwd=d)
    assert expected in proc.stdout


def test_runtime_option_overrides_configuration(tmp_path: Path) -> None:
    d = _magnus(tmp_path, "    runtime: native\n")
    native = rcc("build", "pipeline.yaml", "-o", "-", cwd=d).stdout
    runnable = rcc("build", "pipeline.yaml", "-o", "-", "--runtime", "runnable", cwd=d).stdout
    assert "execute-single-node" not in native and "execute-single-node" in runnable


def test_native_steps_with_different_commands_never_share_a_template(tmp_path: Path) -> None:
    d = _magnus(tmp_path, "    runtime: native\n")
    (d / "pipeline.yaml").write_text(
        "dag:\n  start_at: a\n  steps:\n"
        "    a: {type: task, command_type: shell, command: echo a, next: b}\n"
        "    b: {type: task, command_type: shell, command: echo b, next: c}\n"
        "    c: {type: task, command_type: shell, command: echo c, next: success}\n"
        "    success: {type: success}\n    fail: {type: fail}\n")
    out = rcc("build", "pipeline.yaml", "-o", "-", cwd=d).stdout
    assert all(f"- echo {x}" in out for x in "abc")
