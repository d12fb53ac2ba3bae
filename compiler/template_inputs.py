"""Which `{{inputs.parameters.NAME}}` a custom template's strings read.

Shared by the configuration's check (`frontend/config/extensions.py`) and the
`choose_backend` pass, which asks it for every step with a template on the path of
every `rcc check`: so it lives outside the configuration package, whose models import
pydantic, and imports nothing but `re` (on first use).
"""

from __future__ import annotations

from typing import Any

KEDRO_INPUTS = ("pipeline", "environment", "kedro_nodes")
"""What the kedro runtime gives every kedro pod as input parameters (argo-kedro's names)."""
_INPUT_REF = None


def template_reads(value: Any, at: tuple = ()) -> list[tuple[str, tuple]]:
    """(input name, path) of every `{{inputs.parameters.NAME}}` in a template's strings."""
    import re

    global _INPUT_REF
    if _INPUT_REF is None:
        _INPUT_REF = re.compile(r"\{\{\s*inputs\.parameters\.([A-Za-z0-9_.-]+)\s*\}\}")
    out: list[tuple[str, tuple]] = []
    if isinstance(value, str):
        out += [(m.group(1), at) for m in _INPUT_REF.finditer(value)]
    elif isinstance(value, dict):
        for k, v in value.items():
            out += template_reads(v, at + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += template_reads(v, at + (i,))
    return out
