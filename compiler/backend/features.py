"""Workflow-level capabilities of CloudHarness, argo-kedro and magnus, written into the manifest.

Kept apart from `emit` (which writes the graph) because none of them changes the graph:
they add volumes, affinity, a TTL, an exit handler, init templates and environment to a
manifest that is otherwise complete. Every function reads only `Config.workflow`.

- CloudHarness: `shared_directory` (claims, or ephemeral `volumeClaimTemplates`; RWO
  volumes pin pods to one node through the `usesvolume` label), `pod_context`,
  `ttl_strategy`, `on_exit_notify`.
- argo-kedro: custom `templates` a step runs in, `init_templates` whose outputs reach
  every step as environment variables (global outputs), `environment` from secrets,
  and `WORKFLOW_ID` in every container.
- magnus: `enable_caching` memoizes steps per run and node.
"""

from __future__ import annotations

from typing import Any

from compiler.backend import settings as st
from compiler.backend.depends import render
from compiler.config import EPHEMERAL_SIZE
from compiler.ir import Program, Unit

EXIT_TEMPLATE = "exit-notify"
CACHE_MAX_AGE = "720h"  # magnus set none; Argo requires one: a month keeps a re-submitted run cheap
HOST = "kubernetes.io/hostname"
NOTIFY = ("import sys\nfrom cloudharness.workflows.utils import notify_queue\n"
          "notify_queue(sys.argv[1], {'status': sys.argv[2], 'payload': sys.argv[3]})")


def shared_volumes(wf: dict) -> list[tuple[str, dict]]:
    return [(f"shared-{i}", d) for i, d in enumerate(wf.get("shared_directory") or ())]


def workflow_spec(spec: dict[str, Any], program: Program) -> None:
    """Workflow-level additions, in place, before `templates`."""
    wf = program.config.workflow
    volumes, claims = [], []
    size = wf.get("shared_volume_size") or EPHEMERAL_SIZE
    for name, d in shared_volumes(wf):
        if d["claim"]:
            src = {"claimName": d["claim"], **({"readOnly": True} if d["mode"] == "ro" else {})}
            volumes.append({"name": name, "persistentVolumeClaim": src})
        else:
            access = "ReadWriteMany" if d["mode"] == "rwx" else "ReadWriteOnce"
            claims.append({"metadata": {"name": name},
                           "spec": {"accessModes": [access], "resources": {"requests": {"storage": size}}}})
    if volumes:
        spec["volumes"] = spec.get("volumes", []) + volumes
    if claims:
        spec["volumeClaimTemplates"] = claims
    labels, required, preferred = {}, [], []
    rwo = [(name, d) for name, d in shared_volumes(wf) if d["mode"] is None]
    if rwo:
        name, d = rwo[0]
        labels["usesvolume"] = d["claim"] or name
        required.append(_term("usesvolume", labels["usesvolume"]))
    for c in wf.get("pod_context") or ():
        labels[c["key"]] = c["value"]
        (required if c["required"] else preferred).append(_term(c["key"], c["value"]))
    if labels:
        spec["podMetadata"] = {"labels": st.string_map(labels)}
    if required or preferred:
        aff: dict[str, Any] = {}
        if required:
            aff["requiredDuringSchedulingIgnoredDuringExecution"] = required
        if preferred:
            aff["preferredDuringSchedulingIgnoredDuringExecution"] = [{"weight": 100, "podAffinityTerm": t} for t in preferred]
        spec["affinity"] = {"podAffinity": aff}
    if wf.get("ttl_strategy"):
        spec["ttlStrategy"] = {_camel(k): v for k, v in wf["ttl_strategy"].items()}
    if wf.get("on_exit_notify"):
        spec["onExit"] = EXIT_TEMPLATE


def _term(key: str, value: str) -> dict[str, Any]:
    return {"labelSelector": {"matchExpressions": [{"key": key, "operator": "In", "values": [str(value)]}]},
            "topologyKey": HOST}


def mounts(program: Program) -> list[dict[str, Any]]:
    return [{"name": name, "mountPath": d["path"], **({"readOnly": True} if d["mode"] == "ro" else {})}
            for name, d in shared_volumes(program.config.workflow)]


def common_env(program: Program) -> list[dict[str, Any]]:
    """What every container gets: argo-kedro's WORKFLOW_ID (under the kedro runtime, as
    argo-kedro sets it: the workflow's name; elsewhere the workflow's uid)."""
    kedro = program.config.workflow.get("runtime") == "kedro"
    return [{"name": "WORKFLOW_ID", "value": "{{workflow.name}}" if kedro else "{{workflow.uid}}"}]


def step_env(program: Program) -> list[dict[str, Any]]:
    """What every step container gets: `environment` entries and init templates' outputs,
    each as the UPPER-cased variable argo-kedro's nodes read (`mlflow_run_id` → MLFLOW_RUN_ID)."""
    wf = program.config.workflow
    out = st.env(wf.get("environment"))
    for p in init_outputs(program):
        out.append({"name": p.upper(), "value": f"{{{{workflow.outputs.parameters.{p}}}}}"})
    return out


def init_outputs(program: Program) -> list[str]:
    wf = program.config.workflow
    templates = wf.get("templates") or {}
    return [p["name"] for n in wf.get("init_templates") or () for p in (templates[n].get("outputs") or {}).get("parameters", ())]


def leaf(t: dict[str, Any], unit: Unit, program: Program) -> None:
    """A step inside a custom template; magnus caching. In place, on a finished leaf template."""
    wf = program.config.workflow
    name = unit.settings.get("template") if unit.role == "step" else None
    if name:
        custom = wf["templates"][name]
        container = t["container"]
        extra = dict(custom.get("container") or {})
        extra.pop("name", None)
        env = container.get("env", []) + st.env(extra.pop("env", None))
        if "command" in extra or "args" in extra:
            container.pop("command", None)
        container.update(extra)
        container["env"] = env
        if custom.get("sidecars"):
            t["sidecars"] = list(custom["sidecars"])
        if custom.get("volumes"):
            t["volumes"] = list(custom["volumes"])
    if wf.get("runtime") == "kedro":
        from compiler.backend.runtimes import kedro

        kedro.finish_leaf(t, unit, program)
    if wf.get("enable_caching") and unit.role == "step":
        cache = wf.get("generate_name", "rcc-").rstrip("-") + "-cache"
        # Per run and step: every leaf receives its step's qualified name as the input `node`;
        # the run is runnable's run id, or the workflow's uid under the native runtime.
        run = "{{workflow.parameters.run_id}}" if wf.get("runtime") == "runnable" else "{{workflow.uid}}"
        key = run + "-{{inputs.parameters.node}}"
        t["memoize"] = {"key": key, "maxAge": CACHE_MAX_AGE, "cache": {"configMap": {"name": cache}}}


def extra_templates(program: Program, image: str, mounts_: list) -> list[dict[str, Any]]:
    """Init templates (with global outputs) and the exit handler, after the pipeline's templates."""
    wf = program.config.workflow
    out = []
    for n, argo_name in init_names(program).items():
        custom = wf["templates"][n]
        container = {"image": image, **{k: v for k, v in (custom.get("container") or {}).items() if k != "name"}}
        if program.config.defaults.get("image_pull_policy") and "imagePullPolicy" not in container:
            container["imagePullPolicy"] = program.config.defaults["image_pull_policy"]
        # Init pods see what every pod sees (argo-kedro gives them the `environment` too).
        container["env"] = common_env(program) + st.env(wf.get("environment")) + st.env(container.get("env"))
        if mounts_:
            container["volumeMounts"] = mounts_
        t: dict[str, Any] = {"name": argo_name}
        params = (custom.get("outputs") or {}).get("parameters", ())
        if params:
            t["outputs"] = {"parameters": [{"name": p["name"], "valueFrom": {"path": p["path"]}, "globalName": p["name"]}
                                           for p in params]}
        t["container"] = container
        out.append(t)
    notify = wf.get("on_exit_notify")
    if notify:
        out.append({
            "name": EXIT_TEMPLATE,
            "inputs": {"parameters": [{"name": "queue", "value": notify["queue"]},
                                      {"name": "payload", "value": notify.get("payload", "")},
                                      {"name": "status", "value": "{{workflow.status}}"}]},
            "container": {
                "image": notify.get("image") or image,
                "command": notify.get("command") or ["python", "-c", NOTIFY],
                "args": ["{{inputs.parameters.queue}}", "{{inputs.parameters.status}}", "{{inputs.parameters.payload}}"],
                "env": common_env(program),
            },
        })
    return out


def init_name(name: str) -> str:
    from compiler.passes.name import sanitize

    safe = sanitize(name)
    return safe if safe.startswith("init-") else "init-" + safe


def init_names(program: Program) -> dict[str, str]:
    """Each init template's Argo name: `init-` + its name made safe, shortened and given a
    hash when two names would otherwise be one (`a.b` and `a-b`) or too long for Argo."""
    from compiler.passes.name import unique_name

    taken: set[str] = set()
    out: dict[str, str] = {}
    for n in program.config.workflow.get("init_templates") or ():
        if n not in out:
            out[n] = unique_name(init_name(n), n, taken)
    return out


def add_init_tasks(entry: dict[str, Any], program: Program) -> None:
    """Init templates run first: every task of the entry DAG that had no dependency waits for them."""
    names = list(init_names(program).values())
    if not names:
        return
    after = render(("and", [("is", n, "Succeeded") for n in names]) if len(names) > 1 else ("is", names[0], "Succeeded"),
                   lambda k: k)
    tasks = entry["dag"]["tasks"]
    for task in tasks:
        if "depends" not in task:
            task["depends"] = after
    entry["dag"]["tasks"] = [{"name": n, "template": n} for n in names] + tasks


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)
