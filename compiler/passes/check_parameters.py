"""check_parameters: a map's `iterate_on` and a conditional's `parameter` exist when the step runs.

Where a parameter can come from is the runtime's rule, not the language's, so this pass
runs after `choose_backend` and asks the chosen runtime (`parameters_at_start`): the
names every step can read before the first one runs (the parameters file, environment
variables the first pod sees), or None when the runtime lets any step set any parameter
and nothing can be checked (magnus: a python task's returned model, a shell task's
exported MAGNUS_PRM_x). Under runnable 0.50 the only other source is an earlier step's
`returns`: a function's return value without `returns` is dropped, and a map's fan-out
then dies with KeyError in the pod.

Linear: one topological walk per graph, so a 10,000-step pipeline stays fast.
"""

from __future__ import annotations

from compiler.backend import runtimes
from compiler.context import Context
from compiler.diagnostics import Diagnostics, suggest
from compiler.ir import Graph, Node, Program, walk


def check_parameters(program: Program, ctx: Context) -> Program:
    rt = runtimes.pick(program)
    _own_names(program, rt, ctx)
    _argo_text(program, rt, ctx)
    at_start = rt.parameters_at_start(program)
    if at_start is None:
        return program
    stack: list[tuple[Graph, frozenset[str]]] = [(program.graph, frozenset(at_start))]
    while stack:
        graph, available = stack.pop()
        before = _produced_before(graph)
        for node in graph.nodes:
            visible = available | before.get(node.name, frozenset())
            if node.kind == "map":
                _require(node, "iterate_on", "RCC0408", "iterates on", visible, rt.NAME, ctx.diags)
                visible = visible | {node.spec["iterate_as"]}
            elif node.kind == "conditional":
                _require(node, "parameter", "RCC0409", "switches on", visible, rt.NAME, ctx.diags)
            for branch in node.branches:
                stack.append((branch, visible))
    return program


def _argo_text(program: Program, rt, ctx: Context) -> None:
    """A value Argo would resolve cannot be a workflow argument; runtimes whose pods read
    the parameters file get it from there (emit leaves it out), the others cannot."""
    from compiler.tags import argo_would_resolve

    if rt.PODS_READ_PARAMETERS_FILE:
        return
    for name, value in program.parameters.items():
        why = argo_would_resolve(value) if isinstance(value, str) else None
        if why:
            ctx.diags.error("RCC0130", f"the value of parameter `{name}` would not reach the {rt.NAME} runtime's "
                            f"pods as written: {why}", ctx.parameter_spans.get(name),
                            notes=(f"the {rt.NAME} runtime gives every initial parameter as a workflow argument, "
                                   "where Argo substitutes `{{...}}`",),
                            help="remove the braces, or build with a runtime whose pods read the parameters file "
                                 "(`runnable`, `runnable-0.13`, `magnus`, `magnus-0.4`)")


def _own_names(program: Program, rt, ctx: Context) -> None:
    """A parameter or loop variable named like one of rcc's own workflow arguments
    (`run_id`, `log_level`, ...) or template inputs (`node`, ...) would be two parameters
    of one name in the manifest, which Argo refuses; say so at the name."""
    from compiler.backend.emit import exposed_parameters

    names = [a["name"] for a in rt.workflow_arguments(program, exposed_parameters(program))]
    own = sorted(set(names) - set(program.parameters) | {n for n in names if names.count(n) > 1}) \
        if len(set(names)) < len(names) else []
    for name in sorted({n for n in names if names.count(n) > 1}, key=names.index):
        ctx.diags.error("RCC0143", f"the parameter `{name}` has the name of a workflow argument the "
                        f"{rt.NAME} runtime sets itself", ctx.parameter_spans.get(name),
                        notes=(f"the runtime's own arguments: {', '.join(own)}",),
                        help=f"rename the parameter (e.g. `my_{name}`), or set `expose_parameters_as_inputs: "
                             "false` so parameters are not workflow arguments")
    reserved = set(rt.RESERVED_INPUTS)
    for _, node in walk(program.graph):
        var = node.spec.get("iterate_as") if node.kind == "map" else None
        if isinstance(var, str) and (var in reserved or any(var.startswith(p) for p in rt.RESERVED_PREFIXES)):
            ctx.diags.error("RCC0144", f"the loop variable `{var}` has the name of an input every template of the "
                            f"{rt.NAME} runtime already takes", node.field_span("iterate_as"),
                            notes=(f"inputs rcc gives templates: {', '.join(sorted(reserved) + [p + '…' for p in rt.RESERVED_PREFIXES])}",),
                            help=f"choose another name for `iterate_as`, e.g. `{var}_item`")


def _edges(node: Node) -> list[str]:
    return [t for t in (node.next, node.on_failure) if t is not None]


def _produced_before(graph: Graph) -> dict[str, frozenset[str]]:
    """For each step, the parameter names returned by steps that may run before it.

    One pass in topological order (Kahn's algorithm); a cycle has been reported by
    check_graph, and then every step may see everything (generous, never wrong).
    """
    by_name = graph.by_name()
    preds: dict[str, list[str]] = {n.name: [] for n in graph.nodes}
    indegree = {n.name: 0 for n in graph.nodes}
    for n in graph.nodes:
        for t in _edges(n):
            if t in preds:
                preds[t].append(n.name)
                indegree[t] += 1
    order = [name for name, d in indegree.items() if d == 0]
    for name in order:  # `order` grows while we walk it
        for t in _edges(by_name[name]):
            if t in indegree:
                indegree[t] -= 1
                if indegree[t] == 0:
                    order.append(t)
    if len(order) < len(by_name):
        everything = frozenset().union(*(_returns_of(n) for n in graph.nodes))
        return {name: everything for name in by_name}
    out: dict[str, frozenset[str]] = {}
    for name in order:
        acc: set[str] = set()
        for p in preds[name]:
            acc |= out[p]
            acc |= _returns_of(by_name[p])
        out[name] = frozenset(acc)
    return out


def _returns_of(node: Node) -> set[str]:
    """Parameters a step may set: a task's returns, and anything returned inside a composite."""
    names = {r["name"] for r in node.spec.get("returns") or ()}
    stack = list(node.branches)
    while stack:
        g = stack.pop()
        for n in g.nodes:
            names |= {r["name"] for r in n.spec.get("returns") or ()}
            stack.extend(n.branches)
    return names


def _require(node: Node, key: str, code: str, verb: str, visible: frozenset[str], runtime: str,
             diags: Diagnostics) -> None:
    name = node.spec[key]
    if name in visible:
        return
    diags.error(code, f"{node.kind} `{node.name}` {verb} `{name}`, but under the {runtime} runtime no parameter "
                "of that name exists before it",
                node.field_span(key),
                help=suggest(name, visible, f"define `{name}` in the parameters file (-p), set RUNNABLE_PRM_{name} "
                             f"in the configuration's `env`, or list it in an earlier task's `returns`"))
