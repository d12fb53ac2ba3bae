"""Canonical step settings → the Argo/Kubernetes fields of a template and its container."""

from __future__ import annotations

from typing import Any, Mapping


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def quantity(value: Any) -> str:
    """Kubernetes quantities are strings in Argo's schema (`2`, not 2)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def resources(res: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not res:
        return None
    out: dict[str, Any] = {}
    for part in ("limits", "requests"):
        if res.get(part):
            out[part] = {k: quantity(v) for k, v in res[part].items()}
    return out or None


def retry_strategy(rs: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Argo's field names: `retryPolicy`, `backoff` (runnable emits the invalid `backOff`)."""
    if not rs:
        return None
    out: dict[str, Any] = {}
    if rs.get("limit") is not None:
        out["limit"] = str(rs["limit"])
    if rs.get("retry_policy"):
        out["retryPolicy"] = rs["retry_policy"]
    backoff = rs.get("backoff")
    if backoff:
        b: dict[str, Any] = {}
        if backoff.get("duration") is not None:
            b["duration"] = str(backoff["duration"])
        if backoff.get("factor") is not None:
            f = backoff["factor"]
            b["factor"] = str(int(f) if isinstance(f, float) and f.is_integer() else f)
        if backoff.get("max_duration") is not None:
            b["maxDuration"] = str(backoff["max_duration"])
        out["backoff"] = b
    return out or None


def tolerations(tols: list[Mapping[str, Any]] | None) -> list[dict[str, Any]] | None:
    if not tols:
        return None
    return [{_camel(k): v for k, v in t.items()} for t in tols]


def env(entries: list[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for e in entries or ():
        if e.get("secret_name"):
            out.append({"name": e["name"], "valueFrom": {"secretKeyRef": {"name": e["secret_name"], "key": e["secret_key"]}}})
        else:
            out.append({"name": e["name"], "value": str(e.get("value", ""))})
    return out


def string_map(m: Mapping[str, Any] | None) -> dict[str, str] | None:
    if not m:
        return None
    return {str(k): str(v) for k, v in m.items()}
