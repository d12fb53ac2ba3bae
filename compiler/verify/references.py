"""References: every template a workflow names must exist, and be named one way only.

Why: a reference to a missing template is the most common reason Argo refuses a
manifest, and it is found only at submission. Here references resolve locally, then
across every WorkflowTemplate / ClusterWorkflowTemplate of the bundle given to
`rcc lint`; a reference outside the bundle is a warning (it may exist in the cluster),
silent with `--allow-external-refs`, and not checked at all by `rcc build`.
"""

from __future__ import annotations

from typing import Any

from compiler.diagnostics import did_you_mean
from compiler.verify.findings import Report
from compiler.verify.model import TEMPLATE_TYPES, Doc, each_call, mapping, template_types


def check(doc: Doc, report: Report) -> None:
    spec, base = doc.spec, doc.spec_path
    wft_ref = spec.get("workflowTemplateRef")
    if wft_ref is not None:
        if spec.get("templates"):
            report.error("RCC0821", "`templates` cannot be given together with `workflowTemplateRef`",
                         base + ("templates",), key=True,
                         help="remove `templates`, or drop `workflowTemplateRef` and inline the templates")
        ref = mapping(wft_ref)
        if isinstance(ref.get("name"), str):
            _external(doc, report, bool(ref.get("clusterScope")), ref["name"], None, base + ("workflowTemplateRef",))
    entry = spec.get("entrypoint")
    if entry in (None, "") and wft_ref is None and doc.kind in ("Workflow", "CronWorkflow"):
        report.error("RCC0815", "the workflow has no `entrypoint`", base, key=True,
                     help="add `entrypoint: <template name>` naming the template to run first")
    elif isinstance(entry, str) and entry and wft_ref is None:
        _local(doc, report, entry, base + ("entrypoint",), "entrypoint")
    if isinstance(spec.get("onExit"), str) and spec["onExit"]:
        _local(doc, report, spec["onExit"], base + ("onExit",), "onExit")
    _hooks(doc, report, spec.get("hooks"), base + ("hooks",))
    for path, t in doc.each_template():
        types = template_types(t)
        if len(types) != 1:
            name = t.get("name", "?")
            msg = (f"template `{name}` has no type" if not types
                   else f"template `{name}` has {len(types)} types: " + ", ".join(types))
            report.error("RCC0822", msg, path + (("name",) if not types else (types[1],)), key=bool(types),
                         help="a template is exactly one of " + ", ".join(TEMPLATE_TYPES))
    for path, call in each_call(doc):
        _call(doc, report, call, path)


def _call(doc: Doc, report: Report, call: dict, path: tuple) -> None:
    """One step or task: `template` XOR `templateRef` (or `inline`), and the target exists."""
    template, ref = call.get("template"), call.get("templateRef")
    if template is not None and ref is not None:
        report.error("RCC0820", "a step or task cannot have both `template` and `templateRef`",
                     path + ("templateRef",), key=True, help="keep one of the two")
    elif isinstance(template, str):
        _local(doc, report, template, path + ("template",), "step or task")
    elif isinstance(ref, dict):
        _template_ref(doc, report, ref, path + ("templateRef",))
    elif template is None and ref is None and call.get("inline") is None:
        report.error("RCC0816", f"`{call.get('name', '?')}` names no template to run", path,
                     help="add `template: <name>` or `templateRef: {name, template}`")
    if isinstance(call.get("onExit"), str) and call["onExit"]:
        _local(doc, report, call["onExit"], path + ("onExit",), "onExit")
    _hooks(doc, report, call.get("hooks"), path + ("hooks",))


def _hooks(doc: Doc, report: Report, hooks: Any, path: tuple) -> None:
    """RCC0823: every hook but `exit` runs on an expression; its template must exist."""
    if not isinstance(hooks, dict):
        return
    for name, hook in hooks.items():
        if not isinstance(hook, dict):
            continue
        if name != "exit" and not hook.get("expression"):
            report.error("RCC0823", f"hook `{name}` has no `expression`", path + (name,), key=True,
                         help="add `expression:` saying when the hook runs (only the `exit` hook runs without one)")
        if isinstance(hook.get("template"), str):
            _local(doc, report, hook["template"], path + (name, "template"), "hook")
        elif isinstance(hook.get("templateRef"), dict):
            _template_ref(doc, report, hook["templateRef"], path + (name, "templateRef"))


def _local(doc: Doc, report: Report, name: str, path: tuple, what: str) -> None:
    """RCC0816: a template named in this document (or, with workflowTemplateRef, in its target)."""
    if name in doc.templates or "{{" in name:
        return
    wft = mapping(doc.spec.get("workflowTemplateRef"))
    if wft:
        key = (bool(wft.get("clusterScope")), wft.get("name"))
        target = doc.bundle.templates.get(key)  # type: ignore[arg-type]
        if target is None or name in target:
            return
    guess = did_you_mean(name, doc.templates)
    report.error("RCC0816", f"{what} refers to template `{name}`, which is not defined", path,
                 help=f"did you mean `{guess}`?" if guess else "define the template in `templates`, or fix the name")


def _template_ref(doc: Doc, report: Report, ref: dict, path: tuple) -> None:
    missing = [k for k in ("name", "template") if not ref.get(k)]
    if missing:
        report.error("RCC0817", "templateRef needs both `name` and `template`; missing " +
                     " and ".join(f"`{m}`" for m in missing), path, key=True,
                     help="write `templateRef: {name: <WorkflowTemplate>, template: <template in it>}`")
        return
    if isinstance(ref["name"], str) and isinstance(ref["template"], str):
        _external(doc, report, bool(ref.get("clusterScope")), ref["name"], ref["template"], path)


def _external(doc: Doc, report: Report, cluster: bool, name: str, template: str | None, path: tuple) -> None:
    """RCC0818 (missing in a bundled template) or RCC0819 (outside the bundle, a warning)."""
    if "{{" in name or doc.bundle.partial:
        return
    kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
    target = doc.bundle.templates.get((cluster, name))
    if target is None:
        if not doc.bundle.allow_external_refs:
            report.warning("RCC0819", f"{kind} `{name}` is not among the documents given", path + ("name",),
                           help="lint it together with this file, or pass --allow-external-refs "
                           "if it exists in the cluster")
        return
    if template is not None and template not in target and "{{" not in template:
        guess = did_you_mean(template, target)
        report.error("RCC0818", f"{kind} `{name}` has no template `{template}`", path + ("template",),
                     help=f"did you mean `{guess}`?" if guess else f"templates of `{name}`: " + ", ".join(sorted(target)[:8]))
