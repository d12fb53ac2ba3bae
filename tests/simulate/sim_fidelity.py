"""Run one pipeline two ways and reduce both run logs to comparable facts.

Way 1: `rcc build` then `rcc simulate --exec`: every container's argv runs locally with
the real runnable runtime; inside a "pod" runnable forces the chunked-fs run log to
/tmp/run_logs/<run_id>/. Way 2: `runnable execute` with runnable's local executor and a
chunked-fs run log in a temporary folder. Both runs get unique run ids, so tests never
see each other's logs.

Why compare reduced facts (step name -> status, branch -> status, final parameters)
and not whole run logs: times, attempt ids and code identities legitimately differ.
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
POD_RUN_LOGS = Path("/tmp/run_logs")

ARGO_CONFIG = """\
pipeline-executor:
  type: argo
  config:
    pvc_for_runnable: runnable-pvc
    defaults:
      image: runnable:local
    argoWorkflow:
      metadata:
        generateName: fidelity-
      spec: {}
run-log-store:
  type: chunked-fs
catalog:
  type: file-system
"""

LOCAL_CONFIG = """\
pipeline-executor:
  type: local
run-log-store:
  type: chunked-fs
  config:
    log_folder: {logs}
catalog:
  type: file-system
  config:
    catalog_location: {catalog}
"""


def runnable_venv() -> Path:
    return Path(os.environ.get("RCC_RUNNABLE_VENV", "/work/venvs/runnable"))


def _env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNNABLE_", "RCC_VAR_"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("VIRTUAL_ENV", None)
    return env


def read_run_log(folder: Path) -> dict[str, Any]:
    """A chunked-fs run log as {status, steps: {name: status}, branches: {name: status}, parameters}."""
    root = json.loads((folder / "RunLog.json").read_text())
    steps: dict[str, str] = {}
    branches: dict[str, str] = {}

    def walk(step_map: dict[str, Any]) -> None:
        for step in step_map.values():
            steps[step["internal_name"]] = step["status"]
            for bname, branch in (step.get("branches") or {}).items():
                branches[bname] = branch.get("status")
                walk(branch.get("steps") or {})

    walk(root.get("steps") or {})
    for path in sorted(folder.glob("BranchLog-*.json")):
        branch = json.loads(path.read_text())
        branches[branch["internal_name"]] = branch.get("status")
        walk(branch.get("steps") or {})
    for path in sorted(folder.glob("StepLog-*.json")):  # chunked-fs may keep step logs apart
        step = json.loads(path.read_text())
        steps[step["internal_name"]] = step["status"]
    params = {k: v.get("value") for k, v in (root.get("parameters") or {}).items()}
    return {"status": root.get("status"), "steps": steps, "branches": branches, "parameters": params}


def prepare(case: str, work: Path) -> Path:
    src = PIPELINES / case
    dest = work / case
    shutil.copytree(src, dest)
    (dest / "argo-config.yaml").write_text(ARGO_CONFIG)
    return dest


def compile_case(case_dir: Path) -> Path:
    args = [sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-c", "argo-config.yaml",
            "-o", "argo.yaml", "--color", "never"]
    if (case_dir / "params.yaml").exists():
        args += ["-p", "params.yaml"]
    proc = subprocess.run(args, cwd=case_dir, capture_output=True, text=True)
    assert proc.returncode == 0, f"rcc build failed:\n{proc.stderr}"
    return case_dir / "argo.yaml"


def run_simulated(case_dir: Path, venv: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """`rcc simulate --exec`: returns (the simulator's JSON report, the run log facts)."""
    manifest = compile_case(case_dir)
    run_id = "rcc-sim-" + uuid.uuid4().hex[:12]
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "simulate", str(manifest), "--exec",
                           "--format", "json", "--param", f"run_id={run_id}", "--color", "never"],
                          cwd=case_dir, capture_output=True, text=True, env=_env(venv), timeout=300)
    assert proc.returncode in (0, 1), f"rcc simulate crashed:\n{proc.stderr}"
    report = json.loads(proc.stdout)
    folder = POD_RUN_LOGS / run_id
    try:
        facts = read_run_log(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(Path("/tmp/catalog") / run_id, ignore_errors=True)
    return report, facts


def run_local(case_dir: Path, venv: Path) -> tuple[int, dict[str, Any]]:
    """runnable's own local executor on the same pipeline: (exit code, run log facts)."""
    logs, catalog = case_dir / "local-runlogs", case_dir / "local-catalog"
    (case_dir / "local.yaml").write_text(LOCAL_CONFIG.format(logs=logs, catalog=catalog))
    run_id = "rcc-local-" + uuid.uuid4().hex[:12]
    args = [str(venv / "bin" / "runnable"), "execute", "pipeline.yaml", run_id, "-c", "local.yaml"]
    if (case_dir / "params.yaml").exists():
        args += ["-p", "params.yaml"]
    proc = subprocess.run(args, cwd=case_dir, capture_output=True, text=True, env=_env(venv), timeout=300)
    return proc.returncode, read_run_log(logs / run_id)


def differences(local: dict[str, Any], simulated: dict[str, Any]) -> list[str]:
    """Every way the two reduced run logs differ, one line each, naming the step."""
    out: list[str] = []
    if local["status"] != simulated["status"]:
        out.append(f"run status: local {local['status']}, simulated {simulated['status']}")
    for kind in ("steps", "branches"):
        a, b = local[kind], simulated[kind]
        for name in sorted(set(a) | set(b)):
            if name not in b:
                out.append(f"{kind[:-1]} `{name}`: ran locally ({a[name]}), missing from the simulated run")
            elif name not in a:
                out.append(f"{kind[:-1]} `{name}`: in the simulated run ({b[name]}), not in the local run")
            elif a[name] != b[name]:
                out.append(f"{kind[:-1]} `{name}`: local {a[name]}, simulated {b[name]}")
    pa, pb = local["parameters"], simulated["parameters"]
    for name in sorted(set(pa) | set(pb)):
        if pa.get(name) != pb.get(name):
            out.append(f"parameter `{name}`: local {pa.get(name)!r}, simulated {pb.get(name)!r}")
    return out
