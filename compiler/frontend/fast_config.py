"""A pydantic-free fast path for the common configuration: plainly valid runnable 0.50.

Why: in a pre-commit hook `rcc check` is mostly start-up, and the configuration models
cost it about 0.1 s (creating the model classes, then building their validators on first
use) on every run. Most repositories hold a short runnable 0.50 configuration: an image,
a claim, a generateName, a run-log store. For exactly those, this module produces the
same `Config` the models would (tests/perf/test_fast_config.py proves it on every
configuration in examples/ and golden/ and on mutations of them). Anything it does not
recognise, to the letter, it declines (returns None) and the models decide, with their
diagnostics: a wrong configuration never takes this path.
"""

from __future__ import annotations

from typing import Any

from compiler.config import BASE_DEFAULTS, Config, Service, Volume
from compiler.frontend.load import Located

SECTION = "pipeline-executor"
_SERVICES = {"run-log-store": "run_log_store", "catalog": "catalog", "secret": "secrets", "experiment-tracker": None}
_CONFIG_KEYS = {
    "pvc_for_runnable": "pvc_for_runnable", "pvcForRunnable": "pvc_for_runnable",
    "expose_parameters_as_inputs": "expose_parameters_as_inputs",
    "exposeParametersAsInputs": "expose_parameters_as_inputs",
    "output_file": "output_file", "outputFile": "output_file",
    "log_level": "log_level", "logLevel": "log_level",
    "secret_from_k8s": "secret_from_k8s", "secretFromK8s": "secret_from_k8s",
    "defaults": "defaults",
    "argo_workflow": "argo_workflow", "argoWorkflow": "argo_workflow",
}
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_META_KEYS = {"generate_name": "generate_name", "generateName": "generate_name", "labels": "labels",
              "annotations": "annotations", "namespace": "namespace"}
_SPEC_KEYS = {"service_account_name": "service_account_name", "serviceAccountName": "service_account_name",
              "parallelism": "parallelism",
              "active_deadline_seconds": "active_deadline_seconds", "activeDeadlineSeconds": "active_deadline_seconds"}


class _Decline(Exception):
    """The configuration is not one this path knows to the letter: let the models decide."""


def parse_config_fast(doc: Located) -> Config | None:
    try:
        return _parse(doc)
    except _Decline:
        return None


def _need(ok: bool) -> None:
    if not ok:
        raise _Decline()


def _keys(mapping: Any, names: dict[str, str]) -> dict[str, Any]:
    """The mapping with its keys normalised; declines unknown keys and a key given twice."""
    _need(isinstance(mapping, dict))
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        _need(key in names and names[key] not in out)
        out[names[key]] = value
    return out


def _text(value: Any) -> str:
    _need(isinstance(value, str))
    return value


def _positive(value: Any) -> int:
    _need(isinstance(value, int) and not isinstance(value, bool) and value >= 1)
    return value


def _strings(value: Any) -> dict[str, str]:
    _need(isinstance(value, dict) and all(isinstance(v, str) for v in value.values()))
    return dict(value)


def _parse(doc: Located) -> Config:
    data = doc.data
    _need(isinstance(data, dict) and SECTION in data)
    _need(all(k == SECTION or k in _SERVICES for k in data))
    executor = data[SECTION]
    _need(isinstance(executor, dict) and set(executor) == {"type", "config"} and executor["type"] == "argo")
    cfg = _keys(executor["config"], _CONFIG_KEYS)
    _need("defaults" in cfg and "argo_workflow" in cfg)
    defaults = _defaults(cfg["defaults"])
    workflow = _workflow(cfg)
    volumes: tuple[Volume, ...] = ()
    if cfg.get("pvc_for_runnable") not in (None, ""):  # runnable mounts the claim only when it is named
        volumes = (Volume("runnable", _text(cfg["pvc_for_runnable"]), "/tmp"),)
    services: dict[str, Service | None] = {"run_log_store": None, "catalog": None, "secrets": None}
    for key, field in _SERVICES.items():
        if key in data:
            service = _service(doc, data[key], key)
            if field is not None:
                services[field] = service
    return Config(
        dialect="runnable-0.50", workflow=workflow, defaults=defaults, overrides={}, override_spans={},
        volumes=volumes, span=doc.key_span((SECTION,)), **services,
    )


def _defaults(raw: Any) -> dict[str, Any]:
    d = _keys(raw, {"image": "image", "image_pull_policy": "image_pull_policy",
                    "imagePullPolicy": "image_pull_policy"})
    _need("image" in d)
    out = dict(BASE_DEFAULTS)
    out.pop("timeout")
    out["image_pull_policy"] = "Always"  # runnable 0.50's default
    out["active_deadline_seconds"] = 86400
    out["image"] = _text(d["image"])
    if "image_pull_policy" in d:
        _need(d["image_pull_policy"] in _PULL_POLICIES)
        out["image_pull_policy"] = d["image_pull_policy"]
    return out


def _workflow(cfg: dict[str, Any]) -> dict[str, Any]:
    argo = _keys(cfg["argo_workflow"], {"metadata": "metadata", "spec": "spec"})
    _need("metadata" in argo)
    meta = _keys(argo["metadata"], _META_KEYS)
    spec = _keys(argo["spec"], _SPEC_KEYS) if "spec" in argo else {}
    _need("generate_name" in meta)
    log_level = cfg.get("log_level", "INFO")
    _need(log_level in _LOG_LEVELS)
    expose = cfg.get("expose_parameters_as_inputs", True)
    _need(isinstance(expose, bool))
    wf: dict[str, Any] = {
        "generate_name": _text(meta["generate_name"]),
        "namespace": _text(meta["namespace"]) if meta.get("namespace") is not None else None,
        "annotations": _strings(meta.get("annotations") or {}),
        "labels": _strings(meta["labels"]) if "labels" in meta else {},
        "service_account_name": _text(spec["service_account_name"]) if spec.get("service_account_name") is not None else None,
        "active_deadline_seconds": _positive(spec.get("active_deadline_seconds", 86400)),
        "parallelism": _positive(spec["parallelism"]) if spec.get("parallelism") is not None else None,
        "expose_parameters_as_inputs": expose,
        "secret_from_k8s": _text(cfg["secret_from_k8s"]) if cfg.get("secret_from_k8s") is not None else None,
        "output_file": _text(cfg.get("output_file", "argo-pipeline.yaml")),
        "log_level": log_level,
    }
    return {k: v for k, v in wf.items() if v is not None}


def _service(doc: Located, raw: Any, key: str) -> Service:
    section = _keys(raw, {"type": "type", "config": "config"})
    _need("type" in section and isinstance(section.get("config", {}), dict))
    return Service(_text(section["type"]), dict(section.get("config") or {}), doc.span((key, "type")))
