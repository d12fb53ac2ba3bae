"""`rcc import kedro PROJECT_DIR [--pipeline P] [-o pipeline.yaml]`: a kedro project's
registered pipeline as an rcc pipeline.

kedro stays the source of truth: the registered pipeline is read from kedro itself (in
the project's own Python, see `compiler/importers/kedro_run.py`), and the written file
is what `rcc build -c conf/base/argo.yml` lints, hashes and compiles. The file is
complete and valid or not written: the generated text is parsed and graph-checked by
rcc's own frontend before the atomic write.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from compiler.commands.common import EXIT_OK, add_format_option, exit_code_for, print_diagnostics


def register(sub) -> None:
    p = sub.add_parser("import", help="write an rcc pipeline from another tool's (kedro)",
                       description="Write the rcc pipeline of a project kept in another tool. "
                                   "`rcc import kedro PROJECT_DIR` asks kedro for the registered pipeline.")
    tools = p.add_subparsers(dest="tool", metavar="TOOL")
    k = tools.add_parser("kedro", help="a kedro project's registered pipeline (nodes, FusedPipelines, machine types)",
                         description="Ask kedro, in the project's own Python, for a registered pipeline and write it "
                                     "as an rcc pipeline: one `command_type: kedro` task per node, a `fused` step per "
                                     "argo-kedro FusedPipeline, `machine_type` and `template` as the nodes set them, "
                                     "independent nodes in parallel branches as dataset lineage allows. The Python is "
                                     "--python, else $RCC_KEDRO_VENV/bin/python, else the project's .venv or venv, "
                                     "else $VIRTUAL_ENV's.")
    k.add_argument("project", metavar="PROJECT_DIR", help="the kedro project (the directory of its pyproject.toml)")
    k.add_argument("--pipeline", "-p", default="__default__", help="the registered pipeline (default __default__)")
    k.add_argument("-o", "--output", default="-", metavar="OUT",
                   help="the pipeline file to write, atomically (default: standard output)")
    k.add_argument("--python", metavar="PATH", help="the Python of the project's environment (it must import kedro)")
    k.add_argument("--graph", metavar="FILE",
                   help="read the graph from FILE (written by --export-graph) instead of running kedro")
    k.add_argument("--export-graph", metavar="FILE", help="also write kedro's answer (JSON) to FILE, for --graph")
    add_format_option(k)
    k.set_defaults(run=run)
    p.set_defaults(run=lambda args: (p.print_help(sys.stderr), 2)[1])


def run(args: argparse.Namespace) -> int:
    from compiler.diagnostics import Diagnostics, StageFailed

    diags = Diagnostics()
    sources: dict[str, str] = {}
    text = None
    try:
        text = _import(args, diags, sources)
    except StageFailed:
        pass
    out = args.output
    if text is not None and not diags.has_errors:
        _write(out, text, args, diags)
    items = diags.sorted()
    print_diagnostics(items, args, lambda f: sources.get(f) if f in sources else _read(f), stdout_taken=out == "-")
    return exit_code_for(items)


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _import(args: argparse.Namespace, diags, sources: dict[str, str]) -> str | None:
    from compiler.driver import read_text
    from compiler.frontend.load import load_mapping
    from compiler.importers import kedro_graph

    project = Path(args.project)
    if args.graph:
        answer = read_text(args.graph, diags, "kedro graph file")
        name = args.graph
    else:
        _check_project(project, diags)
        diags.stop_if_errors()
        from compiler.importers.kedro_run import choose_python, export_graph

        python, looked = choose_python(project, args.python)
        if python is None:
            diags.error("RCC0741", "no Python of the kedro project was found; looked for " + "; ".join(looked), None,
                        help="give it with --python PATH/bin/python, set RCC_KEDRO_VENV, or create the project's "
                             ".venv with kedro installed")
        diags.stop_if_errors()
        answer = export_graph(python, project, args.pipeline, diags)
        name = "<kedro's answer>"
        if answer is not None and args.export_graph:
            _write(args.export_graph, answer, args, diags)
    diags.stop_if_errors()
    sources[name] = answer
    doc = load_mapping(answer, name, diags, "kedro graph")
    diags.stop_if_errors()
    graph = kedro_graph.read_graph(doc, args.pipeline, project, diags)
    diags.stop_if_errors()
    return _pipeline_text(graph, diags)


def _check_project(project: Path, diags) -> None:
    """RCC0740 before any Python runs: the directory and its [tool.kedro] table."""
    import tomllib

    toml = project / "pyproject.toml"
    if not project.is_dir():
        diags.error("RCC0740", f"the kedro project `{project}` is not a directory", None,
                    help="give the directory that holds the project's pyproject.toml (with a [tool.kedro] table)")
        return
    try:
        table = tomllib.loads(toml.read_text(encoding="utf-8")).get("tool", {}).get("kedro")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        table, why = None, getattr(exc, "strerror", None) or str(exc)
    else:
        why = "it has no [tool.kedro] table"
    if not isinstance(table, dict):
        diags.error("RCC0740", f"`{project}` is not a kedro project: {toml} cannot be used ({why})", None,
                    help="give the directory that holds the project's pyproject.toml, whose [tool.kedro] table "
                         "names the package (kedro new writes it)")


def _pipeline_text(graph, diags) -> str:
    from compiler.backend.yaml_writer import dump_yaml
    from compiler.importers.kedro_pipeline import SHOWN, header, pipeline_data
    from compiler.importers.lineage import structure

    shape = structure(graph.nodes)
    if shape.added:
        waits = [f"`{after}` waits for `{before}`" for before, after in shape.added]
        diags.warning("RCC0744", f"the lineage of pipeline `{graph.pipeline}` is not series-parallel: rcc's pipeline "
                      f"adds {len(waits)} wait{'s' if len(waits) > 1 else ''} argo-kedro would not have", None,
                      help="nothing runs before its inputs exist, but these nodes may start later; to avoid it, "
                           "make the lineage series-parallel (a FusedPipeline of the entangled nodes is one way)",
                      notes=tuple(waits[:SHOWN]) + ((f"and {len(waits) - SHOWN} more",) if len(waits) > SHOWN else ()))
    text = header(graph, shape) + dump_yaml(pipeline_data(graph, shape))
    _validate(text, diags)
    return text


def _validate(text: str, diags) -> None:
    """The written pipeline must be one rcc accepts: anything else is rcc's bug (RCC0900)."""
    from compiler.context import Context, Options
    from compiler.diagnostics import Diagnostics
    from compiler.frontend import check_text
    from compiler.frontend.load import load_mapping
    from compiler.frontend.lower import lower_pipeline
    from compiler.frontend.parse import parse_pipeline_data
    from compiler.ir import Program, Sources
    from compiler.passes.check_graph import check_graph

    inner = Diagnostics()
    doc = load_mapping(text, "pipeline.yaml", inner, "pipeline")
    parsed = parse_pipeline_data(doc, inner) if doc is not None else None
    if doc is not None:
        check_text.check_pipeline(doc, inner)
    if parsed is not None and not inner.has_errors:
        check_graph(Program(lower_pipeline(parsed[0], doc), None, {}, Sources("pipeline.yaml", None, None)),
                    Context(inner, Options()))
    problems = [d for d in inner.items if d.severity == "error"]
    if problems:
        first = problems[0]
        diags.error("RCC0900", f"internal error: the imported pipeline is invalid: {first.code} {first.message}", None,
                    help="this is a bug in rcc's kedro importer; please report it with the project's graph "
                         "(--export-graph FILE); nothing was written")


def _write(out: str, text: str, args: argparse.Namespace, diags) -> None:
    from compiler.backend.write import write_atomic, write_stdout
    from compiler.diagnostics import Diagnostic

    if out == "-":
        write_stdout(text)
        return
    graph = getattr(args, "graph", None)
    if graph and os.path.exists(out) and os.path.exists(graph) and os.path.samefile(out, graph):
        diags.items.append(Diagnostic("RCC0705", f"the output `{out}` is one of the inputs; rcc never overwrites its input",
                                      None, help="write the pipeline to another file, e.g. -o pipeline.yaml"))
        return
    try:
        write_atomic(Path(out), text)
    except OSError as exc:
        diags.items.append(Diagnostic("RCC0706", f"cannot write `{out}`: {exc.strerror or exc}", None,
                                      help="check that the directory exists and is writable; any previous file "
                                           "there is left as it was"))
