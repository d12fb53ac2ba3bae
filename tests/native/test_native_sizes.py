"""The native runtime's compile-time size checks use the figure the pod really meets.

A value reaches a step as the environment string `NAME=value`; Linux's exec refuses one
of 131,072 bytes or more with its NUL (E2BIG, "argument list too long"), and Argo names
the same figure MaxEnvVarLen. So `rcc build` must accept a parameter whose string is one
byte under and refuse (RCC0237) one byte more, and the real exec must agree at both sizes;
the accepted one must also run, pod by pod, under `rcc simulate --exec`.
"""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.backend.native_check import MAX_STRING, check_arguments
from compiler.diagnostics import Diagnostics
from compiler.ir import Node

PIPELINE = """\
dag:
  start_at: load
  steps:
    load: {type: task, command_type: shell, command: 'test "${#blob}" -gt 0', next: success}
    success: {type: success}
    fail: {type: fail}
"""
CONFIG = "executor:\n  type: argo\n  config:\n    image: python:3.11-slim\n    runtime: native\n"


def _exec_refuses(env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> bool:
    try:
        subprocess.run(["sh", "-c", "true", *args], env=env, check=True)
    except OSError as exc:
        assert exc.errno == errno.E2BIG
        return True
    return False


@pytest.mark.parametrize("extra", [0, 1])
def test_an_initial_parameter_is_refused_exactly_where_exec_refuses_it(tmp_path: Path, extra: int) -> None:
    size = MAX_STRING - len("blob=") - 1 + extra  # `blob=` + value + NUL == MAX_STRING + extra
    (tmp_path / "pipeline.yaml").write_text(PIPELINE)
    (tmp_path / "argo-config.yaml").write_text(CONFIG)
    (tmp_path / "params.yaml").write_text("blob: " + "x" * size + "\n")
    built = subprocess.run([sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-c", "argo-config.yaml",
                            "-p", "params.yaml", "-o", "argo.yaml", "--color", "never"],
                           cwd=tmp_path, capture_output=True, text=True)
    refused = _exec_refuses(env={"blob": "x" * size})
    assert refused == bool(extra)
    assert ("RCC0237" in built.stderr) == refused and (built.returncode == 1) == refused, built.stderr
    if not refused:
        sim = subprocess.run([sys.executable, "-m", "compiler.cli", "simulate", "argo.yaml", "--exec", "--format",
                              "json", "--color", "never"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert json.loads(sim.stdout)["workflow"]["phase"] == "Succeeded", sim.stderr


def test_a_map_list_is_measured_as_the_fan_outs_variable(tmp_path: Path) -> None:
    """A list read only by a map's fan-out reaches it as RCC_VALUE, not under its own name."""
    pipeline = """\
dag:
  start_at: each
  steps:
    each:
      type: map
      iterate_on: a_rather_long_parameter_name
      iterate_as: item
      branch:
        start_at: echo
        steps:
          echo: {type: task, command_type: shell, command: 'echo "$item"', next: success}
          success: {type: success}
          fail: {type: fail}
      next: success
    success: {type: success}
    fail: {type: fail}
"""
    # 131,050 bytes of JSON: `RCC_VALUE=` (10 bytes) + it + NUL fits, `a_rather_long_parameter_name=` (29) would not
    items = ["y" * 1000] * 130 + ["y" * 526]
    text = json.dumps(items)
    assert len("RCC_VALUE=") + len(text) + 1 <= MAX_STRING < len("a_rather_long_parameter_name=") + len(text) + 1
    (tmp_path / "pipeline.yaml").write_text(pipeline)
    (tmp_path / "argo-config.yaml").write_text(CONFIG)
    built = _build(tmp_path, "a_rather_long_parameter_name: " + text + "\n")
    assert built.returncode == 0, built.stderr
    built = _build(tmp_path, "a_rather_long_parameter_name: " + json.dumps(items[:-1] + ["y" * 541]) + "\n")
    assert built.returncode == 1 and "step `each` receives it as the environment variable `RCC_VALUE`" in built.stderr


def _build(folder: Path, params: str) -> subprocess.CompletedProcess:
    (folder / "params.yaml").write_text(params)
    return subprocess.run([sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-c", "argo-config.yaml",
                           "-p", "params.yaml", "-o", "argo.yaml", "--color", "never"],
                          cwd=folder, capture_output=True, text=True)


@pytest.mark.parametrize("extra", [0, 1])
def test_a_container_argument_is_refused_exactly_where_exec_refuses_it(extra: int) -> None:
    arg = "x" * (MAX_STRING - 1 + extra)  # the argument + NUL == MAX_STRING + extra
    diags = Diagnostics()
    node = Node(name="s", qualname="s", kind="task", spec={}, span=None, spans={})
    check_arguments(node, ["sh", "-c", arg], diags)
    refused = _exec_refuses(args=(arg,))
    assert refused == bool(extra)
    assert [d.code for d in diags.items] == (["RCC0238"] if refused else [])
