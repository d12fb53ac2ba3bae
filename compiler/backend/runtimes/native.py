"""The native runtime: each step runs its own command, and Argo itself carries the values.

No framework in the image: a shell task runs `sh -c COMMAND`; a python task imports its
function and calls it with `python -c`, passing the values its signature names from
environment variables (JSON when it parses, else text, as runnable reads
`RUNNABLE_PRM_*`). Values move the Argo way (docs/native-runtime.md):

- a task's `returns` are output parameters read from files in `$RCC_OUTPUTS`
  (OUTPUTS_DIR): the python wrapper writes each returned value there by name; a shell
  task `export`s each name (runnable's contract) and the wrapper writes it;
- a later step that can see a value (compiler/backend/dataflow.py: runnable 0.50's
  scoping) receives it as an input parameter, `{{tasks.X.outputs.parameters.V}}`,
  and as the environment variable V; initial parameters are workflow arguments;
- a graph's scope at its `success` step is its DAG template's outputs; a parallel
  passes its branches' outputs on (the last branch wins); a map's fan-in reduces
  Argo's aggregated outputs of its iterations (`{{tasks.B.outputs.parameters}}`)
  with the map's reducer;
- a map's fan-out checks the list and hands it to `withParam`; a conditional's
  fan-out chooses as runnable does (`str(value)` against the branch keys) and fails
  when no branch matches.

A fused step runs its branch's tasks in order in one shell. What cannot run this way
is refused by `compiler/backend/native_check.py` (`check`, re-exported here).
"""

from __future__ import annotations

import shlex
from dataclasses import replace
from typing import Any

from compiler.backend import dataflow
from compiler.backend import native_code as code
from compiler.backend.native_check import RESERVED, RESULTS, STATUSES, check, check_arguments, initial_names, unsupported
from compiler.backend.runtimes import runnable as _runnable
from compiler.context import Context
from compiler.ir import Graph, Node, Program, Task, Unit, map_graph, walk

NAME = "native"
VERSION = "2"
"""The native contract has no program behind it; its version is rcc's own contract's
(2: values carried as Argo parameters)."""
PODS_READ_PARAMETERS_FILE = False  # every initial parameter is a workflow argument


def parameters_at_start(program: Program) -> frozenset[str]:
    """Only the initial parameters (workflow arguments); what steps return is scoped by
    `compiler.backend.dataflow` and checked there."""
    return frozenset(program.parameters)


MAP_OUTPUT = _runnable.MAP_OUTPUT
CASE_OUTPUT = _runnable.CASE_OUTPUT
ROOT_PREFIX = "root-"
"""Inputs carrying a value of the pipeline's scope down to a nested map or conditional."""
OUTPUTS_DIR = code.OUTPUTS_DIR
FAN_DIR = code.FAN_DIR
OK_STATUSES = ("Succeeded", "Skipped", "Omitted")
KEY = "native"
"""Where `prepare` leaves each step's facts in its settings."""


def prepare(program: Program, ctx: Context) -> Program:
    """Each step gets its command and its dataflow facts in its settings (so steps with
    different commands or values never share a template)."""
    flow = dataflow.analyse(program.graph, initial_names(program))
    loops = dataflow.loop_vars(program.graph, ())

    def attach(node: Node, graph: Graph) -> Node:
        if unsupported(node):
            return node
        gf = flow.graphs.get(graph.qualname)
        facts: dict[str, Any] = {}
        if node.kind in ("task", "fused"):
            scope = (gf.visible.get(node.name) if gf else None) or {}
            facts["values"] = {v: p for v, p in sorted(scope.items())}
            facts["returns"] = list(dataflow.returns_of(node))
        elif node.kind == "success" and gf is not None:
            facts["graph_outputs"] = dict(sorted(gf.outputs.items()))
            facts["graph_maybe"] = dict(sorted(gf.maybe.items()))
        if node.is_composite:
            facts["root"] = list(flow.root_reads.get(node.qualname, ()))
            facts["outputs"] = dict(flow.produces.get(node.qualname, {}))
            if graph.qualname == "" and gf is not None:
                scope = gf.visible.get(node.name, {})
                facts["root_sources"] = {v: scope[v] for v in facts["root"] if v in scope}
            facts["branch_root"] = {b.key: list(flow.root_reads.get(b.qualname, ())) for b in node.branches}
        settings = {**(node.settings or {}), KEY: facts}
        if not node.is_composite:
            settings["native_command"] = step_command(node, facts, loops.get(node.qualname, ()))
            check_arguments(node, settings["native_command"], ctx.diags)
        else:
            settings["native_command"] = composite_commands(node, facts)
        return replace(node, settings=settings)

    return replace(program, graph=map_graph(program.graph, attach))


def step_command(node: Node, facts: dict[str, Any] | None = None, loop_vars: tuple[str, ...] = ()) -> list[str]:
    """The container command of a leaf step (a fused step: its branch, in order)."""
    facts = facts or {}
    if node.kind == "fused":  # its tasks see the values the fused step sees, and return none
        inner = {"values": facts.get("values") or {}}
        lines = [shlex.join(step_command(n, inner, loop_vars)) for n in _in_order(node.branches[0])]
        return ["sh", "-c", "set -e\n" + "\n".join(lines)]
    if node.kind == "fail":
        return ["sh", "-c", "exit 1"]
    if node.kind != "task":
        return ["sh", "-c", "exit 0"]
    command = str(node.spec["command"])
    returns = list(facts.get("returns") or ())
    if node.spec.get("command_type") == "shell":
        return ["sh", "-c", code.shell_task(command, returns, sorted(facts.get("values") or ()))]
    names = sorted(set(facts.get("values") or ()) | set(loop_vars))
    return ["python", "-c", code.python_task(command, names, returns)]


def composite_commands(node: Node, facts: dict[str, Any]) -> dict[str, list[str]]:
    """The fan-out and fan-in commands of a composite step."""
    out: dict[str, list[str]] = {"fan-out": ["sh", "-c", "exit 0"], "fan-in": _statuses_only()}
    if node.kind == "map":
        out["fan-out"] = ["python", "-c", code.map_fan_out(node.name, str(node.spec["iterate_on"]))]
        returns = [v for v, src in facts.get("outputs", {}).items() if src == "fan-in"]
        if returns:
            out["fan-in"] = ["python", "-c", code.map_fan_in(returns, node.spec.get("reducer"), OK_STATUSES)]
    elif node.kind == "conditional":
        keys = [b.key for b in node.branches if not (b.key == "default" and node.spec.get("has_default")
                                                     and b is node.branches[-1])]
        out["fan-out"] = ["python", "-c", code.conditional_fan_out(node.name, str(node.spec["parameter"]), keys,
                                                                   bool(node.spec.get("has_default")))]
    return out


def _statuses_only() -> list[str]:
    ok = "|".join(OK_STATUSES)
    return ["sh", "-c", f'for s in $RCC_BRANCH_STATUSES; do case "$s" in {ok}) ;; *) exit 1 ;; esac; done']


def _in_order(graph) -> list[Node]:
    """The branch's steps from start_at along `next`, up to its success (or fail) step."""
    by_name, out, name = graph.by_name(), [], graph.start_at
    while name is not None and name in by_name and len(out) <= len(by_name):
        node = by_name[name]
        if node.kind == "success":
            break
        out.append(node)
        name = node.next
    return out


def _facts(unit_or_node) -> dict[str, Any]:
    settings = getattr(unit_or_node, "settings", None) or {}
    return settings.get(KEY) or {}


def command(unit: Unit, program: Program) -> list[str]:
    if unit.role == "step":
        return list(unit.settings["native_command"])
    return list(unit.settings["native_command"][unit.role])


# -- template inputs and outputs ------------------------------------------------------

def _value_inputs(unit: Unit) -> list[str]:
    return [v for v in _facts(unit).get("values", {}) if v not in unit.inputs and v not in RESERVED]


def _graph_root_reads(graph: Graph) -> list[str]:
    out: list[str] = []
    for n in graph.nodes:
        for v in _facts(n).get("root", ()):
            if v not in out:
                out.append(v)
    return out


def extra_inputs(unit: Unit) -> list[str]:
    if unit.kind == "dag":
        if unit.role == "composite":
            return [ROOT_PREFIX + v for v in _facts(unit.node).get("root", ())]
        if unit.graph is not None and unit.graph.qualname:
            return [ROOT_PREFIX + v for v in _graph_root_reads(unit.graph)]
        return []
    if unit.role == "fan-in":
        extra = [RESULTS] if unit.composite_kind == "map" and _map_returns(unit) else []
        return [STATUSES] + extra
    if unit.role == "fan-out" and unit.composite_kind in ("map", "conditional"):
        return ["value"]
    if unit.role == "step":
        return _value_inputs(unit)
    return []


def _map_returns(unit: Unit) -> list[str]:
    return [v for v, src in _facts(unit).get("outputs", {}).items() if src == "fan-in"]


def outputs(unit: Unit) -> list[dict[str, Any]]:
    facts = _facts(unit) if unit.kind == "leaf" else {}
    if unit.kind == "dag":
        names = {t.key: t.name for t in unit.tasks}
        if unit.role == "composite":
            out = []
            for v, src in _facts(unit.node).get("outputs", {}).items():
                task = "fan-in" if src == "fan-in" else "branch:" + src
                source: dict[str, Any] = {"parameter": _ref(names[task], v)}
                if unit.node.kind == "conditional":  # the branch that sets it may not be the chosen one
                    source["default"] = dataflow.ABSENT
                out.append({"name": v, "valueFrom": source})
            return out
        success = next((n for n in unit.graph.nodes if n.kind == "success"), None) if unit.graph else None
        out = []
        facts = _facts(success) if success is not None else {}
        for v, p in facts.get("graph_outputs", {}).items():
            source = f"{{{{workflow.parameters.{v}}}}}" if p == dataflow.ARGUMENT else _ref(names[p], v)
            out.append({"name": v, "valueFrom": {"parameter": source}})
        for v, p in facts.get("graph_maybe", {}).items():  # Argo takes the default when `p` did not succeed
            out.append({"name": v, "valueFrom": {"parameter": _ref(names[p], v), "default": dataflow.ABSENT}})
        return sorted(out, key=lambda o: o["name"])
    if unit.role == "fan-out" and unit.composite_kind == "map":
        return [{"name": MAP_OUTPUT, "valueFrom": {"path": f"{FAN_DIR}/{MAP_OUTPUT}"}}]
    if unit.role == "fan-out" and unit.composite_kind == "conditional":
        return [{"name": CASE_OUTPUT, "valueFrom": {"path": f"{FAN_DIR}/{CASE_OUTPUT}"}}]
    if unit.role == "fan-in":
        return [{"name": v, "valueFrom": {"path": f"{OUTPUTS_DIR}/{v}"}} for v in _map_returns(unit)]
    if unit.role == "step":
        return [{"name": v, "valueFrom": {"path": f"{OUTPUTS_DIR}/{v}"}} for v in facts.get("returns", ())]
    return []


def _ref(task_name: str, value: str) -> str:
    return f"{{{{tasks.{task_name}.outputs.parameters.{value}}}}}"


def task_arguments(task: Task, dag: Unit, names: dict[str, str]) -> list[dict[str, str]]:
    """Values, statuses and root values each task of a DAG passes to its template."""
    node = task.node
    if task.role == "fan-in":
        branches = [t for t in dag.tasks if t.role == "branch"]
        args = [{"name": STATUSES, "value": " ".join(f"{{{{tasks.{names[t.key]}.status}}}}" for t in branches)}]
        if dag.composite_kind == "map" and [v for v, s in _facts(node).get("outputs", {}).items() if s == "fan-in"]:
            args.append({"name": RESULTS, "value": f"{{{{tasks.{names[branches[0].key]}.outputs.parameters}}}}"})
        return args
    if task.role == "fan-out":
        if node.kind == "map":
            return [{"name": "value", "value": f"{{{{inputs.parameters.{ROOT_PREFIX}{node.spec['iterate_on']}}}}}"}]
        if node.kind == "conditional":
            return [{"name": "value", "value": f"{{{{inputs.parameters.{ROOT_PREFIX}{node.spec['parameter']}}}}}"}]
        return []
    if task.role == "branch":
        key = task.key.split(":", 2)[1]
        reads = _facts(node).get("branch_root", {}).get(key, [])
        return [{"name": ROOT_PREFIX + v, "value": f"{{{{inputs.parameters.{ROOT_PREFIX}{v}}}}}"} for v in reads]
    if node is None:
        return []
    facts = _facts(node)
    if node.is_composite:
        top = "root_sources" in facts
        out = []
        for v in facts.get("root", ()):
            if top:
                p = facts["root_sources"].get(v)
                value = f"{{{{workflow.parameters.{v}}}}}" if p in (None, dataflow.ARGUMENT) else _ref(names[p], v)
            else:
                value = f"{{{{inputs.parameters.{ROOT_PREFIX}{v}}}}}"
            out.append({"name": ROOT_PREFIX + v, "value": value})
        return out
    out = []
    for v, p in facts.get("values", {}).items():
        if v in task_inputs(task) or v in RESERVED:
            continue
        value = f"{{{{workflow.parameters.{v}}}}}" if p == dataflow.ARGUMENT else _ref(names[p], v)
        out.append({"name": v, "value": value})
    return out


def task_inputs(task: Task) -> tuple[str, ...]:
    return tuple(n for n, _ in task.arguments)


def env(unit: Unit, program: Program, exposed: list[str]) -> list[dict[str, Any]]:
    if unit.role == "fan-in":
        out = [{"name": "RCC_BRANCH_STATUSES", "value": f"{{{{inputs.parameters.{STATUSES}}}}}"}]
        if unit.composite_kind == "map" and _map_returns(unit):
            out += [{"name": "RCC_RESULTS", "value": f"{{{{inputs.parameters.{RESULTS}}}}}"},
                    {"name": "RCC_OUTPUTS", "value": OUTPUTS_DIR}]
        return out
    if unit.role == "fan-out":
        if unit.composite_kind in ("map", "conditional"):
            return [{"name": "RCC_VALUE", "value": "{{inputs.parameters.value}}"}]
        return []
    if unit.role != "step":
        return []
    names = list(unit.inputs) + _value_inputs(unit)
    out = [{"name": v, "value": f"{{{{inputs.parameters.{v}}}}}"} for v in names]
    if _facts(unit).get("returns"):
        out.append({"name": "RCC_OUTPUTS", "value": OUTPUTS_DIR})
    return out


secret_env = _runnable.secret_env
shared_secrets = _runnable.shared_secrets


def workflow_arguments(program: Program, exposed: list[str]) -> list[dict[str, str]]:
    return [{"name": p, "value": _runnable.scalar_text(program.parameters[p])} for p in initial_names(program)]


# Inputs native templates take besides loop variables: the step name, a fan-out's value,
# a fan-in's statuses and results, and the root values a composite passes down.
RESERVED_INPUTS = ("node", "value", STATUSES, RESULTS)
RESERVED_PREFIXES = (ROOT_PREFIX,)
