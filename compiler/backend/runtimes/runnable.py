"""The runnable 0.50 runtime: what each container runs so that runnable drives the step.

Facts of runnable 0.50's contract (see docs/runtime-contract.md): a leaf runs
`runnable execute-single-node RUN_ID PIPELINE NODE --log-level L --iter-variable JSON
[--config CFG] [--parameters-file PRM]`; a composite's fan-out and fan-in run
`runnable fan RUN_ID NODE PIPELINE out|in --log-level L [--config-file CFG]
[--parameters-file PRM] --iter-variable JSON`. Map fan-outs write the list to iterate
to /tmp/output.txt, conditional fan-outs the JSON text of the chosen value.
`--iter-variable` maps every enclosing loop variable (outermost first) to
`{"value": ...}`, fan commands included (runnable's own transpiler gets that wrong).
"""

from __future__ import annotations

from typing import Any

from compiler.context import Context
from compiler.ir import Program, Unit, walk

NAME = "runnable"
VERSION = "0.50.0"
PODS_READ_PARAMETERS_FILE = True  # every pod is given --parameters-file
RESERVED_INPUTS = ("node",)  # every leaf template's qualified step name
RESERVED_PREFIXES: tuple[str, ...] = ()

RUN_ID = "{{workflow.parameters.run_id}}"
LOG_LEVEL = "{{workflow.parameters.log_level}}"
OUTPUT_FILE = "/tmp/output.txt"
MAP_OUTPUT = "iterate-on"
CASE_OUTPUT = "case"
NODE_PARAM = "{{inputs.parameters.node}}"


FILE_RUN_LOGS = ("file-system", "chunked-fs")
# Step keys rcc adds for the other seeds; runnable's node models forbid unknown keys
# (except on stubs), so a pod re-reading the pipeline would fail before the step runs.
RCC_ONLY_STEP_KEYS = ("image", "env", "machine_type", "template", "mode_config", "description")
# rcc-only configuration keys runnable 0.50's pydantic model does not know.
RCC_ONLY_KEYS = ("shared_directory", "pod_context", "ttl_strategy", "on_exit_notify",
                 "machine_types", "default_machine_type", "templates", "init_templates", "environment")


PARAMETER_ENV_PREFIX = "RUNNABLE_PRM_"


def parameters_at_start(program: Program) -> frozenset[str]:
    """What runnable 0.50 puts in the run log when the first pod creates it: the
    parameters file, then every `RUNNABLE_PRM_<name>` variable of that pod's environment
    (the configuration's `env`, for every step or for the first one). Nothing else: a
    python function's return value that `returns` does not name is dropped."""
    names = set(program.parameters)
    first = program.graph.node(program.graph.start_at)
    envs = [program.config.defaults.get("env"), (first.settings or {}).get("env") if first else None]
    for env in envs:
        for entry in env or ():
            name = entry.get("name") if isinstance(entry, dict) else None
            if isinstance(name, str) and name.startswith(PARAMETER_ENV_PREFIX) and len(name) > len(PARAMETER_ENV_PREFIX):
                names.add(name[len(PARAMETER_ENV_PREFIX):])
    return frozenset(names)


def check(program: Program, ctx: Context) -> None:
    """What runnable 0.50 would refuse when every pod re-reads the pipeline and configuration.

    Pods share state through the run log, so it must live on a volume all pods mount
    (never `buffered`); every secret a task names must come from a configured source
    (runnable fails with a bare AssertionError); a conditional's parameter must be
    alphanumeric (runnable's reader refuses `my_param`); `max_attempts` is ignored by
    runnable; rcc-only keys in the pipeline or a `pipeline-executor` section break every pod;
    a success or fail step under another name makes two (runnable adds its own); a
    composite inside a map fails at its fan-in.
    """
    config, diags = program.config, ctx.diags
    wf = config.workflow
    if config.dialect == "runnable-0.50":
        used = [k for k in RCC_ONLY_KEYS if k in wf]
        if used:
            diags.error("RCC0229", f"runnable 0.50 re-reads this configuration in every pod and refuses "
                        f"the rcc-only key{'s' if len(used) > 1 else ''} {', '.join(used)}", config.span,
                        help="build with `runtime: native`, or write these keys in runnable's documented dialect "
                             "(`executor:`), which runnable 0.50 does not re-validate")
    check_run_log(program, ctx)
    check_secrets(program, ctx, how="add them to `secrets_from_k8s` (documented dialect) or set `secret_from_k8s` "
                                    "(runnable 0.50)")
    for _, node in walk(program.graph):
        if node.kind == "conditional" and not str(node.spec["parameter"]).isalnum():
            diags.error("RCC0212", f"runnable 0.50 refuses the conditional parameter `{node.spec['parameter']}`: "
                        "it must be letters and digits only", node.field_span("parameter"),
                        help="rename the parameter, e.g. without underscores")
        check_step_keys(node, ctx, "runnable 0.50")
        if node.kind in ("success", "fail") and node.name != node.kind:
            diags.error("RCC0140", f"runnable 0.50 adds a `{node.kind}` step to every branch, so the {node.kind} step "
                        f"`{node.name}` makes two and runnable refuses the graph (\"There should be exactly one "
                        f"{node.kind} node\")", node.span,
                        help=f"rename `{node.name}` to `{node.kind}` and point `next` at `{node.kind}`, or delete it: "
                             f"the `{node.kind}` step need not be declared")
        if node.kind == "map":
            inner = next((n for _, n in walk(node.branches[0]) if n.is_composite), None)
            if inner is not None:
                diags.error("RCC0240", f"{inner.kind} `{inner.name}` inside map `{node.name}` cannot run under runnable "
                            "0.50: its fan-in looks the branch up by the unresolved `map_variable_placeholder` name "
                            "and fails (EntityNotFoundError), with runnable's local executor too",
                            inner.field_span("type"),
                            help="move the composite out of the map (e.g. a map per branch of a parallel), or flatten "
                                 "its branch into the map's own steps")
        if node.kind == "fused":
            diags.error("RCC0215", f"fused step `{node.name}` cannot run under the runnable runtime: runnable has no fused steps",
                        node.field_span("type"), help="use `runtime: native`, or make the branch's tasks ordinary steps")


def check_run_log(program: Program, ctx: Context) -> None:
    """Pods share state through the run log: never `buffered`, and on a volume every pod mounts."""
    config, diags = program.config, ctx.diags
    store = config.run_log_store
    if store is not None and store.type == "buffered":
        diags.error("RCC0210", "a `buffered` run log lives in one process's memory; Argo runs every step in its own pod",
                    store.span, help="use `type: chunked-fs` (or file-system) with its folder on a volume every pod mounts")
    elif store is not None and store.type in FILE_RUN_LOGS and not config.volumes:
        diags.warning("RCC0216", f"the `{store.type}` run log is on no shared volume, so pods will not see each other's state",
                      store.span, help="mount a PersistentVolumeClaim in every pod (`pvc_for_runnable` or `persistent_volumes`)")


def check_secrets(program: Program, ctx: Context, how: str) -> None:
    """Every secret a task names must come from a configured source (the program asserts it)."""
    config = program.config
    provided = {e["name"] for e in config.workflow.get("secrets_from_k8s") or ()}
    open_source = bool(config.workflow.get("secret_from_k8s")) or (
        config.secrets is not None and config.secrets.type not in ("do-nothing",))
    for _, node in walk(program.graph):
        missing = [s for s in node.spec.get("secrets") or () if s not in provided]
        if missing and not open_source:
            ctx.diags.error("RCC0211", f"step `{node.name}` needs the secret{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)}, which no configured secret source provides",
                            node.field_span("secrets"), help=how)


def check_step_keys(node, ctx: Context, label: str, runtime: str = NAME) -> None:
    """The program's step models forbid unknown keys (stubs excepted); it ignores `max_attempts`."""
    if (node.spec.get("max_attempts") or 1) > 1:
        ctx.diags.warning("RCC0213", f"step `{node.name}` sets max_attempts, which {label} ignores",
                          node.field_span("type"),
                          help="use a `retry_strategy` override for Argo-level retries, or the native runtime")
    rcc_keys = [k for k in RCC_ONLY_STEP_KEYS if node.requests.get(k) or (k == "description" and k in node.spans)]
    if rcc_keys and node.kind != "stub":
        ctx.diags.error("RCC0234", f"step `{node.name}` uses {', '.join(f'`{k}`' for k in rcc_keys)}, which {label} "
                        "refuses when every pod re-reads the pipeline", node.field_span(rcc_keys[0]),
                        help="build with `runtime: native` (or `--runtime native`), or keep these keys out of "
                             f"pipelines that run with the {runtime} runtime")


def prepare(program: Program, ctx: Context) -> Program:
    """Every step runs through `runnable`, which needs nothing more than the node's name."""
    return program


def iter_variable(inputs: tuple[str, ...]) -> str:
    """runnable's `--iter-variable` JSON, written compactly and in a fixed order."""
    entries = ",".join(f'"{v}":{{"value":"{{{{inputs.parameters.{v}}}}}"}}' for v in inputs)
    return '{"map_variable":{' + entries + '},"loop_variable":[]}'


def command(unit: Unit, program: Program) -> list[str]:
    src = program.sources
    if unit.role == "step":
        cmd = ["runnable", "execute-single-node", RUN_ID, src.pipeline_file, NODE_PARAM,
               "--log-level", LOG_LEVEL, "--iter-variable", iter_variable(unit.inputs)]
        if src.config_file:
            cmd += ["--config", src.config_file]
        if src.parameters_file:
            cmd += ["--parameters-file", src.parameters_file]
        return cmd
    direction = "out" if unit.role == "fan-out" else "in"
    cmd = ["runnable", "fan", RUN_ID, NODE_PARAM, src.pipeline_file, direction, "--log-level", LOG_LEVEL]
    if src.config_file:
        cmd += ["--config-file", src.config_file]
    if src.parameters_file:
        cmd += ["--parameters-file", src.parameters_file]
    cmd += ["--iter-variable", iter_variable(unit.inputs)]
    return cmd


def outputs(unit: Unit) -> list[dict[str, Any]]:
    if unit.role == "fan-out" and unit.composite_kind == "map":
        return [{"name": MAP_OUTPUT, "valueFrom": {"path": OUTPUT_FILE}}]
    if unit.role == "fan-out" and unit.composite_kind == "conditional":
        return [{"name": CASE_OUTPUT, "valueFrom": {"path": OUTPUT_FILE}}]
    return []


USER_RETRY_RUN_ID = "{{workflow.parameters.retry_run_id}}"
USER_RETRY_INDICATOR = "{{workflow.parameters.retry_indicator}}"
# Under a retryStrategy Argo substitutes the template again for every attempt with
# `retries` = "0", "1", ... (executeTemplate); before that the expression stays verbatim,
# because `retries` is a late-binding variable. So attempt 0 runs as a first run and
# every later attempt as runnable's own retry of the same run id, which is the only
# way runnable 0.50 lets a step log that already exists be run again.
POD_RETRY_RUN_ID = ('{{=workflow.parameters.retry_run_id != "" ? workflow.parameters.retry_run_id : '
                    '(retries == "0" ? "" : workflow.parameters.run_id)}}')
POD_RETRY_INDICATOR = ('{{=workflow.parameters.retry_indicator != "" ? workflow.parameters.retry_indicator : '
                       '(retries == "0" ? "" : "attempt-" + retries)}}')


def retried(unit: Unit, program: Program) -> bool:
    """Whether Argo retries this unit's pods: its own retryStrategy (steps only) or the workflow's."""
    own = unit.role == "step" and bool(unit.settings.get("retry_strategy"))
    return own or bool(program.config.workflow.get("retry_strategy"))


def env(unit: Unit, program: Program, exposed: list[str]) -> list[dict[str, Any]]:
    """Retry variables everywhere; initial parameters on the first container only.

    `retry_run_id` / `retry_indicator` are runnable's contract for re-running a failed
    run (submit again with them set); a pod Argo retries sets them itself (see above)."""
    again = retried(unit, program)
    out: list[dict[str, Any]] = [
        {"name": "RUNNABLE_RETRY_RUN_ID", "value": POD_RETRY_RUN_ID if again else USER_RETRY_RUN_ID},
        {"name": "RUNNABLE_RETRY_INDICATOR", "value": POD_RETRY_INDICATOR if again else USER_RETRY_INDICATOR},
    ]
    if unit.first:
        out += [{"name": f"RUNNABLE_PRM_{p}", "value": f"{{{{workflow.parameters.{p}}}}}"} for p in exposed]
        out.append({"name": "error_on_existing_run_id", "value": "true"})
        if unit.role != "step":
            out += first_fan_parameters(program)
    if unit.role == "step":
        out.append({"name": "RUNNABLE_CODE_ID_ARGO_WORKFLOW_UID", "value": "{{workflow.uid}}"})
    return out


def first_fan_parameters(program: Program) -> list[dict[str, Any]]:
    """The configuration's `RUNNABLE_PRM_<name>` env entries, for a fan-out that runs first.

    The first pod creates the run log from its environment; the configuration's env is
    a step container's (runnable's transpiler puts it nowhere else), so a pipeline that
    starts with a map or parallel would lose those parameters, which its local run has
    (runnable's parameter examples read `RUNNABLE_PRM_envvar`)."""
    from compiler.backend import settings as st

    entries = st.env(program.config.defaults.get("env"))
    return [e for e in entries if str(e.get("name", "")).startswith(PARAMETER_ENV_PREFIX)]


def secret_env(unit: Unit, program: Program) -> list[dict[str, Any]]:
    """runnable 0.50's `secret_from_k8s`: each secret a task names, from that one Secret."""
    secret = program.config.workflow.get("secret_from_k8s")
    if not secret or unit.role != "step" or unit.node is None:
        return []
    return [{"name": s, "valueFrom": {"secretKeyRef": {"name": secret, "key": s}}}
            for s in unit.node.spec.get("secrets") or ()]


def shared_secrets(unit: Unit, program: Program) -> list[dict[str, Any]]:
    """The documented dialect's `secrets_from_k8s`, on step containers only (runnable 0.50's rule)."""
    from compiler.backend import settings as st

    return st.env(program.config.workflow.get("secrets_from_k8s")) if unit.role == "step" else []


def workflow_arguments(program: Program, exposed: list[str]) -> list[dict[str, str]]:
    params = [{"name": p, "value": scalar_text(program.parameters[p])} for p in exposed]
    params += [
        {"name": "run_id", "value": "{{workflow.uid}}"},
        {"name": "retry_run_id", "value": ""},
        {"name": "retry_indicator", "value": ""},
        {"name": "log_level", "value": str(program.config.workflow.get("log_level") or "WARNING")},
    ]
    return params


def scalar_text(value: Any) -> str:
    """A parameter value as runnable reads it back (JSON-decoded from RUNNABLE_PRM_*)."""
    import json

    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return value  # plain text stays readable in the Argo UI
        except RecursionError:  # `[[[[...` thousands deep: quoted, the pod reads it back as this text
            pass
        return json.dumps(value)  # "123" must not come back as the number 123
    return json.dumps(value)


def extra_inputs(unit: Unit) -> list[str]:
    """runnable's templates need no inputs beyond the node name and loop variables."""
    return []


def task_arguments(task, dag: Unit, names: dict[str, str]) -> list[dict[str, str]]:
    return []
