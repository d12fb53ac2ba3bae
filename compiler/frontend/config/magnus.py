"""magnus' Argo dialect: `executor:` (or `mode:`) `{type: argo, config: {docker_image, ...}}`.

Keys and defaults of the magnus Argo extension (seed magnus-argo-extension.txt):
cpu_limit 250m, memory_limit 1G, requests equal to the limits unless given,
image_pull_policy Always, output_file pipeline.yaml, enable_caching false, and
`secrets_from_k8s` entries written `EnvVar=SecretName:Key`. The same keys (except the
workflow-level ones) are what a step's `mode_config: {argo: {...}}` may override.
"""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from pydantic import Field

from compiler.frontend.config.common import Strict
from compiler.frontend.config.extensions import Extensions

DEFAULT_CPU = "250m"
DEFAULT_MEMORY = "1G"
STEP_KEYS = ("docker_image", "secrets_from_k8s", "cpu_limit", "cpu_request", "memory_limit", "memory_request",
             "image_pull_policy")
PullPolicy = Literal["Always", "IfNotPresent", "Never"]
Secrets = Union[list[str], dict[str, str]]


class MagnusStep(Strict):
    """A step's `mode_config.argo`: magnus' per-step overrides."""

    docker_image: Optional[str] = None
    secrets_from_k8s: Optional[Secrets] = None
    cpu_limit: Optional[Union[str, int, float]] = None
    cpu_request: Optional[Union[str, int, float]] = None
    memory_limit: Optional[Union[str, int]] = None
    memory_request: Optional[Union[str, int]] = None
    image_pull_policy: Optional[PullPolicy] = None


class MagnusArgoConfig(Extensions):
    """`executor.config` (or `mode.config`) of magnus' Argo extension."""

    docker_image: str = Field(description="The image every step runs in (required).")
    output_file: str = Field("pipeline.yaml", description="Where `rcc build` writes the manifest when -o is absent.")
    cpu_limit: Union[str, int, float] = Field(DEFAULT_CPU, description="CPU limit of every container (default 250m).")
    memory_limit: Union[str, int] = Field(DEFAULT_MEMORY, description="Memory limit of every container (default 1G).")
    cpu_request: Optional[Union[str, int, float]] = Field(None, description="Default: cpu_limit.")
    memory_request: Optional[Union[str, int]] = Field(None, description="Default: memory_limit.")
    enable_caching: bool = Field(False, description="Memoize each step by run id and step name.")
    image_pull_policy: PullPolicy = Field("Always", description="Always, IfNotPresent or Never.")
    secrets_from_k8s: Secrets = Field(default_factory=list, description="`EnvVar=SecretName:Key` entries.")


def parse_secret(text: str) -> dict[str, str] | None:
    """`EnvVar=SecretName:Key` → an env entry, or None when it is not in that form."""
    var, eq, rest = text.partition("=")
    name, colon, key = rest.partition(":")
    if not (eq and colon and var.strip() and name.strip() and key.strip()):
        return None
    return {"name": var.strip(), "secret_name": name.strip(), "secret_key": key.strip()}


def secret_entries(secrets: Secrets | None) -> tuple[list[dict[str, str]], list[int | str]]:
    """(env entries, positions of malformed entries). A mapping is `EnvVar: SecretName:Key`."""
    if not secrets:
        return [], []
    items = secrets.items() if isinstance(secrets, dict) else enumerate(secrets)
    out, bad = [], []
    for pos, raw in items:
        entry = parse_secret(f"{pos}={raw}" if isinstance(secrets, dict) else str(raw))
        if entry is None:
            bad.append(pos)
        else:
            out.append(entry)
    return out, bad


def step_settings(src: MagnusStep | MagnusArgoConfig, with_defaults: bool) -> dict[str, Any]:
    """Canonical settings. Requests follow the limits unless given (magnus' rule)."""
    out: dict[str, Any] = {}
    if src.docker_image:
        out["image"] = src.docker_image
    if src.image_pull_policy:
        out["image_pull_policy"] = src.image_pull_policy
    res: dict[str, dict] = {}
    for kind, limit, request in (("cpu", src.cpu_limit, src.cpu_request), ("memory", src.memory_limit, src.memory_request)):
        if limit is not None:
            res.setdefault("limits", {})[kind] = limit
        if request is not None or limit is not None:
            res.setdefault("requests", {})[kind] = request if request is not None else limit
    if res:
        out["resources"] = res
    env, _ = secret_entries(src.secrets_from_k8s)
    if env and not with_defaults:
        out["env"] = env
    return out
