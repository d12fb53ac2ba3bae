"""Read a configuration file in any supported dialect and normalise it into `Config` (the package's heavy half).

Which dialect a file is in is decided by its top-level key: `pipeline-executor` is
runnable 0.50's; `executor` (or magnus' `mode`) with `docker_image` is magnus'; other
`executor` sections are runnable's documented dialect; a file with none of these and
argo-kedro's `deployment` (or `machine_types` with `default_machine_type`) is
argo-kedro's argo.yml (`argo_kedro.py`).
"""

from __future__ import annotations

import typing
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from compiler.config import BASE_DEFAULTS, DEFAULT_RESOURCES, Config, Volume
from compiler.diagnostics import Diagnostics, suggest
from compiler.frontend.config import argo_kedro, dialects, extensions, magnus
from compiler.frontend.config import documented as doc_dialect
from compiler.frontend.config import runnable050 as r050
from compiler.frontend.config.common import ServiceSection, service, service_claims
from compiler.frontend.errors import report_validation_error
from compiler.frontend.load import Located

SERVICE_KEYS = {
    "run_log_store": "run_log_store", "run-log-store": "run_log_store",
    "catalog": "catalog", "secrets": "secrets",
    "experiment_tracker": "experiment_tracker", "experiment-tracker": "experiment_tracker",
}


class _Executor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    type: typing.Literal["argo"] = Field(description="rcc compiles for Argo: the type must be `argo`.")
    config: dict[str, Any]


class DocumentedFile(BaseModel):
    """A configuration in runnable's documented dialect."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, populate_by_name=True)
    executor: "_DocExecutor" = Field(description="The Argo executor: `{type: argo, config: {image: ...}}`.")
    run_log_store: Optional[ServiceSection] = Field(None, validation_alias="run_log_store",
                                                    description="Where runnable keeps the run log.")
    catalog: Optional[ServiceSection] = Field(None, description="Where runnable keeps files passed between steps.")
    secrets: Optional[ServiceSection] = Field(None, description="Where runnable reads secrets.")
    experiment_tracker: Optional[ServiceSection] = Field(None, description="Where runnable records metrics.")


class _DocExecutor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    type: typing.Literal["argo"] = Field(description="rcc compiles for Argo: the type must be `argo`.")
    config: doc_dialect.DocumentedArgoConfig = Field(description="The Argo executor's settings.")


class _R050Executor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    type: typing.Literal["argo"] = Field(description="rcc compiles for Argo: the type must be `argo`.")
    config: r050.Argo050Config = Field(description="The Argo executor's settings.")


class Runnable050File(BaseModel):
    """A configuration in runnable 0.50's dialect."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, populate_by_name=True)
    pipeline_executor: _R050Executor = Field(
        alias="pipeline-executor", description="The Argo executor: `{type: argo, config: {defaults: {image: ...}, ...}}`.")
    run_log_store: Optional[ServiceSection] = Field(None, alias="run-log-store", description="Where runnable keeps the run log.")
    catalog: Optional[ServiceSection] = Field(None, description="Where runnable keeps files passed between steps.")
    secrets: Optional[ServiceSection] = Field(None, alias="secret", description="Where runnable reads secrets.")
    experiment_tracker: Optional[ServiceSection] = Field(None, alias="experiment-tracker",
                                                         description="Where runnable records metrics.")


class _MagnusExecutor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    type: typing.Literal["argo"] = Field(description="rcc compiles for Argo: the type must be `argo`.")
    config: magnus.MagnusArgoConfig = Field(description="magnus' Argo extension settings.")


class MagnusFile(BaseModel):
    """A configuration in magnus' dialect (`executor:` or `mode:`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    executor: Optional[_MagnusExecutor] = Field(None, description="The Argo executor: `{type: argo, config: {docker_image: ...}}`.")
    mode: Optional[_MagnusExecutor] = Field(None, description="magnus' older name for `executor`.")
    run_log_store: Optional[ServiceSection] = Field(None, description="Where magnus keeps the run log.")
    catalog: Optional[ServiceSection] = Field(None, description="Where magnus keeps files passed between steps.")
    secrets: Optional[ServiceSection] = Field(None, description="Where magnus reads secrets.")
    experiment_tracker: Optional[ServiceSection] = Field(None, description="Where magnus records metrics.")


ArgoKedroFile = argo_kedro.ArgoKedroFile
"""argo-kedro's argo.yml: published in `rcc schema config` beside the other dialects."""

# Models build lazily (defer_build): a run pays only for the dialect it reads.


def default_config() -> Config:
    """No configuration file: runnable's documented defaults, with no image yet."""
    return Config(dialect="none", workflow=_doc_workflow(None), defaults=dict(_BASE_DEFAULTS), overrides={})


_BASE_DEFAULTS = BASE_DEFAULTS


def parse_config(doc: Located, diags: Diagnostics) -> Config | None:
    dialect, section = dialects.detect(doc.data)
    if dialect is None and dialects.is_argo_kedro(doc.data):
        parsed = _validate(argo_kedro.ArgoKedroFile, doc, diags)
        return None if parsed is None else argo_kedro.normalise(parsed, doc, diags)
    if dialect is not None:
        dialects.check_mixed(doc, diags, section)
        data = dialects.strip_foreign(doc, diags, dialect, section)
        if dialect == "runnable-0.50":
            config = _parse_050(doc, diags, data)
        elif dialect == "magnus":
            config = _parse_magnus(doc, diags, data, section)
        else:
            config = _parse_documented(doc, diags, data)
        if config is not None:
            _check_mount_paths(config, diags)
        return config
    keys = list(doc.data)
    diags.error("RCC0214", "the configuration has no executor section", doc.key_span((keys[0],)) if keys else doc.span(()),
                help=suggest(keys[0] if keys else "", ["executor", "pipeline-executor", "deployment"],
                             "start it with `pipeline-executor: {type: argo, config: {defaults: {image: ...}, ...}}` "
                             "(runnable 0.50), `executor: {type: argo, config: {image: ...}}`, or write argo-kedro's "
                             "argo.yml (`deployment: {image: ...}`, `machine_types`, ...)"))
    return None


def _parse_magnus(doc: Located, diags: Diagnostics, data: dict, section: str) -> Config | None:
    parsed = _validate(MagnusFile, doc, diags, data)
    if parsed is None:
        return None
    if parsed.executor is None and parsed.mode is None:
        diags.error("RCC0214", f"the `{section}` section is empty", doc.key_span((section,)),
                    help="write `{type: argo, config: {docker_image: ...}}` under it")
        return None
    cfg = (parsed.executor or parsed.mode).config
    base = (section, "config")
    env, bad = magnus.secret_entries(cfg.secrets_from_k8s)
    for pos in bad:
        diags.error("RCC0228", "a `secrets_from_k8s` entry is not in the form `EnvVar=SecretName:Key`",
                    doc.span(base + ("secrets_from_k8s", pos)), help="e.g. `TOKEN=api-secrets:token`")
    defaults = dict(_BASE_DEFAULTS)
    defaults.pop("timeout")
    defaults.update(magnus.step_settings(cfg, with_defaults=True))
    wf: dict[str, Any] = {
        "generate_name": "magnus-dag-", "pod_gc": {"strategy": "OnPodCompletion"}, "active_deadline_seconds": 86400,
        "expose_parameters_as_inputs": True, "log_level": "WARNING", "output_file": cfg.output_file,
        "secrets_from_k8s": env, "enable_caching": cfg.enable_caching,
    }
    if isinstance(cfg.secrets_from_k8s, list) and cfg.secrets_from_k8s:
        wf["secrets_listed"] = True  # magnus 0.4's model wants a mapping (its runtime refuses a list)
    wf.update(extensions.workflow_keys(cfg, doc, base, diags))
    run_log_store = service(doc, parsed.run_log_store, ("run_log_store",))
    catalog = service(doc, parsed.catalog, ("catalog",))
    # magnus-extensions names the volumes after the service that needs them.
    volumes = tuple(Volume(name.replace("_", "-"), claim, mount)
                    for name, claim, mount in service_claims(run_log_store, catalog))
    return Config(
        dialect="magnus", workflow=wf, defaults=defaults, overrides={}, volumes=volumes,
        run_log_store=run_log_store, catalog=catalog,
        secrets=service(doc, parsed.secrets, ("secrets",)),
        span=doc.key_span((section,)),
        section=section, executor_keys=_written_keys(doc, base),
    )


def _validate(model: type[BaseModel], doc: Located, diags: Diagnostics, data: Any = None) -> Any:
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        report_validation_error(exc, doc, diags, lambda p: model_at(model, doc.data, p), code_prefix="RCC02")
        return None


def _parse_documented(doc: Located, diags: Diagnostics, data: dict | None = None) -> Config | None:
    parsed = _validate(DocumentedFile, doc, diags, data)
    if parsed is None:
        return None
    cfg = parsed.executor.config
    defaults = dict(_BASE_DEFAULTS)
    defaults.update(doc_dialect.step_settings(cfg))
    defaults.setdefault("resources", DEFAULT_RESOURCES)
    overrides, spans = {}, {}
    for name, raw in cfg.overrides.items():
        path = ("executor", "config", "overrides", name)
        spans[name] = doc.key_span(path)
        bad = [k for k in raw if k in ("name", "pod_gc", "annotations", "labels", "service_account_name",
                                        "max_workflow_duration_in_seconds")]
        for k in bad:
            diags.error("RCC0501", f"override `{name}` sets `{k}`, which applies to the whole workflow and cannot be set per step",
                        doc.key_span(path + (k,)), help=f"move `{k}` to `executor.config`")
        rest = {k: v for k, v in raw.items() if k not in bad}
        try:
            ov = doc_dialect.StepOverride.model_validate(rest)
        except ValidationError as exc:
            report_validation_error(exc, _sub(doc, path), diags,
                                    lambda p: model_at(doc_dialect.StepOverride, rest, p), code_prefix="RCC02")
            continue
        overrides[name] = doc_dialect.step_settings(ov)
    run_log_store = service(doc, parsed.run_log_store, ("run_log_store",))
    catalog = service(doc, parsed.catalog, ("catalog",))
    # runnable's Argo integrations append a k8s-pvc service's claim to persistent_volumes.
    claims = [(v.name, v.mount_path) for v in cfg.persistent_volumes]
    claims += [(claim, mount) for _, claim, mount in service_claims(run_log_store, catalog)]
    volumes = tuple(Volume(f"executor-{i}", claim, mount) for i, (claim, mount) in enumerate(claims))
    workflow = _doc_workflow(cfg)
    workflow.update(extensions.workflow_keys(cfg, doc, ("executor", "config"), diags))
    return Config(
        dialect="documented", workflow=workflow, defaults=defaults, overrides=overrides,
        override_spans=spans, volumes=volumes, run_log_store=run_log_store, catalog=catalog,
        secrets=service(doc, parsed.secrets, ("secrets",)),
        span=doc.key_span(("executor",)),
        executor_keys=_written_keys(doc, ("executor", "config")),
    )


def _doc_workflow(cfg: Any) -> dict[str, Any]:
    if cfg is None:
        return {"generate_name": "runnable-dag-", "pod_gc": {"strategy": "OnPodCompletion"},
                "active_deadline_seconds": 86400, "expose_parameters_as_inputs": True, "log_level": "WARNING"}
    wf: dict[str, Any] = {
        "generate_name": cfg.name,
        "namespace": cfg.namespace,
        "annotations": dict(cfg.annotations),
        "labels": dict(cfg.labels),
        "pod_gc": {"strategy": cfg.pod_gc} if cfg.pod_gc else None,
        "service_account_name": cfg.service_account_name,
        "active_deadline_seconds": cfg.max_workflow_duration_in_seconds,
        "parallelism": cfg.parallelism,
        "expose_parameters_as_inputs": cfg.expose_parameters_as_inputs,
        "secrets_from_k8s": [
            {"name": s.environment_variable, "secret_name": s.secret_name, "secret_key": s.secret_key}
            for s in cfg.secrets_from_k8s
        ],
        "output_file": cfg.output_file,
        "log_level": "WARNING",
    }
    return {k: v for k, v in wf.items() if v is not None}


def _parse_050(doc: Located, diags: Diagnostics, data: dict | None = None) -> Config | None:
    parsed = _validate(Runnable050File, doc, diags, data)
    if parsed is None:
        return None
    cfg = parsed.pipeline_executor.config
    defaults = dict(_BASE_DEFAULTS)
    defaults["image_pull_policy"] = "Always"  # runnable 0.50's default
    defaults["active_deadline_seconds"] = 86400
    defaults.pop("timeout")
    defaults.update(r050.step_settings(cfg.defaults))
    overrides = {name: r050.step_settings(ov) for name, ov in cfg.overrides.items()}
    spans = {name: doc.key_span(("pipeline-executor", "config", "overrides", name)) for name in cfg.overrides}
    meta, spec = cfg.argo_workflow.metadata, cfg.argo_workflow.spec
    wf: dict[str, Any] = {
        "generate_name": meta.generate_name,
        "namespace": meta.namespace,
        "annotations": dict(meta.annotations or {}),
        "labels": dict(meta.labels),
        "pod_gc": spec.pod_gc.model_dump(exclude_none=True) if spec.pod_gc else None,
        "service_account_name": spec.service_account_name,
        "active_deadline_seconds": spec.active_deadline_seconds,
        "parallelism": spec.parallelism,
        "node_selector": dict(spec.node_selector) if spec.node_selector else None,
        "tolerations": [t.model_dump(exclude_none=True) for t in spec.tolerations] if spec.tolerations else None,
        "retry_strategy": spec.retry_strategy.model_dump(exclude_none=True) if spec.retry_strategy else None,
        "expose_parameters_as_inputs": cfg.expose_parameters_as_inputs,
        "secret_from_k8s": cfg.secret_from_k8s,
        "output_file": cfg.output_file,
        "log_level": cfg.log_level,
        "cron_schedule": cfg.cron_schedule.model_dump(exclude_none=True) if cfg.cron_schedule else None,
    }
    wf.update(extensions.workflow_keys(cfg, doc, ("pipeline-executor", "config"), diags))
    volumes = []
    if cfg.pvc_for_runnable:
        volumes.append(Volume("runnable", cfg.pvc_for_runnable, "/tmp"))
    for i, v in enumerate(cfg.custom_volumes):
        volumes.append(Volume(f"custom-volume-{i}", v.persistent_volume_claim.claim_name, v.mount_path,
                              v.persistent_volume_claim.read_only))
    return Config(
        dialect="runnable-0.50", workflow={k: v for k, v in wf.items() if v is not None}, defaults=defaults,
        overrides=overrides, override_spans=spans, volumes=tuple(volumes),
        run_log_store=service(doc, parsed.run_log_store, ("run-log-store",)),
        catalog=service(doc, parsed.catalog, ("catalog",)),
        secrets=service(doc, parsed.secrets, ("secret",)),
        span=doc.key_span(("pipeline-executor",)),
    )


def _written_keys(doc: Located, path: tuple) -> dict[str, Any]:
    """The keys of the mapping at `path` as the file writes them, each with its span."""
    node = doc.data
    for p in path:
        node = node.get(p) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        return {}
    return {str(k): doc.key_span(path + (k,)) for k in node}


def _sub(doc: Located, prefix: tuple) -> Located:
    """A view of `doc` rooted at `prefix`, so nested validation errors keep their spans."""
    node = doc.data
    for p in prefix:
        node = node[p]
    n = len(prefix)
    view = Located(doc.file, doc.text, node)
    view.spans = {p[n:]: s for p, s in doc.spans.items() if p[:n] == prefix}
    view.key_spans = {p[n:]: s for p, s in doc.key_spans.items() if p[:n] == prefix}
    return view


def model_at(model: type[BaseModel], data: Any, path: tuple) -> type[BaseModel] | None:
    """The model describing the mapping at `path`, found by following field annotations."""
    cur: Any = model
    for elem in path:
        if not (isinstance(cur, type) and issubclass(cur, BaseModel)):
            if isinstance(elem, int) or isinstance(cur, dict):
                continue
            return None
        field = None
        for name, f in cur.model_fields.items():
            if elem in (name, f.alias, f.validation_alias) or (
                cur.model_config.get("alias_generator") and cur.model_config["alias_generator"](name) == elem):
                field = f
                break
        if field is None:
            return None
        cur = _inner_model(field.annotation)
    return cur if isinstance(cur, type) and issubclass(cur, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """Unwrap Optional[...], list[...], dict[str, ...] down to a model class if there is one."""
    todo = [annotation]
    while todo:
        a = todo.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
        todo.extend(typing.get_args(a))
    return None


def _check_mount_paths(config: Config, diags: Diagnostics) -> None:
    """Two volumes at one path is a pod Kubernetes refuses: say so here, not in the manifest."""
    paths: list[str] = []
    for v in config.volumes:
        if v.name == "runnable" and config.dialect == "runnable-0.50":
            paths += ["/tmp/run_logs", "/tmp/catalog"]  # where emit mounts runnable's claim
        else:
            paths.append(v.mount_path)
    paths += [d["path"] for d in config.workflow.get("shared_directory") or ()]
    seen: set[str] = set()
    for path in paths:
        normal = path.rstrip("/") or "/"
        if normal in seen:
            diags.error("RCC0236", f"two volumes are mounted at `{path}`", config.span,
                        help="give each volume (persistent_volumes, custom_volumes, pvc_for_runnable, "
                             "shared_directory) its own mount path")
        seen.add(normal)
