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

from compiler.ir import Program, Unit

RUN_ID = "{{workflow.parameters.run_id}}"
LOG_LEVEL = "{{workflow.parameters.log_level}}"
OUTPUT_FILE = "/tmp/output.txt"
MAP_OUTPUT = "iterate-on"
CASE_OUTPUT = "case"
NODE_PARAM = "{{inputs.parameters.node}}"


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


def env(unit: Unit, program: Program, exposed: list[str]) -> list[dict[str, Any]]:
    """Retry variables everywhere; initial parameters on the first container only."""
    out: list[dict[str, Any]] = [
        {"name": "RUNNABLE_RETRY_RUN_ID", "value": "{{workflow.parameters.retry_run_id}}"},
        {"name": "RUNNABLE_RETRY_INDICATOR", "value": "{{workflow.parameters.retry_indicator}}"},
    ]
    if unit.first:
        out += [{"name": f"RUNNABLE_PRM_{p}", "value": f"{{{{workflow.parameters.{p}}}}}"} for p in exposed]
        out.append({"name": "error_on_existing_run_id", "value": "true"})
    if unit.role == "step":
        out.append({"name": "RUNNABLE_CODE_ID_ARGO_WORKFLOW_UID", "value": "{{workflow.uid}}"})
    return out


def secret_env(unit: Unit, program: Program) -> list[dict[str, Any]]:
    """runnable 0.50's `secret_from_k8s`: each secret a task names, from that one Secret."""
    secret = program.config.workflow.get("secret_from_k8s")
    if not secret or unit.role != "step" or unit.node is None:
        return []
    return [{"name": s, "valueFrom": {"secretKeyRef": {"name": secret, "key": s}}}
            for s in unit.node.spec.get("secrets") or ()]


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
        return json.dumps(value)  # "123" must not come back as the number 123
    return json.dumps(value)


def extra_inputs(unit: Unit) -> list[str]:
    """runnable's templates need no inputs beyond the node name and loop variables."""
    return []


def task_arguments(task, dag: Unit, names: dict[str, str]) -> list[dict[str, str]]:
    return []
