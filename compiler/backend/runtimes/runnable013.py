"""The runnable 0.6–0.13 runtime: the documented dialect's pods run `runnable execute_single_node`.

The contract (commands, `--map-variable`, `RUNNABLE_PRM_*`, secrets on every container)
is `classic.py`'s, checked against runnable 0.13.0's source and `--help`; the seed
runnable-executor-concepts.txt shows the same command in the manifest that version
generated. What this module adds is runnable's names: the program `runnable`, the
`RUNNABLE_PRM_` prefix, `--log-level {{workflow.parameters.log_level}}` with a
`log_level` workflow argument (WARNING), and the keys its ArgoExecutor accepts.
"""

from __future__ import annotations

from typing import Any

from compiler.backend.runtimes import classic
from compiler.context import Context
from compiler.ir import Program, Unit

NAME = "runnable-0.13"
VERSION = "0.13.0"
PODS_READ_PARAMETERS_FILE = True  # every pod is given --parameters-file
RESERVED_INPUTS = ("node",)  # every leaf template's qualified step name
RESERVED_PREFIXES: tuple[str, ...] = ()


def parameters_at_start(program: Program) -> frozenset[str]:
    """As runnable 0.50: a python task's return value reaches the run log only through
    `returns` (runnable 0.13's tasks.py), and the first pod reads RUNNABLE_PRM_* too."""
    from compiler.backend.runtimes import runnable

    return runnable.parameters_at_start(program)

CONTRACT = classic.Contract(
    name=NAME, program="runnable", label="runnable 0.13", parameter_prefix="RUNNABLE_PRM_",
    log_level="{{workflow.parameters.log_level}}", log_level_argument=True,
    # sorted(ArgoExecutor.model_fields) of runnable 0.13.0 (extra="forbid")
    executor_keys=frozenset((
        "annotations", "expose_parameters_as_inputs", "image", "image_pull_policy", "labels",
        "max_step_duration_in_seconds", "max_workflow_duration_in_seconds", "name", "node_selector", "output_file",
        "overrides", "parallelism", "persistent_volumes", "resources", "retry_strategy", "secrets_from_k8s",
        "service_account_name", "service_name", "service_type", "tolerations",
    )),
)
GENERATE_NAME = "runnable-dag-"


def check(program: Program, ctx: Context) -> None:
    classic.check(CONTRACT, program, ctx)


def prepare(program: Program, ctx: Context) -> Program:
    return classic.prepare(program, GENERATE_NAME)


def command(unit: Unit, program: Program) -> list[str]:
    return classic.command(CONTRACT, unit, program)


def env(unit: Unit, program: Program, exposed: list[str]) -> list[dict[str, Any]]:
    return classic.env(CONTRACT, unit, exposed)


def secret_env(unit: Unit, program: Program) -> list[dict[str, Any]]:
    """A task's `secrets` are read by runnable's secrets handler, not given per step."""
    return []


shared_secrets = classic.shared_secrets
outputs = classic.outputs


def extra_inputs(unit: Unit) -> list[str]:
    return []


def task_arguments(task, dag: Unit, names: dict[str, str]) -> list[dict[str, str]]:
    return []


def workflow_arguments(program: Program, exposed: list[str]) -> list[dict[str, str]]:
    return classic.workflow_arguments(CONTRACT, program, exposed)
