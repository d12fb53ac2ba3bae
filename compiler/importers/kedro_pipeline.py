"""kedro's pipeline as rcc's pipeline language: the text `rcc import kedro` writes.

Each kedro node becomes a `command_type: kedro` task naming it; an argo-kedro
FusedPipeline becomes a `fused` step whose `command` is the fused group's name (the one
name argo-kedro's `kedro run --nodes` accepts for it) and whose branch lists the inner
nodes; `machine_type` and `template` are copied as kedro reports them. The order and
the parallel steps are `lineage.structure`'s. Step names are the node names with what a
step name cannot hold (`.`, `%`, spaces, brackets) made `_`; the `command` keeps
kedro's name exactly.
"""

from __future__ import annotations

import re
from typing import Any

from compiler.importers.kedro_graph import KedroGraph, KedroNode
from compiler.importers.lineage import Par, Seq, Shape, Structure

RESERVED = ("success", "fail")
SHOWN = 10
"""Added waits the header names (then their count): a tangled lineage adds thousands."""


class _Names:
    """Unique, valid step names, handed out in the order of the written pipeline."""

    def __init__(self) -> None:
        self.used: set[str] = set(RESERVED)
        self.parallel = 0

    def step(self, kedro_name: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_-]+", "_", kedro_name).strip("_") or "node"
        base = f"{base}_node" if base in RESERVED else base
        name, n = base, 1
        while name in self.used:
            n += 1
            name = f"{base}_{n}"
        self.used.add(name)
        return name

    def par(self) -> str:
        while True:
            self.parallel += 1
            name = f"parallel_{self.parallel}"
            if name not in self.used:
                self.used.add(name)
                return name


def _kedro_step(node: KedroNode, names: _Names) -> tuple[str, dict[str, Any]]:
    step: dict[str, Any] = {"type": "fused" if node.fused else "task"}
    if not node.fused:
        step["command_type"] = "kedro"
    step["command"] = node.name
    if node.machine_type:
        step["machine_type"] = node.machine_type
    if node.template:
        step["template"] = node.template
    name = names.step(node.name)
    if node.fused:
        inner = _Names()
        step["branch"] = _chain([(inner.step(n), {"type": "task", "command_type": "kedro", "command": n})
                                 for n in node.fused])
    return name, step


def _chain(steps: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """A graph running `steps` one after the other, then success."""
    out: dict[str, Any] = {"start_at": steps[0][0], "steps": {}}
    for i, (name, step) in enumerate(steps):
        step["next"] = steps[i + 1][0] if i + 1 < len(steps) else "success"
        out["steps"][name] = step
    out["steps"]["success"] = {"type": "success"}
    out["steps"]["fail"] = {"type": "fail"}
    return out


def _graph(shape: Seq, nodes: dict[str, KedroNode], names: _Names) -> dict[str, Any]:
    return _chain([_step(item, nodes, names) for item in shape.items])


def _step(item: Shape, nodes: dict[str, KedroNode], names: _Names) -> tuple[str, dict[str, Any]]:
    if isinstance(item, str):
        return _kedro_step(nodes[item], names)
    if isinstance(item, Par):
        name = names.par()
        branches: dict[str, Any] = {}
        for b in item.branches:
            graph = _graph(b if isinstance(b, Seq) else Seq((b,)), nodes, names)
            branches[graph["start_at"]] = graph
        return name, {"type": "parallel", "branches": branches}
    raise AssertionError(f"a sequence inside a sequence: {item!r}")  # lineage flattens them


def pipeline_data(graph: KedroGraph, shape: Structure) -> dict[str, Any]:
    return {"dag": _graph(shape.shape, {n.name: n for n in graph.nodes}, _Names())}


def header(graph: KedroGraph, shape: Structure) -> str:
    """The comment the written file starts with: where it came from, and what lineage cost."""
    lines = [f"# Written by `rcc import kedro` from the kedro project `{graph.project}`, pipeline "
             f"`{graph.pipeline}` (kedro {graph.kedro}).",
             "# kedro is the source of truth: change the project and import again rather than edit this file."]
    if shape.added:
        lines.append("# Lineage is not series-parallel; these waits were added (a node starts after another it does "
                     "not read from):")
        lines += [f"#   {after} after {before}" for before, after in shape.added[:SHOWN]]
        if len(shape.added) > SHOWN:
            lines.append(f"#   and {len(shape.added) - SHOWN} more")
    return "\n".join(lines) + "\n"
