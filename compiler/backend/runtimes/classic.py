"""The pod contract runnable 0.6–0.13 and magnus 0.5 share (not a runtime: two runtimes use it).

Checked against runnable 0.13.0's `runnable/cli.py`, `utils.get_node_execution_command`,
`utils.get_fan_command` and `extensions/executor/argo/implementation.py`, and magnus
0.5.1's copies of them (the same code under another name):

- a leaf runs `PROGRAM execute_single_node RUN_ID NODE --log-level L --file PIPELINE
  [--map-variable JSON] [--config-file CONFIG] [--parameters-file PARAMS]`;
- a composite's fan-out and fan-in run `PROGRAM fan RUN_ID NODE --mode out|in --file
  PIPELINE --log-level L [--config-file CONFIG] [--parameters-file PARAMS] [--map-variable JSON]`;
- NODE is the step's internal name (`outer.branch.inner`, a map's branch steps with
  `map_variable_placeholder`, spaces written `%`);
- `--map-variable` is `json.dumps` of a flat object, each enclosing loop variable
  (outermost first) mapped to its value: `{"chunk": "3"}` (no `{"value": ...}` wrapper,
  no `loop_variable`, unlike runnable 0.50's `--iter-variable`), absent outside maps;
- a map's fan-out writes the list to iterate to /tmp/output.txt (output `iterate-on`);
- the first container gets `PREFIX<name>` = the workflow argument for each exposed
  parameter; every container (fan-out and fan-in included) gets the configuration's
  `secrets_from_k8s`; the workflow's arguments are the parameters, then `run_id`
  (`{{workflow.uid}}`), then (runnable only) `log_level` (WARNING).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, Callable, NamedTuple

from compiler.backend import settings as st
from compiler.backend.runtimes import runnable as _r050
from compiler.context import Context
from compiler.ir import Program, Unit, walk

RUN_ID = "{{workflow.parameters.run_id}}"
NODE_PARAM = "{{inputs.parameters.node}}"
OUTPUT_FILE = _r050.OUTPUT_FILE
MAP_OUTPUT = _r050.MAP_OUTPUT


@dataclass(frozen=True)
class Contract:
    """What differs between the programs that share this contract."""

    name: str
    """The runtime's name (`--runtime NAME`)."""
    program: str
    """The command in the image: `runnable` or `magnus`."""
    label: str
    """How diagnostics name the program: `runnable 0.13`, `magnus 0.5`."""
    parameter_prefix: str
    """The environment variables the program reads initial parameters from."""
    log_level: str
    """The `--log-level` argument: a workflow parameter (runnable) or a fixed level (magnus)."""
    executor_keys: frozenset[str]
    """The keys the program's ArgoExecutor model accepts (extra keys are forbidden)."""
    log_level_argument: bool
    """Whether the workflow has a `log_level` argument."""
    refused_task_keys: tuple[str, ...] = ()
    """Task keys of rcc's language the program's task models do not have (extra="forbid")."""
    task_keys_help: str = ""


def map_variable(inputs: tuple[str, ...]) -> str:
    """The `--map-variable` JSON as the program writes it (`json.dumps` of an ordered dict)."""
    return json.dumps({v: f"{{{{inputs.parameters.{v}}}}}" for v in inputs})


def command(contract: Contract, unit: Unit, program: Program) -> list[str]:
    src = program.sources
    if unit.role == "step":
        cmd = [contract.program, "execute_single_node", RUN_ID, NODE_PARAM, "--log-level", contract.log_level,
               "--file", src.pipeline_file]
        if unit.inputs:
            cmd += ["--map-variable", map_variable(unit.inputs)]
        if src.config_file:
            cmd += ["--config-file", src.config_file]
        if src.parameters_file:
            cmd += ["--parameters-file", src.parameters_file]
        return cmd
    mode = "out" if unit.role == "fan-out" else "in"
    cmd = [contract.program, "fan", RUN_ID, NODE_PARAM, "--mode", mode, "--file", src.pipeline_file,
           "--log-level", contract.log_level]
    if src.config_file:
        cmd += ["--config-file", src.config_file]
    if src.parameters_file:
        cmd += ["--parameters-file", src.parameters_file]
    if unit.inputs:
        cmd += ["--map-variable", map_variable(unit.inputs)]
    return cmd


def outputs(unit: Unit) -> list[dict[str, Any]]:
    if unit.role == "fan-out" and unit.composite_kind == "map":
        return [{"name": MAP_OUTPUT, "valueFrom": {"path": OUTPUT_FILE}}]
    return []


def env(contract: Contract, unit: Unit, exposed: list[str]) -> list[dict[str, Any]]:
    """Initial parameters on the first container only, as the program reads them back."""
    if not unit.first:
        return []
    return [{"name": f"{contract.parameter_prefix}{p}", "value": f"{{{{workflow.parameters.{p}}}}}"} for p in exposed]


def shared_secrets(unit: Unit, program: Program) -> list[dict[str, Any]]:
    """`secrets_from_k8s` on every container: the program renders them on fan pods too."""
    return st.env(program.config.workflow.get("secrets_from_k8s"))


def workflow_arguments(contract: Contract, program: Program, exposed: list[str]) -> list[dict[str, str]]:
    params = [{"name": p, "value": _r050.scalar_text(program.parameters[p])} for p in exposed]
    params.append({"name": "run_id", "value": "{{workflow.uid}}"})
    if contract.log_level_argument:
        params.append({"name": "log_level", "value": "WARNING"})
    return params


# The step kinds this contract's programs have (no conditional, no fused step).
KINDS = ("task", "stub", "parallel", "map", "success", "fail")
NO_KIND_HELP = {
    "conditional": "write the choice with task, parallel and map steps, or move the project to runnable 0.50 "
                   "(a `pipeline-executor` configuration), whose pods run conditional steps",
    "fused": "build with `--runtime native`, where a fused step's tasks run in one pod, or make them ordinary steps",
}


def check(contract: Contract, program: Program, ctx: Context) -> None:
    """What the program refuses when every pod re-reads the configuration and the pipeline.

    Its ArgoExecutor forbids unknown keys, so an rcc-only key (or a documented key this
    version dropped, such as `namespace` and `pod_gc`) in `executor.config` fails every pod;
    its task models forbid unknown keys too (stubs ignore them); it has no conditional
    and no fused step.
    """
    config, diags = program.config, ctx.diags
    written = config.executor_keys
    refused = [k for k in written if k not in contract.executor_keys]
    if refused:
        diags.error("RCC0229", f"{contract.label} re-reads this configuration in every pod and refuses "
                    f"the key{'s' if len(refused) > 1 else ''} {', '.join(f'`{k}`' for k in refused)}",
                    written[refused[0]],
                    help=f"remove {'them' if len(refused) > 1 else 'it'} from `executor.config`, or choose a runtime "
                         "that does not re-read the file (`--runtime native`); rcc's own settings belong in "
                         "`[tool.rcc]` of pyproject.toml")
    _r050.check_run_log(program, ctx)
    if "secrets" not in contract.refused_task_keys:
        _r050.check_secrets(program, ctx, how="add them to `secrets_from_k8s` in `executor.config`")
    for _, node in walk(program.graph):
        if node.kind not in KINDS:
            diags.error("RCC0250", f"{contract.label} has no {node.kind} step, so the pods cannot run `{node.name}`",
                        node.field_span("type"),
                        help=NO_KIND_HELP.get(node.kind, NO_KIND_HELP["conditional"]))
        _r050.check_step_keys(node, ctx, contract.label, contract.name)
        used = [k for k in contract.refused_task_keys if node.kind == "task" and node.spec.get(k)]
        if used:
            diags.error("RCC0234", f"step `{node.name}` uses {', '.join(f'`{k}`' for k in used)}, which "
                        f"{contract.label}'s tasks do not have: every pod re-reading the pipeline refuses it",
                        node.field_span(used[0]), help=contract.task_keys_help)


def prepare(program: Program, generate_name: str) -> Program:
    """The program's own workflow name when the configuration sets none (`name:`)."""
    wf = program.config.workflow
    if wf.get("generate_name"):
        return program
    return replace(program, config=replace(program.config, workflow={**wf, "generate_name": generate_name}))


def any_step_sets_parameters(program: Program) -> None:
    """None: under magnus (0.4 and 0.5) a python task's returned model and a shell task's
    exported MAGNUS_PRM_x set any parameter (magnus' tasks.py `_set_parameters`), so where a
    map's or conditional's parameter comes from cannot be known at compile time."""
    return None


def no_secret_env(unit: Unit, program: Program) -> list[dict[str, Any]]:
    """A task's `secrets` are read by the program's secrets handler (runnable's, magnus'), not given per step."""
    return []


def no_extra_inputs(unit: Unit) -> list[str]:
    """The programs of this contract take no inputs but `node` and the loop variables."""
    return []


def no_task_arguments(task, dag: Unit, names: dict[str, str]) -> list[dict[str, str]]:
    """Values travel through the program's run log, never as Argo task arguments."""
    return []


class Bound(NamedTuple):
    """The runtime interface's functions for one program of this contract."""

    check: Callable
    prepare: Callable
    command: Callable
    env: Callable
    secret_env: Callable
    shared_secrets: Callable
    outputs: Callable
    extra_inputs: Callable
    task_arguments: Callable
    workflow_arguments: Callable


def bind(contract: Contract, generate_name: str) -> Bound:
    """The interface functions of a runtime that follows this contract, for its module to export.

    Why one place: runnable 0.13 and magnus 0.5 differ only in their `Contract` and default
    workflow name, so their modules hold those facts and take every function from here.
    """

    def check_(program: Program, ctx: Context) -> None:
        check(contract, program, ctx)

    def prepare_(program: Program, ctx: Context) -> Program:
        return prepare(program, generate_name)

    def command_(unit: Unit, program: Program) -> list[str]:
        return command(contract, unit, program)

    def env_(unit: Unit, program: Program, exposed: list[str]) -> list[dict[str, Any]]:
        return env(contract, unit, exposed)

    def workflow_arguments_(program: Program, exposed: list[str]) -> list[dict[str, str]]:
        return workflow_arguments(contract, program, exposed)

    return Bound(check_, prepare_, command_, env_, no_secret_env, shared_secrets, outputs, no_extra_inputs,
                 no_task_arguments, workflow_arguments_)
