"""Run one pipeline under the native runtime (`rcc build --runtime native` then `rcc simulate
--exec`) and under runnable 0.50's own local executor, and reduce both to final values.

A native run has no run log: its final values are the outputs of the pipeline's DAG
template (its scope at `success`), decoded as the pods decode them (JSON, else text).
runnable's are the run log's top-level parameters. Both runs read the same task code
(pipelines/tasks.py, copied beside each pipeline).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

PIPELINES = Path(__file__).with_name("pipelines")
ABSENT = "<rcc: absent>"  # compiler.backend.dataflow.ABSENT, spelled out: the test reads the manifest's contract
NATIVE_CONFIG = """\
executor:
  type: argo
  config:
    image: python:3.11-slim
    runtime: native
"""
LOCAL_CONFIG = """\
pipeline-executor:
  type: local
run-log-store:
  type: chunked-fs
  config:
    log_folder: {logs}
catalog:
  type: do-nothing
"""


def runnable_venv() -> Path:
    return Path(os.environ.get("RCC_RUNNABLE_VENV", str(Path.home() / ".cache/rcc/runnable-0.50")))


def env_with(venv: Path) -> dict[str, str]:
    """The runnable venv's python first on PATH: the pods' `python -c` imports the task code with it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNNABLE_", "RCC_VAR_"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("VIRTUAL_ENV", None)
    return env


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


def build(case_dir: Path) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-c", "argo-config.yaml",
            "-o", "argo.yaml", "--color", "never"]
    if (case_dir / "params.yaml").exists():
        args += ["-p", "params.yaml"]
    return subprocess.run(args, cwd=case_dir, capture_output=True, text=True)


def run_native(case_dir: Path, venv: Path) -> dict[str, Any]:
    """{phase, values, nodes}: the simulated workflow's phase, final values, and each node's phase."""
    proc = build(case_dir)
    assert proc.returncode == 0, f"rcc build failed:\n{proc.stderr}"
    sim = subprocess.run([sys.executable, "-m", "compiler.cli", "simulate", "argo.yaml", "--exec", "--format", "json",
                          "--color", "never"], cwd=case_dir, capture_output=True, text=True, env=env_with(venv),
                         timeout=300)
    assert sim.returncode in (0, 1), f"rcc simulate crashed:\n{sim.stderr}"
    report = json.loads(sim.stdout)
    root = report["nodes"][0]
    values = {k: decode(v) for k, v in (root.get("outputs") or {}).items() if v != ABSENT}
    return {"phase": report["workflow"]["phase"], "values": values,
            "nodes": {n["name"]: n["phase"] for n in report["nodes"]}}


def run_local(case_dir: Path, venv: Path) -> dict[str, Any]:
    """{status, values}: runnable 0.50's local run of the same pipeline."""
    logs = case_dir / "local-runlogs"
    (case_dir / "local.yaml").write_text(LOCAL_CONFIG.format(logs=logs))
    run_id = "rcc-native-" + uuid.uuid4().hex[:12]
    args = [str(venv / "bin" / "runnable"), "execute", "pipeline.yaml", run_id, "-c", "local.yaml"]
    if (case_dir / "params.yaml").exists():
        args += ["-p", "params.yaml"]
    subprocess.run(args, cwd=case_dir, capture_output=True, text=True, env=env_with(venv), timeout=300)
    root = json.loads((logs / run_id / "RunLog.json").read_text())
    return {"status": root.get("status"),
            "values": {k: v.get("value") for k, v in (root.get("parameters") or {}).items()}}
