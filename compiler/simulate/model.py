"""The manifest as the simulator reads it: templates, DAG tasks, parameters.

Why a model and not raw dicts: the stepper asks the same questions many times (which
template does this task run, what does it output, does it retry) and the answers must
come with the manifest path they were read from, so that a problem is reported at the
line that caused it. Only what the simulator interprets is modelled; everything else
(resources, volumes, metadata) is ignored.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Diagnostics, Span

Path = tuple


@dataclass(frozen=True)
class OutputParam:
    """An output parameter: read from a file (`valueFrom.path`), a fixed value, or a default."""

    name: str
    path: str | None
    default: str | None
    value: str | None
    parameter: str | None = None
    """`valueFrom.parameter` (DAG and steps templates): a `{{...}}` reference resolved when the DAG ends."""
    global_name: str | None = None
    """`globalName`: the value is also `{{workflow.outputs.parameters.NAME}}` once the pod ends."""


@dataclass(frozen=True)
class Retry:
    """retryStrategy: `limit` None means Argo retries without end (the simulator caps it)."""

    limit: int | None
    policy: str


@dataclass
class Task:
    name: str
    template: str
    depends: str | None
    dependencies: list[str]
    when: str | None
    with_items: list[Any] | None
    with_param: str | None
    arguments: list[tuple[str, str]]
    on_exit: str | None
    continue_on: dict[str, bool]
    path: Path


@dataclass
class Template:
    name: str
    kind: str  # "dag", "container", "script" or another Argo type name (not run)
    inputs: list[tuple[str, str | None]]  # (name, default)
    outputs: list[OutputParam]
    tasks: list[Task]
    target: str | None
    tmpl_fail_fast: bool  # template.failFast: stop starting tasks after a failure (default false)
    dag_fail_fast: bool  # dag.failFast: phase assessment stops at the first failure (default true)
    retry: Retry | None
    raw: dict[str, Any]
    path: Path


@dataclass
class Workflow:
    name: str
    entrypoint: str
    arguments: dict[str, str]
    templates: dict[str, Template]
    on_exit: str | None
    namespace: str
    file: str
    spans: dict = field(default_factory=dict)

    def span(self, path: Path) -> Span | None:
        p = tuple(path)
        while p:
            if p in self.spans:
                return self.spans[p]
            p = p[:-1]
        return self.spans.get(())


def scalar(value: Any) -> str:
    """A YAML scalar as Argo sees it in a parameter: numbers and booleans as JSON text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _retry(raw: Any) -> Retry | None:
    if not isinstance(raw, dict):
        return None
    limit = raw.get("limit")
    try:
        lim = int(limit) if limit is not None else None
    except (TypeError, ValueError):
        lim = 0
    return Retry(lim, str(raw.get("retryPolicy") or "OnFailure"))


def _list(value: Any) -> list:
    """A list as written, or nothing: lint reports a wrong shape before anything is run."""
    return value if isinstance(value, list) else []


def _params(raw: Any) -> list[dict[str, Any]]:
    return [p for p in _list(raw.get("parameters")) if isinstance(p, dict)] if isinstance(raw, dict) else []


def _task(raw: dict[str, Any], path: Path) -> Task:
    args = [(str(p.get("name")), scalar(p.get("value"))) for p in _params(raw.get("arguments"))]
    hooks = raw.get("hooks") if isinstance(raw.get("hooks"), dict) else {}
    exit_hook = raw.get("onExit") or (hooks.get("exit") if isinstance(hooks.get("exit"), dict) else {}).get("template")
    cont = raw.get("continueOn") if isinstance(raw.get("continueOn"), dict) else {}
    items = raw.get("withItems")
    return Task(
        name=str(raw.get("name", "")),
        template=str(raw.get("template", "")),
        depends=raw.get("depends") if isinstance(raw.get("depends"), str) and raw.get("depends").strip() else None,
        dependencies=[str(d) for d in _list(raw.get("dependencies"))],
        when=raw.get("when") if isinstance(raw.get("when"), str) and raw.get("when").strip() else None,
        with_items=items if isinstance(items, list) else None,
        with_param=raw.get("withParam") if isinstance(raw.get("withParam"), str) else None,
        arguments=args,
        on_exit=str(exit_hook) if exit_hook else None,
        continue_on={"failed": bool(cont.get("failed")), "error": bool(cont.get("error"))},
        path=path,
    )


_KINDS = ("dag", "container", "script", "steps", "resource", "suspend", "containerSet", "data", "http", "plugin")


def _template(raw: dict[str, Any], path: Path) -> Template:
    kind = next((k for k in _KINDS if k in raw), "unknown")
    dag = raw.get("dag") if isinstance(raw.get("dag"), dict) else {}
    tasks = [_task(t, path + ("dag", "tasks", i)) for i, t in enumerate(_list(dag.get("tasks"))) if isinstance(t, dict)]
    outputs = []
    for p in _params(raw.get("outputs")):
        vf = p.get("valueFrom") if isinstance(p.get("valueFrom"), dict) else {}
        outputs.append(OutputParam(str(p.get("name")), vf.get("path"),
                                   scalar(vf["default"]) if "default" in vf else None,
                                   scalar(p["value"]) if "value" in p else None,
                                   vf["parameter"] if isinstance(vf.get("parameter"), str) else None,
                                   str(p["globalName"]) if isinstance(p.get("globalName"), str) else None))
    return Template(
        name=str(raw.get("name", "")),
        kind=kind,
        inputs=[(str(p.get("name")), scalar(p["value"]) if "value" in p else (scalar(p["default"]) if "default" in p else None))
                for p in _params(raw.get("inputs"))],
        outputs=outputs,
        tasks=tasks,
        target=dag.get("target") if isinstance(dag.get("target"), str) else None,
        tmpl_fail_fast=raw.get("failFast") is True,
        dag_fail_fast=dag.get("failFast") is not False,
        retry=_retry(raw.get("retryStrategy")),
        raw=raw,
        path=path,
    )


def read_workflow(data: Any, file: str, spans: dict, diags: Diagnostics) -> Workflow | None:
    """The Workflow in `data`, or None with an RCC1001 diagnostic when there is none to run.

    A WorkflowTemplate or a CronWorkflow is simulated through its workflow spec: that is
    what Argo runs when it is submitted or scheduled.
    """
    where = spans.get(()) if spans else None
    if not isinstance(data, dict) or not isinstance(data.get("spec"), dict):
        diags.error("RCC1001", "this document is not an Argo workflow: it has no `spec` mapping", where,
                    help="give the manifest rcc build wrote (kind Workflow, WorkflowTemplate or CronWorkflow)")
        return None
    kind = data.get("kind", "Workflow")
    spec, base = data["spec"], ("spec",)
    if kind == "CronWorkflow":
        spec, base = spec.get("workflowSpec") if isinstance(spec.get("workflowSpec"), dict) else {}, ("spec", "workflowSpec")
    templates: dict[str, Template] = {}
    default_retry = _retry(spec.get("retryStrategy"))  # woc.retryStrategy: the template's, else the spec's
    for i, t in enumerate(_list(spec.get("templates"))):
        if isinstance(t, dict) and t.get("name"):
            tmpl = _template(t, base + ("templates", i))
            if tmpl.retry is None and default_retry is not None and tmpl.kind in ("container", "script"):
                tmpl = dataclasses.replace(tmpl, retry=default_retry)
            templates[str(t["name"])] = tmpl
    entry = spec.get("entrypoint")
    if not entry:
        diags.error("RCC1001", "the workflow has no `spec.entrypoint`, so there is nothing to run", where,
                    help="set spec.entrypoint to the template Argo should start with")
        return None
    meta = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    name = meta.get("name") or (str(meta.get("generateName") or "workflow-") + "sim00")
    args = {str(p.get("name")): scalar(p.get("value")) for p in _params(spec.get("arguments"))}
    on_exit = spec.get("onExit")
    wf = Workflow(str(name), str(entry), args, templates, str(on_exit) if on_exit else None, str(meta.get("namespace") or "default"),
                  file, spans)
    for tname, path in [(wf.entrypoint, base + ("entrypoint",))] + ([(wf.on_exit, base + ("onExit",))] if wf.on_exit else []):
        if tname not in templates:
            diags.error("RCC1002", f"template `{tname}` is not defined", wf.span(path),
                        help="name one of the templates in spec.templates")
    for t in templates.values():
        for task in t.tasks:
            for ref, key in ((task.template, "template"), (task.on_exit, "onExit")):
                if ref and ref not in templates:
                    diags.error("RCC1002", f"task `{task.name}` runs template `{ref}`, which is not defined",
                                wf.span(task.path + (key,)), help="name one of the templates in spec.templates")
    return None if diags.has_errors else wf
