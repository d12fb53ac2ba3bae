"""runnable 0.50's dialect: `pipeline-executor: {type: argo, config: {defaults, overrides, argoWorkflow, ...}}`.

Fields, aliases (snake_case or camelCase) and defaults as runnable 0.50 reads them.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from compiler.frontend.config.common import (
    EnvVar, Resources, RetryStrategy, Strict, Toleration, env_list, resources_dict, retry_dict, tolerations_list,
)


class Settings050(Strict):
    active_deadline_seconds: Optional[int] = Field(None, ge=1)
    fail_fast: Optional[bool] = None
    node_selector: Optional[dict[str, str]] = None
    parallelism: Optional[int] = Field(None, ge=1)
    retry_strategy: Optional[RetryStrategy] = None
    timeout: Optional[str] = Field(None, description="Argo duration, e.g. `1h`.")
    tolerations: Optional[list[Toleration]] = None
    image_pull_policy: Optional[Literal["Always", "IfNotPresent", "Never"]] = None
    resources: Optional[Resources] = None
    env: Optional[list[EnvVar]] = None
    image: Optional[str] = None


class Defaults050(Settings050):
    image: str = Field(description="The container image every step runs in (required).")


class PodGC050(Strict):
    strategy: Optional[Literal["OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"]] = None
    delete_delay_duration: Optional[str] = None


class Metadata050(Strict):
    generate_name: str = Field(description="The workflow's generateName (required by runnable 0.50).")
    annotations: Optional[dict[str, str]] = None
    labels: dict[str, str] = Field(default_factory=dict)
    namespace: Optional[str] = None


class Spec050(Strict):
    active_deadline_seconds: Optional[int] = Field(86400, ge=1)
    node_selector: Optional[dict[str, str]] = None
    parallelism: Optional[int] = Field(None, ge=1)
    pod_gc: Optional[PodGC050] = None
    retry_strategy: Optional[RetryStrategy] = None
    service_account_name: Optional[str] = None
    tolerations: Optional[list[Toleration]] = None


class ArgoWorkflow050(Strict):
    metadata: Metadata050
    spec: Spec050 = Field(default_factory=Spec050)


class ClaimSource(Strict):
    claim_name: str
    read_only: bool = False


class CustomVolume(Strict):
    mount_path: str
    persistent_volume_claim: ClaimSource


class CronSchedule(Strict):
    schedules: list[str] = Field(min_length=1, description="Cron expressions, e.g. `0 0 * * *`.")
    timezone: Optional[str] = Field(None, description="IANA time zone, e.g. `Europe/London`.")


class Argo050Config(Strict):
    """`pipeline-executor.config` of runnable 0.50's Argo executor."""

    pvc_for_runnable: Optional[str] = Field(None, description="PVC mounted for the run log and catalog.")
    custom_volumes: list[CustomVolume] = Field(default_factory=list)
    expose_parameters_as_inputs: bool = True
    configmap_cache_name: Optional[str] = None
    secret_from_k8s: Optional[str] = Field(None, description="A Kubernetes secret whose keys become environment variables.")
    output_file: str = "argo-pipeline.yaml"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    defaults: Defaults050
    argo_workflow: ArgoWorkflow050
    cron_schedule: Optional[CronSchedule] = None
    overrides: dict[str, Settings050] = Field(default_factory=dict)


def step_settings(src: Settings050) -> dict:
    out: dict = {}
    for key in ("image", "image_pull_policy", "active_deadline_seconds", "timeout", "parallelism", "fail_fast"):
        v = getattr(src, key)
        if v is not None:
            out[key] = v
    if src.node_selector is not None:
        out["node_selector"] = dict(src.node_selector)
    if src.resources is not None:
        out["resources"] = resources_dict(src.resources)
    if src.tolerations is not None:
        out["tolerations"] = tolerations_list(src.tolerations)
    if src.retry_strategy is not None:
        out["retry_strategy"] = retry_dict(src.retry_strategy)
    if src.env is not None:
        out["env"] = env_list(src.env)
    return out
