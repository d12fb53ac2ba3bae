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

from compiler.backend.runtimes import classic

NAME = "magnus"
VERSION = "0.5.1"
PODS_READ_PARAMETERS_FILE = True  # every pod is given --parameters-file
RESERVED_INPUTS = ("node",)  # every leaf template's qualified step name
RESERVED_PREFIXES: tuple[str, ...] = ()

parameters_at_start = classic.any_step_sets_parameters

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

(check, prepare, command, env, secret_env, shared_secrets, outputs, extra_inputs, task_arguments,
 workflow_arguments) = classic.bind(CONTRACT, GENERATE_NAME)
