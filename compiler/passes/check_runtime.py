"""check_runtime: what the chosen runtime would refuse at run time, refused now instead.

Under the runnable runtime every pod re-reads the pipeline and the configuration with
runnable 0.50 and shares state through the run log, so: the run log must live on a
volume all pods mount (never `buffered`); every secret a task names must come from a
configured source (runnable fails with a bare AssertionError); a conditional's
parameter must be alphanumeric (runnable's reader refuses `my_param`); `max_attempts`
is ignored by runnable and Argo-level retries of a leaf break its step log.
"""

from __future__ import annotations

from compiler.config import Config
from compiler.context import Context
from compiler.ir import Program, walk

FILE_RUN_LOGS = ("file-system", "chunked-fs")
# Step keys rcc adds for the other seeds; runnable's node models forbid unknown keys
# (except on stubs), so a pod re-reading the pipeline would fail before the step runs.
RCC_ONLY_STEP_KEYS = ("image", "env", "machine_type", "template", "mode_config", "description")


def runtime_of(program: Program, ctx: Context) -> str:
    return ctx.options.runtime or program.config.workflow.get("runtime") or "runnable"


def check_runtime(program: Program, ctx: Context) -> Program:
    config: Config = program.config
    diags = ctx.diags
    if not config.defaults.get("image"):
        diags.error("RCC0203", "no container image is configured", config.span,
                    help="set the image in the configuration (`defaults: {image: ...}` for runnable 0.50, "
                         "`config: {image: ...}` for the documented dialect)")
    if runtime_of(program, ctx) != "runnable":
        return program
    store = config.run_log_store
    if store is not None and store.type == "buffered":
        diags.error("RCC0210", "a `buffered` run log lives in one process's memory; Argo runs every step in its own pod",
                    store.span, help="use `type: chunked-fs` (or file-system) with its folder on a volume every pod mounts")
    elif store is not None and store.type in FILE_RUN_LOGS and not config.volumes:
        diags.warning("RCC0216", f"the `{store.type}` run log is on no shared volume, so pods will not see each other's state",
                      store.span, help="mount a PersistentVolumeClaim in every pod (`pvc_for_runnable` or `persistent_volumes`)")
    provided = {e["name"] for e in config.workflow.get("secrets_from_k8s") or ()}
    open_source = bool(config.workflow.get("secret_from_k8s")) or (
        config.secrets is not None and config.secrets.type not in ("do-nothing",))
    for _, node in walk(program.graph):
        missing = [s for s in node.spec.get("secrets") or () if s not in provided]
        if missing and not open_source:
            diags.error("RCC0211", f"step `{node.name}` needs the secret{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(missing)}, which no configured secret source provides",
                        node.field_span("secrets"),
                        help="add them to `secrets_from_k8s` (documented dialect) or set `secret_from_k8s` (runnable 0.50)")
        if node.kind == "conditional" and not str(node.spec["parameter"]).isalnum():
            diags.error("RCC0212", f"runnable 0.50 refuses the conditional parameter `{node.spec['parameter']}`: "
                        "it must be letters and digits only", node.field_span("parameter"),
                        help="rename the parameter, e.g. without underscores")
        if (node.spec.get("max_attempts") or 1) > 1:
            diags.warning("RCC0213", f"step `{node.name}` sets max_attempts, which runnable 0.50 ignores",
                          node.field_span("type"),
                          help="use a `retry_strategy` override for Argo-level retries, or the native runtime")
        rcc_keys = [k for k in RCC_ONLY_STEP_KEYS if node.requests.get(k) or (k == "description" and k in node.spans)]
        if rcc_keys and node.kind != "stub":
            diags.error("RCC0234", f"step `{node.name}` uses {', '.join(f'`{k}`' for k in rcc_keys)}, which runnable 0.50 "
                        "refuses when every pod re-reads the pipeline", node.field_span(rcc_keys[0]),
                        help="build with `runtime: native` (or `--runtime native`), or keep these keys out of "
                             "pipelines that run with the runnable runtime")
        if node.kind == "fused":
            diags.error("RCC0215", f"fused step `{node.name}` cannot run under the runnable runtime: runnable has no fused steps",
                        node.field_span("type"), help="use `runtime: native`, or make the branch's tasks ordinary steps")
    return program
