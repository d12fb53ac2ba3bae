"""lower: surface models → the IR graph, with qualified names and spans attached.

This is the last place that knows the surface syntax: after it, a step is a `Node` with
a kind, its own fields (`spec`), what it asks of its compute (`requests`) and its
branches. Qualified names follow runnable's rule so that the runtime inside the container
addresses the same node: `outer.branch.inner`, `map_variable_placeholder` for a map.
"""

from __future__ import annotations

from typing import Any

from compiler.frontend.load import Located
from compiler.ir import MAP_PLACEHOLDER, Graph, Node

_REQUEST_KEYS = ("overrides", "mode_config", "machine_type", "template", "image", "env")
_GRAPH_KEYS = ("next", "on_failure", "type", "description") + _REQUEST_KEYS
_SPAN_KEYS = ("next", "on_failure", "iterate_on", "iterate_as", "parameter", "command", "type",
              "overrides", "machine_type", "template", "image", "env", "mode_config", "secrets", "description", "returns")


def lower_pipeline(pipeline: dict[str, Any], doc: Located) -> Graph:
    """`pipeline` is the validated surface data: `Pipeline.model_dump()` (see parse.parse_pipeline_data)."""
    return _graph(pipeline["dag"], doc, ("dag",), qual_prefix="", key="")


def _graph(graph: dict[str, Any], doc: Located, path: tuple, qual_prefix: str, key: str) -> Graph:
    nodes = []
    for name, step in graph["steps"].items():
        nodes.append(_node(name, step, doc, path + ("steps", name), qual_prefix))
    nodes += _implicit_terminals(graph["steps"], doc.key_span(path), qual_prefix)
    return Graph(
        qualname=qual_prefix.rstrip("."),
        key=key,
        start_at=graph["start_at"],
        nodes=tuple(nodes),
        span=doc.key_span(path),
        start_span=doc.span(path + ("start_at",)),
    )


def _implicit_terminals(steps: dict[str, Any], span, qual_prefix: str) -> list[Node]:
    """runnable's `add_terminal_nodes`: every graph (the pipeline and each branch) has a
    `success` and a `fail` step whether or not the file declares them, so `next: success`
    with no declared success step is the ordinary way to end a branch.

    One is added only when the graph has no step of that name and no step of that kind:
    a success step declared under another name is the graph's success step in rcc's
    language, and the runnable runtime, which would add a second one, refuses it
    (runtimes/runnable.py). The implicit node carries the graph's span and `implicit`
    in its spec, so no diagnostic points at a step the user never wrote.
    """
    out = []
    for kind in ("success", "fail"):
        if kind in steps or any(isinstance(s, dict) and s.get("type") == kind for s in steps.values()):
            continue
        out.append(Node(name=kind, qualname=qual_prefix + kind, kind=kind, span=span,
                        spec={"implicit": True}))
    return out


def _node(name: str, data: dict[str, Any], doc: Located, path: tuple, qual_prefix: str) -> Node:
    qualname = qual_prefix + name
    kind = data["type"]
    spans = {k: doc.span(path + (k,)) for k in _SPAN_KEYS if (path + (k,)) in doc.spans}
    if (path + ("overrides", "argo")) in doc.spans:
        spans["overrides.argo"] = doc.span(path + ("overrides", "argo"))
    branches: tuple[Graph, ...] = ()
    if kind in ("parallel", "conditional"):
        branches = tuple(
            _graph(g, doc, path + ("branches", key), f"{qualname}.{key}.", key)
            for key, g in data["branches"].items()
        )
        if kind == "conditional" and data["default"] is not None:
            branches += (_graph(data["default"], doc, path + ("default",), f"{qualname}.default.", "default"),)
    elif kind == "map":
        branches = (_graph(data["branch"], doc, path + ("branch",), f"{qualname}.{MAP_PLACEHOLDER}.", MAP_PLACEHOLDER),)
    elif kind == "fused":
        branches = (_graph(data["branch"], doc, path + ("branch",), f"{qualname}.", "fused"),)
    spec = {k: v for k, v in data.items() if k not in _GRAPH_KEYS and k not in ("branches", "branch", "default")}
    if kind == "conditional" and data["default"] is not None:
        spec["has_default"] = True  # the default branch is the last of `branches`
    requests = {k: data.get(k) for k in _REQUEST_KEYS if data.get(k)}
    return Node(
        name=name,
        qualname=qualname,
        kind=kind,
        span=doc.key_span(path),
        next=data.get("next"),
        on_failure=data.get("on_failure") or None,
        spec=spec,
        requests=requests,
        branches=branches,
        spans=spans,
    )
