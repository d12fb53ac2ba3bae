"""Arguments, inputs and outputs: what a call passes must fit what the template takes.

Why beyond Argo: Argo ignores an argument the template does not declare (a typo passes
silently and the input keeps its default) and finds a missing required input only when
the step runs. Both directions are errors here, for local templates and for templates
of WorkflowTemplates given in the same bundle.
"""

from __future__ import annotations


from compiler.diagnostics import did_you_mean
from compiler.verify.findings import Report
from compiler.verify.model import Doc, argo_leaf, call_target, dicts, each_call, mapping, template_type

ARG_SOURCES = ("configMapKeyRef", "event", "supplied")
OUT_SOURCES = ("path", "jqFilter", "jsonPath", "parameter", "expression", "supplied", "configMapKeyRef", "event")
LOCATIONS = ("s3", "git", "http", "artifactory", "hdfs", "raw", "oss", "gcs", "azure", "plugin")


def check(doc: Doc, report: Report) -> None:
    _argument_values(doc.arguments(), doc.spec_path + ("arguments",), report, workflow=True)
    for path, call in each_call(doc):
        args = mapping(call.get("arguments"))
        _argument_values(args, path + ("arguments",), report, workflow=False)
        target = call_target(doc, call)
        if target is not None and call.get("inline") is None:
            _bindings(args, target, path, report, str(call.get("name", "?")))
    entry = doc.spec.get("entrypoint")
    if doc.kind in ("Workflow", "CronWorkflow") and isinstance(entry, str) and entry in doc.templates:
        _bindings(doc.arguments(), doc.templates[entry], doc.spec_path, report, "the workflow",
                  extra_ok=True, where=("entrypoint",))
    for path, t in doc.each_template():
        _outputs(t, path, report)
        _input_artifacts(t, path, report)


def _argument_values(args: dict, base: tuple, report: Report, workflow: bool) -> None:
    for i, p in dicts(args.get("parameters")):
        path = base + ("parameters", i)
        value, source = p.get("value"), p.get("valueFrom")
        if value is None and source is None and not workflow:
            report.error("RCC0855", f"argument `{p.get('name')}` has no value", path,
                         help="add `value:` (or `valueFrom:`), or remove the argument to use the input's default")
        if isinstance(source, dict):
            bad = [k for k in source if k not in ARG_SOURCES and k != "default"]
            if bad:
                report.error("RCC0856", f"argument `{p.get('name')}` cannot take its value from `{bad[0]}`",
                             path + ("valueFrom", bad[0]), key=True,
                             help="an argument's valueFrom is one of configMapKeyRef, event, supplied")
        enum = p.get("enum")
        if enum is not None:
            if isinstance(enum, list) and not enum:
                report.error("RCC0856", f"argument `{p.get('name')}` has an empty `enum`", path + ("enum",),
                             help="list the allowed values, or remove `enum`")
            elif isinstance(enum, list) and value is not None and "{{" not in str(value) and value not in enum:
                report.error("RCC0856", f"value `{value}` of `{p.get('name')}` is not one of its enum values",
                             path + ("value",), help="allowed: " + ", ".join(map(str, enum)))
    if workflow:
        return
    for i, a in dicts(args.get("artifacts")):
        path = base + ("artifacts", i)
        has_from, has_expr = a.get("from") is not None, a.get("fromExpression") is not None
        if has_from and has_expr:
            report.error("RCC0857", f"artifact `{a.get('name')}` has both `from` and `fromExpression`",
                         path + ("fromExpression",), key=True, help="keep one of the two")
        elif not (has_from or has_expr or any(a.get(k) is not None for k in LOCATIONS)):
            report.error("RCC0857", f"argument artifact `{a.get('name')}` says nowhere to get it from", path,
                         help="add `from: \"{{steps.X.outputs.artifacts.Y}}\"`, `fromExpression:`, or a location (s3, http, git, raw...)")


def _bindings(args: dict, target: dict, path: tuple, report: Report, who: str,
              extra_ok: bool = False, where: tuple = ("template",)) -> None:
    """RCC0860 argument without input, RCC0861 required input without argument."""
    inputs = mapping(target.get("inputs"))
    tname = target.get("name")
    for kind in ("parameters", "artifacts"):
        declared = {p.get("name"): p for _, p in dicts(inputs.get(kind))}
        given = {}
        for i, a in dicts(args.get(kind)):
            given[a.get("name")] = i
            if a.get("name") not in declared and not extra_ok and isinstance(a.get("name"), str):
                guess = did_you_mean(a["name"], [n for n in declared if isinstance(n, str)])
                report.warning("RCC0860", f"`{who}` passes {kind[:-1]} `{a['name']}`, but template `{tname}` has no "
                             f"such input", path + ("arguments", kind, i, "name"),
                             help=f"did you mean `{guess}`?" if guess else
                             f"declare it in `{tname}`'s inputs.{kind}, or remove the argument")
        for name, p in declared.items():
            if name in given or not isinstance(name, str) or _has_default(p, kind):
                continue
            report.error("RCC0861", f"`{who}` does not supply input {kind[:-1]} `{name}` of template `{tname}`, "
                         "which has no default", path + where,
                         help=f"pass it in `arguments.{kind}`, or give the input a default")


def _has_default(p: dict, kind: str) -> bool:
    if kind == "parameters":
        return any(p.get(k) is not None for k in ("value", "default", "valueFrom"))
    return bool(p.get("optional")) or any(p.get(k) is not None for k in LOCATIONS + ("from", "fromExpression"))


def _outputs(t: dict, path: tuple, report: Report) -> None:
    """RCC0858: output parameters take their value from exactly one place that fits the template."""
    kind = template_type(t)
    for i, p in dicts(mapping(t.get("outputs")).get("parameters")):
        ppath = path + ("outputs", "parameters", i)
        value, source = p.get("value"), p.get("valueFrom")
        if value is not None and source is not None:
            report.error("RCC0858", f"output `{p.get('name')}` has both `value` and `valueFrom`", ppath + ("valueFrom",),
                         key=True, help="keep one of the two")
        if value is None and source is None:
            report.error("RCC0858", f"output `{p.get('name')}` has neither `value` nor `valueFrom`", ppath,
                         help="say where the value comes from, e.g. `valueFrom: {path: /tmp/out.txt}`")
        if not isinstance(source, dict):
            continue
        sources = [k for k in OUT_SOURCES if source.get(k) not in (None, "")]
        if len(sources) > 1:
            report.error("RCC0858", f"output `{p.get('name')}` takes its value from {len(sources)} places: "
                         + ", ".join(sources), ppath + ("valueFrom",), key=True, help="keep exactly one source")
        need = {"container": ("path",), "script": ("path",), "containerSet": ("path",),
                "resource": ("jqFilter", "jsonPath"), "steps": ("parameter", "expression"),
                "dag": ("parameter", "expression")}.get(kind or "")
        if need and not any(source.get(k) not in (None, "") for k in need):
            report.error("RCC0858", f"output `{p.get('name')}` of a {kind} template needs valueFrom."
                         + " or valueFrom.".join(need), ppath + ("valueFrom",), key=True,
                         help=f"{kind} templates read outputs from " + " or ".join(need))
    for i, a in dicts(mapping(t.get("outputs")).get("artifacts")):
        if argo_leaf(t):
            _clean_path(a, path + ("outputs", "artifacts", i), "output", report)
        if not argo_leaf(t) and template_type(t) is not None and a.get("path") is not None:
            report.error("RCC0859", f"output artifact `{a.get('name')}` has a `path`, but `{t.get('name')}` runs no container",
                         path + ("outputs", "artifacts", i, "path"), key=True,
                         help="use `from: \"{{tasks.X.outputs.artifacts.Y}}\"` in steps/dag templates")


def _input_artifacts(t: dict, path: tuple, report: Report) -> None:
    """RCC0859: input artifacts are placed by `path` in a container; `from` belongs to arguments."""
    for i, a in dicts(mapping(t.get("inputs")).get("artifacts")):
        apath = path + ("inputs", "artifacts", i)
        if a.get("from") is not None:
            report.error("RCC0859", f"input artifact `{a.get('name')}` cannot have `from`", apath + ("from",), key=True,
                         help="`from` is for arguments; the caller passes the artifact")
        if a.get("path") is not None and not argo_leaf(t) and template_type(t) is not None:
            report.error("RCC0859", f"input artifact `{a.get('name')}` has a `path`, but `{t.get('name')}` runs no container",
                         apath + ("path",), key=True, help="remove `path`; only container and script templates place files")
        elif argo_leaf(t):
            _clean_path(a, apath, "input", report)


def _clean_path(a: dict, apath: tuple, what: str, report: Report) -> None:
    """RCC0859: a leaf's artifact has a path that stays where it is put (Artifact.CleanPath)."""
    p = a.get("path")
    if p is None or p == "":
        report.error("RCC0859", f"{what} artifact `{a.get('name')}` has no `path`", apath, key=False,
                     help="say where the file goes in the container, e.g. `path: /tmp/data`")
    elif isinstance(p, str) and _escapes(p):
        report.error("RCC0859", f"{what} artifact `{a.get('name')}` has the path `{p}`, which climbs out with `..`",
                     apath + ("path",), help="Argo refuses directory traversal; write the path without `..`")


def _escapes(path: str) -> bool:
    """Argo's test: the part before the first `/../` (or a final `/..`) must still prefix the cleaned path."""
    import posixpath

    if "/../" in path:
        safe = path.split("/../", 1)[0]
    elif path.endswith("/.."):
        safe = path[:-3]
    else:
        return False
    cleaned = posixpath.normpath(path)
    return bool(safe) and (not cleaned.startswith(safe + "/") or len(cleaned) <= len(safe) + 1)


