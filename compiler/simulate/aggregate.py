"""Outputs of loops and of DAG templates, as Argo's controller computes them.

Followed: workflow/controller/operator.go `processAggregateNodeOutputs`,
`aggregatedJSONValueList`, `tryJSONUnmarshal`, `getTemplateOutputsFromScope`
(argoproj/argo-workflows, read at f016ad89). The facts that matter to a compiled
pipeline: a loop's children are ordered by their loop index (not by start time);
only Succeeded children with outputs count; `tasks.X.outputs.parameters` is a JSON list
of name -> text maps; `tasks.X.outputs.parameters.NAME` is a JSON list of the values,
decoded only when *every* value decodes to a list or an object (else the raw strings);
the JSON is Go's `json.Marshal`: compact, object keys sorted, `<`, `>`, `&` escaped.
"""

from __future__ import annotations

import json
import re
from typing import Any

from compiler.simulate import subst

_LOOP_INDEX = re.compile(r"\((\d+):")


def go_json(value: Any) -> str:
    """Go's json.Marshal of a decoded JSON value."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def loop_index(name: str) -> int:
    found = _LOOP_INDEX.findall(name)
    return int(found[-1]) if found else 0


def value_list(values: list[str]) -> str:
    """aggregatedJSONValueList: decoded lists/objects, or else the raw strings."""
    decoded = []
    for v in values:
        try:
            d = json.loads(v)
        except (ValueError, RecursionError):  # a value nested thousands deep is not a list to decode
            return go_json(values)
        if not isinstance(d, (list, dict)):
            return go_json(values)
        decoded.append(d)
    return go_json(decoded)


def loop_scope(prefix: str, children: list) -> dict[str, str]:
    """The scope entries of a looped task `prefix` (e.g. `tasks.X`) from its children nodes."""
    kids = sorted((c for c in children if c.phase == "Succeeded" and c.outputs), key=lambda c: loop_index(c.name))
    if not children:
        return {}
    scope = {f"{prefix}.outputs.parameters": go_json([dict(c.outputs) for c in kids])}
    names: dict[str, list[str]] = {}
    for c in kids:
        for k, v in c.outputs.items():
            names.setdefault(k, []).append(v)
    for k, vs in names.items():
        scope[f"{prefix}.outputs.parameters.{k}"] = value_list(vs)
    return scope


def template_outputs(outputs: list, scope: dict[str, str]) -> tuple[dict[str, str], str | None]:
    """A DAG template's outputs from `valueFrom.parameter` (its default when it does not resolve)."""
    out: dict[str, str] = {}
    for p in outputs:
        if p.parameter is None:
            continue
        try:
            out[p.name] = subst.replace(p.parameter, scope)
        except subst.SubstError as exc:
            if p.default is None:
                return out, f"unable to resolve outputs from scope: {exc}"
            out[p.name] = p.default
    return out, None
