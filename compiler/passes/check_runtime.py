"""check_runtime: what every runtime needs before any pod can start.

Every pod runs in a container image, whichever program runs the step inside it. What one
program would refuse (runnable 0.50 re-reading the pipeline, a step kind the native
runtime cannot run, ...) is that runtime's own `check`, run by `choose_backend` once the
runtime is settled (`compiler/backend/runtimes/`).
"""

from __future__ import annotations

from compiler.context import Context
from compiler.ir import Program


def check_runtime(program: Program, ctx: Context) -> Program:
    config = program.config
    if config.dialect == "none":
        return program  # no configuration file at all: the driver said so (RCC0724)
    if not config.defaults.get("image"):
        ctx.diags.error("RCC0203", "no container image is configured", config.span,
                        help="set the image in the configuration (`defaults: {image: ...}` for runnable 0.50, "
                             "`config: {image: ...}` for the documented dialect)")
    return program
