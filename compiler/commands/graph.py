"""`rcc graph PIPELINE [--format mermaid|dot]`: the pipeline as a picture for reviewers.

Works from the IR after lowering, with no configuration: a picture needs the steps and
their edges, not an image or a cluster. Structural mistakes (a `next` to no step, a
cycle) are reported as diagnostics, as `rcc check` would, and nothing is drawn, because
a picture of a broken graph would mislead the reviewer.
"""

from __future__ import annotations

import argparse
import sys

from compiler.commands.common import EXIT_OK, exit_code_for, print_diagnostics

# Graph checks that need no parameters or configuration: without `-p`, a map's
# `iterate_on` cannot be known to exist, so RCC0408/RCC0409 are not reported here.
STRUCTURAL = frozenset({"RCC0401", "RCC0402", "RCC0403", "RCC0404", "RCC0405", "RCC0407", "RCC0141",
                        "RCC0410", "RCC0411"})


def register(sub) -> None:
    p = sub.add_parser("graph", help="draw a pipeline as a Mermaid flowchart or Graphviz DOT",
                       description="Print PIPELINE as a Mermaid flowchart (default; GitHub renders it in a "
                                   "```mermaid block) or as Graphviz DOT (`rcc graph p.yaml --format dot | dot -Tsvg`). "
                                   "Composite steps are subgraphs; on_failure edges are dashed and labelled. "
                                   "No configuration is needed.")
    p.add_argument("pipeline", metavar="PIPELINE")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="picture format (default mermaid)")
    p.add_argument("--diagnostic-format", choices=("human", "json", "github"), default="human",
                   help="how errors in the pipeline are printed")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour in human diagnostics: auto (only on a terminal, never when NO_COLOR is set)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from compiler.context import Context, Options
    from compiler.diagnostics import Diagnostics, StageFailed
    from compiler.driver import read_text
    from compiler.frontend.load import load_mapping
    from compiler.frontend.lower import lower_pipeline
    from compiler.frontend.parse import parse_pipeline_data
    from compiler.graph_render import render
    from compiler.ir import Program, Sources
    from compiler.passes.check_graph import check_graph

    diags = Diagnostics()
    sources: dict[str, str] = {}
    out = None
    try:
        text = read_text(args.pipeline, diags, "pipeline file")
        diags.stop_if_errors()
        sources[args.pipeline] = text
        doc = load_mapping(text, args.pipeline, diags, "pipeline")
        diags.stop_if_errors()
        parsed = parse_pipeline_data(doc, diags)
        diags.stop_if_errors()
        graph = lower_pipeline(parsed[0], doc)
        checks = Diagnostics()
        check_graph(Program(graph=graph, config=None, parameters={}, sources=Sources(args.pipeline, None, None)),
                    Context(checks, Options()))
        diags.extend(d for d in checks.items if d.code in STRUCTURAL)
        diags.stop_if_errors()
        out = render(graph, args.format)
    except StageFailed:
        pass
    shown = argparse.Namespace(**{**vars(args), "format": args.diagnostic_format})
    items = diags.sorted()
    print_diagnostics(items, shown, lambda f: sources.get(f))
    if out is not None:
        sys.stdout.write(out)
        return EXIT_OK
    return exit_code_for(items)
