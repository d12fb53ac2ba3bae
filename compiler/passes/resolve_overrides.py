"""resolve_overrides: each step's final compute settings.

Precedence, lowest first: executor defaults < configuration defaults < the step's named
override < the step's own keys (`image`, `env`, ...). Mappings merge key by key (an
override that sets `resources.limits.cpu` keeps the default memory), lists replace,
and `env` merges by variable name. An override name the configuration does not define
is an error (runnable silently ignores it). Composite steps get settings too: their
`parallelism` and `fail_fast` apply to their own DAG.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from compiler.config import Config, deep_merge
from compiler.context import Context
from compiler.diagnostics import did_you_mean
from compiler.ir import Graph, Node, Program, map_graph

EXECUTOR_NAME = "argo"


def resolve_overrides(program: Program, ctx: Context) -> Program:
    config: Config = program.config

    def resolve(node: Node, graph: Graph) -> Node:
        settings = dict(config.defaults)
        name = (node.requests.get("overrides") or {}).get(EXECUTOR_NAME)
        if name is not None:
            if name in config.overrides:
                settings = merge_settings(settings, config.overrides[name])
            else:
                known = sorted(config.overrides)
                guess = did_you_mean(name, known)
                ctx.diags.error(
                    "RCC0502", f"step `{node.name}` asks for the override `{name}`, which the configuration does not define",
                    node.field_span("overrides.argo"),
                    help=f"did you mean `{guess}`?" if guess else
                    (f"the configuration defines: {', '.join(known)}" if known else
                     f"define it under the executor's `overrides: {{{name}: {{...}}}}`"),
                )
        settings = merge_settings(settings, own_settings(node))
        return replace(node, settings=settings)

    graph = map_graph(program.graph, resolve)
    return replace(program, graph=graph)


def own_settings(node: Node) -> dict[str, Any]:
    """Settings written on the step itself."""
    out: dict[str, Any] = {}
    if node.requests.get("image"):
        out["image"] = node.requests["image"]
    if node.requests.get("env"):
        out["env"] = [{"name": k, "value": str(v)} for k, v in node.requests["env"].items()]
    if node.requests.get("template"):
        out["template"] = node.requests["template"]
    return out


def merge_settings(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = deep_merge(base, {k: v for k, v in top.items() if k != "env"})
    if "env" in top:
        by_name = {e["name"]: e for e in base.get("env") or []}
        for e in top["env"] or []:
            by_name[e["name"]] = e
        merged["env"] = list(by_name.values())
    return merged
