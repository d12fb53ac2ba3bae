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

A fused step runs its branch's tasks in order in one shell. Notebooks are refused
(RCC0230): papermill is not assumed in the image.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import replace
from typing import Any

from compiler.backend import dataflow
from compiler.backend import native_code as code
from compiler.backend.runtimes import runnable as _runnable
from compiler.context import Context
from compiler.ir import Graph, Node, Program, Task, Unit, map_graph, walk

NAME = "native"
VERSION = "2"
PODS_READ_PARAMETERS_FILE = False  # every initial parameter is a workflow argument


def parameters_at_start(program: Program) -> frozenset[str]:
    """Only the initial parameters (workflow arguments); what steps return is scoped by
    `compiler.backend.dataflow` and checked there."""
    return frozenset(program.parameters)
"""The native contract has no program behind it; its version is rcc's own contract's
(2: values carried as Argo parameters)."""

MAP_OUTPUT = _runnable.MAP_OUTPUT
CASE_OUTPUT = _runnable.CASE_OUTPUT
STATUSES = "statuses"
RESULTS = "results"
ROOT_PREFIX = "root-"
"""Inputs carrying a value of the pipeline's scope down to a nested map or conditional."""
OUTPUTS_DIR = code.OUTPUTS_DIR
FAN_DIR = code.FAN_DIR
RESERVED = ("node", STATUSES, RESULTS)
OK_STATUSES = ("Succeeded", "Skipped", "Omitted")
KEY = "native"
"""Where `prepare` leaves each step's facts in its settings."""


def unsupported(node: Node) -> str | None:
    """Why the native runtime cannot run this step, or None."""
    if node.kind == "task" and node.spec.get("command_type") == "notebook":
        return "a notebook task needs a notebook executor, which the native runtime does not assume in the image"
    if node.kind == "fused":
        for inner in node.branches[0].nodes:
            if inner.kind not in ("task", "stub", "success", "fail"):
                return f"a fused branch may hold only tasks; `{inner.name}` is a {inner.kind}"
            if inner.on_failure:
                return f"a fused branch runs in one shell and cannot branch on failure (`{inner.name}` sets on_failure)"
            reason = unsupported(inner)
            if reason:
                return reason
    return None


def initial_names(program: Program) -> tuple[str, ...]:
    """Initial parameters become workflow arguments (all of them: lists too, as JSON text)."""
    if not program.config.workflow.get("expose_parameters_as_inputs", True):
        return ()
    return tuple(program.parameters)


def check(program: Program, ctx: Context) -> None:
    """What the native runtime cannot run, and values that would not arrive where runnable sends them."""
    diags = ctx.diags
    for _, node in walk(program.graph):
        reason = unsupported(node)
        if reason and not _inside_fused(program.graph, node):
            code_ = "RCC0231" if node.kind == "fused" else "RCC0230"
            fix = ("run the notebook from a python task (e.g. with papermill in your image) or use the runnable "
                   "runtime" if code_ == "RCC0230" else "make the branch's steps ordinary steps of the pipeline")
            diags.error(code_, f"the native runtime cannot run step `{node.name}`: {reason}",
                        node.field_span("type"), help=fix)
        if node.kind == "fused" and any(dataflow.returns_of(n) for n in node.branches[0].nodes):
            diags.warning("RCC0232", f"fused step `{node.name}` has tasks that return values; one shell runs them, "
                          "and their values are not passed to later steps", node.field_span("type"),
                          help="make the returning task an ordinary step, or write results to a shared directory")
        for r in node.spec.get("returns") or () if node.kind == "task" else ():
            name = r.get("name") if isinstance(r, dict) else r
            kind = r.get("kind", "json") if isinstance(r, dict) else "json"
            if kind == "object":
                diags.error("RCC0293", f"step `{node.name}` returns `{name}` as an object, which runnable pickles "
                            "into its catalog; the native runtime passes only JSON values", node.field_span("type"),
                            help="return a JSON value (kind: json), or write the object to a shared directory")
            elif isinstance(name, str) and not _OUTPUT_NAME.match(name):
                diags.error("RCC0147", f"step `{node.name}` returns `{name}`, which cannot be an Argo parameter name",
                            node.field_span("type"),
                            help="under the native runtime each returned value is an output parameter (and a file "
                                 "in $RCC_OUTPUTS): name it with letters, digits, `_` and `-` only")
            elif name in RESERVED:
                diags.error("RCC0294", f"step `{node.name}` returns `{name}`, a name the native runtime uses "
                            "for its own inputs", node.field_span("type"), help=f"rename the value (not {', '.join(RESERVED)})")
    flow = dataflow.analyse(program.graph, initial_names(program))
    known = set(initial_names(program)) | {v for _, n in walk(program.graph) for v in dataflow.returns_of(n)}
    _report_flow(program.graph, flow, diags, top=True, known=known, loops=_loop_vars(program.graph, ()))


_OUTPUT_NAME = re.compile(r"[-A-Za-z0-9_]+\Z")  # Argo's parameter names
_SHELL_NAME = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _report_flow(graph: Graph, flow: dataflow.Flow, diags, top: bool, known: set, loops: dict) -> None:
    gf = flow.graphs[graph.qualname]
    for node in graph.nodes:
        if node.kind == "task" and node.spec.get("command_type") == "shell" and node.name in gf.visible:
            seen = set(gf.visible[node.name]) | set(loops.get(node.qualname, ()))
            unseen = sorted({m for m in _SHELL_NAME.findall(str(node.spec.get("command", "")))
                             if m in known and m not in seen})
            if unseen:
                diags.warning("RCC0295", f"shell step `{node.name}` reads {_names(unseen)}, which runnable's scoping "
                              "does not give it: a branch sees only the values set inside it and its loop variables",
                              node.field_span("command"),
                              help="return the value inside this branch, or read it in a step of the graph that sets it")
        lost = gf.dropped.get(node.name)
        if lost and node.kind in ("task", "success"):
            where = f"the end of {'the pipeline' if top else 'branch `' + graph.qualname + '`'}" \
                if node.kind == "success" else f"step `{node.name}`"
            diags.warning("RCC0290", f"{_names(lost)} reach{'es' if len(lost) == 1 else ''} {where} on some paths only "
                          "(a step that may not have run returns it), so the native runtime does not pass "
                          f"{'it' if len(lost) == 1 else 'them'} there", node.field_span("type"),
                          help="return the value on every path to this step (e.g. from the recovery step too), "
                               "or from a step every path passes")
        if node.qualname in flow.conditional_lost:
            names = flow.conditional_lost[node.qualname]
            diags.warning("RCC0291", f"the branches of conditional `{node.name}` set {_names(names)}; the native "
                          "runtime does not pass values out of a conditional", node.field_span("type"),
                          help="return the value from a step after the conditional, or use the runnable runtime")
        if top and node.kind in ("map", "conditional", "parallel"):
            visible = gf.visible.get(node.name, {})
            for name in flow.root_reads.get(node.qualname, ()):
                if name not in visible and node.name in gf.visible and name in known:
                    diags.error("RCC0292", f"step `{node.name}` (or a map or conditional inside it) reads `{name}` from "
                                "the pipeline's parameters, and no parameter or earlier step of the pipeline provides it "
                                "on every path", node.field_span("type"),
                                help=f"pass `{name}` as an initial parameter (-p) or return it from a step before "
                                     f"`{node.name}`: runnable reads map lists and conditional values from the "
                                     "pipeline's scope, not from a branch")
        for b in node.branches:
            if node.kind != "fused":
                _report_flow(b, flow, diags, top=False, known=known, loops=loops)


def _names(names) -> str:
    return ", ".join(f"`{n}`" for n in names)


def prepare(program: Program, ctx: Context) -> Program:
    """Each step gets its command and its dataflow facts in its settings (so steps with
    different commands or values never share a template)."""
    flow = dataflow.analyse(program.graph, initial_names(program))
    loops = _loop_vars(program.graph, ())

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
        else:
            settings["native_command"] = composite_commands(node, facts)
        return replace(node, settings=settings)

    return replace(program, graph=map_graph(program.graph, attach))


def _inside_fused(graph: Graph, node: Node) -> bool:
    """Steps of a fused branch are judged with their fused step (one diagnostic, not two)."""
    for _, n in walk(graph):
        if n.kind == "fused" and any(node is m for m in n.branches[0].nodes):
            return True
    return False


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


def _loop_vars(graph: Graph, outer: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each step's enclosing maps' loop variables (outermost first), by qualified name."""
    out: dict[str, tuple[str, ...]] = {}
    for node in graph.nodes:
        out[node.qualname] = outer
        inner = outer + (str(node.spec["iterate_as"]),) if node.kind == "map" else outer
        for b in node.branches:
            out.update(_loop_vars(b, inner))
    return out


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
                out.append({"name": v, "valueFrom": {"parameter": _ref(names[task], v)}})
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
