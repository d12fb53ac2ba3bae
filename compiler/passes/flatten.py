"""flatten: nested graphs → a flat, ordered list of units (templates-to-be) that reference each other.

Following runnable's runtime contract, every graph (the pipeline and each branch)
becomes a DAG unit with one task per step; a composite step's task runs a composite
DAG unit of three parts: a fan-out leaf, the branch task(s), a fan-in leaf that waits
for every branch to end. A map's branch task loops over the fan-out's list output, and
every unit inside a map declares all enclosing loop variables as inputs and receives
them explicitly, so no `{{item}}` is ever read outside its loop and an inner map never
rebinds an outer variable.

Leaves with the same role, settings and loop variables share one unit: the node's
qualified name arrives as an input, so a 1,000-step pipeline does not carry 1,000 copies
of the same container spec (Argo's 1 MiB limit).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from compiler.context import Context
from compiler.ir import MAP_PLACEHOLDER, Expr, Graph, Node, Program, Task, Unit

ENTRY_KEY = "graph:"
NODE_INPUT = "node"


def flatten(program: Program, ctx: Context) -> Program:
    builder = _Builder(program)
    builder.graph_unit(program.graph, ())
    return replace(program, units=tuple(builder.units.values()))


class _Builder:
    def __init__(self, program: Program) -> None:
        self.units: dict[str, Unit | None] = {}
        self.first_done = False
        self.first_node = _first_container_node(program.graph)

    # -- leaves ----------------------------------------------------------------------
    def leaf_unit(self, role: str, node: Node, inputs: tuple[str, ...], composite_kind: str | None = None) -> str:
        settings = dict(node.settings or {})
        first = role in ("step", "fan-out") and node is self.first_node and not self.first_done
        if first:
            self.first_done = True
            key = f"leaf:first:{node.qualname}"
        else:
            secrets = sorted(node.spec.get("secrets") or ()) if role == "step" else []
            fingerprint = json.dumps([role, composite_kind, settings, inputs, secrets],
                                     sort_keys=True, default=str)
            key = "leaf:" + fingerprint
        if key not in self.units:
            self.units[key] = Unit(
                key=key, kind="leaf", role=role, node=node, inputs=inputs, settings=settings,
                composite_kind=composite_kind, takes_node=True, first=first,
                base_name="start" if first else _leaf_base_name(role, node, composite_kind, settings),
            )
        return key

    # -- graphs ----------------------------------------------------------------------
    def graph_unit(self, graph: Graph, inputs: tuple[str, ...]) -> str:
        key = ENTRY_KEY + graph.qualname
        self.units[key] = None  # reserve the slot: parents come before their children
        pass_inputs = tuple((v, ("input", v)) for v in inputs)
        incoming = _incoming(graph)
        reachable = _reachable(graph)
        tasks = []
        for node in graph.nodes:
            if node.name not in reachable or (node.kind == "fail" and node.name not in incoming):
                continue  # a `fail` nothing can reach would, with no dependencies, start at once
            if node.is_composite:
                unit = self.composite_unit(node, inputs)
                args = pass_inputs
            else:
                unit = self.leaf_unit("step", node, inputs)
                args = pass_inputs + ((NODE_INPUT, ("value", runtime_name(node.qualname))),)
            tasks.append(Task(key=node.name, unit=unit, node=node, role="step",
                              depends=incoming.get(node.name), arguments=args))
        self.units[key] = Unit(key=key, kind="dag", role="graph", graph=graph, inputs=inputs, tasks=tuple(tasks),
                               base_name=_graph_base(graph))
        return key

    def composite_unit(self, node: Node, inputs: tuple[str, ...]) -> str:
        key = f"composite:{node.qualname}"
        self.units[key] = None
        pass_inputs = tuple((v, ("input", v)) for v in inputs)
        node_arg = ((NODE_INPUT, ("value", runtime_name(node.qualname))),)
        fan_out = Task(key="fan-out", unit=self.leaf_unit("fan-out", node, inputs, node.kind), node=node,
                       role="fan-out", arguments=pass_inputs + node_arg)
        after_fan_out: Expr = ("is", "fan-out", "Succeeded")
        branch_tasks: list[Task] = []
        if node.kind == "map":
            var = node.spec["iterate_as"]
            inner = inputs + (var,)
            branch_tasks.append(Task(
                key="branch:" + MAP_PLACEHOLDER, unit=self.graph_unit(node.branches[0], inner), node=node,
                role="branch", depends=after_fan_out, loop_over="fan-out",
                arguments=pass_inputs + ((var, ("item",)),),
            ))
        else:
            keys = tuple(b.key for b in node.branches if not (node.kind == "conditional" and b.key == "default"
                                                                and b is node.branches[-1] and _has_default(node)))
            for b in node.branches:
                is_default = node.kind == "conditional" and _has_default(node) and b is node.branches[-1]
                case = ("fan-out", None if is_default else b.key, keys) if node.kind == "conditional" else None
                branch_tasks.append(Task(
                    key="branch:" + b.key + (":default" if is_default else ""),
                    unit=self.graph_unit(b, inputs), node=node, role="branch",
                    depends=after_fan_out, arguments=pass_inputs, case=case,
                ))
        # Errored too: a branch that errors must still let the fan-in record the composite's status.
        ended = ("Succeeded", "Failed", "Errored") + (("Skipped",) if node.kind in ("conditional", "map") else ())
        fan_in_depends: Expr = ("and", [("or", [("is", t.key, o) for o in ended]) for t in branch_tasks])
        fan_in = Task(key="fan-in", unit=self.leaf_unit("fan-in", node, inputs, node.kind), node=node,
                      role="fan-in", depends=fan_in_depends, arguments=pass_inputs + node_arg)
        self.units[key] = Unit(
            key=key, kind="dag", role="composite", node=node, inputs=inputs,
            tasks=(fan_out, *branch_tasks, fan_in), settings=dict(node.settings or {}),
            composite_kind=node.kind, base_name=readable(node.qualname),
        )
        return key


def _graph_base(graph: Graph) -> str:
    if not graph.qualname:
        return "runnable-dag"
    return readable(graph.qualname) + ("-each" if graph.key == MAP_PLACEHOLDER else "")


def readable(qualname: str) -> str:
    """A qualified name without runnable's map placeholder segment, for template names."""
    return ".".join(p for p in qualname.split(".") if p != MAP_PLACEHOLDER)


def runtime_name(qualname: str) -> str:
    """How runnable's CLI takes a qualified name: spaces written as `%`."""
    return qualname.replace(" ", "%")


def _has_default(node: Node) -> bool:
    return bool(node.spec.get("has_default"))


def _incoming(graph: Graph) -> dict[str, Expr]:
    """Each step's dependencies: `next` edges on success, `on_failure` edges on failure, and
    runnable's implicit rule that a step failing with no `on_failure` goes to the branch's
    `fail` step (so the run log records the failure as a local run would).

    One edge per step, though `success.Omitted` would say the same in one term: with that
    edge `success` gains a dependent and stops being a target of the DAG, so Argo would
    judge the DAG by `fail` alone, which succeeds, and a failed run would show as
    Succeeded (tests/simulate caught this). `success` also waits for `fail` to be
    omitted, so that a recovered failure ends the DAG Succeeded (see below)."""
    preds: dict[str, list[Expr]] = {}
    fail = next((n.name for n in graph.nodes if n.kind == "fail"), None)
    reachable = _reachable(graph)
    implicit: set[str] = set()  # a set, not a scan of the list: 10,000 steps must stay linear
    for p in graph.nodes:
        if p.name not in reachable:
            continue
        if p.next is not None:
            preds.setdefault(p.next, []).append(("is", p.name, "Succeeded"))
        if p.on_failure is not None:
            preds.setdefault(p.on_failure, []).append(("is", p.name, "Failed"))
        elif fail is not None and p.kind not in ("success", "fail"):
            if p.name not in implicit:
                implicit.add(p.name)
                preds.setdefault(fail, []).append(("is", p.name, "Failed"))
    out: dict[str, Expr] = {k: v[0] if len(v) == 1 else ("or", v) for k, v in preds.items()}
    success = next((n.name for n in graph.nodes if n.kind == "success"), None)
    if success in out and fail in out:
        # A handled failure must not decide the DAG's phase. Argo judges a DAG by its
        # leaf tasks, and an omitted leaf takes the phase of the branch that led to it,
        # Failed winning (assessDAGPhase): after `risky` fails and its on_failure path
        # reaches `success`, the omitted `fail` leaf would inherit `risky`'s Failed and
        # the workflow would end Failed while runnable's run log says SUCCESS. Waiting
        # for `fail` to be omitted makes `success` the DAG's only leaf; it changes no
        # outcome, since runnable reaches exactly one of the two.
        out[success] = ("and", [out[success], ("is", fail, "Omitted")])
    return out


def _reachable(graph: Graph) -> set[str]:
    """Steps that can run: reached from `start_at` by edges, plus `fail` (reached by any failure)."""
    by_name = graph.by_name()
    seen = {graph.start_at} | {n.name for n in graph.nodes if n.kind == "fail"}
    todo = list(seen)
    while todo:
        node = by_name[todo.pop()]
        for t in (node.next, node.on_failure):
            if t is not None and t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def _first_container_node(graph: Graph) -> Node | None:
    """The step whose container runs first: the start step (a composite's fan-out)."""
    return graph.node(graph.start_at)


def _leaf_base_name(role: str, node: Node, composite_kind: str | None, settings: dict[str, Any]) -> str:
    if role == "step":
        return "step"
    return f"{composite_kind}-{role}"
