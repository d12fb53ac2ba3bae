"""`{{...}}` references: each one must name something visible where it is written.

Why: Argo substitutes variables when a step runs; a reference to an undeclared input or
to a task that has not run leaves the literal text in a command, or fails mid-run. The
scopes follow Argo's validator: global (workflow.*), template (inputs.*, pod.name,
retries), steps (earlier steps), DAG (any task's outputs, an ancestor's status), and
loop items. As in Argo, only tags starting with item. steps. inputs. outputs. pod.
workflow. or tasks. are checked, and `{{=expression}}` tags never are.
"""

from __future__ import annotations

from typing import Any, Iterator

from compiler.diagnostics import did_you_mean
from compiler.tags import TagScanner
from compiler.verify.dag import dependency_graph, is_ancestor
from compiler.verify.findings import Report
from compiler.verify.model import (POD_TYPES, Doc, call_target, dicts, each_step, each_task, has_output,
                                   mapping, template_type)

TAG = TagScanner()  # linear: compiler/tags.py
CHECKED = ("item.", "steps.", "inputs.", "outputs.", "pod.", "workflow.", "tasks.")
WORKFLOW_FIXED = {"workflow.name", "workflow.namespace", "workflow.mainEntrypoint", "workflow.serviceAccountName",
                  "workflow.uid", "workflow.status", "workflow.parameters", "workflow.parameters.json",
                  "workflow.annotations", "workflow.annotations.json", "workflow.labels", "workflow.labels.json"}
WORKFLOW_PREFIXES = ("workflow.creationTimestamp", "workflow.scheduledTime", "workflow.duration")


def strings(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Every string under `value` with its path (keys included: Argo substitutes them too)."""
    stack = [(path, value)]
    while stack:
        p, v = stack.pop()
        if isinstance(v, str):
            if "{{" in v:
                yield p, v
        elif isinstance(v, dict):
            for k, sub in v.items():
                stack.append((p + (k,), sub))
        elif isinstance(v, list):
            for i, sub in enumerate(v):
                stack.append((p + (i,), sub))


class _Global:
    """The workflow-wide names, computed once per document."""

    def __init__(self, doc: Doc) -> None:
        self.names = set(WORKFLOW_FIXED)
        # A template's user passes its own parameters at submission (or an event binding does).
        self.any_parameter = doc.kind in ("WorkflowTemplate", "ClusterWorkflowTemplate")
        self.any_output = False
        params = [p.get("name") for _, p in dicts(doc.arguments().get("parameters"))]
        wft = mapping(doc.spec.get("workflowTemplateRef"))
        if wft:
            target = doc.bundle.specs.get((bool(wft.get("clusterScope")), wft.get("name")))  # type: ignore[arg-type]
            if target is None:
                self.any_parameter = True
            else:
                params += [p.get("name") for _, p in dicts(mapping(target.get("arguments")).get("parameters"))]
        self.names.update(f"workflow.parameters.{n}" for n in params if isinstance(n, str))
        metas = [mapping(doc.data.get("metadata")), mapping(doc.spec.get("workflowMetadata"))]
        if doc.kind == "CronWorkflow":
            metas.append(mapping(mapping(doc.data.get("spec")).get("workflowMetadata")))
        for meta in metas:
            for kind in ("annotations", "labels"):
                self.names.update(f"workflow.{kind}.{k}" for k in mapping(meta.get(kind)))
        if doc.spec.get("priority") is not None:
            self.names.add("workflow.priority")
        if doc.spec.get("onExit") or mapping(doc.spec.get("hooks")):
            self.names.add("workflow.failures")
        for _, t in doc.each_template():
            outs = mapping(t.get("outputs"))
            for kind in ("parameters", "artifacts"):
                for _, p in dicts(outs.get(kind)):
                    g = p.get("globalName")
                    if isinstance(g, str):
                        if "{{" in g:
                            self.any_output = True
                        self.names.add(f"workflow.outputs.{kind}.{g}")

    def knows(self, tag: str) -> bool:
        if tag in self.names or tag.startswith(WORKFLOW_PREFIXES):
            return True
        if tag.startswith("workflow.parameters.") and self.any_parameter:
            return True
        return tag.startswith("workflow.outputs.") and self.any_output


def check(doc: Doc, report: Report) -> None:
    glob = _Global(doc)
    for path, t in doc.each_template():
        _template(doc, t, path, glob, report)


def _template(doc: Doc, t: dict, path: tuple, glob: _Global, report: Report) -> None:
    local: set[str] = {"inputs.parameters", "inputs.artifacts", "steps.name", "tasks.name"}
    inputs = mapping(t.get("inputs"))
    for _, p in dicts(inputs.get("parameters")):
        local.add(f"inputs.parameters.{p.get('name')}")
    for _, a in dicts(inputs.get("artifacts")):
        local.update((f"inputs.artifacts.{a.get('name')}", f"inputs.artifacts.{a.get('name')}.path"))
    if template_type(t) in POD_TYPES:
        local.add("pod.name")
    retry = t.get("retryStrategy") is not None
    if retry:
        local.add("retries")
    steps = isinstance(t.get("steps"), list)
    dag = isinstance(t.get("dag"), dict)
    step_info = _step_names(t, path) if steps else {}
    task_names = {task.get("name") for _, task in each_task(t, path)} if dag else set()
    nodes = _node_targets(doc, t, path)
    graph = dependency_graph(t) if dag else {}

    def known(tag: str) -> str | None:
        """None when the tag resolves, else a reason."""
        if tag in local or tag.startswith("outputs.") or glob.knows(tag):
            return None
        if retry and tag.startswith("lastRetry."):
            return None
        if tag.startswith("inputs."):
            return "is not an input of this template"
        if tag.startswith("pod."):
            return "is only defined in templates that run a pod"
        if tag.startswith("workflow."):
            return "is not a workflow variable here"
        return "is not defined here"

    skip = {"steps", "dag"}
    for key, value in t.items():
        if key in skip:
            continue
        if key == "outputs" and (steps or dag):
            _strings(value, path + (key,), report,
                     lambda tag: _outputs_ref(tag, step_info, task_names) or known(tag)
                     if _outputs_ref(tag, step_info, task_names) != "" else _node_ref(tag, nodes))
            continue
        _strings(value, path + (key,), report, known)
    if steps:
        for spath, step, g in each_step(t, path):
            item = _item_scope(step)
            order = (g, spath[-1] if len(spath) > len(path) + 2 else 0)
            _strings(step, spath, report, lambda tag, item=item, order=order:
                     _item(tag, item) if tag.startswith("item.") else
                     (_step_ref(tag, step_info, order) or _node_ref(tag, nodes)) if tag.startswith("steps.")
                     else known(tag))
    if dag:
        dag_body = {k: v for k, v in mapping(t.get("dag")).items() if k != "tasks"}
        _strings(dag_body, path + ("dag",), report, known)
        for tpath, task in each_task(t, path):
            item = _item_scope(task)
            me = task.get("name")
            _strings(task, tpath, report, lambda tag, item=item, me=me:
                     _item(tag, item) if tag.startswith("item.") else
                     (_task_ref(tag, task_names, graph, me) or _node_ref(tag, nodes)) if tag.startswith("tasks.")
                     else known(tag))


def _strings(value: Any, path: tuple, report: Report, resolve) -> None:
    for p, text in strings(value, path):
        for m in TAG.finditer(text):
            tag = m.group(1).strip()
            if not tag or tag.startswith("=") or not tag.startswith(CHECKED):
                continue
            reason = resolve(tag)
            if reason:
                report.error("RCC0835", f"`{{{{{tag}}}}}` {reason}", p,
                             help="check the spelling and where it is used; see `rcc explain RCC0835` for the scopes")


def _step_names(t: dict, path: tuple) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for spath, step, g in each_step(t, path):
        name = step.get("name")
        if isinstance(name, str):
            out.setdefault(name, (g, spath[-1] if len(spath) > len(path) + 2 else 0))
    return out


def _step_ref(tag: str, names: dict[str, tuple[int, int]], order: tuple[int, int]) -> str | None:
    parts = tag.split(".")
    if len(parts) < 2 or parts[1] == "name":
        return None
    where = names.get(parts[1])
    if where is None:
        guess = did_you_mean(parts[1], names)
        return f"names step `{parts[1]}`, which is not in this template" + (f" (did you mean `{guess}`?)" if guess else "")
    if where <= order:  # earlier steps; a step's own hooks and onExit see its own results
        return None
    return f"refers to step `{parts[1]}`, which has not run yet"


def _task_ref(tag: str, names: set, graph: dict[str, list[str]], me: Any) -> str | None:
    parts = tag.split(".")
    if len(parts) < 2 or parts[1] == "name":
        return None
    if parts[1] not in names:
        guess = did_you_mean(parts[1], [n for n in names if isinstance(n, str)])
        return f"names task `{parts[1]}`, which is not in this DAG" + (f" (did you mean `{guess}`?)" if guess else "")
    if len(parts) > 2 and parts[2] == "status" and parts[1] != me and isinstance(me, str) \
            and not is_ancestor(graph, me, parts[1]):
        return f"reads the status of `{parts[1]}`, which is not a dependency of `{me}`"
    return None


def _outputs_ref(tag: str, steps: dict, tasks: set) -> str | None:
    """In a steps/dag template's outputs: any step or task of the template."""
    parts = tag.split(".")
    if parts[0] == "steps" and len(parts) > 1:
        return "" if parts[1] in steps else f"names step `{parts[1]}`, which is not in this template"
    if parts[0] == "tasks" and len(parts) > 1:
        return "" if parts[1] in tasks else f"names task `{parts[1]}`, which is not in this DAG"
    return None


SEQUENCE: Any = object()  # the item scope of withSequence: `{{item}}` alone
# What every step or task node has, whatever it runs (addOutputsToScope).
NODE_FIELDS = ("id", "startedAt", "finishedAt", "hostNodeName", "status", "name")


def _node_targets(doc: Doc, t: dict, path: tuple) -> dict[str, tuple[dict | None, bool]]:
    """For each step/task of `t`: the template it runs (None if unknown) and whether it loops
    over items or a parameter (then `outputs.parameters` is the aggregate)."""
    out: dict[str, tuple[dict | None, bool]] = {}
    calls = [s for _, s, _ in each_step(t, path)] + [task for _, task in each_task(t, path)]
    for call in calls:
        name = call.get("name")
        if isinstance(name, str) and name not in out:
            looped = call.get("withItems") is not None or call.get("withParam") is not None
            out[name] = (call_target(doc, call), looped)
    return out


def _node_ref(tag: str, nodes: dict[str, tuple[dict | None, bool]]) -> str | None:
    """What `{{steps.X.<field>}}` / `{{tasks.X.<field>}}` may name, by the template X runs.

    As Argo's addOutputsToScope: `outputs.result` and `exitCode` only where the template
    HasOutput (not suspend, resource, steps or dag), `ip` only from a daemon, declared
    outputs by name, the bare `outputs.parameters` only from a loop.
    """
    parts = tag.split(".")
    if len(parts) < 3 or parts[1] not in nodes:
        return None
    target, looped = nodes[parts[1]]
    kind = template_type(target) if target is not None else None
    if target is None or kind is None:
        return None  # unknown, or a template the type rule (RCC0822) already reports
    field, rest = parts[2], parts[3:]
    who = f"`{parts[1]}` runs `{target.get('name')}`, a {kind} template"
    if field in NODE_FIELDS:
        return None
    if field == "exitCode" or (field == "outputs" and rest[:1] == ["result"]):
        return None if has_output(target) else f"is not defined: {who}, which has no result or exit code"
    if field == "ip":
        return None if target.get("daemon") is True else f"is not defined: {who} that is not a daemon"
    if field == "outputs" and len(rest) >= 1 and rest[0] in ("parameters", "artifacts"):
        if len(rest) == 1:
            return None if looped and rest[0] == "parameters" else \
                f"is not defined: only a looped step has the aggregate `outputs.{rest[0]}`"
        declared = {p.get("name") for _, p in dicts(mapping(target.get("outputs")).get(rest[0]))}
        if rest[1] in declared or "{{" in rest[1]:
            return None
        guess = did_you_mean(rest[1], [n for n in declared if isinstance(n, str)])
        return (f"names output {rest[0][:-1]} `{rest[1]}`, which `{target.get('name')}` does not declare"
                + (f" (did you mean `{guess}`?)" if guess else ""))
    return None


def _item_scope(call: dict) -> Any:
    """What `item.` may name: a set of keys, True for anything, None without a loop.

    withSequence defines `{{item}}` only (a number), so it names no keys.
    """
    if call.get("withSequence") is not None and call.get("withItems") is None and call.get("withParam") is None:
        return SEQUENCE
    if call.get("withParam") is not None:
        return True
    items = call.get("withItems")
    if not isinstance(items, list):
        return True if isinstance(items, str) else None
    keys: set[str] = set()
    for it in items:
        if isinstance(it, dict):
            keys.update(str(k) for k in it)
        elif isinstance(it, list):
            keys.update(f"[{i}]" for i in range(len(it)))
        else:
            return True if not keys else keys
    return keys


def _item(tag: str, scope: Any) -> str | None:
    if scope is None:
        return "is used outside a loop (no withItems, withParam or withSequence here)"
    if scope is True:
        return None
    if scope is SEQUENCE:
        return "is not defined: a withSequence item is a number, `{{item}}`, with no fields"
    key = tag[len("item."):].split(".")[0]
    if key in scope:
        return None
    guess = did_you_mean(key, scope)
    return f"names key `{key}`, which the withItems entries do not have" + (f" (did you mean `{guess}`?)" if guess else "")
