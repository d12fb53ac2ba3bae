"""The pipeline as a picture: Mermaid flowchart or Graphviz DOT, from the IR after lowering.

Why from the IR and not the manifest: a reviewer wants the pipeline as it was written
(steps, branches, `on_failure` paths), not Argo's fan-out/fan-in templates, and a
picture must not need a configuration or a container image. Why text formats: GitHub
renders a ```mermaid block in a pull request, and DOT goes through `dot -Tsvg`.

Conventions, the same in both formats:
- every graph (the pipeline, each branch) has a `start` marker pointing at `start_at`;
- composite steps (parallel, map, conditional, fused) are subgraphs / clusters, with one
  nested subgraph per branch for parallel and conditional;
- `next` is a solid arrow, `on_failure` a dashed arrow labelled `on_failure`; a step
  without `on_failure` has an unlabelled dashed arrow into its graph's `fail` (runnable
  sends its failure there), so every way into `fail` is drawn;
- an arrow into a composite forks into each branch's start marker, and the arrows out of
  it leave from each branch's `success` (its failures from each branch's `fail`): with no
  arrow touching the composite's box, the layout engines (Mermaid's dagre, Graphviz's dot)
  put the branches on one rank, side by side, in their written order (`ordering=out`);
  Mermaid stacks a box's subgraphs when arrows meet the box itself, `direction` or not;
- success and fail are rounded terminals, styled green and red.

Node identifiers are allocated in source order (n1, n2, ...), so output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compiler.ir import Graph, Node

FORMATS = ("mermaid", "dot")


@dataclass
class _Ids:
    """Deterministic identifiers for nodes, start markers and clusters."""

    count: int = 0
    by_node: dict[int, str] = field(default_factory=dict)
    start_of: dict[int, str] = field(default_factory=dict)  # graph -> its start marker

    def fresh(self, prefix: str = "n") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def node(self, n: Node) -> str:
        if id(n) not in self.by_node:
            self.by_node[id(n)] = self.fresh("c" if _is_cluster(n) else "n")
        return self.by_node[id(n)]


def _is_cluster(n: Node) -> bool:
    return bool(n.branches)


def composite_title(n: Node) -> str:
    """What a reader needs to know about a composite, in its subgraph's title."""
    if n.kind == "map":
        return f"{n.name} (map: each {n.spec.get('iterate_as')} in {n.spec.get('iterate_on')})"
    if n.kind == "conditional":
        return f"{n.name} (conditional on {n.spec.get('parameter')})"
    if n.kind == "fused":
        return f"{n.name} (fused: one pod)"
    return f"{n.name} ({n.kind})"


def branch_title(owner: Node, branch: Graph) -> str:
    if owner.kind == "conditional":
        return "default" if branch.key == "default" and owner.spec.get("has_default") else \
            f"{owner.spec.get('parameter')} = {branch.key}"
    return branch.key


def _inline_branch(owner: Node) -> bool:
    """A map's or fused step's single branch is drawn directly inside the composite."""
    return owner.kind in ("map", "fused")


def _entries(n: Node, ids: _Ids) -> list[str]:
    """Where an arrow into `n` lands: a composite's branches' start markers."""
    if not _is_cluster(n):
        return [ids.node(n)]
    return [ids.start_of[id(b)] for b in n.branches]


def _exits(n: Node, ids: _Ids, kind: str) -> list[str]:
    """Where an arrow out of `n` leaves: a composite's branches' `success` (for `next`) or
    `fail` (for failures), through nested composites."""
    if not _is_cluster(n):
        return [ids.node(n)]
    terminal = "success" if kind == "next" else "fail"
    out: list[str] = []
    for b in n.branches:
        for inner in b.nodes:
            if inner.kind == terminal:
                out.append(ids.node(inner))
    return out or [ids.node(n)]


def _edges(graph: Graph, ids: _Ids) -> list[tuple[str, str, str]]:
    """(from, to, kind) for one graph: `next`, `on_failure`, and the implicit failure edge
    of a step without `on_failure` into the graph's `fail`."""
    by_name = graph.by_name()
    fail = next((n for n in graph.nodes if n.kind == "fail"), None)
    out = []
    for n in graph.nodes:
        if n.kind in ("success", "fail"):
            continue
        targets = [("next", n.next), ("on_failure", n.on_failure)]
        if n.on_failure is None and fail is not None:
            targets.append(("fails", fail.name))
        for kind, target in targets:
            if target is None or target not in by_name:
                continue
            for a in _exits(n, ids, kind):
                for b in _entries(by_name[target], ids):
                    out.append((a, b, kind))
    return out


# -- Mermaid -------------------------------------------------------------------------------

def _mq(text: str) -> str:
    """A Mermaid quoted label: quotes and angle brackets as entities."""
    return '"' + text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;") + '"'


def to_mermaid(graph: Graph) -> str:
    ids = _Ids()
    lines = ["flowchart TD"]
    edges: list[str] = []
    _mermaid_graph(graph, ids, lines, edges, "  ")
    lines += edges
    lines += [
        "  classDef success fill:#d4edda,stroke:#28a745,color:#155724",
        "  classDef fail fill:#f8d7da,stroke:#dc3545,color:#721c24",
        "  classDef stub stroke-dasharray:4 3",
        "  classDef start fill:#333,stroke:#333,color:#fff",
    ]
    return "\n".join(lines) + "\n"


def _mermaid_graph(graph: Graph, ids: _Ids, lines: list[str], edges: list[str], ind: str) -> None:
    start = ids.fresh("s")
    ids.start_of[id(graph)] = start
    lines.append(f"{ind}{start}(({_mq('start')})):::start")
    for n in graph.nodes:
        nid = ids.node(n)
        if _is_cluster(n):
            lines.append(f"{ind}subgraph {nid}[{_mq(composite_title(n))}]")
            for b in n.branches:
                if _inline_branch(n):
                    _mermaid_graph(b, ids, lines, edges, ind + "  ")
                else:
                    bid = ids.fresh("b")
                    lines.append(f"{ind}  subgraph {bid}[{_mq(branch_title(n, b))}]")
                    _mermaid_graph(b, ids, lines, edges, ind + "    ")
                    lines.append(f"{ind}  end")
            lines.append(f"{ind}end")
        elif n.kind in ("success", "fail"):
            lines.append(f"{ind}{nid}([{_mq(n.name)}]):::{n.kind}")
        elif n.kind == "stub":
            lines.append(f"{ind}{nid}[{_mq(n.name + ' (stub)')}]:::stub")
        else:
            lines.append(f"{ind}{nid}[{_mq(n.name)}]")
    first = graph.node(graph.start_at)
    if first is not None:
        edges += [f"  {start} --> {b}" for b in _entries(first, ids)]
    for a, b, kind in _edges(graph, ids):
        arrow = {"next": "-->", "on_failure": "-. on_failure .->", "fails": "-.->"}[kind]
        edges.append(f"  {a} {arrow} {b}")


# -- Graphviz DOT --------------------------------------------------------------------------

def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: Graph) -> str:
    ids = _Ids()
    lines = [
        "digraph pipeline {",
        "  rankdir=TB;",
        "  ordering=out;",
        '  node [shape=box, style="rounded", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    edges: list[str] = []
    _dot_graph(graph, ids, lines, edges, "  ")
    lines += edges
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_graph(graph: Graph, ids: _Ids, lines: list[str], edges: list[str], ind: str) -> None:
    start = ids.fresh("s")
    ids.start_of[id(graph)] = start
    lines.append(f'{ind}{start} [label="start", shape=circle, style=filled, fillcolor="#333333", '
                 f'fontcolor=white, fontsize=9, width=0.5, fixedsize=true];')
    for n in graph.nodes:
        nid = ids.node(n)
        if _is_cluster(n):
            lines.append(f"{ind}subgraph cluster_{nid} {{")
            lines.append(f'{ind}  label={_dq(composite_title(n))}; style="rounded"; color="#555555";')
            for b in n.branches:
                if _inline_branch(n):
                    _dot_graph(b, ids, lines, edges, ind + "  ")
                else:
                    bid = ids.fresh("b")
                    lines.append(f"{ind}  subgraph cluster_{bid} {{")
                    lines.append(f'{ind}    label={_dq(branch_title(n, b))}; style="dashed";')
                    _dot_graph(b, ids, lines, edges, ind + "    ")
                    lines.append(f"{ind}  }}")
            lines.append(f"{ind}}}")
        elif n.kind == "success":
            lines.append(f'{ind}{nid} [label={_dq(n.name)}, style="rounded,filled", fillcolor="#d4edda", color="#28a745"];')
        elif n.kind == "fail":
            lines.append(f'{ind}{nid} [label={_dq(n.name)}, style="rounded,filled", fillcolor="#f8d7da", color="#dc3545"];')
        elif n.kind == "stub":
            lines.append(f'{ind}{nid} [label={_dq(n.name + " (stub)")}, style="rounded,dashed"];')
        else:
            lines.append(f"{ind}{nid} [label={_dq(n.name)}];")
    first = graph.node(graph.start_at)
    if first is not None:
        edges += [f"  {start} -> {b};" for b in _entries(first, ids)]
    for a, b, kind in _edges(graph, ids):
        edges.append("  " + _dot_edge(a, b, kind))
    ends = [next((n for n in graph.nodes if n.kind == k), None) for k in ("success", "fail")]
    if ends[0] is not None and ends[1] is not None:
        edges.append(f"  {ids.node(ends[0])} -> {ids.node(ends[1])} [style=invis, minlen=0];")


def _dot_edge(a: str, b: str, kind: str) -> str:
    attrs = []
    if kind == "on_failure":
        attrs += ['style=dashed', 'color="#dc3545"', 'fontcolor="#dc3545"', 'label="on_failure"']
    elif kind == "fails":
        # constraint=false: these many arrows would otherwise reorder the branches (dot's
        # crossing minimisation); the invisible success -> fail edge keeps `fail` low instead.
        attrs += ['style=dashed', 'color="#dc354580"', 'arrowsize=0.6', 'constraint=false']
    return f"{a} -> {b}" + (f" [{', '.join(attrs)}];" if attrs else ";")


def render(graph: Graph, fmt: str) -> str:
    if fmt == "mermaid":
        return to_mermaid(graph)
    if fmt == "dot":
        return to_dot(graph)
    raise ValueError(f"unknown graph format {fmt!r}")
