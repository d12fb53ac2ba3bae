"""The flattened IR's dependency expressions, written in Argo's `depends` syntax."""

from __future__ import annotations

from typing import Callable

from compiler.ir import Expr


def render(expr: Expr, task_name: Callable[[str], str], nested: bool = False) -> str:
    op = expr[0]
    if op == "is":
        return f"{task_name(expr[1])}.{expr[2]}"
    parts = [render(e, task_name, nested=True) for e in expr[1]]
    if len(parts) == 1:
        return parts[0]
    text = (" || " if op == "or" else " && ").join(parts)
    return f"({text})" if nested else text
