"""What a leaf (container or script template) does when the simulator starts it.

Two runners, one protocol: `DryRunner` decides the phase from `--fail` and takes output
parameters from `--output`, defaults or fixed values; `ProcessRunner` runs the
container's command and args as a local process (the image is ignored) and reads
output parameters from the files the process wrote.

Why leaves run one at a time: runnable writes map and conditional hand-offs to the
absolute path /tmp/output.txt, which in a cluster is private to each pod. Locally it is
one file, so each process runs alone and its outputs are read as soon as it exits
(and the file is removed before it starts, so a stale hand-off is never read).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Any, Protocol

from compiler.simulate.model import Template

LOG_TAIL_LINES = 20


@dataclass
class LeafCall:
    node: str  # node name without the workflow prefix
    task: str | None
    template: Template
    spec: dict[str, Any]  # the container (or script) mapping, substituted
    inputs: dict[str, str]
    attempt: int


@dataclass
class LeafResult:
    phase: str  # Succeeded, Failed or Error
    outputs: dict[str, str] = field(default_factory=dict)
    message: str = ""
    exit_code: int | None = None
    log: str = ""


class Runner(Protocol):
    def run(self, call: LeafCall) -> LeafResult: ...


def _keys(call: LeafCall) -> list[str]:
    """The names a user may call a leaf by: task, node path, runnable node name."""
    keys = [call.node]
    if call.task:
        keys.append(call.task)
    base = call.node.split("(")[0] if "(" in call.node.rsplit(".", 1)[-1] else call.node
    keys.append(base)
    if "node" in call.inputs:
        keys.append(call.inputs["node"])
    return keys


@dataclass
class DryRunner:
    """Every leaf succeeds unless `--fail` names it; outputs come from what is declared."""

    fail: list[str]
    outputs: dict[str, str]
    missing: list[str] = field(default_factory=list)

    def run(self, call: LeafCall) -> LeafResult:
        keys = _keys(call)
        failed = any(k in self.fail for k in keys)
        out: dict[str, str] = {}
        for p in call.template.outputs:
            given = next((self.outputs[f"{k}.{p.name}"] for k in keys if f"{k}.{p.name}" in self.outputs), None)
            value = given if given is not None else p.value if p.value is not None else p.default
            if value is None:
                self.missing.append(f"{call.node}.{p.name}")
                continue
            out[p.name] = value
        if failed:
            return LeafResult("Failed", out, "failed on request (--fail)", 1)
        return LeafResult("Succeeded", out, exit_code=0)


@dataclass
class ProcessRunner:
    """Runs the container's command and args in `workdir`, with its env over `base_env`."""

    workdir: str
    base_env: dict[str, str]
    timeout: float | None = None

    def run(self, call: LeafCall) -> LeafResult:
        spec = call.spec
        argv = [str(a) for a in (spec.get("command") or [])] + [str(a) for a in (spec.get("args") or [])]
        script = None
        if "source" in spec:  # a script template: Argo writes the source to a file and runs it
            fd, script = tempfile.mkstemp(prefix="rcc-sim-script-")
            with os.fdopen(fd, "w") as fh:
                fh.write(str(spec["source"]))
            argv = (argv or ["sh"]) + [script]
        if not argv:
            return LeafResult("Error", message="the container has no command: the image's entrypoint cannot run locally")
        env = dict(self.base_env)
        for e in spec.get("env") or ():
            if not isinstance(e, dict) or "name" not in e:
                continue
            if "value" in e:
                env[str(e["name"])] = "" if e["value"] is None else str(e["value"])
            elif str(e["name"]) in os.environ:  # valueFrom (secrets): taken from this process's env
                env[str(e["name"])] = os.environ[str(e["name"])]
        for p in call.template.outputs:
            if p.path and os.path.isfile(p.path):
                os.remove(p.path)
        try:
            proc = subprocess.run(argv, cwd=self.workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=self.timeout, check=False)
        except FileNotFoundError:
            return LeafResult("Error", message=f"cannot run `{argv[0]}`: not found on PATH")
        except subprocess.TimeoutExpired:
            return LeafResult("Failed", message=f"ended after {self.timeout:g} s (rcc simulate --max-time)")
        finally:
            if script:
                os.remove(script)
        log = "\n".join(proc.stdout.decode("utf-8", "replace").splitlines()[-LOG_TAIL_LINES:])
        phase = "Succeeded" if proc.returncode == 0 else "Failed"
        message = "" if phase == "Succeeded" else f"exit code {proc.returncode}"
        outputs: dict[str, str] = {}
        for p in call.template.outputs:
            if p.value is not None:
                outputs[p.name] = p.value
                continue
            try:
                with open(p.path or "", encoding="utf-8") as fh:
                    outputs[p.name] = fh.read().removesuffix("\n")  # Argo trims one newline
            except OSError:
                if p.default is not None:
                    outputs[p.name] = p.default
                elif phase == "Succeeded":
                    phase, message = "Error", f"output parameter `{p.name}`: cannot read {p.path}"
        return LeafResult(phase, outputs, message, proc.returncode, log)
