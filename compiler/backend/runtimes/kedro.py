"""The kedro runtime: each pod runs one node of the kedro project, as argo-kedro's pods do.

Facts of argo-kedro 0.1.41's contract (its `templates/argo_wf_spec.tmpl` and CLI, checked
by tests/kedro against `kedro argo submit --dry_run`): a node's pod runs `kedro run
--pipeline P --nodes N --env E` in the image `deployment.image:tag`, with `WORKFLOW_ID`
(the workflow's name), `NUM_CPU` and `MEM_LIMIT_GB`, the `environment` entries and one
UPPER-cased variable per init-template output; its machine type gives requests = limits
(memory in Gi, cpu, nvidia.com/gpu), the GPU toleration when it has GPUs, and an
ephemeral scratch volume of `emph_storage` GiB at `emph_storage_mount_path`. A fused step
is one pod and one kedro session: `--nodes` names the fused group as kedro knows it
(argo-kedro's FusedPipeline name, the step's `command`, which a fused kedro step must
have: argo-kedro's `kedro run` takes one name per `--nodes` and a FusedPipeline's inner
nodes are not nodes of the registered pipeline, so `--nodes a,b` would run nothing).

Like argo-kedro's template, every kedro pod receives `pipeline`, `environment` and
`kedro_nodes` as input parameters, so a custom template's script can use them. They
come from the workflow parameters `pipeline` and `environment` (argo-kedro's defaults
`__default__` and `cloud`; the initial parameters file or `argo submit -p` sets them).

Where rcc departs from argo-kedro, it is to fix it (tests/kedro/test_argo_kedro_compare.py
names each one): the GPU toleration is on the pod (argo-kedro writes a DAG task's
`podSpecPatch`, which Argo does not have), each init output is read by its own name
(argo-kedro reads `mlflow_run_id` whatever the name), and custom-template pods keep
NUM_CPU and MEM_LIMIT_GB. Steps that are not kedro nodes (success, fail, stubs, the
fan-out and fan-in of a parallel step) run `sh -c` and request no machine.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compiler.backend.runtimes import native as _native
from compiler.backend.runtimes import runnable as _runnable
from compiler.context import Context
from compiler.ir import Graph, Node, Program, Task, Unit, map_graph, walk

NAME = "kedro"
VERSION = "argo-kedro 0.1.41"
PODS_READ_PARAMETERS_FILE = False  # every initial parameter is a workflow argument


def parameters_at_start(program: Program) -> frozenset[str]:
    """Only the initial parameters: kedro nodes exchange data through kedro's catalog,
    never through rcc's parameters (and the kedro runtime runs no map or conditional)."""
    return frozenset(program.parameters)
"""The contract is argo-kedro's (checked with kedro 1.7.0 in the pods)."""

INPUTS = ("pipeline", "environment", "kedro_nodes")
"""Input parameters of every kedro pod, as argo-kedro's templates declare them."""
TEMPLATE_INPUTS = ("node",) + INPUTS
"""What a custom template's text may read as `{{inputs.parameters.NAME}}`."""
PARAMETERS = {"pipeline": "__default__", "environment": "cloud"}
"""Workflow parameters and their defaults (those of `kedro argo submit`)."""
GPU_TOLERATION = {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}
SCRATCH = "scratch"
DEFAULT_MOUNT = "/data"


def is_kedro(node: Node) -> bool:
    """A step that runs kedro: a kedro task, or a fused step of kedro tasks."""
    if node.kind == "task":
        return node.spec.get("command_type") == "kedro"
    if node.kind == "fused":
        return bool(node.spec.get("command")) or any(is_kedro(n) for n in node.branches[0].nodes)
    return False


def kedro_nodes(node: Node) -> str:
    """The `--nodes` value of a kedro step: its node, or the fused group's name (`check`
    refuses a fused kedro step without one, RCC0275)."""
    return str(node.spec["command"])


def unsupported(node: Node) -> str | None:
    """Why the kedro runtime cannot run this step, or None."""
    if node.kind in ("map", "conditional"):
        return f"a {node.kind} step chooses what to run from run-time parameters, which kedro's pods do not pass on"
    if node.kind == "task" and node.spec.get("command_type") in ("python", "notebook"):
        return (f"a {node.spec.get('command_type')} task is not a kedro node: kedro reads a node's inputs from its "
                "catalog, so name the node (`command_type: kedro`, `command: NODE`)")
    if node.kind == "fused":
        for inner in node.branches[0].nodes:
            if inner.kind not in ("task", "stub", "success", "fail"):
                return f"a fused branch may hold only tasks; `{inner.name}` is a {inner.kind}"
            if inner.kind == "task" and inner.spec.get("command_type") != "kedro":
                return f"a fused step is one kedro session; `{inner.name}` is not a kedro node"
            if inner.on_failure:
                return f"a fused step is one kedro session and cannot branch on failure (`{inner.name}` sets on_failure)"
    return None


def check(program: Program, ctx: Context) -> None:
    """Steps the kedro runtime cannot run, and initial parameters kedro would never see."""
    inside = {id(n) for _, f in walk(program.graph) if f.kind == "fused" for n in f.branches[0].nodes}
    for _, node in walk(program.graph):
        reason = unsupported(node)
        if reason and id(node) not in inside:
            ctx.diags.error("RCC0270", f"the kedro runtime cannot run step `{node.name}`: {reason}",
                            node.field_span("type"),
                            help="make it a kedro node, a shell task or a parallel step, or build with another runtime")
    for _, node in walk(program.graph):
        if node.kind == "fused" and is_kedro(node) and not node.spec.get("command") and id(node) not in inside:
            names = [str(n.spec["command"]) for n in _native._in_order(node.branches[0]) if n.kind == "task"]
            ctx.diags.error("RCC0275", f"fused step `{node.name}` names no kedro node: argo-kedro's `kedro run "
                            f"--nodes` takes one name per flag, so `{','.join(names)}` would name no node",
                            node.field_span("type"),
                            help=f"wrap the nodes in argo-kedro's `FusedPipeline([...], name=\"{node.name}\")` in "
                                 f"the project and write `command: {node.name}` (`rcc import kedro` writes it for you)")
    for name in program.parameters:
        if name not in PARAMETERS:
            ctx.diags.warning("RCC0274", f"kedro reads its parameters from the project's conf/, so the initial "
                              f"parameter `{name}` reaches no node", ctx.parameter_spans.get(name),
                              help="set it in conf/<env>/parameters.yml; the kedro runtime's initial parameters are "
                                   "`pipeline` and `environment`")


def prepare(program: Program, ctx: Context) -> Program:
    """Kedro steps share templates per machine (the node arrives as `kedro_nodes`); every
    other leaf gets its `sh -c` command, and no machine: only kedro work costs one."""
    def attach(node: Node, graph: Graph) -> Node:
        settings = dict(node.settings or {})
        if is_kedro(node):
            settings["kedro"] = True
            machine = settings.get("machine") or {}
            if machine.get("num_gpu"):
                settings["tolerations"] = list(settings.get("tolerations") or ()) + [GPU_TOLERATION]
            return replace(node, settings=settings)
        if node.kind == "task" and node.spec.get("command_type") == "shell":
            settings["shell_command"] = ["sh", "-c", str(node.spec["command"])]
            return replace(node, settings=settings)
        settings = {k: v for k, v in settings.items() if k not in ("resources", "machine", "template")}
        if not node.is_composite and not unsupported(node):
            settings["shell_command"] = ["sh", "-c", "exit 1" if node.kind == "fail" else "exit 0"]
        return replace(node, settings=settings)

    return replace(program, graph=map_graph(program.graph, attach))


STATUSES = "statuses"
OK_STATUSES = ("Succeeded", "Skipped", "Omitted")


def command(unit: Unit, program: Program) -> list[str]:
    """A kedro node; a shell task or terminal step; a parallel step's fan-out (nothing) and
    fan-in (fails when a branch did not succeed)."""
    if unit.role == "step" and unit.settings.get("kedro"):
        return ["kedro", "run", "--pipeline", "{{inputs.parameters.pipeline}}",
                "--nodes", "{{inputs.parameters.kedro_nodes}}", "--env", "{{inputs.parameters.environment}}"]
    if unit.role == "step":
        return list(unit.settings["shell_command"])
    if unit.role == "fan-out":
        return ["sh", "-c", "exit 0"]
    ok = "|".join(OK_STATUSES)
    return ["sh", "-c", f'for s in $RCC_BRANCH_STATUSES; do case "$s" in {ok}) ;; *) exit 1 ;; esac; done']


def extra_inputs(unit: Unit) -> list[str]:
    if unit.role == "step" and unit.settings.get("kedro"):
        return list(INPUTS)
    return [STATUSES] if unit.role == "fan-in" else []


def task_arguments(task: Task, dag: Unit, names: dict[str, str]) -> list[dict[str, str]]:
    if task.role == "step" and task.node is not None and is_kedro(task.node):
        return [{"name": "pipeline", "value": "{{workflow.parameters.pipeline}}"},
                {"name": "environment", "value": "{{workflow.parameters.environment}}"},
                {"name": "kedro_nodes", "value": kedro_nodes(task.node)}]
    if task.role == "fan-in":
        branches = [t for t in dag.tasks if t.role == "branch"]
        return [{"name": STATUSES, "value": " ".join(f"{{{{tasks.{names[t.key]}.status}}}}" for t in branches)}]
    return []


def outputs(unit: Unit) -> list[dict[str, Any]]:
    return []


def env(unit: Unit, program: Program, exposed: list[str]) -> list[dict[str, Any]]:
    """The machine's NUM_CPU and MEM_LIMIT_GB (WORKFLOW_ID is every container's: `features.common_env`)."""
    if unit.role == "fan-in":
        return [{"name": "RCC_BRANCH_STATUSES", "value": f"{{{{inputs.parameters.{STATUSES}}}}}"}]
    out: list[dict[str, Any]] = []
    machine = unit.settings.get("machine") if unit.settings.get("kedro") else None
    if machine:
        out += [{"name": "NUM_CPU", "value": str(machine["cpu"])}, {"name": "MEM_LIMIT_GB", "value": str(machine["mem"])}]
    return out


secret_env = _runnable.secret_env


def workflow_arguments(program: Program, exposed: list[str]) -> list[dict[str, str]]:
    return [{"name": p, "value": _runnable.scalar_text(program.parameters.get(p, default))}
            for p, default in PARAMETERS.items()]


def finish_leaf(t: dict[str, Any], unit: Unit, program: Program) -> None:
    """The machine's scratch volume, in place on a finished kedro leaf template (custom ones too)."""
    machine = unit.settings.get("machine") if unit.settings.get("kedro") else None
    if not machine:
        return
    size = machine.get("emph_storage", 10)
    volume = {"name": SCRATCH, "ephemeral": {"volumeClaimTemplate": {"spec": {
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": f"{size}Gi"}}}}}}
    t["volumes"] = t.get("volumes", []) + [volume]
    path = program.config.workflow.get("emph_storage_mount_path") or DEFAULT_MOUNT
    container = t["container"]
    container["volumeMounts"] = container.get("volumeMounts", []) + [{"name": SCRATCH, "mountPath": path}]


shared_secrets = _runnable.shared_secrets
"""The documented dialect's `secrets_from_k8s` on every step pod, as under runnable."""


# Inputs kedro templates take besides loop variables: the step name, argo-kedro's three
# per-node inputs and a fan-in's statuses.
RESERVED_INPUTS = ("node",) + INPUTS + (STATUSES,)
RESERVED_PREFIXES: tuple[str, ...] = ()
