"""`rcc build PIPELINE [-c CONFIG] [-p PARAMETERS] [--var NAME=VALUE]... [-o OUT]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from compiler.commands.common import (EXIT_INPUT, EXIT_OK, EXIT_USAGE, add_format_option, exit_code_for,
                                      print_diagnostics, print_notes)
from compiler.diagnostics import Diagnostic

DEFAULT_OUTPUT = "argo-pipeline.yaml"


def add_compile_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-c", "--config", metavar="CONFIG",
                   help="executor configuration (default: argo-config.yaml beside the pipeline, "
                        "then in each parent directory up to the repository root)")
    p.add_argument("-p", "--parameters", metavar="PARAMETERS", help="initial parameters (a YAML mapping)")
    p.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="a configuration variable ($NAME / ${NAME}); also read from RCC_VAR_NAME, "
                        "RUNNABLE_VAR_NAME and MAGNUS_VAR_NAME")
    from compiler.backend.runtimes import NAMES

    p.add_argument("--runtime", choices=NAMES, default=None,
                   help="how a step runs in its container (default: the configuration's `runtime`, else the program that reads the configuration's dialect: runnable 0.50 for `pipeline-executor`, runnable-0.13 for `executor`, magnus-0.4 for `mode`, kedro for argo.yml, native for CloudHarness keys)")
    from compiler.commands.common import size_argument

    p.add_argument("--max-size", type=size_argument, default=1024 * 1024, metavar="BYTES",
                   help="largest manifest accepted, in bytes of compact JSON as Argo counts them "
                        "(default: Argo's 1 MiB, 1048576)")
    p.add_argument("--kind", choices=("workflow", "workflow-template", "cron-workflow"), default=None,
                   help="the manifest's kind (default: the configuration's `kind`; cron-workflow when it has a "
                        "`cron_schedule`; else workflow)")
    p.add_argument("--project-root", metavar="DIR", default=None,
                   help="the directory paths in the manifest are relative to, as the pod's working directory "
                        "holds it (default: [tool.rcc] root, else the nearest directory with .git or a "
                        "pyproject.toml with [tool.rcc], else the pipeline's directory)")
    add_format_option(p)


def register(sub) -> None:
    p = sub.add_parser("build", help="compile a pipeline into an Argo manifest",
                       description="Compile PIPELINE into an Argo Workflows manifest. The manifest is verified "
                                   "against Argo's schema and rules before it is written; on any error nothing is written.")
    p.add_argument("pipeline", metavar="PIPELINE")
    p.add_argument("-o", "--output", metavar="OUT",
                   help=f"where to write the manifest; `-` for stdout (default: the configuration's "
                        f"output_file, else {DEFAULT_OUTPUT})")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 (RCC0708) when OUT is missing or differs from what PIPELINE "
                        "compiles to (the rcc-build pre-commit hook; CI)")
    p.add_argument("--brief", action="store_true",
                   help="report the pipeline's own errors as one line (RCC0503) and print no warnings or notes: "
                        "for the rcc-build hook beside rcc-check, which reports them in full")
    add_compile_options(p)
    p.set_defaults(run=run)


def parse_vars(values: list[str]) -> dict[str, str] | None:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            sys.stderr.write(f"rcc: error: --var takes NAME=VALUE, not {item!r}\n")
            return None
        out[name] = value
    return out


def make_request(args: argparse.Namespace, pipeline: str):
    from compiler.context import Options
    from compiler.driver import Request

    variables = parse_vars(args.var)
    if variables is None:
        return None
    return Request(pipeline, args.config, args.parameters, variables,
                   Options(runtime=args.runtime, kind=args.kind, max_size=args.max_size),
                   project_root=args.project_root)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def run(args: argparse.Namespace) -> int:
    from compiler.driver import compile_files

    if getattr(args, "check", False) and args.output == "-":
        print_diagnostics([Diagnostic(
            "RCC0730", "`--check -o -` has nothing to compare: `-` names standard output, not a manifest file",
            None, help="name the committed manifest, e.g. `rcc build pipeline.yaml --check -o argo-pipeline.yaml`")],
            args)
        return EXIT_USAGE
    req = make_request(args, args.pipeline)
    if req is None:
        return EXIT_USAGE
    result = compile_files(req)
    diags = list(result.diagnostics)
    output = args.output
    if output is None and result.manifest is not None:
        configured, span = _configured_output(result, req)
        if configured is not None:
            from compiler.output_place import outside_allowed

            refusal = outside_allowed(configured, args.pipeline, span)
            if refusal is not None:
                diags.append(refusal)
        output = configured or DEFAULT_OUTPUT
    if result.text is not None and output not in (None, "-"):
        inputs = [p for p in (args.pipeline, result.config_path, args.parameters) if p]
        if any(os.path.exists(output) and _same_file(output, p) for p in inputs):
            diags.append(Diagnostic("RCC0705", f"the output `{output}` is one of the inputs; rcc never overwrites its input",
                                    None, help="write the manifest to another file, e.g. -o argo-pipeline.yaml"))
    code = exit_code_for(diags)
    if code == EXIT_OK and result.text is not None:
        from compiler.backend.write import write_atomic, write_stdout

        if getattr(args, "check", False):
            from compiler.freshness import stale_output

            stale = stale_output(output, result.text, args.pipeline) if output != "-" else None
            if stale is not None:
                diags.append(stale)
                code = EXIT_INPUT
        elif output == "-":
            write_stdout(result.text)
        else:
            try:
                write_atomic(Path(output), result.text)
            except OSError as exc:
                diags.append(Diagnostic("RCC0706", f"cannot write `{output}`: {exc.strerror or exc}", None,
                                        help="check that the directory exists and is writable; "
                                             "any previous file there is left as it was"))
                code = EXIT_INPUT
            else:
                if args.output is None:
                    result.notes.append(f"wrote {output}")
    if getattr(args, "brief", False):
        from compiler.freshness import brief

        diags, result.notes = brief(diags, args.pipeline, output), []
    print_diagnostics(diags, args, _lookup(result.sources), stdout_taken=output == "-")
    print_notes(result.notes, args)
    return code


def _configured_output(result, req) -> tuple[str | None, object]:
    """The configuration's `output_file` (every dialect has one), read again from the same text.

    Re-reading keeps the driver's result free of build-only concerns; it runs only when
    -o is absent, and the text and variables are the ones the compilation used.
    """
    text = result.sources.get(result.config_path) if result.config_path else None
    if text is None:
        return None, None
    from compiler.diagnostics import Diagnostics
    from compiler.frontend.config import parse_config
    from compiler.frontend.load import load_mapping
    from compiler.frontend.variables import substitute, variables_from

    scratch = Diagnostics()
    doc = load_mapping(text, result.config_path, scratch, "configuration")
    if doc is None:
        return None, None
    config = parse_config(substitute(doc, variables_from(req.variables), scratch), scratch)
    spans = [span for path, span in doc.spans.items() if path and path[-1] in ("output_file", "outputFile")]
    return (None if config is None else config.workflow.get("output_file")), (spans[0] if spans else None)


def _lookup(sources: dict[str, str]):
    from compiler.render import read_source

    return lambda f: sources.get(f) if f in sources else read_source(f)
