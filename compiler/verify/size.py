"""Size limits: the whole manifest, and large inline parameters.

One measure of "the manifest's size", used by every command (`build`/`check` through
the driver, `lint` through RCC0870): the bytes Argo itself counts. The controller
refuses to run a workflow whose `json.Marshal` passes MAX_WORKFLOW_SIZE, 1024*1024 bytes
by default (workflow/packer/packer.go), after compressing its node status; behind it,
etcd stores a custom resource as JSON and refuses a request over 1.5 MiB, and the API
server refuses bodies over 3 MiB. So the size is the manifest as compact JSON, written
the way Go writes it: UTF-8 unescaped, but `<`, `>`, `&` and U+2028/U+2029 escaped as
six-byte `\\u` sequences (Go's HTML-safe default). YAML text size is not what Argo
counts: a 4,563-step pipeline is over 1 MiB as YAML and 0.7 MiB as JSON.

Container arguments over 128 KiB are offloaded or fail, so a large inline parameter
deserves a warning.
"""

from __future__ import annotations

import json
from typing import Any

from compiler.verify.findings import Report
from compiler.verify.model import Doc, dicts, each_step, each_task, mapping

MAX_MANIFEST = 1024 * 1024
LARGE_PARAMETER = 128 * 1024
_GO_ESCAPED = ("<", ">", "&")  # one byte each, six once escaped
_GO_ESCAPED_WIDE = ("\u2028", "\u2029")  # three bytes each in UTF-8, six once escaped


def argo_size(data: Any) -> int:
    """The manifest's size as Argo's controller measures it: Go's compact JSON, in bytes."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    size = len(text.encode("utf-8"))
    size += 5 * sum(text.count(c) for c in _GO_ESCAPED)
    if not text.isascii():
        size += 3 * sum(text.count(c) for c in _GO_ESCAPED_WIDE)
    return size


def check_total(data: Any, report: Report, text_size: int | None = None) -> None:
    """RCC0870: the manifest as Argo counts it (see `argo_size`) must stay under 1 MiB."""
    size = argo_size(data)
    if size > MAX_MANIFEST:
        report.error("RCC0870", f"the manifest is {size:,} bytes as Argo counts it (JSON), over Argo's 1 MiB "
                     f"limit ({MAX_MANIFEST:,} bytes)", (),
                     help="move large values into artifacts or ConfigMaps, or split the workflow "
                     "into WorkflowTemplates referenced with templateRef")


def check(doc: Doc, report: Report) -> None:
    _large_parameters(doc, report)


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
