"""`rcc lint MANIFEST...`: Argo's validation rules, offline, on any Argo manifest.

Inputs are files, directories (every `*.yaml` / `*.yml` below, sorted), globs and `-`
for stdin, less what `--exclude` or `[tool.rcc.lint] exclude` names. Findings can be
silenced where they stand (`# rcc: ignore[CODE]`, compiler/verify/suppress.py) or by
the project's `[tool.rcc.lint]` (compiler/commands/lint_settings.py); `--strict` makes
warnings fail the run, for CI.
"""

from __future__ import annotations

import argparse
import sys

from compiler.commands.common import add_format_option, add_input_limit_option, exit_code_for, print_diagnostics

STDIN = "<stdin>"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lint",
        help="check Argo manifests against Argo's own rules, offline",
        description="Check Workflow, WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow documents "
        "against Argo's schema (strict: unknown fields and duplicate keys are errors) and semantic rules. "
        "References resolve across every document given. Exit 1 on any error (and on warnings with --strict).",
    )
    p.add_argument("manifests", nargs="+", metavar="MANIFEST",
                   help="YAML files (several `---` documents each), directories (every *.yaml and *.yml below), "
                        "globs (quote them: 'manifests/**/*.yaml'), or - for stdin")
    p.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                   help="skip files whose path or name matches this glob (repeatable)")
    p.add_argument("--strict", "--warnings-as-errors", dest="strict", action="store_true",
                   help="warnings fail the run too (exit 1), as errors do")
    p.add_argument("--allow-external-refs", action="store_true",
                   help="do not warn about templateRef / workflowTemplateRef targets outside the files given")
    add_input_limit_option(p)
    add_format_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from compiler.commands.lint_inputs import expand
    from compiler.commands.lint_settings import apply_settings, read_settings
    from compiler.diagnostics import Diagnostic, Diagnostics
    from compiler.frontend.load import Located, decode, load_documents
    from compiler.verify import is_argo_document, lint_documents
    from compiler.verify.suppress import Suppressions

    diags = Diagnostics()
    settings = read_settings(Path.cwd(), diags)
    files = expand(args.manifests, args.exclude + settings.exclude, diags)
    docs: list[Located] = []
    notes: list[str] = []
    marks: dict[str, Suppressions] = {}
    load_diags = Diagnostics()
    for name in files:
        raw = _read(name, diags, args.max_input)
        if raw is None:
            continue
        shown = STDIN if name == "-" else name
        text = decode(raw, shown, diags)
        if text is None:
            continue
        marks[shown] = Suppressions.scan(shown, text)
        argo_here = 0
        for doc in load_documents(text, shown, load_diags):
            if doc.data is None:
                continue
            if is_argo_document(doc.data):
                docs.append(doc)
                argo_here += 1
            else:
                kind = doc.data.get("kind", "?") if isinstance(doc.data, dict) else type(doc.data).__name__
                notes.append(f"note: {doc.span(())}: skipped a {kind} document (rcc lint checks Workflow, "
                             "WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow)\n")
    for d in load_diags.items:  # load-stage findings (duplicate keys...) are silenced by their line
        m = marks.get(d.span.file) if d.span else None
        if m is None or not m.silences(d.code, [d.span.line]):  # type: ignore[union-attr]
            diags.add(d)
    lint_documents(docs, diags, allow_external_refs=args.allow_external_refs, suppressions=marks)
    for m in marks.values():
        for d in m.unused():
            diags.add(d)
    items = apply_settings(diags.sorted(), settings, strict=args.strict)
    if args.format == "human" and notes:
        sys.stderr.write("".join(notes))
    print_diagnostics(items, args)
    return exit_code_for(items)


def _read(name: str, diags, limit: int) -> bytes | None:
    """A manifest's bytes through the one bounded reader (stdin too: at most `limit`)."""
    from compiler.files import read_bounded, read_stream_bounded

    if name == "-":
        return read_stream_bounded(sys.stdin.buffer, STDIN, "manifest", limit, diags, "--max-input BYTES")
    return read_bounded(name, "manifest", limit, diags, "--max-input BYTES")
