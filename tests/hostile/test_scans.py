"""Quadratic text scans: values of many `{{` and no `}}` are scanned in linear time."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from bounded import assert_user_error, project, rcc

from compiler.tags import TagScanner

OPENS = "{{" * 40_000  # 80 KB: the quadratic regex took minutes on this


def _manifest(value: str) -> dict:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"generateName": "scan-"},
            "spec": {"entrypoint": "main", "arguments": {"parameters": [{"name": "p", "value": value}]},
                     "templates": [{"name": "main", "dag": {"tasks": [
                         {"name": "a", "template": "leaf", "when": f"'{value}' == x",
                          "arguments": {"parameters": [{"name": "v", "value": value}]}}]}},
                         {"name": "leaf", "inputs": {"parameters": [{"name": "v"}]},
                          "container": {"image": "busybox", "command": ["echo", value], "args": [value]}}]}}


def test_lint_and_simulate_scan_tags_linearly(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(json.dumps(_manifest(OPENS + "x" + "{{workflow.name" * 5000)))
    for command in ("lint", "simulate"):
        out = rcc(command, str(path), timeout=20)
        assert out.code in (0, 1), out.stderr[-2000:]
        assert "RCC09" not in out.stderr and "Traceback" not in out.stderr


def test_build_scans_tags_linearly(tmp_path: Path) -> None:
    steps = f'    a: {{type: task, command_type: shell, command: "echo {OPENS}", next: success}}\n'
    pipeline = project(tmp_path, "dag:\n  start_at: a\n  steps:\n" + steps
                       + "    success: {type: success}\n    fail: {type: fail}\n")
    out = rcc("build", str(pipeline), "-o", "-", timeout=20)
    assert_user_error(out)


def test_the_scanner_finds_what_the_regexes_found() -> None:
    lazy, no_brace = re.compile(r"\{\{(.*?)\}\}", re.S), re.compile(r"\{\{[^}]*\}\}")
    rnd = random.Random(18)
    for _ in range(20_000):
        text = "".join(rnd.choice("{}a\n") for _ in range(rnd.randint(0, 14)))
        assert TagScanner().sub(lambda m: f"<{m.group(1)}>", text) == lazy.sub(lambda m: f"<{m.group(1)}>", text)
        assert TagScanner(no_brace_inside=True).sub("x", text) == no_brace.sub("x", text)
