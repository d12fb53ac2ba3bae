"""runnable 0.50's dialect: `pipeline-executor: {type: argo, config: {defaults, overrides, argoWorkflow, ...}}`.

Fields, aliases (snake_case or camelCase) and defaults as runnable 0.50 reads them.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field

from compiler.frontend.config.extensions import Extensions
from compiler.frontend.config.common import (
    EnvVar, Resources, RetryStrategy, Strict, Toleration, env_list, kubernetes_settings,
)


class Settings050(Strict):
    """Step settings: the executor's `defaults`, or one named entry of `overrides`."""

    active_deadline_seconds: Optional[int] = Field(None, ge=1, description="The step's activeDeadlineSeconds.")
    fail_fast: Optional[bool] = Field(None, description="Composite steps: stop scheduling branches after one fails.")
    node_selector: Optional[dict[str, str]] = Field(None, description="Node labels the step's pod must match.")
    parallelism: Optional[int] = Field(None, ge=1, description="Composite steps: how many branches run at once.")
    retry_strategy: Optional[RetryStrategy] = Field(None, description="Argo's retry strategy for the step.")
    timeout: Optional[str] = Field(None, description="Argo duration, e.g. `1h`.")
    tolerations: Optional[list[Toleration]] = Field(None, description="Tolerations of the step's pod.")
    image_pull_policy: Optional[Literal["Always", "IfNotPresent", "Never"]] = Field(
        None, description="When the kubelet pulls the image.")
    resources: Optional[Resources] = Field(None, description="The step container's resources.")
    env: Optional[list[EnvVar]] = Field(None, description="Environment variables of the step's container.")
    image: Optional[str] = Field(None, description="The container image of the step.")


class Defaults050(Settings050):
    image: str = Field(description="The container image every step runs in (required).")


class PodGC050(Strict):
    """Argo's podGC: when finished pods are deleted."""

    strategy: Optional[Literal["OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"]] = Field(
        None, description="When pods are deleted.")
    delete_delay_duration: Optional[str] = Field(None, description="How long to wait before deleting, an Argo duration.")


class Metadata050(Strict):
    generate_name: str = Field(description="The workflow's generateName (required by runnable 0.50).")
    annotations: Optional[dict[str, str]] = Field(None, description="Annotations of the workflow.")
    labels: dict[str, str] = Field(default_factory=dict, description="Labels of the workflow.")
    namespace: Optional[str] = Field(None, description="Kubernetes namespace of the workflow.")


class Spec050(Strict):
    """Workflow-level settings of the Argo spec."""

    active_deadline_seconds: Optional[int] = Field(86400, ge=1, description="The whole workflow's deadline, in seconds.")
    node_selector: Optional[dict[str, str]] = Field(None, description="Node labels every pod must match.")
    parallelism: Optional[int] = Field(None, ge=1, description="How many pods of the workflow may run at once.")
    pod_gc: Optional[PodGC050] = Field(None, description="When finished pods are deleted.")
    retry_strategy: Optional[RetryStrategy] = Field(None, description="The workflow's default retry strategy.")
    service_account_name: Optional[str] = Field(None, description="Kubernetes service account the pods run as.")
    tolerations: Optional[list[Toleration]] = Field(None, description="Tolerations of every pod.")


class ArgoWorkflow050(Strict):
    """The workflow's own metadata and spec."""

    metadata: Metadata050 = Field(description="The workflow's metadata; generateName is required.")
    spec: Spec050 = Field(default_factory=Spec050, description="Workflow-level settings of the Argo spec.")


class ClaimSource(Strict):
    """A PersistentVolumeClaim reference."""

    claim_name: str = Field(description="Name of an existing PersistentVolumeClaim.")
    read_only: bool = Field(False, description="Mount it read-only.")


class CustomVolume(Strict):
    """A volume mounted in every step's container."""

    mount_path: str = Field(description="Where the volume is mounted in the container.")
    persistent_volume_claim: ClaimSource = Field(description="The claim that backs the volume.")


class CronSchedule(Strict):
    schedules: list[str] = Field(min_length=1, description="Cron expressions, e.g. `0 0 * * *`.")
    timezone: Optional[str] = Field(None, description="IANA time zone, e.g. `Europe/London`.")


class Argo050Config(Extensions):
    """`pipeline-executor.config` of runnable 0.50's Argo executor."""

    pvc_for_runnable: Optional[str] = Field(None, description="PVC mounted for the run log and catalog.")
    custom_volumes: list[CustomVolume] = Field(default_factory=list, description="Volumes mounted in every step's container.")
    expose_parameters_as_inputs: bool = Field(True, description="Make the initial parameters arguments of the workflow.")
    configmap_cache_name: Optional[str] = Field(None, description="A ConfigMap Argo uses as memoization cache.")
    secret_from_k8s: Optional[str] = Field(None, description="A Kubernetes secret whose keys become environment variables.")
    output_file: str = Field("argo-pipeline.yaml", description="Where `rcc build` writes the manifest when -o is not given.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", description="The runnable runtime's log level inside each pod.")
    defaults: Defaults050 = Field(description="Settings of every step; `image` is required.")
    argo_workflow: ArgoWorkflow050 = Field(description="The workflow's metadata and spec.")
    cron_schedule: Optional[CronSchedule] = Field(None, description="Emit a CronWorkflow that runs on these schedules.")
    overrides: dict[str, Settings050] = Field(
        default_factory=dict, description="Named step settings; a step selects one with `overrides: {argo: NAME}`.")


def step_settings(src: Settings050) -> dict:
    out: dict = {}
    for key in ("image", "image_pull_policy", "active_deadline_seconds", "timeout", "parallelism", "fail_fast"):
        v = getattr(src, key)
        if v is not None:
            out[key] = v
    out.update(kubernetes_settings(src))
    if src.env is not None:
        out["env"] = env_list(src.env)
    return out
