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
    rt.check(program, ctx)
    return rt.prepare(program, ctx)
