"""Resource quantities in a configuration, checked where they are written.

Why here and not in the models: the models accept any string for `cpu` and `memory`
(every dialect spells resources its own way), so `memory: 4GB` would reach the manifest
and be refused by the API server when the step's pod is created. This walks the located
document once, in every dialect: each `resources: {requests, limits}` mapping, and
magnus's flat `cpu_limit` / `memory_request` keys, through the same rules `rcc lint`
applies to manifests (compiler/verify/resources.py, grammar in compiler/quantity.py).
"""

from __future__ import annotations

from typing import Any

from compiler.diagnostics import Diagnostics
from compiler.frontend.load import Located

MAGNUS_KEYS = {"cpu_limit": ("limits", "cpu"), "cpu_request": ("requests", "cpu"),
               "memory_limit": ("limits", "memory"), "memory_request": ("requests", "memory")}


def check_quantities(doc: Located, diags: Diagnostics) -> None:
    from compiler.verify.resources import quantity_findings

    stack: list[tuple[tuple, Any]] = [((), doc.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))
            continue
        if not isinstance(value, dict):
            continue
        flat = {part: {} for part in ("limits", "requests")}
        where: dict[tuple, tuple] = {}
        for key, sub in value.items():
            if key == "resources" and isinstance(sub, dict):
                for inner, code, message, help in quantity_findings(sub):
                    diags.error(code, message, doc.span(path + (key,) + inner), help=help)
            elif key in MAGNUS_KEYS and isinstance(sub, (str, int, float)):
                part, name = MAGNUS_KEYS[key]
                flat[part][name] = sub
                where[(part, name)] = path + (key,)
            else:
                stack.append((path + (key,), sub))
        if where:
            for inner, code, message, help in quantity_findings(flat):
                message = message.replace(f"{inner[0]}.{inner[1]}: ", f"{_magnus_key(inner)}: ")
                diags.error(code, message, doc.span(where[inner[:2]]), help=help)


def _magnus_key(inner: tuple) -> str:
    return next(k for k, v in MAGNUS_KEYS.items() if v == tuple(inner[:2]))
