"""resolve_overrides: each step's final compute settings.

Precedence, lowest first: executor defaults < configuration defaults < the
configuration's `default_machine_type` < the step's named override < the step's
`machine_type` (argo-kedro) < its `mode_config.argo` (magnus) < the step's own keys
(`image`, `env`, `template`). Mappings merge key by key (an
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
from compiler.diagnostics import suggest
from compiler.ir import Graph, Node, Program, map_graph

EXECUTOR_NAME = "argo"


def resolve_overrides(program: Program, ctx: Context) -> Program:
    config: Config = program.config
    reported: set[tuple[str | None, str]] = set()

    def resolve(node: Node, graph: Graph) -> Node:
        settings = dict(config.defaults)
        machines = config.workflow.get("machine_types") or {}
        default_machine = config.workflow.get("default_machine_type")
        if default_machine in machines:
            settings = merge_settings(settings, machine_settings(machines[default_machine]))
        name = (node.requests.get("overrides") or {}).get(EXECUTOR_NAME)
        if name is not None:
            if name in config.overrides:
                settings = merge_settings(settings, config.overrides[name])
            else:
                known = sorted(config.overrides)
                ctx.diags.error(
                    "RCC0502", f"step `{node.name}` asks for the override `{name}`, which the configuration does not define",
                    node.field_span("overrides.argo"),
                    help=suggest(name, known, f"the configuration defines: {', '.join(known)}" if known else
                                 f"define it under the executor's `overrides: {{{name}: {{...}}}}`"),
                )
        if node.requests.get("machine_type") in machines:
            # A machine type is a whole shape: a GPU of the default machine must not leak into it.
            settings = {k: v for k, v in settings.items() if k not in ("resources", "machine")}
        settings = merge_settings(settings, requested_settings(node, config, ctx))
        settings = merge_settings(settings, own_settings(node))
        _check_request_limits(node, settings, name, reported, ctx)
        template = settings.get("template")
        if template and template not in (config.workflow.get("templates") or {}):
            _unknown(ctx, node, "template", template, config.workflow.get("templates") or {}, "RCC0522",
                     "custom template", "define it under the configuration's `templates: [{name: ..., container: {...}}]`")
        return replace(node, settings=settings)

    graph = map_graph(program.graph, resolve)
    return replace(program, graph=graph)


def _check_request_limits(node: Node, settings: dict[str, Any], override: str | None,
                          reported: set[tuple[str | None, str]], ctx: Context) -> None:
    """A request above its limit after merging: the API server would refuse every such pod.

    Each file's resources are checked as written (RCC0879 in the configuration); this is
    the case no single mapping shows, such as an override raising a request above the
    defaults' limit. Reported once per override and resource, not once per step.
    """
    from compiler.quantity import request_over_limit

    res = settings.get("resources") or {}
    requests, limits = res.get("requests") or {}, res.get("limits") or {}
    for resource in sorted(set(requests) & set(limits)):
        if not request_over_limit(requests[resource], limits[resource]) or (override, resource) in reported:
            continue
        reported.add((override, resource))
        where = f"the override `{override}`" if override else "its settings"
        ctx.diags.error(
            "RCC0879", f"step `{node.name}` would request {requests[resource]} of {resource}, above its limit "
            f"{limits[resource]}: {where} and the defaults merge to a pod Kubernetes refuses",
            node.field_span("overrides.argo") if override else node.field_span("type"),
            help=f"set `limits: {{{resource}: {requests[resource]}}}` beside the request"
                 + (f" in the override `{override}`" if override else ""),
        )


def requested_settings(node: Node, config: Config, ctx: Context) -> dict[str, Any]:
    """argo-kedro's `machine_type`, then magnus' `mode_config: {argo: {...}}`."""
    out: dict[str, Any] = {}
    machine = node.requests.get("machine_type")
    if machine:
        machines = config.workflow.get("machine_types") or {}
        if machine in machines:
            out = merge_settings(out, machine_settings(machines[machine]))
        else:
            _unknown(ctx, node, "machine_type", machine, machines, "RCC0521", "machine type",
                     "define it under the configuration's `machine_types: {NAME: {mem, cpu, num_gpu}}`")
    mode = (node.requests.get("mode_config") or {}).get(EXECUTOR_NAME)
    if mode is not None:
        from pydantic import ValidationError

        from compiler.frontend.config.magnus import STEP_KEYS, MagnusStep, step_settings

        try:
            out = merge_settings(out, step_settings(MagnusStep.model_validate(mode), with_defaults=False))
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else "argo"
                ctx.diags.error("RCC0520", f"step `{node.name}`: `mode_config.argo.{key}`: {err['msg']}",
                                node.field_span("mode_config"),
                                help=suggest(key, STEP_KEYS, f"mode_config.argo may set: {', '.join(STEP_KEYS)}"))
    return out


def machine_settings(machine: dict[str, Any]) -> dict[str, Any]:
    """argo-kedro's machine type as resources: mem in GiB, cpu in cores and GPUs, requested = limited.

    The machine itself is kept (`machine`) for what the kedro runtime derives from it:
    NUM_CPU, MEM_LIMIT_GB, the GPU toleration and the scratch volume's size.
    """
    amounts = {"cpu": machine["cpu"], "memory": f"{machine['mem']}Gi"}
    if machine.get("num_gpu"):
        amounts["nvidia.com/gpu"] = machine["num_gpu"]
    return {"resources": {"limits": dict(amounts), "requests": dict(amounts)}, "machine": dict(machine)}


def _unknown(ctx: Context, node: Node, field: str, value: str, known_map, code: str, what: str, define: str) -> None:
    known = sorted(known_map)
    ctx.diags.error(code, f"step `{node.name}` asks for the {what} `{value}`, which the configuration does not define",
                    node.field_span(field),
                    help=suggest(value, known, f"known: {', '.join(known)}" if known else define))


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
