"""The runnable 0.6–0.13 runtime: the documented dialect's pods run `runnable execute_single_node`.

The contract (commands, `--map-variable`, `RUNNABLE_PRM_*`, secrets on every container)
is `classic.py`'s, checked against runnable 0.13.0's source and `--help`; the seed
runnable-executor-concepts.txt shows the same command in the manifest that version
generated. What this module adds is runnable's names: the program `runnable`, the
`RUNNABLE_PRM_` prefix, `--log-level {{workflow.parameters.log_level}}` with a
`log_level` workflow argument (WARNING), and the keys its ArgoExecutor accepts.
"""

from __future__ import annotations

from compiler.backend.runtimes import classic
from compiler.ir import Program

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

(check, prepare, command, env, secret_env, shared_secrets, outputs, extra_inputs, task_arguments,
 workflow_arguments) = classic.bind(CONTRACT, GENERATE_NAME)
