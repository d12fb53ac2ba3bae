"""check_graph: every rule of runnable's graph language, every violation in one run.

Per graph (the pipeline and each branch): `start_at` names a step; every `next` and
`on_failure` names a step of the same graph; every step is reachable from `start_at`;
no cycles; one `success` and one `fail` step (runnable adds them when the file does
not declare them, see lower.py), and no other kind of step under either name; a python
task's command is a dotted path. Across graphs: a nested map does not rebind an
enclosing map's loop variable. Whether a map's `iterate_on` or a conditional's
`parameter` can exist when the step runs is the runtime's rule, checked once the
runtime is chosen (passes/check_parameters.py).
Iterative walks only: a 10,000-step pipeline must not hit Python's recursion limit.
"""

from __future__ import annotations

from compiler.context import Context
from compiler.diagnostics import Diagnostics, suggest
from compiler.ir import Graph, Node, Program


def check_graph(program: Program, ctx: Context) -> Program:
    homes = _homes(program.graph)
    stack: list[tuple[Graph, tuple[str, ...]]] = [(program.graph, ())]
    while stack:
        graph, loop_vars = stack.pop()
        _check_one(graph, ctx.diags, homes)
        for node in graph.nodes:
            inner_vars = loop_vars
            if node.kind == "map":
                var = node.spec["iterate_as"]
                if var in loop_vars:
                    ctx.diags.error("RCC0410", f"map `{node.name}` rebinds `{var}`, the loop variable of an enclosing map",
                                    node.field_span("iterate_as"),
                                    help=f"choose another name, e.g. `{var}_inner`; the outer value would be hidden")
                inner_vars = loop_vars + (var,)
            for branch in node.branches:
                stack.append((branch, inner_vars))
    return program


def _homes(root: Graph) -> dict[str, list[Graph]]:
    """Each step name and the graphs that hold a step of that name, in written order: a `next`
    naming a step of another branch is told where that step lives."""
    homes: dict[str, list[Graph]] = {}
    todo = [root]
    while todo:
        graph = todo.pop(0)
        for node in graph.nodes:
            homes.setdefault(node.name, []).append(graph)
            todo.extend(node.branches)
    return homes


def _where(graph: Graph) -> str:
    return f"branch `{graph.qualname}`" if graph.qualname else "the pipeline"


def _check_one(graph: Graph, diags: Diagnostics, homes: dict[str, list[Graph]]) -> None:
    names = [n.name for n in graph.nodes]
    by_name = graph.by_name()
    if graph.start_at not in by_name:
        diags.error("RCC0401", f"`start_at` names `{graph.start_at}`, which is not a step of {_where(graph)}",
                    graph.start_span,
                    help=suggest(graph.start_at, names, f"name one of its steps: {', '.join(names[:8])}"))
    for node in graph.nodes:
        for key, code in (("next", "RCC0402"), ("on_failure", "RCC0403")):
            target = getattr(node, key)
            if target is None or target in by_name:
                continue
            others = [g for g in homes.get(target, []) if g is not graph]
            if others:
                diags.error(code, f"`{key}` of step `{node.name}` names `{target}`, a step of {_where(others[0])}, "
                            f"not of {_where(graph)}", node.field_span(key),
                            help=f"`{key}` can only name a step of the same graph ({_where(graph)}: "
                                 f"{', '.join(names[:8])}); a branch ends at its own `success` or `fail`, and the "
                                 f"branching step's `next` runs after it: move the step, or name one of these")
                continue
            candidates = [n for n in names if n != node.name]
            diags.error(code, f"`{key}` of step `{node.name}` names `{target}`, which is not a step of {_where(graph)}",
                        node.field_span(key),
                        help=suggest(target, candidates, f"name a step of the same branch: {', '.join(names[:8])}"))
        if node.kind == "task":
            _check_python_command(node, diags)
        if node.on_failure is not None and node.on_failure == node.name:
            diags.error("RCC0411", f"step `{node.name}` names itself as its `on_failure` step",
                        node.field_span("on_failure"), help="send failures to another step, e.g. `fail`")
    for kind in ("success", "fail"):
        found = [n for n in graph.nodes if n.kind == kind]
        for extra in found[1:]:
            diags.error("RCC0407", f"{_where(graph)} has more than one `{kind}` step: `{found[0].name}` and `{extra.name}`",
                        extra.span, help=f"keep one `{kind}` step and point the others' `next` at it")
        named = by_name.get(kind)
        if named is not None and named.kind != kind:
            diags.error("RCC0141", f"step `{kind}` of {_where(graph)} is a {named.kind}, but the name `{kind}` belongs "
                        f"to the branch's {kind} step", named.span,
                        help=f"rename the step (e.g. `{kind}_{named.kind}`): runnable replaces any step named `{kind}` "
                             f"with its own {kind} step, so this {named.kind} would never run")
    _check_reachable_and_acyclic(graph, by_name, diags)


def _check_python_command(node: Node, diags: Diagnostics) -> None:
    """`command_type` defaults to python, whose command is a dotted path `module.function`
    that runnable imports: `echo hello` with no `command_type` compiles and then fails in
    the pod ("The command should be a function to call"), so it is refused here."""
    if node.spec.get("command_type", "python") != "python":
        return
    command = str(node.spec.get("command", ""))
    parts = command.split(".")
    if len(parts) > 1 and all(p.isidentifier() for p in parts):
        return
    looks_shell = any(c in command for c in " /$;|&=") or not command.replace(".", "").replace("_", "").isalnum()
    if command.endswith(".ipynb"):
        help = "add `command_type: notebook` to run the notebook"
    else:
        help = ("add `command_type: shell` to run it as a shell command" if looks_shell
                else "write the function as `module.function` (e.g. `examples.functions.hello`), or add "
                     "`command_type: shell` to run a shell command")
    diags.error("RCC0142", f"the command of task `{node.name}` is {command!r}, which is not a dotted path to a "
                "python function (`command_type` is python unless the step says otherwise)",
                node.field_span("command"), help=help)


def _edges(node: Node) -> list[str]:
    return [t for t in (node.next, node.on_failure) if t is not None]


def _check_reachable_and_acyclic(graph: Graph, by_name: dict[str, Node], diags: Diagnostics) -> None:
    if graph.start_at not in by_name:
        return
    dangling = any(t not in by_name for n in graph.nodes for t in _edges(n))
    extra_success = sum(1 for n in graph.nodes if n.kind == "success") > 1  # RCC0407 says it
    seen = {graph.start_at}
    todo = [graph.start_at]
    while todo:
        for t in _edges(by_name[todo.pop()]):
            if t in by_name and t not in seen:
                seen.add(t)
                todo.append(t)
    # A failure anywhere reaches `fail`; and after a misspelt `next` (already reported)
    # the steps behind it would all be "unreachable": say nothing more.
    unreached = [node for node in graph.nodes
                 if node.name not in seen and node.kind != "fail" and not node.spec.get("implicit") and not dangling
                 and not (extra_success and node.kind == "success")]
    # Behind a cycle the flow never arrives, and any unreached step may be the exit the cycle
    # was meant to take: the cycle is the one error, and it names the steps it keeps out.
    if _report_cycles(graph, by_name, diags, [n.name for n in unreached]):
        return
    for node in unreached:
        diags.error("RCC0404", f"step `{node.name}` can never run: no path from `start_at` reaches it",
                    node.span, help=f"point a `next` or `on_failure` at `{node.name}`, or remove it")


def _report_cycles(graph: Graph, by_name: dict[str, Node], diags: Diagnostics, unreached: list[str]) -> bool:
    """Report each cycle once, at its back edge (an iterative DFS with colours); whether
    there was one."""
    cyclic = False
    colour: dict[str, int] = {}
    for root in [graph.start_at] + [n.name for n in graph.nodes]:
        if colour.get(root):
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            name, i = stack.pop()
            if i == 0:
                colour[name] = 1
                path.append(name)
            targets = [t for t in _edges(by_name[name]) if t in by_name]
            if i < len(targets):
                stack.append((name, i + 1))
                t = targets[i]
                if colour.get(t) == 1 and not (t == name and by_name[name].on_failure == t):
                    cycle = path[path.index(t):] + [t]
                    node = by_name[name]
                    key = "next" if node.next == t else "on_failure"
                    notes = [] if cyclic or not unreached else [
                        "while the cycle stands no path reaches " + ", ".join(f"`{n}`" for n in unreached)]
                    cyclic = True
                    diags.error("RCC0405", f"the steps form a cycle: {' → '.join(cycle)}", node.field_span(key),
                                help="pipelines are acyclic; to repeat work, use a `map` over a list", notes=notes)
                elif not colour.get(t):
                    stack.append((t, 0))
            else:
                colour[name] = 2
                path.pop()
    return cyclic
