"""Which values each step sees, scoped the way runnable 0.50 scopes parameters.

The native runtime carries values through Argo (output parameters, task arguments), so
it must know at compile time which value reaches which step. The rules are runnable
0.50's, read in its source (runnable/tasks.py, extensions/nodes/*.py) and measured with
`runnable execute` (tests/native):

- each graph has its own scope: the pipeline's starts with the initial parameters; a
  branch's (a parallel branch, the chosen conditional branch, each map iteration) starts
  empty: a step inside a branch does not see the values of the enclosing graph;
- a task reads its graph's scope (plus the loop variables of every enclosing map); a
  task that succeeds writes its `returns` into it;
- a composite that succeeds writes into its graph's scope: a parallel every branch's
  scope, in branch order (the last branch wins); a map, for each name a task directly in
  its branch returns, the reducer over the iterations' values (a list by default); a
  conditional the chosen branch's scope (passed when one branch alone sets the name and
  nothing else in the graph does: present when that branch ran, else absent);
- a map's `iterate_on` and a conditional's `parameter` are read from the pipeline's
  scope, wherever the step is.

Argo passes a value by naming the task that produced it, so a value is passed only
where its producer is certain: the last producer among the steps every path to the
consumer leaves through `next` (so they ran and succeeded). A value that some paths
bring and others do not is path-dependent and is not passed (`dropped`, a warning).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compiler.ir import Graph, Node

ARGUMENT = ""
"""Producer of an initial parameter: the workflow argument of that name."""
ABSENT = "<rcc: absent>"
"""The text of a value a graph may end without (see GraphFlow.maybe); readers skip it."""


@dataclass
class GraphFlow:
    visible: dict[str, dict[str, str]] = field(default_factory=dict)
    """node name -> {value name: producer node name (or ARGUMENT)}"""
    dropped: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """node name -> values that reach it on some paths only"""
    outputs: dict[str, str] = field(default_factory=dict)
    """The graph's scope when it reaches `success`: value -> producer."""
    maybe: dict[str, str] = field(default_factory=dict)
    """Values at `success` that one step alone may have set (a recovery path's): value -> that step.
    Argo's DAG outputs fall back to a default when the step did not run, so they pass as
    present-or-absent (ABSENT)."""


@dataclass
class Flow:
    graphs: dict[str, GraphFlow] = field(default_factory=dict)
    """By graph qualname ("" for the pipeline)."""
    produces: dict[str, dict[str, str]] = field(default_factory=dict)
    """By node qualname: what the step writes into its graph's scope -> where inside it comes from
    (a task: its own output; a parallel: the branch key; a map: "fan-in")."""
    root_reads: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """By composite or graph qualname: names of the pipeline's scope read by it or inside it."""
    conditional_lost: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """By conditional qualname: values more than one of its branches set (Argo's outputs name one task)."""
    conditional_hidden: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """By conditional qualname: values one branch sets that would hide another value of the graph."""
    parallel_maybe: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """By parallel qualname: values it passes out as present-or-absent (a branch's recovery path alone sets them)."""
    parallel_hidden: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """By parallel qualname: such values that would hide another value (an earlier branch's, the graph's)."""


def returns_of(node: Node) -> tuple[str, ...]:
    if node.kind != "task":
        return ()
    out = []
    for r in node.spec.get("returns") or ():
        name = r.get("name") if isinstance(r, dict) else r
        if isinstance(name, str) and name not in out:
            out.append(name)
    return tuple(out)


def analyse(graph: Graph, initial: tuple[str, ...]) -> Flow:
    flow = Flow()
    _graph(graph, initial, flow)
    return flow


def _graph(graph: Graph, initial: tuple[str, ...], flow: Flow) -> GraphFlow:
    produces: dict[str, tuple[str, ...]] = {}
    reads: list[str] = []
    for node in graph.nodes:
        produces[node.name] = tuple(_node(node, flow))
        for name in flow.root_reads.get(node.qualname, ()):
            if name not in reads:
                reads.append(name)
    _unshadow_maybes(graph, initial, produces, flow)
    flow.root_reads[graph.qualname] = tuple(reads)
    gf = _scopes(graph, initial, produces)
    flow.graphs[graph.qualname] = gf
    return gf


def _node(node: Node, flow: Flow) -> list[str]:
    """Analyse a step's branches; return the names it writes into its graph's scope."""
    sources: dict[str, str] = {}
    if node.kind == "task":
        sources = {name: node.name for name in returns_of(node)}
    elif node.kind in ("parallel", "map", "conditional"):
        branch_flows = [(b, _graph(b, (), flow)) for b in node.branches]
        reads: list[str] = []
        own = node.spec.get("iterate_on") if node.kind == "map" else node.spec.get("parameter") \
            if node.kind == "conditional" else None
        if isinstance(own, str):
            reads.append(own)
        for b, _ in branch_flows:
            for name in flow.root_reads.get(b.qualname, ()):
                if name not in reads:
                    reads.append(name)
        flow.root_reads[node.qualname] = tuple(reads)
        if node.kind == "parallel":
            certain_in: dict[str, str] = {}
            for b, bf in branch_flows:
                for name in list(bf.outputs) + list(bf.maybe):
                    sources.pop(name, None)
                    sources[name] = b.key  # the last branch wins, as runnable's dict update
                    if name in bf.outputs:
                        certain_in[name] = b.key
            _settle_parallel_maybes(node, branch_flows, sources, certain_in, flow)
        elif node.kind == "map":
            for inner in node.branches[0].nodes:
                for name in returns_of(inner):
                    sources.setdefault(name, "fan-in")
        else:  # a conditional: the chosen branch's scope, which Argo can name only when one branch sets it
            setters: dict[str, list[str]] = {}
            for b, bf in branch_flows:
                for name in list(bf.outputs) + list(bf.maybe):
                    setters.setdefault(name, []).append(b.key)
            lost = sorted(name for name, keys in setters.items() if len(keys) > 1)
            if lost:
                flow.conditional_lost[node.qualname] = tuple(lost)
            for name, keys in setters.items():
                if len(keys) == 1:
                    sources[name] = keys[0]
    flow.produces[node.qualname] = sources
    return list(sources)


def _settle_parallel_maybes(node: Node, branch_flows: list, sources: dict[str, str], certain_in: dict[str, str],
                            flow: Flow) -> None:
    """A branch whose recovery path alone sets a value passes it out present-or-absent. If an
    earlier branch sets it for certain, runnable keeps that one when the recovery did not run,
    and Argo's fallback is fixed text: the earlier branch's value is passed and the maybe is
    reported (RCC0296)."""
    maybe_from = {name: key for b, bf in branch_flows for name, key in ((n, b.key) for n in bf.maybe)}
    hidden, maybe = [], []
    for name, key in sources.items():
        if name not in maybe_from or maybe_from[name] != key or certain_in.get(name) == key:
            continue
        if name in certain_in:
            sources[name] = certain_in[name]
            hidden.append(name)
        else:
            maybe.append(name)
    if hidden:
        flow.parallel_hidden[node.qualname] = tuple(sorted(hidden))
    if maybe:
        flow.parallel_maybe[node.qualname] = tuple(maybe)


def _unshadow_maybes(graph: Graph, initial: tuple[str, ...], produces: dict[str, tuple[str, ...]],
                           flow: Flow) -> None:
    """A conditional passes a value out as present-or-absent (its DAG output falls back to
    ABSENT when the branch that sets it did not run), and so does a parallel for a value only
    a branch's recovery path sets. Where the graph may hold another value of that name (an
    initial parameter, another step's), runnable keeps that value when the setter does not
    run, and Argo cannot fall back to it: not passed (RCC0291 for a conditional, RCC0296 for
    a parallel)."""
    for node in graph.nodes:
        if node.kind == "conditional":
            candidates, record = produces[node.name], flow.conditional_hidden
        elif node.kind == "parallel" and node.qualname in flow.parallel_maybe:
            candidates, record = flow.parallel_maybe[node.qualname], flow.parallel_hidden
        else:
            continue
        others = set(initial) | {v for n, vs in produces.items() if n != node.name for v in vs}
        hidden = tuple(sorted(v for v in candidates if v in others))
        if hidden:
            record[node.qualname] = tuple(sorted(set(record.get(node.qualname, ())) | set(hidden)))
            produces[node.name] = tuple(v for v in produces[node.name] if v not in hidden)
            flow.produces[node.qualname] = {v: k for v, k in flow.produces[node.qualname].items() if v not in hidden}


def edges(graph: Graph) -> list[tuple[str, str, bool]]:
    """(from, to, on success) for every edge a run can take, with runnable's implicit rule
    that a step failing without `on_failure` goes to its graph's `fail` step."""
    names = graph.by_name()
    fail = next((n.name for n in graph.nodes if n.kind == "fail"), None)
    out = []
    for n in graph.nodes:
        if n.next in names:
            out.append((n.name, n.next, True))
        if n.on_failure in names:
            out.append((n.name, n.on_failure, False))
        elif fail is not None and n.kind not in ("success", "fail") and n.name != fail:
            out.append((n.name, fail, False))
    return out


def _topological(graph: Graph, succ: dict[str, list[str]]) -> list[str]:
    """Reachable steps from start_at, each after all its reachable predecessors (cycles: cut)."""
    start = graph.start_at
    if graph.node(start) is None:
        return []
    seen, todo = {start}, [start]
    while todo:
        for t in succ.get(todo.pop(), ()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    indeg = {n: 0 for n in seen}
    for a in seen:
        for t in succ.get(a, ()):
            indeg[t] += 1
    order, ready = [], [start] if indeg[start] == 0 else []
    while ready:
        a = ready.pop()
        order.append(a)
        for t in succ.get(a, ()):
            indeg[t] -= 1
            if indeg[t] == 0:
                ready.append(t)
    return order


def _scopes(graph: Graph, initial: tuple[str, ...], produces: dict[str, tuple[str, ...]]) -> GraphFlow:
    es = edges(graph)
    succ: dict[str, list[str]] = {}
    incoming: dict[str, list[tuple[str, bool]]] = {}
    for a, b, ok in es:
        succ.setdefault(a, []).append(b)
        incoming.setdefault(b, []).append((a, ok))
    order = _topological(graph, succ)
    index = {n: i for i, n in enumerate(order)}
    # up[n]: the last step every path to n leaves through `next` (None: none); a chain, so
    # the set of certain producers is found by walking it (Cooper-Harvey-Kennedy intersection).
    up: dict[str, str | None] = {}
    root = graph.start_at

    def tail(p: str, ok: bool) -> str | None:
        return p if ok else up.get(p)

    def meet(a: str | None, b: str | None) -> str | None:
        while a != b:
            if a is None or b is None:
                return None
            while a is not None and b is not None and index[a] > index[b]:
                a = up.get(a)
            while a is not None and b is not None and index[b] > index[a]:
                b = up.get(b)
        return a

    certain: dict[str | None, dict[str, str]] = {None: {name: ARGUMENT for name in initial}}
    for n in order:
        if n == root:
            up[n] = None
        else:
            tails = [tail(p, ok) for p, ok in incoming.get(n, ()) if p in index]
            t = tails[0] if tails else None
            for other in tails[1:]:
                t = meet(t, other)
            up[n] = t
        # the scope every path brings: the chain's values, memoised by chain tail
    for n in order:
        _chain_scope(n, up, produces, certain)
    # producers of each value, and where each can have succeeded before
    reach_after: dict[str, set[str]] = {}
    by_value: dict[str, list[str]] = {}
    for n in order:
        for v in produces.get(n, ()):
            by_value.setdefault(v, []).append(n)
    for ps in by_value.values():
        for p in ps:
            if p not in reach_after:
                reach_after[p] = _reachable_from([b for a, b, ok in es if a == p and ok], succ)
    gf = GraphFlow()
    for n in order:
        scope = dict(certain[up[n]])
        lost = []
        for v, ps in by_value.items():
            last = scope.get(v)
            for p in ps:
                if p == last or n not in reach_after[p]:
                    continue
                if last is None or last == ARGUMENT or last not in reach_after[p]:
                    lost.append(v)
                    scope.pop(v, None)
                    break
        gf.visible[n] = scope
        if lost:
            gf.dropped[n] = tuple(sorted(lost))
    success = next((n.name for n in graph.nodes if n.kind == "success" and n.name in gf.visible), None)
    if success is not None:
        gf.outputs = dict(gf.visible[success])
        for v in gf.dropped.get(success, ()):
            possible = [p for p in by_value.get(v, ()) if success in reach_after[p]]
            if len(possible) == 1 and v not in certain[up[success]]:
                gf.maybe[v] = possible[0]
        if gf.maybe:
            left = tuple(v for v in gf.dropped[success] if v not in gf.maybe)
            if left:
                gf.dropped[success] = left
            else:
                del gf.dropped[success]
    return gf


def _chain_scope(n: str, up: dict, produces: dict, certain: dict) -> dict[str, str]:
    """The values certain at every path's end after `n` succeeded: its chain's, then its own."""
    if n in certain:
        return certain[n]
    stack, cur = [], n
    while cur is not None and cur not in certain:
        stack.append(cur)
        cur = up.get(cur)
    for m in reversed(stack):
        scope = dict(certain[up.get(m)])
        for v in produces.get(m, ()):
            scope[v] = m
        certain[m] = scope
    return certain[n]


def _reachable_from(starts: list[str], succ: dict[str, list[str]]) -> set[str]:
    seen, todo = set(starts), list(starts)
    while todo:
        for t in succ.get(todo.pop(), ()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def loop_vars(graph: Graph, outer: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each step's enclosing maps' loop variables (outermost first), by qualified name."""
    out: dict[str, tuple[str, ...]] = {}
    for node in graph.nodes:
        out[node.qualname] = outer
        inner = outer + (str(node.spec["iterate_as"]),) if node.kind == "map" else outer
        for b in node.branches:
            out.update(loop_vars(b, inner))
    return out
