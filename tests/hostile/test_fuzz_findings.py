"""What `bin/fuzz --hostile` found on its first ten-minute run, each kept as a test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bounded import ROOT, assert_user_error, project, rcc


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["--version"]])
@pytest.mark.parametrize("stream", ["full", "closed"])
def test_help_to_a_full_or_closed_stdout(argv: list[str], stream: str) -> None:
    if stream == "full":
        with open("/dev/full", "wb") as full:
            out = rcc(*argv, stdout=full)
    else:
        proc = subprocess.run([sys.executable, "-c", "import os; os.close(1); from compiler.cli import main; "
                               f"raise SystemExit(main({argv!r}))"], cwd=ROOT, capture_output=False,
                              stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=30)
        out = type("O", (), {"code": proc.returncode, "stderr": proc.stderr.decode()})()
    assert out.code == 1, out.stderr
    assert "RCC0732" in out.stderr and "Traceback" not in out.stderr


def test_a_with_param_nested_thousands_deep(tmp_path: Path) -> None:
    doc = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "deep"},
           "spec": {"entrypoint": "main", "templates": [
               {"name": "main", "dag": {"tasks": [{"name": "t", "template": "leaf", "withParam": "[" * 3000}]}},
               {"name": "leaf", "container": {"image": "busybox", "command": ["true"]}}]}}
    (tmp_path / "m.json").write_text(json.dumps(doc))
    out = rcc("simulate", str(tmp_path / "m.json"))
    assert_user_error(out, "RCC1006")


def test_a_parameter_value_nested_thousands_deep(tmp_path: Path) -> None:
    path = project(tmp_path)
    (tmp_path / "params.yaml").write_text('x: "' + "[" * 5000 + '"\n')
    out = rcc("build", str(path), "-p", str(tmp_path / "params.yaml"), "-o", "-")
    assert out.code == 0, out.stderr
