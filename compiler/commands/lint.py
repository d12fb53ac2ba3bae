"""`rcc lint MANIFEST...`: Argo's validation rules, offline, on any Argo manifest."""

from __future__ import annotations

import argparse
import sys

from compiler.commands.common import add_format_option, exit_code_for, print_diagnostics


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lint",
        help="check Argo manifests against Argo's own rules, offline",
        description="Check Workflow, WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow documents "
        "against Argo's schema (strict: unknown fields and duplicate keys are errors) and semantic rules. "
        "References resolve across every document given. Exit 1 on any error.",
    )
    p.add_argument("manifests", nargs="+", metavar="MANIFEST", help="YAML files (several `---` documents each)")
    p.add_argument("--allow-external-refs", action="store_true",
                   help="do not warn about templateRef / workflowTemplateRef targets outside the files given")
    add_format_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from compiler.diagnostics import Diagnostics
    from compiler.frontend.load import Located, decode, load_documents
    from compiler.verify import is_argo_document, lint_documents

    diags = Diagnostics()
    docs: list[Located] = []
    notes: list[str] = []
    for name in args.manifests:
        try:
            with open(name, "rb") as fh:
                raw = fh.read()
        except IsADirectoryError:
            diags.error("RCC0701", f"cannot read file {name}: it is a directory", None,
                        help="give the YAML files themselves, e.g. `rcc lint dir/*.yaml`")
            continue
        except OSError as exc:
            diags.error("RCC0701", f"cannot read file {name}: {exc.strerror or exc}", None,
                        help="check the path and its permissions")
            continue
        text = decode(raw, name, diags)
        if text is None:
            continue
        for doc in load_documents(text, name, diags):
            if doc.data is None:
                continue
            if is_argo_document(doc.data):
                docs.append(doc)
            else:
                kind = doc.data.get("kind", "?") if isinstance(doc.data, dict) else type(doc.data).__name__
                notes.append(f"note: {doc.span(())}: skipped a {kind} document (rcc lint checks Workflow, "
                             "WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow)\n")
    lint_documents(docs, diags, allow_external_refs=args.allow_external_refs)
    items = diags.sorted()
    if args.format == "human" and notes:
        sys.stderr.write("".join(notes))
    print_diagnostics(items, args)
    return exit_code_for(items)
