"""Pieces every configuration dialect shares: Kubernetes-shaped settings, services, checks.

Keys are accepted in snake_case or camelCase (runnable 0.50 accepts both through
pydantic aliases; users copy from Argo's docs), and normalised to rcc's snake_case.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Optional

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from compiler.config import Service
from compiler.frontend.load import Located


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


class Strict(BaseModel):
    """Unknown keys are errors; every key may be written snake_case or camelCase."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, populate_by_name=True, alias_generator=camel)


class Backoff(Strict):
    duration: Optional[str] = Field(None, description="Initial delay before a retry, e.g. `2m` or `120` (seconds).")
    factor: Optional[float] = Field(None, description="Multiplier applied to the delay after each retry.")
    max_duration: Optional[str] = Field(None, description="Upper bound of the delay, e.g. `1h`.")


class RetryStrategy(Strict):
    limit: Optional[int] = Field(None, ge=0, description="How many retries after the first attempt.")
    retry_policy: Optional[Literal["Always", "OnFailure", "OnError", "OnTransientError"]] = Field(
        None, description="Which failures are retried (Argo's retryPolicy).")
    backoff: Optional[Backoff] = Field(
        None, validation_alias=AliasChoices("backoff", "back_off", "backOff"),
        description="Delay between retries. (runnable's docs spell it backOff; Argo's field is backoff.)")


class Toleration(Strict):
    """A Kubernetes toleration: lets pods run on nodes with a matching taint."""

    key: Optional[str] = Field(None, description="The taint key the toleration applies to.", examples=["nvidia.com/gpu"])
    operator: Optional[Literal["Equal", "Exists"]] = Field(None, description="Equal: key and value match; Exists: any value.")
    value: Optional[str] = Field(None, description="The taint value to match (with operator Equal).")
    effect: Optional[Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]] = Field(
        None, description="The taint effect to match; empty matches every effect.")
    toleration_seconds: Optional[int] = Field(None, description="NoExecute only: how long the pod stays after the taint appears.")


Quantity = str | int | float


class ResourceList(BaseModel):
    """cpu, memory, gpu (runnable's shorthand for nvidia.com/gpu) or any extended resource."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)
    cpu: Optional[Quantity] = Field(None, description="CPU, in cores or millicores.", examples=["250m", "2"])
    memory: Optional[Quantity] = Field(None, description="Memory, a Kubernetes quantity.", examples=["1Gi", "512Mi"])
    gpu: Optional[int] = Field(None, ge=0, description="Number of NVIDIA GPUs (emitted as nvidia.com/gpu, in limits).")


class Resources(Strict):
    """Container resources, as in a Kubernetes pod spec."""

    limits: Optional[ResourceList] = Field(None, description="The most the container may use.")
    requests: Optional[ResourceList] = Field(None, description="What the scheduler reserves for the container.")


class EnvVar(Strict):
    """An environment variable of the step's container: a literal value or a secret's key."""

    name: str = Field(description="Name of the environment variable.")
    value: Optional[str] = Field(None, description="Its literal value.")
    secret_name: Optional[str] = Field(None, description="Take the value from this Kubernetes secret ...")
    secret_key: Optional[str] = Field(None, description="... under this key.")


class ServiceSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    type: str = Field(description="The service's type, e.g. chunked-fs, file-system, do-nothing.",
                      examples=["chunked-fs", "file-system", "do-nothing"])
    config: dict[str, Any] = Field(default_factory=dict, description="The service's own settings, passed to runnable.")


def resources_dict(res: Resources | None) -> dict[str, Any] | None:
    """Canonical resources: gpu becomes nvidia.com/gpu, and GPUs are always limits."""
    if res is None:
        return None
    out: dict[str, Any] = {}
    for part in ("limits", "requests"):
        rl = getattr(res, part)
        if rl is None:
            continue
        d = {k: v for k, v in rl.model_dump(exclude_none=True).items() if k != "gpu"}
        if rl.gpu:
            out.setdefault("limits", {})["nvidia.com/gpu"] = rl.gpu
        if d:
            out.setdefault(part, {}).update(d)
    return out


def retry_dict(rs: RetryStrategy | None) -> dict[str, Any] | None:
    if rs is None:
        return None
    out = rs.model_dump(exclude_none=True)
    return out or None


def tolerations_list(tols: list[Toleration] | None) -> list[dict] | None:
    if tols is None:
        return None
    return [t.model_dump(exclude_none=True) for t in tols]


def env_list(env: list[EnvVar] | None) -> list[dict] | None:
    if env is None:
        return None
    return [e.model_dump(exclude_none=True) for e in env]


def service(doc: Located, section: ServiceSection | None, path: tuple) -> Service | None:
    if section is None:
        return None
    return Service(section.type, dict(section.config), doc.span(path + ("type",)))


PVC_SERVICES = {"run_log_store": ("k8s-pvc", "chunked-k8s-pvc"), "catalog": ("k8s-pvc",)}


def service_claims(run_log_store: Service | None, catalog: Service | None) -> list[tuple[str, str, str]]:
    """(service, claim, mount path) of each service kept on a PersistentVolumeClaim.

    Why here: runnable 0.13 and magnus 0.4 mount a `k8s-pvc` run log store's or catalog's
    claim in every pod themselves (their Argo integrations add it to the volumes), so the
    manifest must mount it for the pods to share the run log.
    """
    out = []
    for name, svc in (("run_log_store", run_log_store), ("catalog", catalog)):
        cfg = svc.config if svc is not None else {}
        if svc is not None and svc.type in PVC_SERVICES[name] and cfg.get("persistent_volume_name") and cfg.get("mount_path"):
            out.append((name, str(cfg["persistent_volume_name"]), str(cfg["mount_path"])))
    return out


_DURATION = re.compile(r"^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))*$")


def is_duration(text: str) -> bool:
    return bool(_DURATION.match(text))


def kubernetes_settings(src: Any) -> dict[str, Any]:
    """The settings every dialect spells the Kubernetes way: node selector, resources,
    tolerations, retry strategy (canonical keys; absent fields are left out)."""
    out: dict[str, Any] = {}
    if src.node_selector is not None:
        out["node_selector"] = dict(src.node_selector)
    if src.resources is not None:
        out["resources"] = resources_dict(src.resources)
    if src.tolerations is not None:
        out["tolerations"] = tolerations_list(src.tolerations)
    if src.retry_strategy is not None:
        out["retry_strategy"] = retry_dict(src.retry_strategy)
    return out
