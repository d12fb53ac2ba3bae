"""Size limits: the whole manifest, large inline parameters, and pod names.

Why: Argo keeps a workflow in one etcd object (about 1 MiB, the controller's default
MAX_WORKFLOW_SIZE is 1024*1024 bytes of JSON), so a larger manifest is refused at submit
time; container arguments over 128 KiB are offloaded or fail, so a large inline parameter
deserves a warning; and a pod name is `<workflow>-<template>-<hash>`, which overflows the
63-character hostname limit when names are long.
"""

from __future__ import annotations

import json
from typing import Any

from compiler.verify.findings import Report
from compiler.verify.model import POD_TYPES, Doc, dicts, each_step, each_task, mapping, template_type

MAX_MANIFEST = 1024 * 1024
LARGE_PARAMETER = 128 * 1024
POD_NAME_LIMIT = 63
HASH_DIGITS = 10  # the node hash is an FNV-32 number printed in decimal
GENERATED_SUFFIX = 5  # Kubernetes adds five characters to a generateName


def check_total(data: Any, report: Report, text_size: int | None = None) -> None:
    """RCC0870: the manifest as Argo stores it (JSON) must stay under 1 MiB."""
    size = len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    if size > MAX_MANIFEST:
        report.error("RCC0870", f"the manifest is {size:,} bytes as JSON, over Argo's 1 MiB limit "
                     f"({MAX_MANIFEST:,} bytes)", (),
                     help="move large values into artifacts or ConfigMaps, or split the workflow "
                     "into WorkflowTemplates referenced with templateRef")


def check(doc: Doc, report: Report) -> None:
    _large_parameters(doc, report)
    _pod_names(doc, report)


def _parameter_lists(doc: Doc):
    yield doc.spec_path + ("arguments", "parameters"), mapping(doc.spec.get("arguments")).get("parameters")
    for path, t in doc.each_template():
        yield path + ("inputs", "parameters"), mapping(t.get("inputs")).get("parameters")
        for spath, step, _ in each_step(t, path):
            yield spath + ("arguments", "parameters"), mapping(step.get("arguments")).get("parameters")
        for tpath, task in each_task(t, path):
            yield tpath + ("arguments", "parameters"), mapping(task.get("arguments")).get("parameters")


def _large_parameters(doc: Doc, report: Report) -> None:
    """RCC0871: an inline parameter value over 128 KiB."""
    for base, params in _parameter_lists(doc):
        for i, p in dicts(params):
            for key in ("value", "default"):
                v = p.get(key)
                if isinstance(v, str) and len(v) > LARGE_PARAMETER // 4 and len(v.encode("utf-8")) > LARGE_PARAMETER:
                    report.warning("RCC0871", f"parameter `{p.get('name')}` has a {len(v.encode('utf-8')):,}-byte "
                                   f"inline {key}, over {LARGE_PARAMETER // 1024} KiB", base + (i, key),
                                   help="pass large data as an artifact; Argo offloads or rejects container "
                                   "arguments this big")


def _workflow_name_length(doc: Doc) -> tuple[int, str]:
    meta = mapping(doc.data.get("metadata"))
    name = meta.get("name")
    if doc.kind == "CronWorkflow" and isinstance(name, str):
        return len(name) + 11, f"{name}-<10-digit timestamp>"
    if isinstance(name, str) and doc.kind == "Workflow":
        return len(name), name
    base = name if isinstance(name, str) else meta.get("generateName")
    if not isinstance(base, str):
        return 0, ""
    if doc.kind != "Workflow":
        base = base + "-"
    return len(base) + GENERATED_SUFFIX, f"{base}<5 random>"


def _pod_names(doc: Doc, report: Report) -> None:
    """RCC0872 (warning): `<workflow>-<template>-<hash>` longer than 63 characters."""
    wf_len, wf_shown = _workflow_name_length(doc)
    if not wf_len:
        return
    parent = _call_tree(doc)
    for path, t in doc.each_template():
        name = t.get("name")
        if not isinstance(name, str) or template_type(t) not in POD_TYPES:
            continue
        total = wf_len + 1 + len(name) + 1 + HASH_DIGITS
        if total <= POD_NAME_LIMIT:
            continue
        chain = [name]
        seen = {name}
        while chain[-1] in parent and parent[chain[-1]] not in seen:
            chain.append(parent[chain[-1]])
            seen.add(chain[-1])
        report.warning("RCC0872", f"pods of template `{name}` can be named with {total} characters, "
                       f"over Kubernetes' {POD_NAME_LIMIT}", path + ("name",),
                       help="shorten the workflow name or the template name",
                       notes=(f"pod name: {wf_shown}-{name}-<{HASH_DIGITS}-digit hash>",
                              "called as: " + " -> ".join(reversed(chain))))


def _call_tree(doc: Doc) -> dict[str, str]:
    """For each template reachable from the entrypoint, the template that first calls it."""
    parent: dict[str, str] = {}
    entry = doc.spec.get("entrypoint")
    if not isinstance(entry, str) or entry not in doc.templates:
        return parent
    todo = [entry]
    seen = {entry}
    head = 0
    while head < len(todo):
        current = todo[head]
        head += 1
        t = doc.templates[current]
        calls = [s for _, s, _ in each_step(t, ())] + [task for _, task in each_task(t, ())]
        for call in calls:
            target = call.get("template")
            if isinstance(target, str) and target in doc.templates and target not in seen:
                seen.add(target)
                parent[target] = current
                todo.append(target)
    return parent
