"""rcc's manifests keep the pod contract of the manifests the programs write themselves.

Two references: the manifest the seed runnable-executor-concepts.txt shows (what the
documented runnable generated), and the manifest runnable 0.13 and magnus 0.5 write
when their own `execute` runs with the Argo executor. A container's contract is what
its program sees: the resolved command (the step's node name in place of rcc's shared
`{{inputs.parameters.node}}`, workflow arguments substituted), its environment
variable names, its volume mounts and its deadlines; the workflow's contract is its
arguments, volumes, deadline, pod GC and service account. Template names, the DAG's
shape and rcc's own `WORKFLOW_ID` (argo-kedro's and CloudHarness' variable) are not
part of it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "simulate"))
import sim_fidelity as fidelity  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "runnable-executor-concepts.txt"
GOLDEN = ROOT / "golden" / "build"
RCC_ONLY_ENV = {"WORKFLOW_ID"}
_ARG = re.compile(r"\{\{workflow\.parameters\.([A-Za-z0-9_-]+)\}\}")


def _yaml(text: str):
    return YAML(typ="safe").load(text)


def _arguments(manifest: dict) -> dict[str, str]:
    return {p["name"]: str(p.get("value", "")) for p in (manifest["spec"].get("arguments") or {}).get("parameters", [])}


def _resolve(text: str, arguments: dict[str, str]) -> str:
    """Workflow arguments substituted, except run_id (both sides pass Argo's uid through it)."""
    return _ARG.sub(lambda m: m.group(0) if m.group(1) == "run_id" else arguments.get(m.group(1), m.group(0)), text)


def _container_contract(template: dict, defaults: dict, arguments: dict, node: str | None = None) -> tuple:
    c = template["container"]
    command = tuple(_resolve(node if a == "{{inputs.parameters.node}}" and node else str(a), arguments)
                    for a in c["command"])
    env = tuple(sorted(e["name"] for e in c.get("env") or () if e["name"] not in RCC_ONLY_ENV))
    mounts = tuple(sorted((m["name"], m["mountPath"]) for m in c.get("volumeMounts") or ()))
    deadline = template.get("activeDeadlineSeconds", defaults.get("activeDeadlineSeconds"))
    timeout = template.get("timeout", defaults.get("timeout"))
    return command, env, mounts, c["image"], c.get("imagePullPolicy") or "", deadline, timeout


def program_contracts(manifest: dict) -> Counter:
    """The programs draw one container template per node (the node's name is in its command)."""
    defaults, arguments = manifest["spec"].get("templateDefaults") or {}, _arguments(manifest)
    return Counter(_container_contract(t, defaults, arguments) for t in manifest["spec"]["templates"] if "container" in t)


def rcc_contracts(manifest: dict) -> Counter:
    """rcc's leaves are shared templates: one contract per DAG task, with its `node` argument."""
    spec = manifest["spec"]
    defaults, arguments = spec.get("templateDefaults") or {}, _arguments(manifest)
    by_name = {t["name"]: t for t in spec["templates"]}
    out: Counter = Counter()
    for t in spec["templates"]:
        for task in (t.get("dag") or {}).get("tasks", ()):
            leaf = by_name[task["template"]]
            if "container" not in leaf:
                continue
            node = next(p["value"] for p in task["arguments"]["parameters"] if p["name"] == "node")
            out[_container_contract(leaf, defaults, arguments, node)] += 1
    return out


def workflow_contract(manifest: dict) -> dict:
    spec = manifest["spec"]
    return {
        "arguments": sorted(_arguments(manifest).items()),
        "volumes": sorted((v["name"], v["persistentVolumeClaim"]["claimName"]) for v in spec.get("volumes") or ()),
        "activeDeadlineSeconds": spec.get("activeDeadlineSeconds"),
        "podGC": spec.get("podGC"),
        "serviceAccountName": spec.get("serviceAccountName"),
    }


def _build(cwd: Path, pipeline: str, config: str, *extra: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "build", pipeline, "-c", config, "-o", "-",
                           "--color", "never", *extra], cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return _yaml(proc.stdout)


def _without_fail_steps(contracts: Counter) -> Counter:
    """rcc sends a failing step to its branch's `fail` step (runnable's rule at run time);
    the programs draw no template for `fail`, whose pod they run inside the failed step's."""
    return Counter({k: n for k, n in contracts.items() if not k[0][3].split(".")[-1] == "fail"})


def test_the_seeds_own_manifest_is_reproduced_in_contract(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    start = text.index("apiVersion: argoproj.io/v1alpha1")
    end = text.index("\nAs seen from the above example")
    seed = _yaml(text[start:end])
    # The seed's example: examples/concepts/task_shell_simple.yaml with examples/configs/argo-config.yaml.
    (tmp_path / ".git").mkdir()
    (tmp_path / "examples" / "concepts").mkdir(parents=True)
    (tmp_path / "examples" / "configs").mkdir(parents=True)
    (tmp_path / "examples" / "concepts" / "task_shell_simple.yaml").write_text(
        "dag:\n  start_at: shell\n  steps:\n"
        "    shell: {type: task, command_type: shell, command: echo hello world, next: success}\n"
        "    success: {type: success}\n    fail: {type: fail}\n")
    (tmp_path / "examples" / "configs" / "argo-config.yaml").write_text(
        "executor:\n  type: argo\n  config:\n    image: runnable:demo\n    service_account_name: default-editor\n"
        "    persistent_volumes:\n      - name: runnable-volume\n        mount_path: /mnt\n"
        "run_log_store:\n  type: chunked-fs\n  config:\n    log_folder: /mnt/run_log_store\n")
    ours = _build(tmp_path, "examples/concepts/task_shell_simple.yaml", "examples/configs/argo-config.yaml")
    assert ours["metadata"]["annotations"]["rcc.dev/runtime"] == "runnable-0.13 0.13.0"
    assert _without_fail_steps(rcc_contracts(ours)) == program_contracts(seed)
    expected = workflow_contract(seed)
    actual = workflow_contract(ours)
    # runnable 0.13 adds the `log_level` argument the seed's older version lacked (its commands
    # read `--log-level WARNING` literally; rcc's resolve to the same).
    assert actual.pop("arguments") == sorted(expected.pop("arguments") + [("log_level", "WARNING")])
    assert actual == expected


@pytest.mark.parametrize("runtime,case", [("runnable-0.13", "runtime-runnable013"), ("magnus", "runtime-magnus05")])
def test_the_programs_own_manifest_is_reproduced_in_contract(runtime, case, tmp_path):
    program = {"runnable-0.13": fidelity.RUNNABLE_013, "magnus": fidelity.MAGNUS_05}[runtime]
    program.require()
    work = tmp_path / case
    shutil.copytree(GOLDEN / case, work)
    ours = _build(work, "pipeline.yaml", "argo-config.yaml", *(work / "args").read_text().split())
    # The program's own translation: `execute` with the Argo executor writes argo-pipeline.yaml.
    exe = program.venv() / "bin" / program.executable
    proc = subprocess.run([str(exe), "execute", "-f", "pipeline.yaml", "-c", "argo-config.yaml",
                           "-p", "parameters.yaml"], cwd=work, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    theirs = _yaml((work / "argo-pipeline.yaml").read_text())
    assert _without_fail_steps(rcc_contracts(ours)) == program_contracts(theirs)
    expected, actual = workflow_contract(theirs), workflow_contract(ours)
    # The programs' pod GC is not configurable (runnable 0.13: OnPodSuccess after 600 s, magnus 0.5:
    # OnPodCompletion); rcc keeps the documented dialect's `pod_gc` default, OnPodCompletion.
    expected.pop("podGC"), actual.pop("podGC")
    # Argument values: the programs write the parameter as YAML (3, [..]); Argo reads strings.
    assert [n for n, _ in actual.pop("arguments")] == [n for n, _ in expected.pop("arguments")]
    assert actual == expected
