"""Run one pipeline two ways with a real program and reduce both run logs to comparable facts.

Way 1: `rcc build` then `rcc simulate --exec`: every container's argv runs locally with
the real program first on PATH. Way 2: the program's own `execute` with its local
executor on the same pipeline. Both runs get unique run ids and their own log folders,
so tests never see each other's logs.

One `RealProgram` describes each program rcc has a runtime for: where its venv is, the
Argo and local configurations to run it with, where its pods keep the run log, how it
is started locally. runnable 0.50 forces a pod's chunked-fs run log to
/tmp/run_logs/<run_id>/; runnable 0.13 and both magnus versions keep a file-system run
log (one `<run_id>.json`) wherever the configuration says, here a folder of the case.

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
from dataclasses import dataclass
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


LEGACY_LOGS = """\
run_log_store:
  type: file-system
  config:
    log_folder: {logs}
catalog:
  type: file-system
  config:
    catalog_location: {catalog}
"""


@dataclass(frozen=True)
class RealProgram:
    """A program whose pods rcc's runtime drives, and how to run it both ways."""

    label: str
    venv_variable: str
    """The environment variable naming its venv (default ~/.cache/rcc/<venv_dir>)."""
    venv_dir: str
    executable: str
    argo_config: str
    """The configuration `rcc build` reads and every pod re-reads ({logs}, {catalog} filled in)."""
    local_config: str
    runtime: str | None = None
    """`--runtime` for `rcc build` (None: the configuration's dialect decides)."""
    forced_pod_logs: bool = False
    """runnable 0.50: pods keep the run log under /tmp/run_logs/<run_id>/ whatever the file says."""
    parameter_prefix: str = "RUNNABLE_PRM_"
    """Where the program reads initial parameters from the environment."""

    def venv(self) -> Path:
        return Path(os.environ.get(self.venv_variable, Path.home() / ".cache" / "rcc" / self.venv_dir))

    def installed(self) -> bool:
        return (self.venv() / "bin" / self.executable).exists()

    def require(self) -> Path:
        """The program's venv, or the test stops: a failure under CI (`.ci/run` installs every
        program, so a missing one is a broken set-up), a skip elsewhere."""
        import pytest

        if not self.installed():
            message = f"{self.label} is not installed at {self.venv()} (set {self.venv_variable}; .ci/run creates it)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        return self.venv()


RUNNABLE_050 = RealProgram("runnable 0.50", "RCC_RUNNABLE_VENV", "runnable-0.50", "runnable",
                           ARGO_CONFIG, LOCAL_CONFIG, forced_pod_logs=True)
_DOCUMENTED_ARGO = "executor:\n  type: argo\n  config:\n    image: runnable:local\n{secrets}" + LEGACY_LOGS
RUNNABLE_013 = RealProgram("runnable 0.13", "RCC_RUNNABLE013_VENV", "runnable-0.13", "runnable",
                           _DOCUMENTED_ARGO, "executor:\n  type: local\n" + LEGACY_LOGS)
MAGNUS_05 = RealProgram("magnus 0.5", "RCC_MAGNUS05_VENV", "magnus-0.5", "magnus",
                        _DOCUMENTED_ARGO, "executor:\n  type: local\n" + LEGACY_LOGS, runtime="magnus",
                        parameter_prefix="MAGNUS_PRM_")
MAGNUS_04 = RealProgram("magnus 0.4", "RCC_MAGNUS04_VENV", "magnus-0.4", "magnus",
                        "mode:\n  type: argo\n  config:\n    docker_image: magnus:local\n{secrets}" + LEGACY_LOGS,
                        "mode:\n  type: local\n" + LEGACY_LOGS, parameter_prefix="MAGNUS_PRM_")


def _fill(template: str, **values: Any) -> str:
    """`{name}` placeholders replaced (str.format would trip over YAML's `{}`)."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def runnable_venv() -> Path:
    return RUNNABLE_050.venv()


def env_with(venv: Path) -> dict[str, str]:
    """The program's venv first on PATH (pods and local runs import the task code with its python)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNNABLE_", "MAGNUS_", "RCC_VAR_"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("VIRTUAL_ENV", None)
    return env


def read_run_log(folder: Path) -> dict[str, Any]:
    """A chunked-fs run log as {status, steps: {name: status}, branches: {name: status}, parameters}."""
    if folder.suffix == ".json":  # a file-system run log: everything in one file
        return _facts(json.loads(folder.read_text()), None)
    return _facts(json.loads((folder / "RunLog.json").read_text()), folder)


def _facts(root: dict[str, Any], folder: Path | None) -> dict[str, Any]:
    steps: dict[str, str] = {}
    branches: dict[str, str] = {}

    def walk(step_map: dict[str, Any]) -> None:
        for key, step in step_map.items():
            steps[step.get("internal_name", key)] = step["status"]
            for bname, branch in (step.get("branches") or {}).items():
                branches[bname] = branch.get("status")
                walk(branch.get("steps") or {})

    walk(root.get("steps") or {})
    for path in sorted(folder.glob("BranchLog-*.json")) if folder else ():
        branch = json.loads(path.read_text())
        branches[branch["internal_name"]] = branch.get("status")
        walk(branch.get("steps") or {})
    for path in sorted(folder.glob("StepLog-*.json")) if folder else ():  # chunked-fs may keep step logs apart
        step = json.loads(path.read_text())
        steps[step["internal_name"]] = step["status"]
    # runnable keeps {kind, value, ...} per parameter; magnus keeps the value itself.
    params = {k: v.get("value") if isinstance(v, dict) and "kind" in v else v
              for k, v in (root.get("parameters") or {}).items()}
    return {"status": root.get("status"), "steps": steps, "branches": branches, "parameters": params}


def prepare(case: str, work: Path, program: RealProgram = RUNNABLE_050, pipelines: Path = PIPELINES,
            secrets: str = "") -> Path:
    """A copy of the case in `work`, with the program's Argo configuration beside it
    (the case's own `argo-config.yaml`, e.g. with overrides, when it has one)."""
    src = pipelines / case
    dest = work / case
    shutil.copytree(src, dest)
    own = src / "argo-config.yaml"
    template = own.read_text() if own.exists() else program.argo_config
    (dest / "argo-config.yaml").write_text(_fill(template, logs=dest / "pod-runlogs",
                                                 catalog=dest / "pod-catalog", secrets=secrets))
    return dest


def compile_case(case_dir: Path, program: RealProgram = RUNNABLE_050) -> Path:
    args = [sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-c", "argo-config.yaml",
            "-o", "argo.yaml", "--color", "never"]
    if (case_dir / "params.yaml").exists():
        args += ["-p", "params.yaml"]
    if program.runtime:
        args += ["--runtime", program.runtime]
    proc = subprocess.run(args, cwd=case_dir, capture_output=True, text=True)
    assert proc.returncode == 0, f"rcc build failed:\n{proc.stderr}"
    return case_dir / "argo.yaml"


def run_simulated(case_dir: Path, venv: Path, program: RealProgram = RUNNABLE_050,
                  extra_env: dict[str, str] | None = None,
                  params: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """`rcc simulate --exec`: returns (the simulator's JSON report, the run log facts).

    `params` are workflow arguments given at submission (`--param NAME=VALUE`)."""
    manifest = compile_case(case_dir, program)
    run_id = "rcc-sim-" + uuid.uuid4().hex[:12]
    given = [a for k, v in (params or {}).items() for a in ("--param", f"{k}={v}")]
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "simulate", str(manifest), "--exec",
                           "--format", "json", "--param", f"run_id={run_id}", *given, "--color", "never"],
                          cwd=case_dir, capture_output=True, text=True, env={**env_with(venv), **(extra_env or {})},
                          timeout=300)
    assert proc.returncode in (0, 1), f"rcc simulate crashed:\n{proc.stderr}"
    report = json.loads(proc.stdout)
    if not program.forced_pod_logs:
        return report, read_run_log(case_dir / "pod-runlogs" / f"{run_id}.json")
    folder = POD_RUN_LOGS / run_id
    try:
        facts = read_run_log(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(Path("/tmp/catalog") / run_id, ignore_errors=True)
    return report, facts


def run_local(case_dir: Path, venv: Path, program: RealProgram = RUNNABLE_050,
              extra_env: dict[str, str] | None = None, retries: int = 0) -> tuple[int, dict[str, Any]]:
    """The program's own local executor on the same pipeline: (exit code, run log facts).

    `retries`: how many times a failed run is run again with runnable's own retry
    contract (RUNNABLE_RETRY_RUN_ID = the failed run's id), which is what a pod Argo
    retries must amount to."""
    logs, catalog = case_dir / "local-runlogs", case_dir / "local-catalog"
    (case_dir / "local.yaml").write_text(_fill(program.local_config, logs=logs, catalog=catalog, secrets=""))
    run_id = "rcc-local-" + uuid.uuid4().hex[:12]
    exe = str(venv / "bin" / program.executable)
    if program.forced_pod_logs:  # runnable 0.50: `execute PIPELINE RUN_ID`
        args = [exe, "execute", "pipeline.yaml", run_id, "-c", "local.yaml"]
    else:
        args = [exe, "execute", "-f", "pipeline.yaml", "--run-id", run_id, "-c", "local.yaml"]
    if (case_dir / "params.yaml").exists():
        args += ["-p", "params.yaml"]
    proc = subprocess.run(args, cwd=case_dir, capture_output=True, text=True,
                          env={**env_with(venv), **(extra_env or {})}, timeout=300)
    for _ in range(retries):
        if proc.returncode == 0:
            break
        proc = subprocess.run(args, cwd=case_dir, capture_output=True, text=True, timeout=300,
                              env={**env_with(venv), **(extra_env or {}), "RUNNABLE_RETRY_RUN_ID": run_id})
    folder = logs / run_id if program.forced_pod_logs else logs / f"{run_id}.json"
    return proc.returncode, read_run_log(folder)


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
