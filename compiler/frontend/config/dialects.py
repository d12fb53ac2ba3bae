"""Which dialect a configuration is written in, and keys that belong to another dialect.

Why before validation: a user moving from magnus writes `docker_image` in a runnable 0.50
file, or `image` in a magnus one. pydantic would only say "extra key"; the user needs
"this dialect spells it X". So keys known from another dialect are reported here with
the right spelling (RCC0220) and removed before validation, so each mistake is said once;
a file with two executor sections is reported as mixing dialects (RCC0221).
"""

from __future__ import annotations

import copy
from typing import Any

from compiler.diagnostics import Diagnostics
from compiler.frontend.load import Located

_R050 = "runnable 0.50 (`pipeline-executor`)"
_DOC = "runnable's documented dialect (`executor` with `image`)"
_MAGNUS = "magnus (`executor`/`mode` with `docker_image`)"

# dialect → {key written in executor config: (dialect it belongs to, how this dialect spells it)}
FOREIGN: dict[str, dict[str, tuple[str, str]]] = {
    "documented": {
        "docker_image": (_MAGNUS, "`image` (one of the two: a file is in one dialect)"),
        "defaults": (_R050, "set `image`, `resources`, ... directly in `executor.config`"),
        "argo_workflow": (_R050, "set `name`, `namespace`, `labels`, ... directly in `executor.config`"),
        "argoWorkflow": (_R050, "set `name`, `namespace`, `labels`, ... directly in `executor.config`"),
        "pvc_for_runnable": (_R050, "`persistent_volumes: [{name: CLAIM, mount_path: /tmp}]`"),
        "custom_volumes": (_R050, "`persistent_volumes: [{name: CLAIM, mount_path: PATH}]`"),
        "secret_from_k8s": (_R050, "`secrets_from_k8s: [{environment_variable, secret_name, secret_key}]`"),
        "log_level": (_R050, "nothing: the documented dialect always runs at WARNING"),
        "cpu_limit": (_MAGNUS, "`resources: {limits: {cpu: ...}}`"),
        "memory_limit": (_MAGNUS, "`resources: {limits: {memory: ...}}`"),
        "cpu_request": (_MAGNUS, "`resources: {requests: {cpu: ...}}`"),
        "memory_request": (_MAGNUS, "`resources: {requests: {memory: ...}}`"),
        "enable_caching": (_MAGNUS, "nothing: only the magnus dialect memoizes steps"),
    },
    "magnus": {
        "image": (_DOC, "`docker_image`"),
        "resources": (_DOC, "`cpu_limit`, `memory_limit`, `cpu_request`, `memory_request`"),
        "overrides": (_DOC, "a step's own `mode_config: {argo: {...}}`"),
        "name": (_DOC, "nothing: magnus workflows are named `magnus-dag-`; use runnable's dialect to name one"),
        "persistent_volumes": (_DOC, "`shared_directory: CLAIM:/mount/path`"),
        "secret_from_k8s": (_R050, "`secrets_from_k8s: [EnvVar=SecretName:Key]`"),
        "defaults": (_R050, "`docker_image`, `cpu_limit`, ... directly in `config`"),
        "argoWorkflow": (_R050, "nothing: magnus has no workflow metadata; use another dialect"),
        "argo_workflow": (_R050, "nothing: magnus has no workflow metadata; use another dialect"),
    },
    "runnable-0.50": {
        "image": (_DOC, "`defaults: {image: ...}`"),
        "docker_image": (_MAGNUS, "`defaults: {image: ...}`"),
        "name": (_DOC, "`argoWorkflow: {metadata: {generateName: ...}}`"),
        "namespace": (_DOC, "`argoWorkflow: {metadata: {namespace: ...}}`"),
        "labels": (_DOC, "`argoWorkflow: {metadata: {labels: ...}}`"),
        "annotations": (_DOC, "`argoWorkflow: {metadata: {annotations: ...}}`"),
        "service_account_name": (_DOC, "`argoWorkflow: {spec: {serviceAccountName: ...}}`"),
        "max_workflow_duration_in_seconds": (_DOC, "`argoWorkflow: {spec: {activeDeadlineSeconds: ...}}`"),
        "max_step_duration_in_seconds": (_DOC, "`defaults: {active_deadline_seconds: ...}`"),
        "resources": (_DOC, "`defaults: {resources: ...}`"),
        "persistent_volumes": (_DOC, "`custom_volumes: [{mount_path, persistent_volume_claim: {claim_name}}]`"),
        "secrets_from_k8s": (_DOC, "`secret_from_k8s: SECRET` (one secret; each task secret is one of its keys)"),
        "cpu_limit": (_MAGNUS, "`defaults: {resources: {limits: {cpu: ...}}}`"),
        "memory_limit": (_MAGNUS, "`defaults: {resources: {limits: {memory: ...}}}`"),
        "enable_caching": (_MAGNUS, "nothing: only the magnus dialect memoizes steps"),
    },
}

EXECUTOR_SECTIONS = ("pipeline-executor", "executor", "mode")


def detect(data: dict) -> tuple[str | None, str | None]:
    """(dialect, section key) from the top-level keys and, for `executor`, its config keys."""
    if "pipeline-executor" in data:
        return "runnable-0.50", "pipeline-executor"
    if "mode" in data:
        return "magnus", "mode"
    if "executor" in data:
        cfg = (data.get("executor") or {}).get("config") if isinstance(data.get("executor"), dict) else None
        if isinstance(cfg, dict) and "docker_image" in cfg and "image" not in cfg:
            return "magnus", "executor"
        return "documented", "executor"
    return None, None


def is_argo_kedro(data: dict) -> bool:
    """argo-kedro's argo.yml: its top-level keys and no runnable/magnus executor section.

    Here (not in `argo_kedro.py`) so the driver can ask without importing pydantic: an
    argo.yml is not run through rcc's `$name` variables, because its `$` belong to the
    shell scripts of its templates (argo-kedro has no variables of its own)."""
    if any(k in data for k in EXECUTOR_SECTIONS):
        return False
    return "deployment" in data or ("machine_types" in data and "default_machine_type" in data)


def check_mixed(doc: Located, diags: Diagnostics, section: str) -> None:
    others = [k for k in EXECUTOR_SECTIONS if k in doc.data and k != section]
    for k in others:
        diags.error("RCC0221", f"the configuration mixes dialects: it has both `{section}` and `{k}`",
                    doc.key_span((k,)),
                    help=f"keep one executor section; `{section}` is the one rcc reads, so move its settings there")


def strip_foreign(doc: Located, diags: Diagnostics, dialect: str, section: str) -> dict[str, Any]:
    """A copy of the data without keys of other dialects, each reported with its spelling here."""
    data = copy.deepcopy(doc.data)
    for k in EXECUTOR_SECTIONS:
        if k != section:
            data.pop(k, None)
    cfg = (data.get(section) or {}).get("config") if isinstance(data.get(section), dict) else None
    if not isinstance(cfg, dict):
        return data
    table = FOREIGN.get(dialect, {})
    for key in list(cfg):
        if key in table:
            origin, spelling = table[key]
            name = {"documented": _DOC, "magnus": _MAGNUS, "runnable-0.50": _R050}[dialect]
            diags.error("RCC0220", f"`{key}` is {origin} spelling, but this configuration is in {name}",
                        doc.key_span((section, "config", key)), help=f"here write {spelling}")
            del cfg[key]
    return data
