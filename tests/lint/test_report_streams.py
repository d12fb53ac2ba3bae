"""Reports reach the program that reads them: json, github and sarif on stdout, the human
rendering on stderr; GitHub annotations spanning lines carry no column; FORCE_COLOR and
NO_COLOR decide colour when --color is auto; SARIF 2.1.0 has the fields code scanning reads.

No PyPI package ships SARIF's published JSON schema (sarif-om and sarif-tools were
checked), so the fields the 2.1.0 specification requires, and those GitHub reads, are
asserted one by one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.diagnostics import Diagnostic, Span
from compiler.render import render_github
from texts import ONE_TASK_PIPELINE  # noqa: E402

BROKEN = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: broken-
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine
      resources:
        limits: {memory: 4GB}
  - name: Upper
    container: {image: alpine}
"""
PIPELINE = ONE_TASK_PIPELINE
CONFIG = """\
executor:
  type: argo
  config:
    image: python:3.12
"""


def rcc(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    return subprocess.run([sys.executable, "-m", "compiler.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**base, **(env or {})})


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("streams")
    (d / "broken.yaml").write_text(BROKEN)
    (d / "pipeline.yaml").write_text(PIPELINE)
    (d / "argo-config.yaml").write_text(CONFIG)
    return d


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_machine_formats_go_to_stdout(project: Path, fmt: str) -> None:
    proc = rcc("lint", "broken.yaml", "--format", fmt, cwd=project)
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert "RCC0878" in proc.stdout


def test_human_goes_to_stderr(project: Path) -> None:
    proc = rcc("lint", "broken.yaml", "--color", "never", cwd=project)
    assert proc.stdout == ""
    assert "error[RCC0878]" in proc.stderr


def test_check_reports_on_stdout(project: Path) -> None:
    (project / "bad-pipeline.yaml").write_text(PIPELINE.replace("next: success", "next: sucess"))
    proc = rcc("check", "bad-pipeline.yaml", "--format", "json", cwd=project)
    assert proc.returncode == 1 and proc.stderr == ""
    assert [json.loads(line)["code"] for line in proc.stdout.splitlines()] == ["RCC0402"]


def test_build_to_stdout_keeps_reports_on_stderr(project: Path) -> None:
    from ruamel.yaml import YAML

    # A limit the manifest reaches 95% of, measured as the size rule measures (compact JSON),
    # so the near-limit warning fires whichever runtime the configuration selects.
    full = rcc("build", "pipeline.yaml", "-o", "-", cwd=project).stdout
    size = len(json.dumps(YAML(typ="safe").load(full), separators=(",", ":")).encode())
    limit = int(size / 0.95)
    proc = rcc("build", "pipeline.yaml", "-o", "-", "--format", "json", "--max-size", str(limit), cwd=project)
    assert proc.stdout.startswith("apiVersion: argoproj.io/v1alpha1")
    assert json.loads(proc.stderr.splitlines()[0])["code"] == "RCC0602"


def test_sarif_has_the_required_fields(project: Path) -> None:
    log = json.loads(rcc("lint", "broken.yaml", "--format", "sarif", cwd=project).stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "rcc" and driver["version"]
    rules = [r["id"] for r in driver["rules"]]
    assert rules == sorted(set(rules)) == ["RCC0872", "RCC0878"]
    assert all(r["shortDescription"]["text"] and "## Fix" in r["help"]["markdown"] for r in driver["rules"])
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert {r["ruleId"] for r in run["results"]} == set(rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"]
        (loc,) = result["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "broken.yaml"
    assert by_rule["RCC0878"]["level"] == "error" and by_rule["RCC0872"]["level"] == "warning"
    region = by_rule["RCC0878"]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 12, "startColumn": 26, "endLine": 12, "endColumn": 29}
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_of_a_clean_run_is_an_empty_run(project: Path) -> None:
    (project / "clean.yaml").write_text(BROKEN.replace("4GB", "4Gi").replace("Upper", "lower"))
    proc = rcc("lint", "clean.yaml", "--format", "sarif", cwd=project)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["runs"][0]["results"] == []


def test_github_annotation_over_several_lines_has_no_column() -> None:
    one = Diagnostic("RCC0851", "m", Span("f.yaml", 3, 5, 3, 9))
    several = Diagnostic("RCC0851", "m", Span("f.yaml", 3, 5, 6, 2))
    assert render_github([one]).startswith("::error file=f.yaml,line=3,col=5,endLine=3,endColumn=9,title=RCC0851::")
    assert render_github([several]).startswith("::error file=f.yaml,line=3,endLine=6,title=RCC0851::")


@pytest.mark.parametrize("env, coloured", [({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": "0"}, False),
                                           ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False), ({}, False)])
def test_force_color_and_no_color(project: Path, env: dict, coloured: bool) -> None:
    proc = rcc("lint", "broken.yaml", cwd=project, env=env)
    assert ("\x1b[" in proc.stderr) is coloured
