"""`rcc import kedro` driving the real kedro on the fleet project: the graph kedro gives
is the golden case's (so the JSON-fed goldens test what kedro really answers), the
written pipeline builds with the project's own argo.yml and runs pod by pod under
`rcc simulate --exec`, and every failure is a located diagnostic with nothing written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.kedro.conftest import PROJECT
from tests.kedro.test_kedro_project import FILES, PERSISTED, SECRET, _env, _pods, _rcc

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "import-kedro" / "fleet"


@pytest.fixture(scope="module")
def imported(project, kedro_venv) -> Path:
    proc = _rcc("import", "kedro", ".", "--python", str(kedro_venv / "bin" / "python"), "--export-graph",
                "graph.json", "-o", "imported.yaml", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return project / "imported.yaml"


def test_kedro_answers_the_golden_graph_and_the_import_is_the_golden_pipeline(imported) -> None:
    assert json.loads((imported.parent / "graph.json").read_text()) == json.loads((GOLDEN / "graph.json").read_text())
    assert imported.read_text() == (GOLDEN / "expected.yaml").read_text()


def test_the_import_is_the_same_bytes_from_another_directory(imported, kedro_venv, tmp_path) -> None:
    proc = _rcc("import", "kedro", str(imported.parent), "--python", str(kedro_venv / "bin" / "python"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == imported.read_text()


def test_the_imported_pipeline_builds_and_runs_pod_by_pod(project, imported, kedro_venv) -> None:
    built = _rcc("build", "imported.yaml", "-c", "conf/base/argo.yml", "-o", "argo-imported.yaml", cwd=project)
    assert built.returncode == 0, built.stderr
    ran = _rcc("simulate", "argo-imported.yaml", "--exec", "--param", "environment=base", "--format", "json",
               cwd=project, env=dict(_env(kedro_venv), FLEET_TOKEN=SECRET))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    data = {k: json.loads((project / "data" / f).read_text()) for k, f in FILES.items() if (project / "data" / f).is_file()}
    assert sorted(data) == sorted(PERSISTED)
    assert data["features"]["joined_pid"] == data["features"]["pid"]  # the FusedPipeline ran in one process
    assert data["report"]["env"]["RUN_TAG"] == "tag-" + data["report"]["env"]["WORKFLOW_ID"]


def test_the_imported_pipeline_s_pods_are_the_hand_written_one_s(project, imported) -> None:
    """tests/kedro/test_kedro_project.py compares the hand-written pipeline's pods with
    argo-kedro's, bug by bug; the imported one must give exactly those pods."""
    for src, out in (("pipeline.yaml", "argo-hand.yaml"), ("imported.yaml", "argo-imported.yaml")):
        proc = _rcc("build", src, "-c", "conf/base/argo.yml", "-o", out, cwd=project)
        assert proc.returncode == 0, proc.stderr
    hand, mine = (_pods(YAML(typ="safe").load((project / f).read_text())) for f in ("argo-hand.yaml", "argo-imported.yaml"))
    assert mine == hand


def test_an_unregistered_pipeline_points_at_the_registry_and_writes_nothing(project, imported, kedro_venv) -> None:
    before = imported.read_text()
    proc = _rcc("import", "kedro", ".", "--python", str(kedro_venv / "bin" / "python"), "-p", "flet",
                "-o", "imported.yaml", cwd=project)
    assert proc.returncode == 1
    assert "error[RCC0742]: the kedro project registers no pipeline `flet`" in proc.stderr
    assert "--> src/fleet/pipeline_registry.py:10:1" in proc.stderr and "did you mean `fleet`?" in proc.stderr
    assert imported.read_text() == before


def test_kedro_raising_is_located_in_the_project_s_code(tmp_path, kedro_venv) -> None:
    root = tmp_path / "broken"
    shutil.copytree(PROJECT, root)
    registry = root / "src" / "fleet" / "pipeline_registry.py"
    registry.write_text(registry.read_text().replace("    fleet = create_pipeline()\n",
                                                     "    fleet = create_pipeline()\n    raise KeyError('no_such_dataset')\n"))
    proc = _rcc("import", "kedro", "broken", "--python", str(kedro_venv / "bin" / "python"), "-o",
                str(tmp_path / "out.yaml"), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "error[RCC0743]: kedro raised while loading the registered pipelines: KeyError: 'no_such_dataset'" in proc.stderr
    assert "--> broken/src/fleet/pipeline_registry.py:12:5" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out.yaml").exists()


def test_a_python_without_kedro_is_named(tmp_path) -> None:
    proc = _rcc("import", "kedro", str(PROJECT), "--python", sys.executable, cwd=tmp_path)
    assert proc.returncode == 1
    assert f"error[RCC0741]: kedro cannot be imported by `{sys.executable}`" in proc.stderr


def test_argo_kedro_s_run_takes_one_node_per_flag(project, kedro_venv) -> None:
    """Why RCC0275 refuses a fused kedro step without `command`: the comma-joined names
    it used to pass name no node under argo-kedro's `kedro run`."""
    proc = subprocess.run([str(kedro_venv / "bin" / "kedro"), "run", "--nodes", "clean_companies_node,clean_shuttles_node",
                           "--env", "base"], cwd=project, env=dict(_env(kedro_venv), FLEET_TOKEN=SECRET),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0
    assert "does not contain nodes named" in proc.stdout + proc.stderr


def test_an_empty_registered_pipeline_points_at_the_registry(tmp_path, kedro_venv) -> None:
    root = tmp_path / "empty"
    shutil.copytree(PROJECT, root)
    registry = root / "src" / "fleet" / "pipeline_registry.py"
    registry.write_text(registry.read_text().replace('return {"__default__": fleet, "fleet": fleet}',
                                                     'return {"__default__": Pipeline([]), "fleet": fleet}'))
    proc = _rcc("import", "kedro", "empty", "--python", str(kedro_venv / "bin" / "python"), cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "error[RCC0278]: the registered pipeline `__default__` has no nodes" in proc.stderr
    assert "--> empty/src/fleet/pipeline_registry.py:10:1" in proc.stderr


def test_rcc_kedro_venv_chooses_the_python(imported, kedro_venv) -> None:
    env = dict(_env(kedro_venv), RCC_KEDRO_VENV=str(kedro_venv))
    env.pop("VIRTUAL_ENV", None)
    proc = _rcc("import", "kedro", ".", cwd=imported.parent, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == imported.read_text()
