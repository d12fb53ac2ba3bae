"""Pods: what the controller builds for a pod template, and what Kubernetes then refuses.

Why a family of its own: these manifests pass Argo's submission checks and fail later,
when the controller creates a step's pod, so the workflow errors half-way through.

- Pod names (RCC0872, warning). The controller names a pod `<workflow>-<template>-<hash>`
  (workflow/util/pod_name.go, the default format v2), cutting the prefix to 242 characters
  so the name never passes Kubernetes' 253; the kubelet cuts the hostname to 63. Length is
  therefore never the problem: case is. A template name may hold upper-case letters, a pod
  name may not (a lower-case RFC 1123 subdomain), and the API server refuses the pod. The
  root pod, a pod template run as the entrypoint, is named after the workflow, and the
  annotation `workflows.argoproj.io/pod-name-format: v1` names pods by node id: both are fine.
- Volume mounts (RCC0876). A mount must name a volume of the template, of spec.volumes or
  of spec.volumeClaimTemplates (`addVolumeReferences`); otherwise the pod is not created.
"""

from __future__ import annotations

from typing import Any, Iterator

from compiler.verify.findings import Report
from compiler.verify.model import POD_TYPES, Doc, dicts, each_call, mapping, template_type

POD_NAME_FORMAT = "workflows.argoproj.io/pod-name-format"
POD_GC_STRATEGIES = ("OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")


def check(doc: Doc, report: Report) -> None:
    _pod_gc(doc, report)
    _pod_names(doc, report)
    _volume_mounts(doc, report)


def _pod_gc(doc: Doc, report: Report) -> None:
    """RCC0875: podGC.strategy is one of Argo's (PodGCStrategy.IsValid); empty means none."""
    strategy = mapping(doc.spec.get("podGC")).get("strategy")
    if isinstance(strategy, str) and strategy and strategy not in POD_GC_STRATEGIES and "{{" not in strategy:
        from compiler.diagnostics import did_you_mean

        guess = did_you_mean(strategy, POD_GC_STRATEGIES)
        report.error("RCC0875", f"unknown podGC strategy `{strategy}`", doc.spec_path + ("podGC", "strategy"),
                     help=(f"did you mean `{guess}`? " if guess else "") + "use one of " + ", ".join(POD_GC_STRATEGIES))


def _pod_names(doc: Doc, report: Report) -> None:
    annotations = mapping(mapping(doc.data.get("metadata")).get("annotations"))
    if annotations.get(POD_NAME_FORMAT) == "v1":
        return
    called = {c.get("template") for _, c in each_call(doc)}
    called |= {h.get("template") for h in _hooks(doc)}
    called.add(doc.spec.get("onExit"))
    entry = doc.spec.get("entrypoint")
    for path, t in doc.each_template():
        name = t.get("name")
        if not isinstance(name, str) or name == name.lower() or template_type(t) not in POD_TYPES:
            continue
        if name == entry and name not in called and doc.kind in ("Workflow", "CronWorkflow"):
            continue  # the root pod takes the workflow's name
        report.warning("RCC0872", f"pods of template `{name}` would be named `<workflow>-{name}-<hash>`, which "
                       "Kubernetes refuses: pod names are lower-case", path + ("name",),
                       notes=("Argo names a pod after its template (pod-name-format v2, the default), and "
                              "the API server accepts only lower-case RFC 1123 names",),
                       help=f"rename the template `{name.lower()}` (and the steps or tasks that call it)")


def _hooks(doc: Doc) -> Iterator[dict]:
    for h in mapping(doc.spec.get("hooks")).values():
        if isinstance(h, dict):
            yield h
    for _, call in each_call(doc):
        for h in mapping(call.get("hooks")).values():
            if isinstance(h, dict):
                yield h
        if isinstance(call.get("onExit"), str):
            yield {"template": call["onExit"]}


def _volume_names(spec: dict) -> set[str] | None:
    names = {v.get("name") for _, v in dicts(spec.get("volumes"))}
    names |= {mapping(c.get("metadata")).get("name") for _, c in dicts(spec.get("volumeClaimTemplates"))}
    return {n for n in names if isinstance(n, str)}


def _workflow_volumes(doc: Doc) -> set[str] | None:
    """The volumes every pod may mount; None when they cannot be known offline."""
    if doc.kind not in ("Workflow", "CronWorkflow") or doc.spec.get("podSpecPatch") is not None:
        return None  # a WorkflowTemplate's pods mount the volumes of the Workflow that runs them
    names = _volume_names(doc.spec)
    ref = mapping(doc.spec.get("workflowTemplateRef"))
    if ref:
        target = doc.bundle.specs.get((bool(ref.get("clusterScope")), ref.get("name")))  # type: ignore[arg-type]
        if target is None:
            return None
        names |= _volume_names(target) or set()
    return names


def _mounts(t: dict, path: tuple) -> Iterator[tuple[tuple, dict]]:
    kind = template_type(t)
    if kind in ("container", "script", "containerSet"):
        body = mapping(t.get(kind))
        for i, m in dicts(body.get("volumeMounts")):
            yield path + (kind, "volumeMounts", i), m
        if kind == "containerSet":
            for c, ctr in dicts(body.get("containers")):
                for i, m in dicts(ctr.get("volumeMounts")):
                    yield path + (kind, "containers", c, "volumeMounts", i), m
    for part in ("initContainers", "sidecars"):
        for c, ctr in dicts(t.get(part)):
            for i, m in dicts(ctr.get("volumeMounts")):
                yield path + (part, c, "volumeMounts", i), m


def _volume_mounts(doc: Doc, report: Report) -> None:
    shared = _workflow_volumes(doc)
    if shared is None:
        return
    for path, t in doc.each_template():
        if template_type(t) not in POD_TYPES or t.get("podSpecPatch") is not None:
            continue
        own = {v.get("name") for _, v in dicts(t.get("volumes"))}
        known = shared | {n for n in own if isinstance(n, str)}
        for mpath, m in _mounts(t, path):
            name: Any = m.get("name")
            if not isinstance(name, str) or "{{" in name or name in known:
                continue
            from compiler.diagnostics import did_you_mean

            guess = did_you_mean(name, sorted(known))
            report.error("RCC0876", f"volume mount `{name}` names no volume of the template or the workflow",
                         mpath + ("name",),
                         help=f"did you mean `{guess}`?" if guess else
                         f"declare `{name}` in spec.volumes, spec.volumeClaimTemplates or the template's volumes")
