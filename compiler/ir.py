"""The IR: an immutable graph of steps, independent of YAML and of Argo.

Lowering builds it from the surface models; each pass returns a new `Program` (via
`dataclasses.replace`) rather than mutating one, so a pass can be tested alone and the
order of passes is the only coupling between them. Nodes are addressed by their
qualified name (runnable's "internal name"): step names joined by `.`, with a branch
key as a segment, `map_variable_placeholder` for a map's branch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from compiler.diagnostics import Span

MAP_PLACEHOLDER = "map_variable_placeholder"
COMPOSITE_KINDS = frozenset({"parallel", "map", "conditional"})
LEAF_KINDS = frozenset({"task", "stub", "success", "fail", "fused"})
TERMINAL_KINDS = frozenset({"success", "fail"})


@dataclass(frozen=True)
class Node:
    name: str
    qualname: str
    kind: str
    span: Span
    next: str | None = None
    on_failure: str | None = None
    spec: Mapping[str, Any] = field(default_factory=dict)
    """The step's own fields (command, command_type, returns, iterate_on, ...)."""
    requests: Mapping[str, Any] = field(default_factory=dict)
    """What the step asks of its compute: overrides, mode_config, machine_type, image, env, template."""
    branches: tuple["Graph", ...] = ()
    settings: Mapping[str, Any] | None = None
    """Filled by `resolve_overrides`: the step's final compute settings."""
    spans: Mapping[str, Span] = field(default_factory=dict)
    """Spans of individual fields (`next`, `on_failure`, `iterate_on`, ...) for diagnostics."""

    @property
    def is_composite(self) -> bool:
        return self.kind in COMPOSITE_KINDS

    def field_span(self, key: str) -> Span:
        return self.spans.get(key, self.span)


@dataclass(frozen=True)
class Graph:
    """The pipeline's top graph or one branch of a composite; `key` is the branch key."""

    qualname: str
    key: str
    start_at: str
    nodes: tuple[Node, ...]
    span: Span
    start_span: Span

    def node(self, name: str) -> Node | None:
        for n in self.nodes:
            if n.name == name:
                return n
        return None

    def by_name(self) -> dict[str, Node]:
        return {n.name: n for n in self.nodes}


@dataclass(frozen=True)
class Sources:
    """Where the inputs came from, as the runtime inside the container must name them."""

    pipeline_file: str
    config_file: str | None
    parameters_file: str | None


@dataclass(frozen=True)
class Program:
    graph: Graph
    config: Any
    """The normalised configuration (`compiler.config.Config`)."""
    parameters: Mapping[str, Any]
    sources: Sources
    dag_hash: str = ""
    canonical: Any = None
    """The pipeline as plain data with defaults filled in: what `dag_hash` digests."""
    units: tuple["Unit", ...] = ()
    """Filled by `flatten`: every template-to-be, the entry DAG first."""
    parameter_spans: Mapping[str, Span] = field(default_factory=dict)
    """Where each initial parameter is written (its key in the parameters file), for diagnostics."""


def walk(graph: Graph) -> Iterator[tuple[Graph, Node]]:
    """Every node of every graph, depth first, in the order they are written."""
    stack: list[Graph] = [graph]
    while stack:
        g = stack.pop()
        for n in g.nodes:
            yield g, n
        for n in reversed(g.nodes):
            stack.extend(reversed(n.branches))


def map_graph(graph: Graph, fn) -> Graph:
    """Rebuild a graph with `fn(node, graph) -> node` applied to every node, bottom-up."""
    from dataclasses import replace

    nodes = []
    for n in graph.nodes:
        if n.branches:
            n = replace(n, branches=tuple(map_graph(b, fn) for b in n.branches))
        nodes.append(fn(n, graph))
    return replace(graph, nodes=tuple(nodes))


# -- the flattened form (after `flatten`) ------------------------------------------------
#
# A `Unit` is one reusable piece of work: a leaf that runs in one container, or a DAG of
# tasks. A `Task` is one use of a unit inside a DAG. Dependencies are small expression
# trees, `("is", task, outcome)`, `("or", [...])`, `("and", [...])`, with outcomes
# Succeeded, Failed, Skipped; the backend writes them in Argo's `depends` syntax.

Expr = tuple


@dataclass(frozen=True)
class Task:
    key: str
    """Unique within its DAG; the name pass makes it a valid task name."""
    unit: str
    """Key of the unit this task runs."""
    node: Node | None
    """The IR node this task stands for (None for none)."""
    role: str
    """step | fan-out | branch | fan-in"""
    depends: Expr | None = None
    arguments: tuple[tuple[str, tuple], ...] = ()
    """(input name, source): ("input", var) | ("item",) | ("value", text)."""
    loop_over: str | None = None
    """Key of the fan-out task whose list output this task iterates over (maps)."""
    case: tuple | None = None
    """Conditional branches: (fan-out task key, branch key or None for default, all keys)."""
    name: str = ""


@dataclass(frozen=True)
class Unit:
    key: str
    kind: str
    """leaf | dag"""
    role: str
    """leaf roles: step | fan-out | fan-in; dag roles: graph | composite"""
    node: Node | None = None
    """leaf step: one node (when not shared); composite: the composite node."""
    graph: Graph | None = None
    inputs: tuple[str, ...] = ()
    """Loop variables (outermost first) the unit receives as input parameters."""
    tasks: tuple[Task, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    composite_kind: str | None = None
    """For fan-out/fan-in leaves and composite dags: parallel | map | conditional."""
    takes_node: bool = False
    """Shared leaf: the node's qualified name arrives as the input parameter `node`."""
    first: bool = False
    """The first container of the run (it receives the initial parameters)."""
    name: str = ""
    base_name: str = ""
    """What the name pass starts from when making this unit's template name."""
