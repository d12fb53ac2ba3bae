"""`rcc check PIPELINE... [options]`: everything `build` does except writing (pre-commit, CI)."""

from __future__ import annotations

import argparse

from compiler.commands.build import add_compile_options, make_request, _lookup
from compiler.commands.common import EXIT_USAGE, exit_code_for, print_diagnostics


def register(sub) -> None:
    p = sub.add_parser("check", help="check pipelines without writing anything",
                       description="Compile each PIPELINE and verify the manifest, reporting every error; "
                                   "nothing is written. Several files may be given, as pre-commit passes them.")
    p.add_argument("pipelines", nargs="+", metavar="PIPELINE")
    add_compile_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from compiler.driver import compile_files

    all_diags = []
    sources: dict[str, str] = {}
    for pipeline in args.pipelines:
        req = make_request(args, pipeline)
        if req is None:
            return EXIT_USAGE
        result = compile_files(req)
        all_diags.extend(result.diagnostics)
        sources.update(result.sources)
    print_diagnostics(all_diags, args, _lookup(sources))
    return exit_code_for(all_diags)
