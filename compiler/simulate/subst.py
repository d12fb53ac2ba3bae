"""`{{...}}` substitution, as Argo's template package does it.

Why not str.format or a regex replace-all: Argo keeps tags it cannot resolve in some
places (a DAG task's `{{item}}` before its loop is expanded) and fails the node in
others (a container's command), and `{{=expr}}` tags are a different language
(expr_tags.py evaluates the subset rcc's manifests use). The
caller chooses with `allow_unresolved`; an unresolved tag otherwise raises, and the
stepper turns that into an Error node, which is what the controller does.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from compiler.simulate import expr_tags
from compiler.tags import TagScanner

TAG = TagScanner()  # linear: compiler/tags.py


class SubstError(ValueError):
    """A tag that does not resolve in its scope."""


def replace(text: str, scope: Mapping[str, str], allow_unresolved: bool = False) -> str:
    """`text` with every `{{name}}` found in `scope` replaced (names are trimmed, as in Argo)."""
    if "{{" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        tag = m.group(1).strip()
        if tag.startswith("="):
            try:
                return expr_tags.evaluate(tag[1:], scope)
            except expr_tags.Unresolved as exc:
                if allow_unresolved:
                    return m.group(0)
                raise SubstError(f"failed to evaluate expression: {exc.name} is missing") from None
            except expr_tags.ExprTagError as exc:
                if allow_unresolved:
                    return m.group(0)
                raise SubstError(f"expression tag `{{{{{tag}}}}}` is not simulated: {exc}") from None
        if tag in scope:
            return scope[tag]
        if allow_unresolved:
            return m.group(0)
        raise SubstError(f"failed to resolve {{{{{tag}}}}}")

    return TAG.sub(one, text)


def replace_all(value: Any, scope: Mapping[str, str], allow_unresolved: bool = False) -> Any:
    """`replace` over every string inside a JSON-like value (keys are left alone)."""
    if isinstance(value, str):
        return replace(value, scope, allow_unresolved)
    if isinstance(value, list):
        return [replace_all(v, scope, allow_unresolved) for v in value]
    if isinstance(value, dict):
        return {k: replace_all(v, scope, allow_unresolved) for k, v in value.items()}
    return value


def item_text(item: Any) -> str:
    """How Argo writes a loop item into `{{item}}`: strings bare, the rest as JSON text."""
    import json

    if isinstance(item, str):
        return item
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, float) and item.is_integer():
        return str(int(item))
    if isinstance(item, (int, float)):
        return str(item)
    return json.dumps(item, separators=(",", ":"), sort_keys=True)


def item_scope(item: Any) -> dict[str, str]:
    """`item` and, for a mapping item, `item.<key>`."""
    scope = {"item": item_text(item)}
    if isinstance(item, dict):
        for k, v in item.items():
            scope[f"item.{k}"] = item_text(v)
    return scope


def item_label(index: int, item: Any) -> str:
    """The `(i:value)` suffix Argo gives an expanded task's node name."""
    if isinstance(item, dict):
        value = ",".join(f"{k}:{item_text(v)}" for k, v in sorted(item.items()))
    else:
        value = item_text(item)
    return f"({index}:{value})"
