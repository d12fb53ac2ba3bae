"""The magnus 0.4 runtime: magnus 0.4.x with magnus-extensions' Argo executor (seed magnus-argo-extension.txt).

Checked against magnus 0.4.9's `magnus/cli.py`, `pipeline.py`, `utils.py` and
magnus-extensions 0.2.2's `executor/argo/implementation.py`:

- every step runs `magnus execute_single_node RUN_ID NODE --log-level WARNING --file
  PIPELINE [--config-file CONFIG] [--parameters-file PARAMS]` (the level magnus ran at
  when it wrote the manifest; there is no `log_level` argument and no `fan` command);
- the first step gets `MAGNUS_PRM_<name>` for each parameter; the workflow's arguments
  are the parameters, then `run_id` = `{{workflow.uid}}`;
- `secrets_from_k8s` is a mapping `EnvVar: SecretName:Key`; a step's
  `mode_config.argo.secrets_from_k8s` replaces the configuration's (magnus merges the
  step's mode_config over the executor config key by key, and this key is one value);
- the pods re-read the configuration from its `mode:` section only (`executor:` is
  ignored, so the pod runs magnus' local executor and finds no run log), and the
  executor's model parses `secrets_from_k8s` as a mapping (a list fails every pod);
- magnus 0.4 has no `stub` node (its do-nothing step is `as-is`, which rcc's language
  does not have), so stubs are refused too;
- the extension renders tasks, stubs, success and fail only: it raises
  NotImplementedError for parallel, map and dag steps, and never renders `on_failure`.
  rcc refuses composites; `on_failure` runs (each pod executes the node it is given,
  whatever the extension would have drawn), as tests/runtimes proves against a local run.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compiler.backend import settings as st
from compiler.backend.runtimes import classic
from compiler.backend.runtimes import runnable as _r050
from compiler.context import Context
from compiler.ir import Graph, Node, Program, Unit, map_graph, walk

NAME = "magnus-0.4"
VERSION = "0.4.9 magnus-extensions 0.2.2"
PODS_READ_PARAMETERS_FILE = True  # every pod is given --parameters-file
RESERVED_INPUTS = ("node",)  # every leaf template's qualified step name
RESERVED_PREFIXES: tuple[str, ...] = ()


parameters_at_start = classic.any_step_sets_parameters

PROGRAM = "magnus"
LOG_LEVEL = "WARNING"
PARAMETER_PREFIX = "MAGNUS_PRM_"
OWN_SECRETS = "magnus_own_secrets"
"""Step setting: the step's mode_config names its own secrets, which replace the configuration's."""
KINDS = ("task", "success", "fail")
COMPOSITES = ("parallel", "map", "conditional", "fused")


def _step_secrets(node: Node) -> Any:
    return ((node.requests.get("mode_config") or {}).get("argo") or {}).get("secrets_from_k8s")


def check(program: Program, ctx: Context) -> None:
    """What magnus 0.4's pods refuse, and the step kinds its Argo extension cannot draw."""
    config, diags = program.config, ctx.diags
    if config.dialect == "magnus" and config.section == "executor":
        diags.error("RCC0253", "magnus 0.4 reads its executor from `mode:`, and every pod re-reads this configuration: "
                    "under `executor:` the pods would run magnus' local executor and find no run log", config.span,
                    help="rename the section `mode:` (the seed's own design guidelines write it so)")
    if config.workflow.get("secrets_listed"):
        diags.error("RCC0254", "magnus 0.4 parses `secrets_from_k8s` as a mapping, so a list of `EnvVar=SecretName:Key` "
                    "fails every pod", config.executor_keys.get("secrets_from_k8s", config.span),
                    help="write it as a mapping: `secrets_from_k8s: {DB_PASSWORD: etl-secrets:db-password}`")
    _r050.check_run_log(program, ctx)
    for _, node in walk(program.graph):
        if node.kind == "stub":
            diags.error("RCC0250", f"magnus 0.4 has no stub step (its core node types are task, success, fail, "
                        f"parallel, dag, map and as-is), so the pods cannot run `{node.name}`", node.field_span("type"),
                        help="write a task that does nothing (`command_type: shell`, `command: \"true\"`)")
        elif node.kind not in KINDS:
            diags.error("RCC0251", f"magnus-extensions' Argo executor does not implement {node.kind} steps, so "
                        f"magnus 0.4 cannot run `{node.name}`", node.field_span("type"),
                        help="the seed says parallel, map and dag are not implemented there: build with "
                             "`--runtime magnus` (magnus 0.5 has them) or `--runtime native`, or write the "
                             "branches as a sequence of tasks")
        if isinstance(_step_secrets(node), list):
            diags.error("RCC0254", f"step `{node.name}`: magnus 0.4 parses `mode_config.argo.secrets_from_k8s` as a "
                        "mapping, so a list fails the step's pod", node.field_span("mode_config"),
                        help="write it as a mapping: `secrets_from_k8s: {DB_PASSWORD: etl-secrets:db-password}`")


def prepare(program: Program, ctx: Context) -> Program:
    """Steps whose mode_config names secrets are marked, so they never share a template with others."""
    def mark(node: Node, graph: Graph) -> Node:
        if node.is_composite or _step_secrets(node) is None:
            return node
        return replace(node, settings={**(node.settings or {}), OWN_SECRETS: True})

    return replace(program, graph=map_graph(program.graph, mark))


def command(unit: Unit, program: Program) -> list[str]:
    src = program.sources
    cmd = [PROGRAM, "execute_single_node", classic.RUN_ID, classic.NODE_PARAM, "--log-level", LOG_LEVEL,
           "--file", src.pipeline_file]
    if src.config_file:
        cmd += ["--config-file", src.config_file]
    if src.parameters_file:
        cmd += ["--parameters-file", src.parameters_file]
    return cmd


def env(unit: Unit, program: Program, exposed: list[str]) -> list[dict[str, Any]]:
    if not unit.first:
        return []
    return [{"name": f"{PARAMETER_PREFIX}{p}", "value": f"{{{{workflow.parameters.{p}}}}}"} for p in exposed]


secret_env = classic.no_secret_env


def shared_secrets(unit: Unit, program: Program) -> list[dict[str, Any]]:
    """The configuration's secrets, unless the step's mode_config names its own (which replace them)."""
    if unit.settings.get(OWN_SECRETS):
        return []
    return st.env(program.config.workflow.get("secrets_from_k8s"))


def outputs(unit: Unit) -> list[dict[str, Any]]:
    return []


extra_inputs = classic.no_extra_inputs
task_arguments = classic.no_task_arguments


def workflow_arguments(program: Program, exposed: list[str]) -> list[dict[str, str]]:
    params = [{"name": p, "value": _r050.scalar_text(program.parameters[p])} for p in exposed]
    return params + [{"name": "run_id", "value": "{{workflow.uid}}"}]
