"""Names: the limits Argo puts on the names of workflows, templates, steps, tasks,
parameters, artifacts and containers.

Why these matter: a name Argo rejects fails the whole submission, and several limits are
not in the JSON schema (63 characters for a workflow, 52 for a CronWorkflow because Argo
appends a timestamp, 128 for a template, the DNS-like patterns, uniqueness).
"""

from __future__ import annotations

import re
from typing import Any

from compiler.verify.findings import Report
from compiler.verify.model import Doc, dicts, each_step, each_task, mapping

TEMPLATE_NAME = re.compile(r"[a-zA-Z0-9][-a-zA-Z0-9]*\Z")
PARAM_NAME = re.compile(r"[-a-zA-Z0-9_]+\Z")
CONTAINER_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
RESERVED_CONTAINERS = frozenset({"init", "wait"})  # Argo's own sidecars in every pod
MAX_TEMPLATE = 128
PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}")


def check(doc: Doc, report: Report) -> None:
    _metadata(doc, report)
    _templates(doc, report)
    _io_names(doc, report)


def _metadata(doc: Doc, report: Report) -> None:
    """RCC0801: metadata.name limits (generateName is not checked by Argo either)."""
    name = mapping(doc.data.get("metadata")).get("name")
    if not isinstance(name, str):
        return
    limit = 52 if doc.kind == "CronWorkflow" else 63
    if len(name) > limit:
        why = " (Argo appends an 11-character timestamp to name each run)" if limit == 52 else ""
        report.error("RCC0801", f"{doc.kind} name is {len(name)} characters, over the limit of {limit}{why}",
                     ("metadata", "name"), help=f"shorten the name to at most {limit} characters")


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
                if name in RESERVED_CONTAINERS:
                    report.error("RCC0806", f"container name `{name}` is reserved by Argo", cpath + ("name",),
                                 help="rename the container; `init` and `wait` are the names of Argo's own containers")
                elif not CONTAINER_NAME.match(name) or len(name) > 63:
                    report.error("RCC0802", f"invalid container name `{name}`", cpath + ("name",),
                                 help="use lower-case letters, digits and '-', at most 63 characters")
        _metrics(t.get("metrics"), path + ("metrics",), report)
    _metrics(doc.spec.get("metrics"), doc.spec_path + ("metrics",), report)


def _metrics(metrics: Any, path: tuple, report: Report) -> None:
    """RCC0807: Prometheus metric names and a help text are required."""
    for i, m in dicts(mapping(metrics).get("prometheus")):
        name = m.get("name")
        if isinstance(name, str) and not METRIC_NAME.match(name):
            report.error("RCC0807", f"invalid metric name `{name}`", path + ("prometheus", i, "name"),
                         help="metric names use letters, digits, '_' and ':' and do not start with a digit")
        if m.get("help") == "":
            report.error("RCC0807", "a metric needs a `help` text", path + ("prometheus", i),
                         help="add `help: <what the metric measures>`")
        for j, label in dicts(m.get("labels")):
            key = label.get("key")
            if isinstance(key, str) and not METRIC_NAME.match(key):
                report.error("RCC0807", f"invalid metric label `{key}`", path + ("prometheus", i, "labels", j, "key"),
                             help="label names use letters, digits, '_' and ':'")


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
