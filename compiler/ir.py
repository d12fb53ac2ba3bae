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
