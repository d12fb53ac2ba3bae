"""emit: the flattened program → an Argo manifest as plain dicts, in Argo's conventional order.

The graph is already flat and named; this module only writes Argo: the workflow
envelope, one DAG template per DAG unit and one container template per leaf unit. How
a leaf runs inside its container comes from the runtime strategy (`runtimes/`).
"""

from __future__ import annotations

from typing import Any

from compiler.backend import settings as st
from compiler.backend.depends import render
from compiler.backend import features, kinds
from compiler.backend.runtimes import pick
from compiler.backend.runtimes import runnable as runtime  # output names, shared by every runtime
from compiler.ir import Program, Task, Unit

API_VERSION = "argoproj.io/v1alpha1"
HASH_ANNOTATION = "rcc.dev/dag-hash"
RUNTIME_ANNOTATION = "rcc.dev/runtime"
"""The runtime whose pod contract the manifest follows, and that program's version."""


def exposed_parameters(program: Program) -> list[str]:
    """Initial parameters that become workflow arguments: scalars, when the config says so.

    A text Argo would not keep verbatim (`{{workflow.uid}}`, `{{=...}}`, an unclosed `{{`)
    never becomes an argument: the pods read it, exactly as written, from the parameters
    file (runtimes whose pods do not read that file refuse it in check_parameters)."""
    from compiler.tags import argo_would_resolve

    if not program.config.workflow.get("expose_parameters_as_inputs", True):
        return []
    return [k for k, v in program.parameters.items() if v is None or isinstance(v, (int, float, bool))
            or (isinstance(v, str) and argo_would_resolve(v) is None)]


def emit(program: Program) -> dict[str, Any]:
    wf = program.config.workflow
    exposed = exposed_parameters(program)
    units = {u.key: u for u in program.units}
    metadata: dict[str, Any] = {"generateName": wf.get("generate_name", "runnable-dag-")}
    if wf.get("namespace"):
        metadata["namespace"] = wf["namespace"]
    rt = pick(program)
    metadata["annotations"] = {**(st.string_map(wf.get("annotations")) or {}), HASH_ANNOTATION: program.dag_hash,
                               RUNTIME_ANNOTATION: f"{rt.NAME} {rt.VERSION}"}
    if wf.get("labels"):
        metadata["labels"] = st.string_map(wf["labels"])
    spec: dict[str, Any] = {"entrypoint": program.units[0].name}
    arguments = rt.workflow_arguments(program, exposed)
    if arguments:
        spec["arguments"] = {"parameters": arguments}
    if wf.get("active_deadline_seconds"):
        spec["activeDeadlineSeconds"] = wf["active_deadline_seconds"]
    if wf.get("parallelism"):
        spec["parallelism"] = wf["parallelism"]
    if wf.get("pod_gc"):
        spec["podGC"] = {_camel(k): v for k, v in wf["pod_gc"].items()}
    if wf.get("service_account_name"):
        spec["serviceAccountName"] = wf["service_account_name"]
    if wf.get("node_selector"):
        spec["nodeSelector"] = st.string_map(wf["node_selector"])
    if wf.get("tolerations"):
        spec["tolerations"] = st.tolerations(wf["tolerations"])
    if wf.get("retry_strategy"):
        spec["retryStrategy"] = st.retry_strategy(wf["retry_strategy"])
    volumes = _volumes(program)
    if volumes:
        spec["volumes"] = volumes
    features.workflow_spec(spec, program)
    templates = [_dag(u, units, rt) if u.kind == "dag" else _leaf(u, program, exposed, rt) for u in program.units]
    features.add_init_tasks(templates[0], program)
    templates += features.extra_templates(program, program.config.defaults.get("image", ""), _mounts(program))
    spec["templates"] = templates
    return kinds.envelope(wf.get("kind", "workflow"), API_VERSION, metadata, spec, wf.get("cron_schedule"))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _inputs(unit: Unit, rt=runtime) -> dict[str, Any] | None:
    names = (["node"] if unit.takes_node else []) + list(unit.inputs) + rt.extra_inputs(unit)
    return {"parameters": [{"name": n} for n in names]} if names else None


def _dag(unit: Unit, units: dict[str, Unit], rt=runtime) -> dict[str, Any]:
    names = {t.key: t.name for t in unit.tasks}
    t: dict[str, Any] = {"name": unit.name}
    inputs = _inputs(unit, rt)
    if inputs:
        t["inputs"] = inputs
    outputs = rt.outputs(unit)
    if outputs:
        t["outputs"] = {"parameters": outputs}
    if unit.settings.get("parallelism") and unit.role == "composite":
        t["parallelism"] = unit.settings["parallelism"]
    if unit.role == "composite":
        # The fan-in must run even when a branch failed: it records the composite's status.
        t["failFast"] = bool(unit.settings.get("fail_fast", False))
    t["dag"] = {"tasks": [_task(task, units, names, rt.task_arguments(task, unit, names)) for task in unit.tasks]}
    return t


def _task(task: Task, units: dict[str, Unit], names: dict[str, str], extra: list | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": task.name, "template": units[task.unit].name}
    if task.depends is not None:
        out["depends"] = render(task.depends, names.__getitem__)
    if task.arguments or extra:
        out["arguments"] = {"parameters": [{"name": n, "value": _argument(src)} for n, src in task.arguments] + (extra or [])}
    if task.loop_over is not None:
        out["withParam"] = f"{{{{tasks.{names[task.loop_over]}.outputs.parameters.{runtime.MAP_OUTPUT}}}}}"
    if task.case is not None:
        out["when"] = _when(task.case, names)
    return out


def _argument(src: tuple) -> str:
    if src[0] == "input":
        return f"{{{{inputs.parameters.{src[1]}}}}}"
    if src[0] == "item":
        return "{{item}}"
    return str(src[1])


def case_texts(key: str) -> list[str]:
    """govaluate literals equal to what the fan-out writes for every value whose `str()` is `key`.

    The fan-out's file holds JSON text (`"heads"`, `3`, `true`) and is substituted into
    `when` unquoted, so govaluate reads it as a typed literal. It must not be wrapped in
    quotes: govaluate ends a string at either quote character, so `'"heads"'` does not parse.
    A key `NaN`, `Infinity` or `-Infinity` is compared as text only: Python's json reads and
    writes those words, but govaluate has no such literal (a bare `-Infinity` is an error
    that would break this branch and the default one too).
    """
    import json
    import math

    escaped = key.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"')
    texts = [f"'{escaped}'"]
    try:
        number = json.loads(key)
        if isinstance(number, (int, float)) and not isinstance(number, bool) and math.isfinite(number) \
                and json.dumps(number) == key:
            texts.append(key)
    except (ValueError, RecursionError):
        pass
    texts += {"True": ["true"], "False": ["false"]}.get(key, [])
    return texts


def _when(case: tuple, names: dict[str, str]) -> str:
    fan_out, key, keys = case
    ref = f"{{{{tasks.{names[fan_out]}.outputs.parameters.{runtime.CASE_OUTPUT}}}}}"
    if key is not None:
        return " || ".join(f"{ref} == {t}" for t in case_texts(key))
    return " && ".join(f"{ref} != {t}" for k in keys for t in case_texts(k))


def _volumes(program: Program) -> list[dict[str, Any]]:
    out = []
    for v in program.config.volumes:
        if v.claim_name:
            out.append({"name": v.name, "persistentVolumeClaim": {"claimName": v.claim_name, **({"readOnly": True} if v.read_only else {})}})
    return out


def _mounts(program: Program) -> list[dict[str, Any]]:
    out = []
    for v in program.config.volumes:
        if v.name == "runnable" and program.config.dialect == "runnable-0.50":
            # runnable 0.50 keeps run logs and catalog under /tmp; mounting the claim over all
            # of /tmp would share /tmp/output.txt between concurrent fan-outs.
            out.append({"name": v.name, "mountPath": "/tmp/run_logs", "subPath": "run_logs"})
            out.append({"name": v.name, "mountPath": "/tmp/catalog", "subPath": "catalog"})
        else:
            m = {"name": v.name, "mountPath": v.mount_path}
            if v.read_only:
                m["readOnly"] = True
            out.append(m)
    return out + features.mounts(program)


def _leaf(unit: Unit, program: Program, exposed: list[str], rt=runtime) -> dict[str, Any]:
    s = unit.settings
    t: dict[str, Any] = {"name": unit.name}
    inputs = _inputs(unit, rt)
    if inputs:
        t["inputs"] = inputs
    outputs = rt.outputs(unit)
    if outputs:
        t["outputs"] = {"parameters": outputs}
    if s.get("active_deadline_seconds"):
        t["activeDeadlineSeconds"] = s["active_deadline_seconds"]
    if s.get("timeout"):
        t["timeout"] = str(s["timeout"])
    if s.get("retry_strategy") and unit.role == "step":
        t["retryStrategy"] = st.retry_strategy(s["retry_strategy"])
    if s.get("node_selector"):
        t["nodeSelector"] = st.string_map(s["node_selector"])
    if s.get("tolerations"):
        t["tolerations"] = st.tolerations(s["tolerations"])
    container: dict[str, Any] = {"image": s.get("image", "")}
    if s.get("image_pull_policy"):
        container["imagePullPolicy"] = s["image_pull_policy"]
    container["command"] = rt.command(unit, program)
    env = rt.env(unit, program, exposed)
    if unit.role == "step":
        env += rt.secret_env(unit, program) + st.env(s.get("env"))
    env += rt.shared_secrets(unit, program)
    if unit.role == "step":
        env += features.step_env(program)
    container["env"] = env + features.common_env(program)
    res = st.resources(s.get("resources"))
    if res:
        container["resources"] = res
    mounts = _mounts(program)
    if mounts:
        container["volumeMounts"] = mounts
    t["container"] = container
    features.leaf(t, unit, program)
    return t
