"""choose_backend: settle the output kind and the runtime, and refuse what they cannot express.

The command line wins over the configuration (`--kind`, `--runtime`), then the
configuration's `kind` / `runtime`; by default a configuration with a `cron_schedule`
gives a CronWorkflow (runnable 0.50's behaviour) and the runtime is the one whose program
reads the configuration's dialect (`runtimes.default_for`). The
choice is written into `Config.workflow` so the backend reads one place.

Checked here: a CronWorkflow needs a schedule and a name of at most 52 characters
(Argo appends an 11-character suffix to each run's name). Then the chosen runtime
checks what its program would refuse at run time (`check`) and adds what it needs at
emit time (`prepare`); see `compiler/backend/runtimes/`.
"""

from __future__ import annotations

from dataclasses import replace

from compiler.backend import runtimes
from compiler.backend.kinds import fixed_name
from compiler.context import Context
from compiler.ir import Program

CRON_NAME_LIMIT = 52


def choose_backend(program: Program, ctx: Context) -> Program:
    config, diags = program.config, ctx.diags
    wf = dict(config.workflow)
    kind = ctx.options.kind or wf.get("kind") or ("cron-workflow" if wf.get("cron_schedule") else "workflow")
    runtime = ctx.options.runtime or wf.get("runtime") or runtimes.default_for(program)
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
    wf["kind"], wf["runtime"] = kind, runtime
    program = replace(program, config=replace(config, workflow=wf))
    rt = runtimes.get(runtime)
    if runtime != "kedro":
        _refuse_kedro_steps(program, ctx, runtime)
    rt.check(program, ctx)
    return rt.prepare(program, ctx)


def _refuse_kedro_steps(program: Program, ctx: Context, runtime: str) -> None:
    """A kedro node runs only through kedro: under any other runtime its name is not a command."""
    from compiler.ir import walk

    for _, node in walk(program.graph):
        if node.kind == "task" and node.spec.get("command_type") == "kedro":
            at, what = node.field_span("type"), f"task `{node.name}` is a kedro node (`command_type: kedro`)"
        elif node.kind == "fused" and node.spec.get("command"):
            at, what = node.field_span("command"), f"fused step `{node.name}` names the kedro node `{node.spec['command']}`"
        else:
            _kedro_template_inputs(program, ctx, runtime, node)
            continue
        ctx.diags.error("RCC0160", f"{what}, which the {runtime} runtime cannot run", at,
                        help="build with the kedro runtime (`--runtime kedro`, or argo-kedro's argo.yml as the "
                             "configuration), or give the step a command this runtime runs")


def _kedro_template_inputs(program: Program, ctx: Context, runtime: str, node) -> None:
    """A custom template that reads kedro's inputs runs only under the kedro runtime."""
    name = (node.settings or {}).get("template")
    custom = (program.config.workflow.get("templates") or {}).get(name) if name else None
    if not custom or node.is_composite:
        return
    from compiler.template_inputs import KEDRO_INPUTS, template_reads

    reads = sorted({p for p, _ in template_reads(custom.get("container") or {}) if p in KEDRO_INPUTS})
    if reads:
        ctx.diags.error("RCC0271", f"step `{node.name}` runs in template `{name}`, which reads "
                        f"{', '.join(f'`{{{{inputs.parameters.{p}}}}}`' for p in reads)}: only the kedro runtime "
                        f"gives a pod these, not the {runtime} runtime", node.field_span("template"),
                        help="build with the kedro runtime, or write the template's script without them")
