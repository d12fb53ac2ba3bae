"""runnable's documented Argo dialect: `executor: {type: argo, config: {image: ..., ...}}`.

Every key and default of the documentation's defaults table (seed
runnable-argo-executor.txt). Keys that the documentation says cannot be set per step are
refused in `overrides` with a diagnostic (runnable silently ignores them).
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import Field

from compiler.frontend.config.extensions import Extensions
from compiler.config import TIMEOUT_GRACE_SECONDS
from compiler.frontend.config.common import (
    EnvVar, Resources, RetryStrategy, Strict, Toleration, env_list, kubernetes_settings,
)



WORKFLOW_DEADLINE = 2 * 24 * 60 * 60
"""Two days. The documentation's defaults table says one day (86400), but runnable 0.13's
ArgoExecutor (`2 * 24 * 60 * 60`), magnus 0.5's, and the manifest and run log the seeds
themselves show (`activeDeadlineSeconds: 172800`) all say two: the program is the
specification, so a workflow built by rcc lives as long as one runnable built."""


class SecretFromK8s(Strict):
    environment_variable: str = Field(description="Name of the environment variable in the container.")
    secret_name: str = Field(description="Name of the Kubernetes secret.")
    secret_key: str = Field(description="Key inside the secret.")


class PersistentVolume(Strict):
    name: str = Field(description="Name of an existing PersistentVolumeClaim.")
    mount_path: str = Field(description="Where it is mounted in every container.")


class StepOverride(Strict):
    """The settings a step may override (runnable's documented list, plus image)."""

    image: Optional[str] = None
    parallelism: Optional[int] = Field(None, ge=1, description="Composite steps: how many branches run at once.")
    node_selector: Optional[dict[str, str]] = None
    tolerations: Optional[list[Toleration]] = None
    resources: Optional[Resources] = None
    max_step_duration_in_seconds: Optional[int] = Field(None, ge=1)
    retry_strategy: Optional[RetryStrategy] = None
    image_pull_policy: Optional[str] = None
    env: Optional[list[EnvVar]] = None


class DocumentedArgoConfig(Extensions):
    """`executor.config` of runnable's documented Argo executor."""

    image: str = Field(description="The container image every step runs in (required).")
    name: Optional[str] = Field(None, description="The workflow's generateName (default: the runtime's, "
                                                  "runnable-dag- or magnus-dag-).")
    namespace: Optional[str] = Field(None, description="Kubernetes namespace of the workflow.")
    annotations: dict[str, str] = Field(default_factory=dict, description="Annotations of the workflow's metadata.")
    labels: dict[str, str] = Field(default_factory=dict, description="Labels of the workflow's metadata.")
    pod_gc: Optional[str] = Field("OnPodCompletion", description="podGC strategy.")
    service_account_name: Optional[str] = Field(None, description="Kubernetes service account the pods run as.")
    secrets_from_k8s: list[SecretFromK8s] = Field(default_factory=list, description="Kubernetes secret keys exposed to every step as environment variables.")
    expose_parameters_as_inputs: bool = Field(True, description="Make the initial parameters arguments of the workflow, settable at submit time.")
    max_workflow_duration_in_seconds: int = Field(
        WORKFLOW_DEADLINE, ge=1, description="The workflow's activeDeadlineSeconds (default two days, as the program "
                                             "writes it; the documentation's table says one day).")
    node_selector: Optional[dict[str, str]] = Field(None, description="Node labels every step's pod must match.")
    parallelism: Optional[int] = Field(None, ge=1, description="How many pods of the workflow may run at once.")
    resources: Optional[Resources] = Field(None, description="Default container resources of every step.")
    retry_strategy: Optional[RetryStrategy] = Field(None, description="Default Argo retry strategy of every step.")
    max_step_duration_in_seconds: int = Field(7200, ge=1, description="Each step's activeDeadlineSeconds; timeout is one hour more.")
    tolerations: Optional[list[Toleration]] = Field(None, description="Default tolerations of every step's pod.")
    image_pull_policy: Optional[str] = Field("", description="Empty: the field is not set.",
                                             examples=["Always", "IfNotPresent", "Never"])
    persistent_volumes: list[PersistentVolume] = Field(default_factory=list, description="PersistentVolumeClaims mounted in every step's container.")
    output_file: Optional[str] = Field(None, description="Where `rcc build` writes the manifest when -o is not given.")
    overrides: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Named step settings; a step selects one with `overrides: {argo: NAME}`.",
        examples=[{"gpu": {"resources": {"limits": {"gpu": 1}}}}])


def step_settings(src: Any) -> dict[str, Any]:
    """Canonical step settings from a documented-dialect mapping (config or override)."""
    out: dict[str, Any] = {}
    if getattr(src, "image", None):
        out["image"] = src.image
    if getattr(src, "image_pull_policy", None):
        out["image_pull_policy"] = src.image_pull_policy
    out.update(kubernetes_settings(src))
    if src.max_step_duration_in_seconds is not None:
        out["active_deadline_seconds"] = src.max_step_duration_in_seconds
        out["timeout"] = f"{src.max_step_duration_in_seconds + TIMEOUT_GRACE_SECONDS}s"
    if getattr(src, "parallelism", None) is not None and isinstance(src, StepOverride):
        out["parallelism"] = src.parallelism
    if getattr(src, "env", None) is not None:
        out["env"] = env_list(src.env)
    return out
