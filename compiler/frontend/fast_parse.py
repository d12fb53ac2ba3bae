"""A pydantic-free fast path for the common case: a pipeline that is plainly valid.

Why: importing and building the pydantic surface models costs tens of milliseconds on
every `rcc check` in a pre-commit hook, and validating plus dumping a model per step is
the largest per-step cost of the frontend. Most pipelines use plain strings, lists and
mappings exactly as the models declare them; for those this module produces exactly what
`pipeline_model.Pipeline.model_validate(data).model_dump()` would (same keys, same order,
defaults filled), without pydantic.

The rule that keeps it safe: it answers only when it is *sure*. Anything it does not
recognise exactly (a wrong type, an unknown key, a stub with extra keys, a float that is
not finite, a missing field) returns None, and the caller falls back to pydantic, which
reports the diagnostics. It never reports an error itself, so the models stay the single
source of truth for what is valid; tests/perf/test_fast_parse.py proves the two agree.
"""

from __future__ import annotations

import math
from typing import Any, Callable

class _NotSure(Exception):
    """The input is outside what the fast path recognises: let pydantic decide."""


def _str(v: Any) -> str:
    if type(v) is not str:
        raise _NotSure
    return v


def _opt_str(v: Any) -> str | None:
    return None if v is None else _str(v)


def _str_map(v: Any) -> dict[str, str]:
    if type(v) is not dict:
        raise _NotSure
    return {_str(k): _str(x) for k, x in v.items()}


def _opt_str_map(v: Any) -> dict[str, str] | None:
    return None if v is None else _str_map(v)


def _plain(v: Any) -> Any:
    """A fresh copy of loaded data (what pydantic's dump of an `Any` value gives)."""
    t = type(v)
    if t is dict:
        return {_str(k): _plain(x) for k, x in v.items()}
    if t is list:
        return [_plain(x) for x in v]
    if t is float and not math.isfinite(v):
        raise _NotSure  # pydantic's json-mode dump turns inf/nan into null: not the same data
    if v is None or t in (str, int, float, bool):
        return v
    raise _NotSure


def _opt_dict(v: Any) -> dict | None:
    if v is None:
        return None
    if type(v) is not dict:
        raise _NotSure
    return _plain(v)


def _opt_dict_of_dicts(v: Any) -> dict | None:
    if v is None:
        return None
    if type(v) is not dict or any(type(x) is not dict for x in v.values()):
        raise _NotSure
    return _plain(v)


def _str_list(v: Any) -> list[str]:
    if type(v) is not list:
        raise _NotSure
    return [_str(x) for x in v]


def _returns(v: Any) -> list[dict]:
    if type(v) is not list:
        raise _NotSure
    out = []
    for item in v:
        if type(item) is not dict or not set(item) <= {"name", "kind"} or "name" not in item:
            raise _NotSure
        kind = item.get("kind", "json")
        if kind not in ("json", "object", "metric") or type(kind) is not str:
            raise _NotSure
        out.append({"name": _str(item["name"]), "kind": kind})
    return out


def _catalog(v: Any) -> dict | None:
    if v is None:
        return None
    if type(v) is not dict or not set(v) <= {"get", "put", "store_copy"}:
        raise _NotSure
    store_copy = v.get("store_copy", True)
    if type(store_copy) is not bool:
        raise _NotSure
    return {"get": _str_list(v.get("get", [])), "put": _str_list(v.get("put", [])), "store_copy": store_copy}


def _attempts(v: Any) -> int:
    if type(v) is not int or v < 1:
        raise _NotSure
    return v


def _literal(*allowed: str) -> Callable[[Any], str]:
    def check(v: Any) -> str:
        if type(v) is not str or v not in allowed:
            raise _NotSure
        return v
    return check


_REQUIRED = object()

# (field, check, default) in the models' field order (a parent's fields before its own).
Field = tuple[str, Callable[[Any], Any], Any]
_STEP: list[Field] = [
    ("next", _str, _REQUIRED), ("on_failure", _opt_str, None), ("overrides", _str_map, {}),
    ("mode_config", _opt_dict_of_dicts, None), ("machine_type", _opt_str, None), ("template", _opt_str, None),
    ("image", _opt_str, None), ("env", _opt_str_map, None), ("description", _opt_str, None),
]


def _graph_field(v: Any) -> dict:
    return _graph(v)


def _opt_graph(v: Any) -> dict | None:
    return None if v is None else _graph(v)


def _graphs(v: Any) -> dict[str, dict]:
    if type(v) is not dict:
        raise _NotSure
    return {_str(k): _graph(g) for k, g in v.items()}


_MODELS: dict[str, list[Field]] = {
    "task": _STEP + [("type", _literal("task"), _REQUIRED),
                     ("command_type", _literal("python", "shell", "notebook", "kedro"), "python"),
                     ("command", _str, _REQUIRED), ("returns", _returns, []), ("secrets", _str_list, []),
                     ("catalog", _catalog, None), ("max_attempts", _attempts, 1),
                     ("optional_ploomber_args", _opt_dict, None)],
    "stub": _STEP + [("type", _literal("stub"), _REQUIRED), ("catalog", _catalog, None), ("max_attempts", _attempts, 1)],
    "parallel": _STEP + [("type", _literal("parallel"), _REQUIRED), ("branches", _graphs, _REQUIRED)],
    "map": _STEP + [("type", _literal("map"), _REQUIRED), ("iterate_on", _str, _REQUIRED),
                    ("iterate_as", _str, _REQUIRED), ("branch", _graph_field, _REQUIRED), ("reducer", _opt_str, None)],
    "conditional": _STEP + [("type", _literal("conditional"), _REQUIRED), ("parameter", _str, _REQUIRED),
                            ("branches", _graphs, _REQUIRED), ("default", _opt_graph, None)],
    "fused": _STEP + [("type", _literal("fused"), _REQUIRED), ("branch", _graph_field, _REQUIRED),
                      ("command", _opt_str, None)],
    "success": [("type", _literal("success"), _REQUIRED), ("description", _opt_str, None)],
    "fail": [("type", _literal("fail"), _REQUIRED), ("description", _opt_str, None)],
}
_NAMES = {kind: frozenset(f[0] for f in fields) for kind, fields in _MODELS.items()}
_GRAPH_KEYS = frozenset({"description", "start_at", "steps"})


def _fields(data: Any, fields: list[Field], names: frozenset) -> dict[str, Any]:
    if not names.issuperset(data):
        raise _NotSure  # an unknown key (or stub extras): pydantic reports or keeps it
    out: dict[str, Any] = {}
    for name, check, default in fields:
        if name in data:
            out[name] = check(data[name])
        elif default is _REQUIRED:
            raise _NotSure
        else:
            out[name] = default.copy() if type(default) in (list, dict) else default
    return out


def _graph(data: Any) -> dict[str, Any]:
    if type(data) is not dict or not _GRAPH_KEYS.issuperset(data) or "start_at" not in data or "steps" not in data:
        raise _NotSure
    steps = data["steps"]
    if type(steps) is not dict:
        raise _NotSure
    out_steps: dict[str, Any] = {}
    for name, step in steps.items():
        if type(step) is not dict:
            raise _NotSure
        kind = step.get("type")
        fields = _MODELS.get(kind) if type(kind) is str else None
        if fields is None:
            raise _NotSure
        out_steps[_str(name)] = _fields(step, fields, _NAMES[kind])
    return {"description": _opt_str(data.get("description")), "start_at": _str(data["start_at"]), "steps": out_steps}


def surface_dump(data: Any) -> dict[str, Any] | None:
    """`Pipeline.model_validate(data).model_dump()` when `data` is plainly valid, else None."""
    if type(data) is not dict or set(data) != {"dag"}:
        return None
    try:
        return {"dag": _graph(data["dag"])}
    except (_NotSure, RecursionError):
        return None
