"""parse: a located pipeline tree → the surface models, or diagnostics at each mistake."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from compiler.diagnostics import Diagnostics, did_you_mean
from compiler.frontend.load import Located

if TYPE_CHECKING:  # pydantic and the models load only when the fast path cannot answer
    from pydantic import BaseModel

    from compiler.frontend import pipeline_model as pm

_FORBIDDEN_IN_NAMES = (".", "%")


def model_at(data: Any, path: tuple) -> "type[BaseModel] | None":
    """Which surface model describes the mapping at `path` (for key suggestions)."""
    from compiler.frontend import pipeline_model as pm

    model: type[BaseModel] | None = pm.Pipeline
    cur = data
    i = 0
    while i < len(path):
        elem = path[i]
        if not isinstance(cur, dict) or elem not in cur:
            return None
        cur = cur[elem]
        if model is pm.Pipeline and elem == "dag":
            model = pm.Graph
        elif model is pm.Graph and elem == "steps":
            if i + 1 >= len(path) or not isinstance(cur, dict) or path[i + 1] not in cur:
                return None
            i += 1
            cur = cur[path[i]]
            model = pm.STEP_MODELS.get(cur.get("type")) if isinstance(cur, dict) else None
        elif elem in ("branches",):
            if i + 1 >= len(path) or not isinstance(cur, dict) or path[i + 1] not in cur:
                return None
            i += 1
            cur = cur[path[i]]
            model = pm.Graph
        elif elem in ("branch", "default"):
            model = pm.Graph
        elif elem == "catalog":
            model = pm.Catalog
        elif elem == "returns":
            i += 1
            model = pm.Return
            if i < len(path) and isinstance(cur, list) and isinstance(path[i], int) and path[i] < len(cur):
                cur = cur[path[i]]
        else:
            return None
        i += 1
    return model


def parse_pipeline_data(doc: Located, diags: Diagnostics) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The validated pipeline as (`Pipeline.model_dump()`, its json-mode dump), or None after diagnostics.

    A plainly valid pipeline takes the pydantic-free fast path (`fast_parse`, whose data
    holds no non-finite float, so both dumps are the same data); anything else is
    validated by the models, which report every error.
    """
    from compiler.frontend.fast_parse import surface_dump

    _check_step_names(doc, doc.data.get("dag"), ("dag",), diags)
    data = _read_part(doc, diags)
    if data is None:
        return None
    if not diags.has_errors:
        fast = surface_dump(data)
        if fast is not None:
            return fast, fast
    pipeline = _validate(doc, diags, data)
    return None if pipeline is None else (pipeline.model_dump(), pipeline.model_dump(mode="json"))


def parse_pipeline(doc: Located, diags: Diagnostics) -> "pm.Pipeline | None":
    _check_step_names(doc, doc.data.get("dag"), ("dag",), diags)
    data = _read_part(doc, diags)
    return None if data is None else _validate(doc, diags, data)


def _read_part(doc: Located, diags: Diagnostics) -> Any:
    """The part of the file runnable reads: `dag` alone (runnable 0.50 ignores every other
    top-level key, which pipelines use to hold YAML anchors such as `branch: &branch`).

    Without `dag`, a key that is a near miss of it is the misspelling, reported at that key;
    anything else goes to the models, which report the missing `dag`.
    """
    data = doc.data
    if not isinstance(data, dict) or "dag" in data:
        return {"dag": data["dag"]} if isinstance(data, dict) else data
    near = [k for k in data if isinstance(k, str) and did_you_mean(k, ("dag",))]
    for key in near:
        diags.error("RCC0101", f"unknown key `{key}` in the file", doc.key_span((key,)),
                    help="did you mean `dag`? runnable reads the pipeline from `dag` and ignores other top-level keys")
    return None if near else {}


def _validate(doc: Located, diags: Diagnostics, data: Any) -> "pm.Pipeline | None":
    from pydantic import ValidationError

    from compiler.frontend import pipeline_model as pm
    from compiler.frontend.errors import report_validation_error

    try:
        pipeline = pm.Pipeline.model_validate(data)
    except ValidationError as exc:
        report_validation_error(exc, doc, diags, lambda p: model_at(doc.data, p))
        return None
    return pipeline


def _check_step_names(doc: Located, graph: Any, path: tuple, diags: Diagnostics) -> None:
    """Names runnable cannot address: `.` and `%` are its separators in qualified names."""
    if not isinstance(graph, dict) or not isinstance(graph.get("steps"), dict):
        return
    for name, step in graph["steps"].items():
        step_path = path + ("steps", name)
        bad = [c for c in _FORBIDDEN_IN_NAMES if c in str(name)]
        if bad:
            fixed = str(name)
            for c in _FORBIDDEN_IN_NAMES:
                fixed = fixed.replace(c, "_")
            diags.error("RCC0110", f"step name `{name}` contains `{bad[0]}`, which runnable uses to join qualified names",
                        doc.key_span(step_path), help=f"rename it, e.g. `{fixed}`")
        elif not str(name).strip():
            diags.error("RCC0111", "a step name is empty or only spaces", doc.key_span(step_path),
                        help="give the step a name")
        if not isinstance(step, dict):
            continue
        for key in ("branches",):
            if isinstance(step.get(key), dict):
                for bname, branch in step[key].items():
                    _check_step_names(doc, branch, step_path + (key, bname), diags)
        for key in ("branch", "default"):
            _check_step_names(doc, step.get(key), step_path + (key,), diags)
