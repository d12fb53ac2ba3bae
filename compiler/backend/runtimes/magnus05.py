"""The magnus 0.5 runtime: pods run `magnus execute_single_node` (chosen with `--runtime magnus`).

magnus 0.5.1 is runnable 0.13 under its earlier name, so its configuration keys are the
documented dialect's and its contract is `classic.py`'s; checked against magnus 0.5.1's
`magnus/cli.py`, `utils.py` and `extensions/executor/argo/implementation.py`. What
differs: the program `magnus`, the `MAGNUS_PRM_` prefix, a fixed `--log-level WARNING`
(magnus writes the level it ran at; it has no `log_level` workflow argument), workflows
named `magnus-dag-` unless the configuration names them, and `enable_parallel` among
the executor's keys, and tasks without `returns` or `secrets` (its task models have
neither). Nothing in the files says "magnus 0.5", so it is never the default.
"""

from __future__ import annotations

from typing import Any

from compiler.backend.runtimes import classic
from compiler.context import Context
from compiler.ir import Program, Unit

NAME = "magnus"
VERSION = "0.5.1"
PODS_READ_PARAMETERS_FILE = True  # every pod is given --parameters-file
RESERVED_INPUTS = ("node",)  # every leaf template's qualified step name
RESERVED_PREFIXES: tuple[str, ...] = ()


def parameters_at_start(program: Program) -> None:
    """None: under magnus a python task's returned model and a shell task's exported
    MAGNUS_PRM_x set any parameter (magnus' tasks.py `_set_parameters`), so where a map's
    or conditional's parameter comes from cannot be known at compile time."""
    return None

CONTRACT = classic.Contract(
    name=NAME, program="magnus", label="magnus 0.5", parameter_prefix="MAGNUS_PRM_",
    log_level="WARNING", log_level_argument=False,
    # magnus 0.5.1's ShellTaskType / PythonTaskType: command, node_name, task_type only.
    refused_task_keys=("returns", "secrets"),
    task_keys_help="in magnus 0.5 a python task's parameters are the fields of the pydantic model it returns, "
                   "and a shell task's are its `export MAGNUS_PRM_name=...`; secrets come from the configuration's "
                   "`secrets` service: remove the key",
    # sorted(ArgoExecutor.model_fields) of magnus 0.5.1 (extra="forbid")
    executor_keys=frozenset((
        "annotations", "enable_parallel", "expose_parameters_as_inputs", "image", "image_pull_policy", "labels",
        "max_step_duration_in_seconds", "max_workflow_duration_in_seconds", "name", "node_selector", "output_file",
        "overrides", "parallelism", "persistent_volumes", "resources", "retry_strategy", "secrets_from_k8s",
        "service_account_name", "service_name", "service_type", "tolerations",
    )),
)
GENERATE_NAME = "magnus-dag-"


def check(program: Program, ctx: Context) -> None:
    classic.check(CONTRACT, program, ctx)


def prepare(program: Program, ctx: Context) -> Program:
    return classic.prepare(program, GENERATE_NAME)


def command(unit: Unit, program: Program) -> list[str]:
    return classic.command(CONTRACT, unit, program)


def env(unit: Unit, program: Program, exposed: list[str]) -> list[dict[str, Any]]:
    return classic.env(CONTRACT, unit, exposed)


def secret_env(unit: Unit, program: Program) -> list[dict[str, Any]]:
    """A task's `secrets` are read by magnus' secrets handler, not given per step."""
    return []


shared_secrets = classic.shared_secrets
outputs = classic.outputs


def extra_inputs(unit: Unit) -> list[str]:
    return []


def task_arguments(task, dag: Unit, names: dict[str, str]) -> list[dict[str, str]]:
    return []


def workflow_arguments(program: Program, exposed: list[str]) -> list[dict[str, str]]:
    return classic.workflow_arguments(CONTRACT, program, exposed)
