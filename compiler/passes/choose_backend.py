"""choose_backend: settle the output kind and the runtime, and refuse what they cannot express.

The command line wins over the configuration (`--kind`, `--runtime`), then the
configuration's `kind` / `runtime`; by default a configuration with a `cron_schedule`
gives a CronWorkflow (runnable 0.50's behaviour) and the runtime is runnable. The
choice is written into `Config.workflow` so the backend reads one place.

Checked here: a CronWorkflow needs a schedule and a name of at most 52 characters
(Argo appends an 11-character suffix to each run's name); a runnable 0.50 pod re-reads
the configuration with extra keys forbidden, so rcc-only keys in a `pipeline-executor`
section break every pod under the runnable runtime; under the native runtime each leaf
gets its command (in its settings, so steps with different commands never share a
template) and each step native cannot run is an error.
"""

from __future__ import annotations

from dataclasses import replace

from compiler.backend.kinds import fixed_name
from compiler.context import Context
from compiler.ir import Graph, Node, Program, map_graph, walk

CRON_NAME_LIMIT = 52
# rcc-only configuration keys runnable 0.50's pydantic model does not know.
RCC_ONLY_KEYS = ("runtime", "kind", "shared_directory", "pod_context", "ttl_strategy", "on_exit_notify",
                 "machine_types", "default_machine_type", "templates", "init_templates", "environment")


def choose_backend(program: Program, ctx: Context) -> Program:
    config, diags = program.config, ctx.diags
    wf = dict(config.workflow)
    kind = ctx.options.kind or wf.get("kind") or ("cron-workflow" if wf.get("cron_schedule") else "workflow")
    runtime = ctx.options.runtime or wf.get("runtime") or "runnable"
    if kind == "cron-workflow":
        if not wf.get("cron_schedule"):
            diags.error("RCC0222", "a CronWorkflow needs a `cron_schedule`, and the configuration has none", config.span,
                        help="add `cron_schedule: {schedules: [\"0 2 * * *\"]}` to the executor's config, "
                             "or build another --kind")
        name = fixed_name(wf.get("generate_name", "runnable-dag-"))
        if len(name) > CRON_NAME_LIMIT:
            diags.error("RCC0223", f"the CronWorkflow would be named `{name}`, {len(name)} characters; "
                        f"Argo allows at most {CRON_NAME_LIMIT}", config.span,
                        help=f"shorten the workflow's name (generateName) to {CRON_NAME_LIMIT} characters or fewer")
    if runtime == "runnable" and config.dialect == "runnable-0.50":
        used = [k for k in RCC_ONLY_KEYS if k in wf and k not in ("runtime", "kind")]
        if used:
            diags.error("RCC0229", f"runnable 0.50 re-reads this configuration in every pod and refuses "
                        f"the rcc-only key{'s' if len(used) > 1 else ''} {', '.join(used)}", config.span,
                        help="build with `runtime: native`, or write these keys in runnable's documented dialect "
                             "(`executor:`), which runnable 0.50 does not re-validate")
    wf["kind"], wf["runtime"] = kind, runtime
    program = replace(program, config=replace(config, workflow=wf))
    if runtime == "native":
        program = _native(program, ctx)
    return program


def _native(program: Program, ctx: Context) -> Program:
    from compiler.backend.runtimes import native

    for _, node in walk(program.graph):
        reason = native.unsupported(node)
        code = "RCC0231" if node.kind in ("map", "conditional", "fused") else "RCC0230"
        if reason and not _inside_fused(program.graph, node):
            ctx.diags.error(code, f"the native runtime cannot run step `{node.name}`: {reason}",
                            node.field_span("type"), help="use the runnable runtime (`runtime: runnable`) for this pipeline")
        if node.kind == "task" and node.spec.get("returns"):
            ctx.diags.warning("RCC0232", f"step `{node.name}` returns values, which the native runtime does not pass "
                              "to later steps", node.field_span("type"),
                              help="write results to a shared volume (`shared_directory`) or use the runnable runtime")

    def attach(node: Node, graph: Graph) -> Node:
        if node.is_composite or native.unsupported(node):
            return node
        return replace(node, settings={**(node.settings or {}), "native_command": native.step_command(node)})

    return replace(program, graph=map_graph(program.graph, attach))


def _inside_fused(graph: Graph, node: Node) -> bool:
    """Steps of a fused branch are judged with their fused step (one diagnostic, not two)."""
    for _, n in walk(graph):
        if n.kind == "fused" and any(node is m for m in n.branches[0].nodes):
            return True
    return False
