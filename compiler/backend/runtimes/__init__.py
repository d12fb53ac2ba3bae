"""Runtimes: how a step runs inside its pod, one module per program that can run the pods.

A runtime module is the backend's whole knowledge of one program (runnable 0.50, the
native command, ...). Each module exports the same names, so `emit` and the passes never
name one (tests/backend/test_runtimes.py checks every module against `INTERFACE`):

- `NAME`, `VERSION`: how `--runtime` names it, and the program version whose source and
  `--help` the contract was checked against (recorded in the manifest's annotations).
- `check(program, ctx)`: what the program would refuse when its pods run, reported now
  (after overrides are resolved); `prepare(program, ctx) -> program`: per-step facts the
  runtime needs at emit time (a native step's command, ...).
- `parameters_at_start(program)`: the parameter names every step can read before the
  first one runs, or None when the program lets any step set any parameter (magnus);
  `check_parameters` judges a map's `iterate_on` and a conditional's `parameter` by it.
- `command(unit, program)`, `env(unit, program, exposed)`, `secret_env(unit, program)`,
  `outputs(unit)`, `extra_inputs(unit)`, `task_arguments(task, dag, names)`,
  `workflow_arguments(program, exposed)`: the pieces of the manifest that depend on the
  program inside the container.
- `RESERVED_INPUTS`, `RESERVED_PREFIXES`: the input parameter names (and prefixes) this
  runtime gives templates besides loop variables; a map's `iterate_as` may not take one
  (`check_parameters` refuses it at its position).
- `PODS_READ_PARAMETERS_FILE`: whether every pod is given the parameters file (so a value
  Argo would resolve can stay out of the workflow arguments) or every initial parameter
  must be a workflow argument (`check_parameters` then refuses such a value, RCC0130).
- `shared_secrets(unit, program)`: the configuration's `secrets_from_k8s` as this program
  places them (runnable 0.50 and native: on steps; runnable 0.6-0.13 and magnus 0.5: on
  every container, fan-out and fan-in included; magnus 0.4: on steps without their own).

`RUNTIMES` below is the one place that lists them; the `choose_backend` pass writes the
chosen name into `Config.workflow["runtime"]`, by default `default_for(program)`: the
runtime whose program reads the configuration's dialect.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# name -> module (under compiler.backend.runtimes); the order is the order of `--help`.
RUNTIMES = {
    "runnable": "runnable",          # runnable 0.50 (`pipeline-executor`)
    "runnable-0.13": "runnable013",  # runnable 0.6-0.13 (the documented `executor:` dialect)
    "magnus": "magnus05",            # magnus 0.5 (the documented dialect's keys; never a default)
    "magnus-0.4": "magnus04",        # magnus 0.4 + magnus-extensions (`docker_image`, `mode_config`)
    "native": "native",              # no framework in the image
    "kedro": "kedro",                # a kedro project's node (argo-kedro's pods; argo.yml)
}
NAMES = tuple(RUNTIMES)
DEFAULT = "runnable"

INTERFACE = (
    "NAME", "VERSION", "check", "prepare", "command", "env", "secret_env", "outputs",
    "extra_inputs", "task_arguments", "workflow_arguments", "shared_secrets", "parameters_at_start",
    "RESERVED_INPUTS", "RESERVED_PREFIXES", "PODS_READ_PARAMETERS_FILE",
)

# The runtime whose program reads each configuration dialect (compiler/config.py's `dialect`).
DIALECT_DEFAULTS = {"runnable-0.50": "runnable", "documented": "runnable-0.13", "magnus": "magnus-0.4",
                    "argo-kedro": "kedro"}
# Keys of CloudHarness that no runnable or magnus program knows: their pods run natively.
NATIVE_KEYS = ("shared_directory", "pod_context", "on_exit_notify", "ttl_strategy")
NATIVE_STEP_KEYS = ("image", "env")


def get(name: str) -> ModuleType:
    """The runtime module called `name` (one of NAMES)."""
    return importlib.import_module(f"compiler.backend.runtimes.{RUNTIMES[name]}")


def default_for(program) -> str:
    """The runtime a program gets when nothing names one: the one whose program reads its files.

    CloudHarness' keys, or a step with its own `image` or `env`, mean the pods cannot
    run runnable or magnus (those programs would refuse the keys when they re-read the
    files), so such pipelines run natively; otherwise the configuration's dialect says
    which program wrote it.
    """
    from compiler.ir import walk

    wf, written = program.config.workflow, program.config.executor_keys
    if any(k in wf or k in written for k in NATIVE_KEYS):
        return "native"
    if any(node.requests.get(k) for _, node in walk(program.graph) for k in NATIVE_STEP_KEYS):
        return "native"
    return DIALECT_DEFAULTS.get(program.config.dialect, DEFAULT)


def pick(program) -> ModuleType:
    """The runtime `choose_backend` settled for this program."""
    return get(program.config.workflow.get("runtime") or DEFAULT)
