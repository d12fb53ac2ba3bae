"""Runtimes: how a step runs inside its pod, one module per program that can run the pods.

A runtime module is the backend's whole knowledge of one program (runnable 0.50, the
native command, ...). Each module exports the same names, so `emit` and the passes never
name one (tests/backend/test_runtimes.py checks every module against `INTERFACE`):

- `NAME`, `VERSION`: how `--runtime` names it, and the program version whose source and
  `--help` the contract was checked against (recorded in the manifest's annotations).
- `check(program, ctx)`: what the program would refuse when its pods run, reported now
  (after overrides are resolved); `prepare(program, ctx) -> program`: per-step facts the
  runtime needs at emit time (a native step's command, ...).
- `command(unit, program)`, `env(unit, program, exposed)`, `secret_env(unit, program)`,
  `outputs(unit)`, `extra_inputs(unit)`, `task_arguments(task, dag, names)`,
  `workflow_arguments(program, exposed)`: the pieces of the manifest that depend on the
  program inside the container.

`RUNTIMES` below is the one place that lists them; the `choose_backend` pass writes the
chosen name into `Config.workflow["runtime"]`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# name -> module (under compiler.backend.runtimes); the order is the order of `--help`.
RUNTIMES = {
    "runnable": "runnable",
    "native": "native",
}
NAMES = tuple(RUNTIMES)
DEFAULT = "runnable"

INTERFACE = (
    "NAME", "VERSION", "check", "prepare", "command", "env", "secret_env", "outputs",
    "extra_inputs", "task_arguments", "workflow_arguments",
)


def get(name: str) -> ModuleType:
    """The runtime module called `name` (one of NAMES)."""
    return importlib.import_module(f"compiler.backend.runtimes.{RUNTIMES[name]}")


def pick(program) -> ModuleType:
    """The runtime `choose_backend` settled for this program."""
    return get(program.config.workflow.get("runtime") or DEFAULT)
