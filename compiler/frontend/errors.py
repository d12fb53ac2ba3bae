"""Turn pydantic validation errors into diagnostics at the offending token.

pydantic reports a `loc` path through the *models* (with discriminator tags such as
`'task'` inserted for tagged unions); the span table is keyed by paths through the
*data*. `data_path` walks the data to translate one into the other, and `explain_error`
words each error kind the way a user needs it: what is wrong, and what to write instead.
"""

from __future__ import annotations

from typing import Any, Iterable

from pydantic import BaseModel

from compiler.diagnostics import Diagnostics, did_you_mean
from compiler.frontend.load import Located

_TYPE_WORDS = {
    "string_type": "a string", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "bool_type": "true or false", "bool_parsing": "true or false",
    "dict_type": "a mapping", "list_type": "a list", "model_type": "a mapping", "float_type": "a number",
    "float_parsing": "a number", "model_attributes_type": "a mapping", "mapping_type": "a mapping",
}


def data_path(data: Any, loc: Iterable) -> tuple:
    """The data path named by a pydantic `loc`, skipping union tags and model names."""
    path: list = []
    cur = data
    for elem in loc:
        if isinstance(cur, dict) and elem in cur:
            path.append(elem)
            cur = cur[elem]
        elif isinstance(cur, list) and isinstance(elem, int) and 0 <= elem < len(cur):
            path.append(elem)
            cur = cur[elem]
        elif isinstance(cur, dict) and (cur.get("type") == elem or isinstance(elem, str) and "[" in elem):
            continue  # a discriminator tag or a union member name
        else:
            path.append(elem)  # the missing key itself
            break
    return tuple(path)


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def where(path: tuple) -> str:
    """A readable name for the place, e.g. `step \\`train\\`` or `dag.start_at`."""
    for i in range(len(path) - 1, 0, -1):
        if path[i - 1] == "steps" and isinstance(path[i], str):
            return f"step `{path[i]}`"
    return "`" + ".".join(str(p) for p in path) + "`" if path else "the file"


def report_validation_error(
    exc: Any, doc: Located, diags: Diagnostics, models_by_path: "callable", code_prefix: str = "RCC01"
) -> None:
    """Add one diagnostic per pydantic error. `models_by_path(path)` names the model there."""
    errors = exc.errors(include_url=False)
    # A misspelt key is reported once, as unknown with "did you mean": not also as the
    # required key it was meant to be.
    meant: set[tuple] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            path = data_path(doc.data, err["loc"])
            guess = did_you_mean(str(path[-1]), _fields(models_by_path(path[:-1]))) if path else None
            if guess:
                meant.add(path[:-1] + (guess,))
    for err in errors:
        if err["type"] == "missing" and data_path(doc.data, err["loc"]) in meant:
            continue
        _one(err, doc, diags, models_by_path, code_prefix)


def _fields(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _label(path: tuple) -> str:
    """How to name the value at `path`: the key, or "entry N of the list" for list items."""
    if not path:
        return "the value"
    if isinstance(path[-1], int):
        owner = next((p for p in reversed(path[:-1]) if isinstance(p, str)), "the list")
        return f"entry {path[-1] + 1} of `{owner}`"
    return f"`{path[-1]}`"


def _one(err: dict, doc: Located, diags: Diagnostics, models_by_path, prefix: str) -> None:
    kind = err["type"]
    path = data_path(doc.data, err["loc"])
    parent = path[:-1]
    key = path[-1] if path else ""
    # "`command` of step `train`" inside a step; outside one, the dotted path says it all.
    label = f"{_label(path)} of {where(path)}" if where(path).startswith("step ") else where(path)
    if len(path) >= 2 and path[-2] == "steps":
        label = where(path)  # the step itself, not "`next` of step `next`"
    here = where(parent if kind in ("missing", "extra_forbidden") else path)
    if kind == "extra_forbidden":
        model = models_by_path(parent)
        fields = _fields(model)
        guess = did_you_mean(str(key), fields)
        if key == "next" and model is not None and model.__name__ in ("Success", "Fail"):
            diags.error(f"{prefix}05", f"a `{model.__name__.lower()}` step ends its branch and has no `next`",
                        doc.key_span(path), help="remove `next`")
            return
        help_ = f"did you mean `{guess}`?" if guess else (
            f"the keys allowed here are: {', '.join(fields)}" if fields else "remove it")
        diags.error(f"{prefix}01", f"unknown key `{key}` in {here}", doc.key_span(path), help=help_)
    elif kind == "missing":
        model = models_by_path(parent)
        desc = ""
        if model is not None and key in model.model_fields:
            desc = model.model_fields[key].description or ""
        span = doc.key_span(parent) if parent else doc.span(())
        diags.error(f"{prefix}02", f"{here} is missing the required key `{key}`", span,
                    help=f"add `{key}:`" + (f", {desc[0].lower() + desc[1:].rstrip('.')}" if desc else ""))
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        value = doc.data
        for p in path:
            value = value[p]
        tag = value.get("type") if isinstance(value, dict) else None
        from compiler.frontend.pipeline_model import STEP_MODELS

        choices = list(STEP_MODELS)
        if tag is None:
            diags.error(f"{prefix}03", f"{here} has no `type`", doc.key_span(path),
                        help=f"add `type:` with one of: {', '.join(choices)}")
        else:
            guess = did_you_mean(str(tag), choices)
            diags.error(f"{prefix}04", f"unknown step type `{tag}` in {here}", doc.span(path + ("type",)),
                        help=f"did you mean `{guess}`?" if guess else f"use one of: {', '.join(choices)}")
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        diags.error(f"{prefix}06", f"{label} must be one of {expected}, not {err['input']!r}",
                    doc.span(path), help=_literal_help(err["input"], expected))
    elif kind in ("model_type", "model_attributes_type") and len(path) >= 2 and path[-2] == "returns":
        diags.error(f"{prefix}07", f"`returns` entries of {where(path)} must be mappings like `{{name: ...}}`, "
                    f"not {describe(err['input'])}", doc.span(path),
                    help=f"write `- name: {err['input']}`" if isinstance(err["input"], str) else "write `- name: NAME`",
                    notes=["runnable 0.50 refuses a plain string here at run time, with the misleading "
                           "error 'Could not find the node type task'"])
    elif kind in _TYPE_WORDS:
        diags.error(f"{prefix}08", f"{label} must be {_TYPE_WORDS[kind]}, not {describe(err['input'])}",
                    doc.span(path), help=_dedented_key_help(doc.data, path) or _type_help(kind, err["input"]))
    elif kind in ("greater_than_equal", "greater_than"):
        diags.error(f"{prefix}09", f"{label} is {err['input']}: {err['msg'].lower()}",
                    doc.span(path), help="use a larger value")
    else:
        diags.error(f"{prefix}00", f"{label}: {err['msg'][0].lower() + err['msg'][1:]}", doc.span(path),
                    help="see `rcc schema pipeline` (or `rcc schema config`) for what this key accepts")


def _literal_help(value: Any, expected: str) -> str:
    choices = [c.strip().strip("'") for c in expected.replace(" or ", ",").split(",") if c.strip()]
    guess = did_you_mean(str(value), choices) if isinstance(value, str) else None
    return f"did you mean `{guess}`?" if guess else f"use one of: {', '.join(choices)}"


def _dedented_key_help(data: Any, path: tuple) -> str | None:
    """A step key written at the steps' indentation (`next: success` under `steps:`) reads as
    a step named `next`: say that, and name the step it was meant for (the one above it)."""
    if len(path) < 2 or path[-2] != "steps" or not isinstance(path[-1], str):
        return None
    from compiler.frontend.pipeline_model import STEP_MODELS

    keys = {f.alias or n for m in STEP_MODELS.values() for n, f in m.model_fields.items()}
    if path[-1] not in keys:
        return None
    steps = data
    for p in path[:-1]:
        steps = steps[p] if isinstance(steps, dict) else None
    names = list(steps) if isinstance(steps, dict) else []
    above = names[names.index(path[-1]) - 1] if path[-1] in names and names.index(path[-1]) > 0 else None
    owner = f" under step `{above}`, like its other keys" if above else " under the step it belongs to"
    return (f"`{path[-1]}` is a key of a step, but it is indented as a step of its own; "
            f"indent it{owner}")


def _type_help(kind: str, value: Any) -> str | None:
    if kind in ("string_type",) and isinstance(value, (int, float, bool)):
        return f"quote it: '{str(value).lower() if isinstance(value, bool) else value}'"
    if kind in ("list_type",) and isinstance(value, str):
        return f"write a list: [{value}]"
    return None
