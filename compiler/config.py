"""The normalised configuration: one shape, whichever dialect the user wrote.

The frontend reads runnable's documented dialect, runnable 0.50's `pipeline-executor`
dialect and magnus' dialect, and each normaliser produces this `Config`. Everything
after the frontend reads only this, so a dialect is a frontend module and nothing more.

Step settings are plain nested dicts with rcc's canonical snake_case keys (see
`STEP_SETTING_KEYS`) so that overrides merge deeply and uniformly; the backend maps them
to Argo fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from compiler.diagnostics import Span

# Settings a step may receive from defaults, a named override or its own keys.
STEP_SETTING_KEYS = (
    "image",
    "image_pull_policy",
    "resources",          # {limits: {cpu, memory, nvidia.com/gpu}, requests: {...}}
    "node_selector",      # {label: value}
    "tolerations",        # [{key, operator, value, effect, toleration_seconds}]
    "retry_strategy",     # {limit, retry_policy, backoff: {duration, factor, max_duration}}
    "active_deadline_seconds",
    "timeout",
    "env",                # [{name, value}] or [{name, secret_name, secret_key}]
    "parallelism",        # composites only
    "fail_fast",          # composites only
    "template",           # argo-kedro custom template name
)

# runnable's documented defaults for every step: 1Gi / 250m (requests = limits), two hours,
# and one more hour before Argo's `timeout`.
DEFAULT_RESOURCES = {"limits": {"memory": "1Gi", "cpu": "250m"}, "requests": {"memory": "1Gi", "cpu": "250m"}}
TIMEOUT_GRACE_SECONDS = 3600
BASE_DEFAULTS = {
    "resources": DEFAULT_RESOURCES,
    "active_deadline_seconds": 7200,
    "timeout": f"{7200 + TIMEOUT_GRACE_SECONDS}s",
}
EPHEMERAL_SIZE = "1Gi"
"""Size of CloudHarness' ephemeral shared directories (volumeClaimTemplates) when the
configuration sets no `shared_volume_size`."""

# Workflow-level keys a step override may not set (runnable's documented rule).
WORKFLOW_ONLY_KEYS = (
    "name", "pod_gc", "annotations", "labels", "service_account_name", "max_workflow_duration_in_seconds",
)


@dataclass(frozen=True)
class Volume:
    name: str
    claim_name: str | None
    mount_path: str
    read_only: bool = False
    ephemeral: bool = False
    """CloudHarness: a claim made for the workflow's lifetime (volumeClaimTemplates)."""
    rwx: bool = False


@dataclass(frozen=True)
class Service:
    """A runnable service section (run log store, catalog, secrets): type and config."""

    type: str
    config: Mapping[str, Any] = field(default_factory=dict)
    span: Span | None = None


@dataclass(frozen=True)
class Config:
    dialect: str
    """`documented`, `runnable-0.50`, `magnus` or `none` (no configuration file)."""
    workflow: Mapping[str, Any]
    """Workflow-level settings: generate_name, namespace, annotations, labels,
    service_account_name, pod_gc, active_deadline_seconds, parallelism, node_selector,
    tolerations, retry_strategy, expose_parameters_as_inputs, log_level, output_file,
    cron_schedule, secrets_from_k8s, ttl_strategy, pod_context, on_exit_notify,
    init_templates, templates, machine_types, default_machine_type, runtime, kind."""
    defaults: Mapping[str, Any]
    overrides: Mapping[str, Mapping[str, Any]]
    override_spans: Mapping[str, Span] = field(default_factory=dict)
    volumes: tuple[Volume, ...] = ()
    run_log_store: Service | None = None
    catalog: Service | None = None
    secrets: Service | None = None
    span: Span | None = None
    """Where the executor section starts, for diagnostics about the whole configuration."""
    section: str | None = None
    """The executor section's top-level key as written (`executor`, `mode`, `pipeline-executor`)."""
    executor_keys: Mapping[str, Span] = field(default_factory=dict)
    """The keys of the executor's `config` as written (documented and magnus dialects), with
    their spans: a runtime whose program re-reads the file refuses those it does not know."""


def deep_merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """Merge `top` over `base`: mappings merge key by key, anything else is replaced."""
    out = dict(base)
    for k, v in top.items():
        if v is None:
            continue
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out
