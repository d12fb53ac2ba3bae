"""argo-kedro's own `argo.yml` (conf/base/argo.yml) as a configuration dialect.

Why its own dialect: a kedro team already has this file (`kedro argo init` writes it)
and argo-kedro reads it in every pod, so rcc must read the same file with the same
types argo-kedro 0.1.41 enforces (`argo_kedro/config/kedro_argo_config.py`): whole
numbers for `mem`, `cpu`, `num_gpu` and `emph_storage`, a template's `args` as one
string and its `command` as a list, outputs as `{name, path}`. Unlike argo-kedro, which
ignores unknown keys, rcc refuses them with a suggestion: a misspelt `machine_type`
silently ignored is a pod on the wrong machine.

The file is normalised into the same `Config` as every dialect (the argo-kedro keys
`extensions.py` defines), with argo-kedro's defaults: no step or workflow deadlines,
`imagePullPolicy: Always`, the image `deployment.image:deployment.tag`, and the kedro
runtime (see `compiler/backend/runtimes/kedro.py`).
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from compiler.config import Config
from compiler.diagnostics import Diagnostics
from compiler.frontend.config import extensions
from compiler.frontend.load import Located

DIALECT = "argo-kedro"
TOP_KEYS = ("namespace", "deployment", "runner", "machine_types", "default_machine_type", "template")


class Strict(BaseModel):
    """Unknown keys are errors; keys are snake_case only (argo-kedro reads no other spelling)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


BUILTIN_TEMPLATE = "kedro"
"""argo-kedro's own template name: `default_template: kedro` means no custom template."""


class KedroRunner(Strict):
    use_memory_datasets: bool = Field(False, description="argo-kedro: intermediate datasets of a fused group stay in memory (read in the pod).")


class KedroMachine(Strict):
    mem: int = Field(gt=0, description="Memory in GiB (requests = limits).")
    cpu: int = Field(gt=0, description="CPU cores (requests = limits).")
    num_gpu: int = Field(ge=0, description="NVIDIA GPUs (requests = limits); above 0 the pod tolerates the GPU taint.")
    emph_storage: int = Field(10, gt=0, description="GiB of ephemeral scratch volume, mounted at `template.emph_storage_mount_path`.")


class KedroDeployment(Strict):
    image: str = Field(description="The image every pod runs, without its tag.")
    tag: str = Field("latest", description="The image's tag.")
    target_platform: str = Field("linux/amd64", description="Used by `kedro argo submit` to build the image; rcc builds none.")
    context: str = Field("./", description="Docker build context (image build only).")
    dockerfile: str = Field("Dockerfile", description="Dockerfile (image build only).")


class KedroSecretRef(Strict):
    name: str = Field(description="The Kubernetes secret.")
    key: str = Field(description="The key inside the secret.")
    path: Optional[str] = Field(None, description="Volumes from secrets: the file name the key is written to.")


class KedroEnvRef(Strict):
    name: str = Field(description="The environment variable.")
    secret_ref: Optional[KedroSecretRef] = Field(None, description="Take the value from this secret key.")
    value: Optional[str] = Field(None, description="A literal value (when there is no secret_ref).")


class KedroOutputRef(Strict):
    name: str = Field(description="Output parameter; it reaches every later pod as the UPPER-cased environment variable.")
    path: str = Field(description="The file holding the value.")


class KedroOutputs(Strict):
    parameters: list[KedroOutputRef] = Field(default_factory=list, description="Values the template outputs.")


class KedroContainer(Strict):
    name: str = Field(description="The container's name (argo-kedro requires it; Argo names the main container `main`).")
    command: list[str] = Field(description="The command, as a list (e.g. `[\"/bin/sh\", \"-c\"]`).")
    env: list[KedroEnvRef] = Field(default_factory=list, description="Environment variables of this template's pods.")
    args: str = Field(description="The script, as ONE string (argo-kedro passes it as the command's single argument).")


class KedroVolumeMount(Strict):
    name: str = Field(description="One of the template's `volumes`.")
    mount_path: str = Field(description="Where the sidecar sees it.")
    read_only: bool = Field(True, description="Mounted read-only (argo-kedro's default).")


class KedroSidecar(Strict):
    name: str = Field(description="The sidecar container's name.")
    image: str = Field(description="The sidecar's image.")
    env: list[KedroEnvRef] = Field(default_factory=list, description="The sidecar's environment variables.")
    volume_mounts: list[KedroVolumeMount] = Field(default_factory=list, description="Template volumes the sidecar mounts.")


class KedroVolume(Strict):
    name: str = Field(description="The volume's name.")
    secret_ref: KedroSecretRef = Field(description="The secret key the volume holds (as the file `path`).")


class KedroTemplate(Strict):
    name: str = Field(description="The name a node's `template=` or `init_templates` uses.")
    container: KedroContainer = Field(description="What the pod runs instead of `kedro run`.")
    outputs: KedroOutputs = Field(default_factory=KedroOutputs, description="Output parameters (init templates).")
    sidecars: list[KedroSidecar] = Field(default_factory=list, description="Containers beside the main one.")
    volumes: list[KedroVolume] = Field(default_factory=list, description="Volumes from secrets, for the sidecars.")


class KedroTemplateSection(Strict):
    templates: list[KedroTemplate] = Field(default_factory=list, description="Custom and init templates.")
    environment: list[KedroEnvRef] = Field(default_factory=list, description="Environment variables of every pod, init pods included.")
    init_templates: list[str] = Field(default_factory=list, description="Templates run before the first node; their outputs reach every pod.")
    emph_storage_mount_path: str = Field("/data", description="Where each pod's scratch volume is mounted.")
    default_template: str = Field(BUILTIN_TEMPLATE, description="The template of nodes that name none (`kedro`: argo-kedro's own).")


class ArgoKedroFile(Strict):
    """argo-kedro's argo.yml, as argo-kedro 0.1.41 reads it."""

    namespace: str = Field(description="The namespace the workflow runs in.")
    deployment: KedroDeployment = Field(description="The image every pod runs.")
    runner: KedroRunner = Field(description="Settings of argo-kedro's runner inside the pods.")
    machine_types: dict[str, KedroMachine] = Field(description="Named machine shapes a node selects with `machine_type`.")
    default_machine_type: str = Field(description="The machine type of nodes that name none.")
    template: KedroTemplateSection = Field(default_factory=KedroTemplateSection, description="Custom templates, init templates, environment.")


def _env(entries: list[KedroEnvRef]) -> list[dict[str, Any]]:
    """argo-kedro's env entries in `Config`'s form (see `compiler.backend.settings.env`)."""
    return [{"name": e.name, "secret_name": e.secret_ref.name, "secret_key": e.secret_ref.key} if e.secret_ref
            else {"name": e.name, "value": e.value or ""} for e in entries]


def _k8s_env(entries: list[KedroEnvRef]) -> list[dict[str, Any]]:
    """Sidecars are written into the manifest as they are, so their env is in Kubernetes' form."""
    return [{"name": e.name, "valueFrom": {"secretKeyRef": {"name": e.secret_ref.name, "key": e.secret_ref.key}}}
            if e.secret_ref else {"name": e.name, "value": e.value or ""} for e in entries]


def _template(t: KedroTemplate) -> dict[str, Any]:
    """One template in the shape `Config.workflow["templates"]` holds for every dialect."""
    container: dict[str, Any] = {"command": list(t.container.command), "args": [t.container.args]}
    if t.container.env:
        container["env"] = _env(t.container.env)
    out: dict[str, Any] = {"name": t.name, "container": container}
    if t.sidecars:
        out["sidecars"] = [{
            "name": s.name, "image": s.image,
            **({"env": _k8s_env(s.env)} if s.env else {}),
            **({"volumeMounts": [{"name": m.name, "mountPath": m.mount_path, "readOnly": m.read_only}
                                 for m in s.volume_mounts]} if s.volume_mounts else {}),
        } for s in t.sidecars]
    if t.volumes:
        out["volumes"] = [{"name": v.name, "secret": {"secretName": v.secret_ref.name, "items": [
            {"key": v.secret_ref.key, "path": v.secret_ref.path or v.secret_ref.key}]}} for v in t.volumes]
    if t.outputs.parameters:
        out["outputs"] = {"parameters": [{"name": p.name, "path": p.path} for p in t.outputs.parameters]}
    return out


def normalise(parsed: ArgoKedroFile, doc: Located, diags: Diagnostics) -> Config:
    """The argo.yml as rcc's `Config`, with each reference checked at its own line."""
    from compiler.diagnostics import suggest

    section = parsed.template
    machines = sorted(parsed.machine_types)
    if parsed.default_machine_type not in parsed.machine_types:
        diags.error("RCC0226", f"default_machine_type `{parsed.default_machine_type}` is not one of the machine_types",
                    doc.span(("default_machine_type",)),
                    help=suggest(parsed.default_machine_type, machines, f"known machine types: {', '.join(machines)}"
                                 if machines else "define it under `machine_types`"))
    templates = {t.name: _template(t) for t in section.templates}
    names = sorted(templates)
    for i, name in enumerate(section.init_templates):
        if name not in templates:
            diags.error("RCC0227", f"init template `{name}` is not one of the `template.templates`",
                        doc.span(("template", "init_templates", i)),
                        help=suggest(name, names, "define it under `template.templates: [{name: ..., container: {...}}]`"))
    _check_outputs(section, doc, diags)
    raw = doc.data.get("template") or {}
    extensions.check_template_text(
        [(t.name, (raw.get("templates") or [])[i].get("container"), ("template", "templates", i, "container"))
         for i, t in enumerate(section.templates)], set(section.init_templates), doc, diags)
    defaults: dict[str, Any] = {"image": f"{parsed.deployment.image}:{parsed.deployment.tag}", "image_pull_policy": "Always"}
    if section.default_template != BUILTIN_TEMPLATE:
        if section.default_template in templates:
            defaults["template"] = section.default_template
        else:
            diags.error("RCC0227", f"default_template `{section.default_template}` is not one of the `template.templates`",
                        doc.span(("template", "default_template")),
                        help=suggest(section.default_template, names + [BUILTIN_TEMPLATE],
                                     f"write `{BUILTIN_TEMPLATE}` (argo-kedro's own template) or define it under "
                                     "`template.templates`"))
    wf: dict[str, Any] = {
        "generate_name": "workflow-", "namespace": parsed.namespace, "expose_parameters_as_inputs": True,
        "machine_types": {k: m.model_dump() for k, m in parsed.machine_types.items()},
        "default_machine_type": parsed.default_machine_type,
        "emph_storage_mount_path": section.emph_storage_mount_path,
    }
    if templates:
        wf["templates"] = templates
    if section.init_templates:
        wf["init_templates"] = list(section.init_templates)
    if section.environment:
        wf["environment"] = _env(section.environment)
    return Config(dialect=DIALECT, workflow=wf, defaults=defaults, overrides={}, span=doc.key_span((next(iter(doc.data)),)))


def _check_outputs(section: KedroTemplateSection, doc: Located, diags: Diagnostics) -> None:
    """Each init output becomes an UPPER-cased environment variable of every pod: two
    outputs with one upper-cased name would be two values under one variable."""
    chosen = set(section.init_templates)
    seen: dict[str, str] = {}
    for i, t in enumerate(section.templates):
        if t.name not in chosen:
            continue
        for j, p in enumerate(t.outputs.parameters):
            var = p.name.upper()
            if var in seen:
                diags.error("RCC0235", f"init template `{t.name}` outputs `{p.name}`, which reaches every pod as "
                            f"`{var}`, as an output of init template `{seen[var]}` already does",
                            doc.span(("template", "templates", i, "outputs", "parameters", j, "name")),
                            help="give each output a name of its own (the environment variable is the name upper-cased)")
            seen.setdefault(var, t.name)
