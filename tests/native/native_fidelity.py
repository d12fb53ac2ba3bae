"""Run one pipeline under the native runtime (`rcc build --runtime native` then `rcc simulate
--exec`) and under runnable 0.50's own local executor, and reduce both to final values.

A native run has no run log: its final values are the outputs of the pipeline's DAG
template (its scope at `success`), decoded as the pods decode them (JSON, else text).
runnable's are the run log's top-level parameters. Both runs read the same task code
(pipelines/tasks.py, copied beside each pipeline). The set-up both fidelity suites
share (the venv, its environment, building, the local run and its run log) is
tests/simulate/sim_fidelity.py's; this module adds only what is native.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "simulate"))
import sim_fidelity as shared  # noqa: E402

PIPELINES = Path(__file__).with_name("pipelines")
ABSENT = "<rcc: absent>"  # compiler.backend.dataflow.ABSENT, spelled out: the test reads the manifest's contract
NATIVE_CONFIG = """\
executor:
  type: argo
  config:
    image: python:3.11-slim
    runtime: native
"""


def prepare(case: str, work: Path) -> Path:
    dest = work / case
    shutil.copytree(PIPELINES / case, dest)
    shutil.copy(PIPELINES / "tasks.py", dest / "tasks.py")
    (dest / "argo-config.yaml").write_text(NATIVE_CONFIG)
    return dest


def decode(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def run_native(case_dir: Path, venv: Path) -> dict[str, Any]:
    """{phase, values, nodes}: the simulated workflow's phase, final values, and each node's phase."""
    manifest = shared.compile_case(case_dir)
    sim = subprocess.run([sys.executable, "-m", "compiler.cli", "simulate", str(manifest), "--exec", "--format", "json",
                          "--color", "never"], cwd=case_dir, capture_output=True, text=True, env=shared.env_with(venv),
                         timeout=300)
    assert sim.returncode in (0, 1), f"rcc simulate crashed:\n{sim.stderr}"
    report = json.loads(sim.stdout)
    root = report["nodes"][0]
    values = {k: decode(v) for k, v in (root.get("outputs") or {}).items() if v != ABSENT}
    return {"phase": report["workflow"]["phase"], "values": values,
            "nodes": {n["name"]: n["phase"] for n in report["nodes"]}}


def require_runnable() -> Path:
    """runnable 0.50's venv, or the test fails (under CI) or skips."""
    return shared.RUNNABLE_050.require()


def run_local(case_dir: Path, venv: Path) -> dict[str, Any]:
    """{status, values}: runnable 0.50's local run of the same pipeline."""
    _, facts = shared.run_local(case_dir, venv)
    return {"status": facts["status"], "values": facts["parameters"]}
