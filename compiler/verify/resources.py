"""Resources: every Kubernetes quantity of a manifest, and requests within their limits.

Why: Argo passes `resources` to the pod untouched, so `memory: 4GB` or `cpu: 2 cores`
is accepted at submission and refused by the API server when the step's pod is created
(RCC0878), as is a request above its limit (RCC0879). The grammar is `compiler.quantity`,
the one the configuration is checked with.
"""

from __future__ import annotations

from typing import Any, Iterator

from compiler.quantity import problem, request_over_limit
from compiler.verify.findings import Report
from compiler.verify.model import Doc, dicts, mapping


def check(doc: Doc, report: Report) -> None:
    for path, resources in _resource_blocks(doc):
        _block(resources, path, report)


def _containers(t: dict, path: tuple) -> Iterator[tuple[tuple, dict]]:
    for kind in ("container", "script"):
        if isinstance(t.get(kind), dict):
            yield path + (kind,), t[kind]
    cs = mapping(t.get("containerSet"))
    for i, c in dicts(cs.get("containers")):
        yield path + ("containerSet", "containers", i), c
    for part in ("initContainers", "sidecars"):
        for i, c in dicts(t.get(part)):
            yield path + (part, i), c


def _resource_blocks(doc: Doc) -> Iterator[tuple[tuple, dict]]:
    spec, base = doc.spec, doc.spec_path
    defaults = mapping(spec.get("templateDefaults"))
    for cpath, c in _containers(defaults, base + ("templateDefaults",)):
        yield cpath + ("resources",), mapping(c.get("resources"))
    yield base + ("podResources",), mapping(spec.get("podResources"))
    for i, claim in dicts(spec.get("volumeClaimTemplates")):
        yield base + ("volumeClaimTemplates", i, "spec", "resources"), mapping(mapping(claim.get("spec")).get("resources"))
    for path, t in doc.each_template():
        for cpath, c in _containers(t, path):
            yield cpath + ("resources",), mapping(c.get("resources"))
        yield path + ("podResources",), mapping(t.get("podResources"))


def _block(resources: dict, path: tuple, report: Report) -> None:
    for part in ("requests", "limits"):
        for name, q in mapping(resources.get(part)).items():
            found = problem(q, str(name))
            if found:
                what, hint = found
                report.error("RCC0878", f"{part}.{name}: {what}", path + (part, name), help=hint)
    limits = mapping(resources.get("limits"))
    for name, q in mapping(resources.get("requests")).items():
        if name in limits and request_over_limit(q, limits[name]):
            report.error("RCC0879", f"the {name} request `{q}` is above its limit `{limits[name]}`",
                         path + ("requests", name),
                         help=f"raise the limit to at least `{q}`, or lower the request; Kubernetes "
                         "refuses a pod that requests more than its limit")


def quantity_findings(resources: Any) -> list[tuple[tuple, str, str, str]]:
    """(path inside `resources`, code, message, help) for a resources mapping: the same
    checks for the configuration (compiler/frontend/config/quantities.py)."""
    report = Report()
    _block(mapping(resources), (), report)
    return [(f.path, f.code, f.message, f.help or "") for f in report.findings]
