"""Fields that belong only to leaf templates (a pod or an action), or only to steps/dag.

Why: `timeout`, `activeDeadlineSeconds` and `pendingTimeout` act on a pod, `parallelism`
on the children of steps/dag; Argo rejects them in the wrong place. Also here: the
other per-template checks of Argo's validator that concern what runs (image, mounts,
resource actions, retry policies).
"""

from __future__ import annotations

import re
from typing import Any

from compiler.tags import TagScanner
from compiler.verify.findings import Report
from compiler.verify.model import POD_TYPES, Doc, argo_leaf, dicts, is_leaf, mapping, template_type

INTEGER = re.compile(r"[-+]?[0-9]+\Z")
RESOURCE_ACTIONS = ("get", "create", "apply", "delete", "replace", "patch")
RETRY_POLICIES = ("Always", "OnError", "OnFailure", "OnTransientError")
POD_RESOURCE = re.compile(r"(cpu|memory|hugepages-.+)\Z")


def check(doc: Doc, report: Report) -> None:
    defaults = mapping(doc.spec.get("templateDefaults"))
    _retry(doc.spec.get("retryStrategy"), doc.spec_path + ("retryStrategy",), report)
    if doc.spec.get("podResources") is not None:
        _pod_resources(doc.spec["podResources"], doc.spec_path + ("podResources",), report)
    for path, t in doc.each_template():
        _placement(t, path, report)
        kind = template_type(t)
        if kind in ("container", "script"):
            body = mapping(t.get(kind))
            if not body.get("image") and not mapping(defaults.get(kind)).get("image"):
                report.error("RCC0849", f"{kind} template `{t.get('name')}` has no image", path + (kind,), key=True,
                             help=f"add `image:` to the {kind}, or set it in spec.templateDefaults.{kind}")
            _mounts(t, body, path, kind, report)
        if kind == "resource":
            _resource(mapping(t.get("resource")), path + ("resource",), report)
            _manifest_artifact(t, path, report)
        if kind == "containerSet":
            _container_set(t, path, report)
        if kind == "plugin":
            _plugin(t.get("plugin"), path + ("plugin",), report)
        _retry(t.get("retryStrategy"), path + ("retryStrategy",), report)


def _placement(t: dict, path: tuple, report: Report) -> None:
    name = t.get("name", "?")
    leaf = is_leaf(t)
    kind = template_type(t)
    ads = t.get("activeDeadlineSeconds")
    if ads is not None:
        if not leaf:
            report.error("RCC0845", f"`activeDeadlineSeconds` is only for leaf templates; `{name}` is {kind}",
                         path + ("activeDeadlineSeconds",), key=True,
                         help="set it on the templates that run pods, or use `timeout`-free workflow-level "
                         "spec.activeDeadlineSeconds")
        elif not _deadline_ok(ads):
            report.error("RCC0845", f"`activeDeadlineSeconds` must be a non-negative number of seconds, not `{ads}`",
                         path + ("activeDeadlineSeconds",), help="write a whole number of seconds, e.g. 300")
    for key in ("timeout", "pendingTimeout"):
        value = t.get(key)
        if value is None:
            continue
        if kind is not None and not argo_leaf(t):  # Argo's IsLeaf: a suspend template is not one
            help = ("a suspend template waits with `suspend: {duration: ...}`" if kind == "suspend"
                    else "set it on the templates that run pods")
            report.error("RCC0846", f"`{key}` is only for leaf templates; `{name}` is {kind}", path + (key,), key=True,
                         help=help)
        elif key == "timeout" and isinstance(value, str) and INTEGER.match(value):
            report.error("RCC0846", f"timeout `{value}` has no unit", path + (key,),
                         help=f"write a duration such as `{value.lstrip('+')}s`")
    if t.get("parallelism") is not None and leaf:
        report.error("RCC0847", f"`parallelism` is only for steps and dag templates; `{name}` is {kind}",
                     path + ("parallelism",), key=True, help="remove it, or move it to the calling steps/dag template")
    if t.get("resourceClaims") is not None and kind not in POD_TYPES:
        report.error("RCC0848", f"`resourceClaims` needs a template that runs a pod; `{name}` is {kind}",
                     path + ("resourceClaims",), key=True, help="move it to a container, script or resource template")
    pr = t.get("podResources")
    if pr is not None:
        if kind in ("http", "plugin"):
            report.error("RCC0848", f"`podResources` cannot be set on a {kind} template", path + ("podResources",),
                         key=True, help="remove it: these templates run in Argo's shared agent pod")
        _pod_resources(pr, path + ("podResources",), report)


def _pod_resources(pr: Any, path: tuple, report: Report) -> None:
    """RCC0848: pod-level resources are cpu, memory and hugepages-*, with no claims
    (validatePodResources, for spec.podResources and each template's)."""
    if mapping(pr).get("claims"):
        report.error("RCC0848", "pod-level resources cannot have `claims`", path + ("claims",), key=True,
                     help="claim resources per container, or with the template's `resourceClaims`")
    for part in ("requests", "limits"):
        for res in mapping(mapping(pr).get(part)):
            if not POD_RESOURCE.match(str(res)):
                report.error("RCC0848", f"podResources cannot set `{res}`", path + (part, res),
                             key=True, help="only cpu, memory and hugepages-* are allowed")


def _deadline_ok(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    if isinstance(value, str):
        if "{{" in value:
            return True
        return bool(INTEGER.match(value)) and int(value) >= 0
    return False


def _mounts(t: dict, body: dict, path: tuple, kind: str, report: Report) -> None:
    """RCC0850: a path mounted twice (two volumeMounts, or a mount and an input artifact)."""
    mounted: dict[str, int] = {}
    for i, m in dicts(body.get("volumeMounts")):
        mp = m.get("mountPath")
        if isinstance(mp, str):
            if mp in mounted:
                report.error("RCC0850", f"`{mp}` is mounted twice", path + (kind, "volumeMounts", i, "mountPath"),
                             help="mount each volume at its own path")
            mounted.setdefault(mp, i)
    for i, art in dicts(mapping(t.get("inputs")).get("artifacts")):
        ap = art.get("path")
        if isinstance(ap, str) and ap in mounted:
            report.error("RCC0850", f"input artifact `{art.get('name')}` is placed at `{ap}`, already a volume mount",
                         path + ("inputs", "artifacts", i, "path"),
                         help="put the artifact at another path, or mount the volume elsewhere")


def _container_set(t: dict, path: tuple, report: Report) -> None:
    """RCC0873: a containerSet's `main` container, its dependencies (ContainerSetTemplate.Validate);
    RCC0803 duplicate container names; RCC0850 a path mounted twice."""
    cs = mapping(t.get("containerSet"))
    base = path + ("containerSet",)
    containers = list(dicts(cs.get("containers")))
    names = [c.get("name") for _, c in containers]
    if cs.get("containers") == []:
        report.error("RCC0873", f"containerSet `{t.get('name')}` has no containers", base + ("containers",),
                     help="list at least one container")
    seen: set = set()
    for i, c in containers:
        if c.get("name") in seen:
            report.error("RCC0803", f"duplicate container name `{c.get('name')}`", base + ("containers", i, "name"),
                         help="rename one of them: container names must be unique")
        seen.add(c.get("name"))
    io = mapping(t.get("inputs")).get("artifacts") or mapping(t.get("outputs")).get("parameters") \
        or mapping(t.get("outputs")).get("artifacts")
    if io and containers and "main" not in names:
        report.error("RCC0873", f"containerSet `{t.get('name')}` has inputs or outputs but no container named `main`",
                     base + ("containers",), key=True,
                     help="name the container that reads the inputs and writes the outputs `main`")
    graph: dict = {}
    for i, c in containers:
        deps = c.get("dependencies")
        graph[c.get("name")] = [d for d in deps if isinstance(d, str)] if isinstance(deps, list) else []
        for j, dep in enumerate(deps if isinstance(deps, list) else []):
            if isinstance(dep, str) and dep not in names:
                from compiler.diagnostics import did_you_mean

                guess = did_you_mean(dep, [n for n in names if isinstance(n, str)])
                report.error("RCC0873", f"container `{c.get('name')}` depends on `{dep}`, which is not a container "
                             "of this containerSet", base + ("containers", i, "dependencies", j),
                             help=f"did you mean `{guess}`?" if guess else "name one of the containers above")
    cycle = _cycle(graph)
    if cycle:
        i = names.index(cycle[0])
        report.error("RCC0873", "containerSet dependency cycle: " + " -> ".join(cycle + [cycle[0]]),
                     base + ("containers", containers[i][0], "dependencies"), key=True,
                     help="remove one of these dependencies; the containers would wait on each other forever")
    _mounts(t, cs, path, "containerSet", report)


def _cycle(graph: dict) -> list:
    """One dependency cycle of `graph` (name -> names it waits on), in order; [] when none."""
    state: dict = {}
    for start in graph:
        if start in state:
            continue
        stack = [(start, iter(graph.get(start, ())))]
        state[start] = "open"
        trail = [start]
        while stack:
            node, deps = stack[-1]
            for dep in deps:
                if state.get(dep) == "open":
                    return trail[trail.index(dep):]
                if dep not in state and dep in graph:
                    state[dep] = "open"
                    trail.append(dep)
                    stack.append((dep, iter(graph.get(dep, ()))))
                    break
            else:
                state[node] = "done"
                trail.pop()
                stack.pop()
    return []


def _manifest_artifact(t: dict, path: tuple, report: Report) -> None:
    """RCC0851: `manifestFrom.artifact` names one of the template's input artifacts."""
    res = mapping(t.get("resource"))
    if res.get("action") in ("delete", "get"):
        return
    art = mapping(mapping(res.get("manifestFrom")).get("artifact"))
    name = art.get("name")
    inputs = [a.get("name") for _, a in dicts(mapping(t.get("inputs")).get("artifacts"))]
    if isinstance(name, str) and "{{" not in name and name not in inputs:
        report.error("RCC0851", f"manifestFrom names artifact `{name}`, which is not an input of `{t.get('name')}`",
                     path + ("resource", "manifestFrom", "artifact", "name"),
                     help="declare it in the template's `inputs.artifacts`, or name one that is")


def _plugin(plugin: Any, path: tuple, report: Report) -> None:
    """RCC0874: a plugin template names exactly one plugin (Plugin.UnmarshalJSON)."""
    if isinstance(plugin, dict) and len(plugin) != 1:
        names = ", ".join(f"`{k}`" for k in plugin)
        report.error("RCC0874", f"a plugin template names exactly one plugin, not {len(plugin)}"
                     + (f" ({names})" if names else ""), path, key=True,
                     help="write `plugin: {<plugin name>: {<its settings>}}`, one template per plugin")


def _resource(res: dict, path: tuple, report: Report) -> None:
    """RCC0851: action, manifest XOR manifestFrom, and a manifest that is YAML."""
    action = res.get("action")
    if isinstance(action, str) and action not in RESOURCE_ACTIONS and "{{" not in action:
        report.error("RCC0851", f"unknown resource action `{action}`", path + ("action",),
                     help="use one of " + ", ".join(RESOURCE_ACTIONS))
    manifest, source = res.get("manifest"), res.get("manifestFrom")
    if manifest is not None and source is not None:
        report.error("RCC0851", "a resource has both `manifest` and `manifestFrom`", path + ("manifestFrom",),
                     key=True, help="keep one of the two")
    elif manifest is None and source is None and action not in ("delete", "get"):
        report.error("RCC0851", "a resource needs a `manifest` or `manifestFrom`", path,
                     help="add the Kubernetes object to act on as `manifest: |`")
    if isinstance(manifest, str) and not _is_yaml(manifest):
        report.error("RCC0851", "the resource manifest is not valid YAML", path + ("manifest",),
                     help="check the indentation and quoting of the embedded manifest")


def _is_yaml(text: str) -> bool:
    from compiler.diagnostics import Diagnostics
    from compiler.frontend.load import load_documents

    diags = Diagnostics()
    load_documents(TagScanner(no_brace_inside=True).sub("x", text), "<manifest>", diags)
    return not any(d.code == "RCC0002" for d in diags.items)


def _retry(strategy: Any, path: tuple, report: Report) -> None:
    policy = mapping(strategy).get("retryPolicy")
    if isinstance(policy, str) and policy not in RETRY_POLICIES:
        report.error("RCC0852", f"unknown retryPolicy `{policy}`", path + ("retryPolicy",),
                     help="use one of " + ", ".join(RETRY_POLICIES))
