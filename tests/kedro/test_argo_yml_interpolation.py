"""`${...}` in argo.yml is OmegaConf interpolation to argo-kedro (kedro's config loader
resolves it): shown with the real argo-kedro, and why rcc refuses it (RCC0276) rather
than pass the text to the pods. OmegaConf's escape `\\${` is `${` to both.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.kedro.conftest import PROJECT
from tests.kedro.test_kedro_project import _env

ENV = '''  environment:
    - name: TAGGED
      value: "mem-${machine_types.gpu.mem}"
    - name: HOME_DIR
      value: "\\\\${HOME}"
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory, kedro_venv) -> Path:
    root = tmp_path_factory.mktemp("interp") / "fleet"
    shutil.copytree(PROJECT, root)
    argo = root / "conf" / "base" / "argo.yml"
    text = argo.read_text()
    start = text.index("  environment:\n")
    end = text.index("  templates:\n")
    argo.write_text(text[:start] + ENV + text[end:])
    return root


def _kedro_env(wf: dict) -> dict[str, str]:
    kedro = next(t for t in wf["spec"]["templates"] if t["name"] == "kedro")
    return {e["name"]: e.get("value") for e in kedro["container"]["env"]}


def test_argo_kedro_resolves_interpolation_and_unescapes(project, kedro_venv) -> None:
    proc = subprocess.run([str(kedro_venv / "bin" / "kedro"), "argo", "submit", "--dry_run"], cwd=project,
                          env=_env(kedro_venv), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    env = _kedro_env(YAML(typ="safe").load((project / "templates" / "argo-workflow-template.yml").read_text()))
    assert env["TAGGED"] == "mem-32" and env["HOME_DIR"] == "${HOME}"


def _build(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-c", "conf/base/argo.yml",
                           "-o", "-"], cwd=project, capture_output=True, text=True, timeout=600)


def test_rcc_refuses_the_interpolation_at_its_position(project) -> None:
    proc = _build(project)
    assert proc.returncode == 1
    assert "error[RCC0276]: `${machine_types.gpu.mem}` is OmegaConf interpolation" in proc.stderr
    assert "--> conf/base/argo.yml:22:19" in proc.stderr
    assert proc.stderr.count("error[RCC0276]") == 1  # the escaped one is text


def test_the_escape_reaches_the_pod_as_argo_kedro_gives_it(project) -> None:
    argo = project / "conf" / "base" / "argo.yml"
    argo.write_text(argo.read_text().replace("mem-${machine_types.gpu.mem}", "mem-32"))
    proc = _build(project)
    assert proc.returncode == 0, proc.stderr
    wf = YAML(typ="safe").load(proc.stdout)
    envs = [{e["name"]: e.get("value") for e in t["container"].get("env", [])}
            for t in wf["spec"]["templates"] if "container" in t and "kedro" in t["container"].get("command", [])]
    assert envs and all(e["HOME_DIR"] == "${HOME}" and e["TAGGED"] == "mem-32" for e in envs)
