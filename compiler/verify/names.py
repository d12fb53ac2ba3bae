"""Names: the limits Argo puts on the names of workflows, templates, steps, tasks,
parameters, artifacts and containers.

Why these matter: a name Argo rejects fails the whole submission, and several limits are
not in the JSON schema (63 characters for a workflow, 52 for a CronWorkflow because Argo
appends a timestamp, 128 for a template, the DNS-like patterns, uniqueness).
"""

from __future__ import annotations

import re
from typing import Any

from compiler.tags import TagScanner
from compiler.verify.findings import Report
from compiler.verify.model import Doc, dicts, each_step, each_task, mapping

TEMPLATE_NAME = re.compile(r"[a-zA-Z0-9][-a-zA-Z0-9]*\Z")
PARAM_NAME = re.compile(r"[-a-zA-Z0-9_]+\Z")
CONTAINER_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
METRIC_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")  # Prometheus' legacy names, less ':' (Argo refuses it)
# Argo's own containers (common.IsArgoSidecar: wait, supervisor, artifact-plugin-*), and
# `init`, the name of its init container, which Kubernetes will not let a container share.
RESERVED_CONTAINERS = frozenset({"init", "wait", "supervisor"})
RESERVED_PREFIX = "artifact-plugin-"
# Kubernetes object names (metadata.name): a lower-case RFC 1123 subdomain, at most 253.
DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
LABEL_NAME = LABEL_VALUE
MAX_TEMPLATE = 128
PLACEHOLDER = TagScanner(no_brace_inside=True)  # linear: compiler/tags.py


def check(doc: Doc, report: Report) -> None:
    _metadata(doc, report)
    _templates(doc, report)
    _io_names(doc, report)


def _metadata(doc: Doc, report: Report) -> None:
    """RCC0877: what the API server checks of metadata; RCC0801: Argo's length limits."""
    meta = mapping(doc.data.get("metadata"))
    name, prefix = meta.get("name"), meta.get("generateName")
    _labels(meta, report)
    if name is None and prefix is None:
        where = ("metadata",) if "metadata" in doc.data else ()
        misplaced = [k for k in ("labels", "annotations") if "generateName" in mapping(meta.get(k))
                     or "name" in mapping(meta.get(k))]
        report.error("RCC0877", f"the {doc.kind} has neither `metadata.name` nor `metadata.generateName`; "
                     "the API server refuses to create it", where, key=True,
                     notes=(f"`metadata.{misplaced[0]}` holds a `name`/`generateName` key, one level too deep",)
                     if misplaced else (),
                     help="add `name: <name>` (or `generateName: <prefix>-` for a Workflow run many times) "
                     "under `metadata`")
    if isinstance(prefix, str) and name is None and not dns_prefix_ok(prefix):
        report.error("RCC0877", f"`generateName: {prefix}` is not a valid name prefix", ("metadata", "generateName"),
                     help=f"use lower-case letters, digits, '-' and '.', e.g. `{_dns_fix(prefix)}`")
    if not isinstance(name, str):
        return
    if not _dns_name(name) and "{{" not in name:
        report.error("RCC0877", f"`{name}` is not a valid Kubernetes name", ("metadata", "name"),
                     help=f"use lower-case letters, digits, '-' and '.', starting and ending with a letter or "
                     f"digit, e.g. `{_dns_fix(name)}`")
    limit = 52 if doc.kind == "CronWorkflow" else 63
    if len(name) > limit:
        why = " (Argo appends an 11-character timestamp to name each run)" if limit == 52 else ""
        report.error("RCC0801", f"{doc.kind} name is {len(name)} characters, over the limit of {limit}{why}",
                     ("metadata", "name"), help=f"shorten the name to at most {limit} characters")


def _dns_name(name: str) -> bool:
    return len(name) <= 253 and bool(DNS_SUBDOMAIN.match(name))


def dns_name_ok(name: str) -> bool:
    """metadata.name as the API server checks it: a lower-case RFC 1123 subdomain."""
    return _dns_name(name)


def dns_prefix_ok(prefix: str) -> bool:
    """metadata.generateName: the same, a trailing '-' allowed."""
    return _dns_name(prefix[:-1] + "a" if prefix.endswith("-") else prefix)


def dns_fix(name: str) -> str:
    return _dns_fix(name)


def _dns_fix(name: str) -> str:
    fixed = re.sub(r"[^a-z0-9.-]+", "-", name.lower()).strip("-.")
    return fixed or "my-workflow"


def _labels(meta: dict, report: Report) -> None:
    """RCC0877: label keys and values the API server refuses (63 characters, alphanumeric ends)."""
    for key, value in mapping(meta.get("labels")).items():
        if not isinstance(key, str):
            continue
        prefix, _, name = key.rpartition("/")
        if (prefix and not _dns_name(prefix)) or not name or len(name) > 63 or not LABEL_NAME.match(name):
            report.error("RCC0877", f"`{key}` is not a valid label key", ("metadata", "labels", key), key=True,
                         help="a label key is an optional DNS prefix and '/', then at most 63 letters, digits, "
                         "'-', '_' or '.', starting and ending with a letter or digit")
        elif isinstance(value, str) and (len(value) > 63 or not LABEL_VALUE.match(value)):
            report.error("RCC0877", f"label `{key}` has the value `{value}`, which the API server refuses",
                         ("metadata", "labels", key),
                         help="a label value is at most 63 letters, digits, '-', '_' or '.', starting and ending "
                         "with a letter or digit (or empty)")


def _name_ok(name: str, placeholders: bool) -> bool:
    if placeholders and "{{" in name:
        name = PLACEHOLDER.sub("x", name)
    return len(name) <= MAX_TEMPLATE and bool(TEMPLATE_NAME.match(name))


def _check_named(items: list[tuple[tuple, dict]], what: str, report: Report, placeholders: bool = False,
                 schema_requires: bool = False) -> dict[str, tuple]:
    """Required, valid and unique names (RCC0804, RCC0802, RCC0803).

    Where the schema already requires the key, only an empty name is reported here.
    """
    seen: dict[str, tuple] = {}
    for path, item in items:
        name = item.get("name")
        if name == "" or (name is None and not schema_requires):
            report.error("RCC0804", f"this {what} has no name", path,
                          help=f"give the {what} a `name`")
            continue
        if not isinstance(name, str):
            continue  # the schema reports the type
        if not _name_ok(name, placeholders):
            report.error("RCC0802", f"invalid {what} name `{name}`", path + ("name",),
                         help="use letters, digits and '-', starting with a letter or digit, "
                         f"at most {MAX_TEMPLATE} characters")
        if name in seen:
            report.error("RCC0803", f"duplicate {what} name `{name}`", path + ("name",),
                         help=f"rename one of them: {what} names must be unique")
        else:
            seen[name] = path
    return seen


def _templates(doc: Doc, report: Report) -> None:
    _check_named(list(doc.each_template()), "template", report)
    for path, t in doc.each_template():
        if isinstance(t.get("steps"), list):
            _check_named([(p, s) for p, s, _ in each_step(t, path)], "step", report, placeholders=True)
        dag = t.get("dag")
        if isinstance(dag, dict):
            tasks = list(each_task(t, path))
            _check_named(tasks, "task", report, schema_requires=True)
            uses_deps = any(task.get("depends") is not None or task.get("dependencies") is not None
                            for _, task in tasks)
            if uses_deps:
                for tpath, task in tasks:
                    name = task.get("name")
                    if isinstance(name, str) and name[:1].isdigit():
                        report.error("RCC0805", f"task name `{name}` starts with a digit, which `depends` "
                                     "and `dependencies` cannot refer to", tpath + ("name",),
                                     help="start the task name with a letter")
        cs = t.get("containerSet")
        if isinstance(cs, dict):
            containers = [(path + ("containerSet", "containers", i), c) for i, c in dicts(cs.get("containers"))]
            for cpath, c in containers:
                name = c.get("name")
                if not isinstance(name, str):
                    continue
                if _reserved(name):
                    _report_reserved(name, cpath + ("name",), report)
                elif not CONTAINER_NAME.match(name) or len(name) > 63:
                    report.error("RCC0802", f"invalid container name `{name}`", cpath + ("name",),
                                 help="use lower-case letters, digits and '-', at most 63 characters")
        for i, side in dicts(t.get("sidecars")):
            if isinstance(side.get("name"), str) and _reserved(side["name"]):
                _report_reserved(side["name"], path + ("sidecars", i, "name"), report)
        _metrics(t.get("metrics"), path + ("metrics",), report)
    _metrics(doc.spec.get("metrics"), doc.spec_path + ("metrics",), report)


def _reserved(name: str) -> bool:
    return name in RESERVED_CONTAINERS or name.startswith(RESERVED_PREFIX)


def _report_reserved(name: str, path: tuple, report: Report) -> None:
    report.error("RCC0806", f"container name `{name}` is reserved by Argo", path,
                 help="rename the container; `init`, `wait`, `supervisor` and `artifact-plugin-*` name "
                 "the containers Argo adds to every pod")


def _metrics(metrics: Any, path: tuple, report: Report) -> None:
    """RCC0807: Prometheus metric names and a help text are required."""
    for i, m in dicts(mapping(metrics).get("prometheus")):
        name = m.get("name")
        if isinstance(name, str) and not METRIC_NAME.match(name):
            report.error("RCC0807", f"invalid metric name `{name}`", path + ("prometheus", i, "name"),
                         help="metric names use letters, digits and '_' (Argo refuses ':') and do not start with a digit")
        if m.get("help") == "":
            report.error("RCC0807", "a metric needs a `help` text", path + ("prometheus", i),
                         help="add `help: <what the metric measures>`")
        gauge = mapping(m.get("gauge"))
        if gauge.get("realtime") is True and "resourcesDuration." in str(gauge.get("value", "")):
            report.error("RCC0807", f"metric `{name}` is a real-time gauge of `resourcesDuration`, which is known "
                         "only when the step ends", path + ("prometheus", i, "gauge", "realtime"),
                         help="set `realtime: false`, or measure `{{duration}}` in real time instead")
        for j, label in dicts(m.get("labels")):
            key = label.get("key")
            if isinstance(key, str) and not METRIC_NAME.match(key):
                report.error("RCC0807", f"invalid metric label `{key}`", path + ("prometheus", i, "labels", j, "key"),
                             help="label names use letters, digits and '_', and do not start with a digit")


def _io_lists(doc: Doc):
    args = doc.arguments()
    yield doc.spec_path + ("arguments",), args
    for path, t in doc.each_template():
        yield path + ("inputs",), mapping(t.get("inputs"))
        yield path + ("outputs",), mapping(t.get("outputs"))
        for spath, step, _ in each_step(t, path):
            yield spath + ("arguments",), mapping(step.get("arguments"))
        for tpath, task in each_task(t, path):
            yield tpath + ("arguments",), mapping(task.get("arguments"))


def _io_names(doc: Doc, report: Report) -> None:
    """Parameter and artifact names (RCC0802/3/4) and output globalName (RCC0802)."""
    for base, io in _io_lists(doc):
        for kind in ("parameters", "artifacts"):
            what = kind[:-1]
            seen: set[str] = set()
            for i, p in dicts(io.get(kind)):
                name = p.get("name")
                path = base + (kind, i)
                if name == "":
                    report.error("RCC0804", f"this {what} has no name", path, help=f"give the {what} a `name`")
                    continue
                if not isinstance(name, str):
                    continue
                if not PARAM_NAME.match(name):
                    report.error("RCC0802", f"invalid {what} name `{name}`", path + ("name",),
                                 help="use letters, digits, '-' and '_' only")
                if name in seen:
                    report.error("RCC0803", f"duplicate {what} name `{name}`", path + ("name",),
                                 help=f"rename one of them: {what} names must be unique")
                seen.add(name)
                g = p.get("globalName")
                if isinstance(g, str) and "{{" not in g and not PARAM_NAME.match(g):
                    report.error("RCC0802", f"invalid globalName `{g}`", path + ("globalName",),
                                 help="use letters, digits, '-' and '_' only")
