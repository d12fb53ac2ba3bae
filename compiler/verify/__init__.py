"""verify: Argo's validation rules, offline, on any manifest.

Two entry points share every rule:

- `verify_manifest(manifest)` is the last stage of `rcc build`: the manifest rcc is about
  to write, as plain data. Any finding is a bug in rcc; the driver reports it as an
  internal error and writes nothing. It must stay linear and fast (10,000-step
  pipelines), so rules walk the manifest a bounded number of times.
- `lint_documents(docs, diags)` is `rcc lint`: hand-written or foreign manifests, with
  spans, references resolved across every document given together.

Rules report paths (`findings.Report`); this module turns paths into spans or into a
printable location. Nothing heavy is imported at module import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from compiler.diagnostics import Diagnostic, Diagnostics

if TYPE_CHECKING:
    from compiler.frontend.load import Located
    from compiler.verify.findings import Report
    from compiler.verify.model import Bundle, Doc
    from compiler.verify.suppress import Suppressions

__all__ = ["verify_manifest", "lint_documents"]


def _rules() -> list[Callable[["Doc", "Report"], None]]:
    """The semantic rules, in a fixed order (each one module, one job)."""
    from compiler.verify import (arguments, cron, dag, leaf, loops, names, numbers, pods, references,
                                 resources, size, variables, when)

    return [names.check, references.check, dag.check, loops.check, leaf.check,
            arguments.check, variables.check, when.check, cron.check, size.check, pods.check,
            resources.check, numbers.check]


def _check(data: Any, bundle: "Bundle", text_size: int | None = None) -> "Report":
    from compiler.verify import schema, size
    from compiler.verify.findings import Report
    from compiler.verify.model import Doc

    report = Report()
    schema.report_schema(data, report)
    # A value of the wrong type (`dag.tasks: 5`, a task `name: [x]`) is the schema's finding,
    # located at the value; the semantic rules read those fields as the schema says they
    # are, so they run only on a document whose shapes are right.
    wrong_shape = any(f.code == "RCC0811" for f in report.findings)
    if isinstance(data, dict) and not wrong_shape:
        doc = Doc.of(data, bundle)
        for rule in _rules():
            rule(doc, report)
        if not bundle.partial:  # `rcc build` measures the size once, in the driver (same rule)
            size.check_total(data, report, text_size)
    return report


def verify_manifest(manifest: dict) -> list[Diagnostic]:
    """Every Argo rule on one manifest rcc produced; an empty list means it may be written.

    Only errors are returned: a warning (a long pod name, a large parameter) is about the
    user's choices, not a bug in rcc, and must not stop a build.
    """
    from compiler.verify.findings import show_path
    from compiler.verify.model import Bundle

    bundle = Bundle(partial=True)
    bundle.add(manifest)
    report = _check(manifest, bundle)
    return [Diagnostic(f.code, f"{f.message} (at {show_path(f.path)})", None, f.help,
                       f.severity, f.notes)  # type: ignore[arg-type]
            for f in report.findings if f.severity == "error"]


def lint_documents(docs: "list[Located]", diags: Diagnostics, allow_external_refs: bool = False,
                   suppressions: "dict[str, Suppressions] | None" = None) -> None:
    """`rcc lint`: every rule on every Argo document, with spans; other kinds are skipped
    by the caller (see `is_argo_document`). A finding silenced by a `# rcc: ignore`
    comment on its line, or on the line of a mapping that holds it, is dropped."""
    from compiler.verify.model import Bundle

    bundle = Bundle(allow_external_refs=allow_external_refs)
    argo = [d for d in docs if is_argo_document(d.data)]
    for d in argo:
        bundle.add(d.data)
    for d in argo:
        report = _check(d.data, bundle, len(d.text.encode("utf-8")) if len(argo) == 1 else None)
        marks = (suppressions or {}).get(d.file)
        for f in report.findings:
            span = d.key_span(f.path) if f.on_key else d.span(f.path)
            if marks is not None and marks.by_line and marks.silences(f.code, _lines(d, f.path, span.line)):
                continue
            diags.add(Diagnostic(f.code, f.message, span, f.help, f.severity, f.notes))  # type: ignore[arg-type]


def _lines(doc: "Located", path: tuple, line: int) -> list[int]:
    """The finding's line, then the first line of each mapping or item that holds it."""
    out = [line]
    for k in range(len(path), 0, -1):
        prefix = path[:k]
        for span in (doc.key_span(prefix), doc.span(prefix)):
            if span.line not in out:
                out.append(span.line)
    return out


def is_argo_document(data: Any) -> bool:
    """A document rcc lint checks: an Argo workflow kind in the argoproj.io group."""
    from compiler.verify.model import WORKFLOW_KINDS

    return isinstance(data, dict) and data.get("kind") in WORKFLOW_KINDS
