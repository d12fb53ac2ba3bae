"""Argo DAG `depends` expressions: parse them and list the task results they name.

Why a grammar: Argo validates `depends` only with a regex that extracts task names, and
evaluates the boolean syntax at run time, so `a.Succeeded &&` or `(a || b` are accepted by
`argo lint` and fail in the middle of a run. The grammar is in `depends.lark`. Most
expressions in real manifests (and all that rcc emits) are flat chains of `&&`/`||`;
those take a regex path that accepts a subset of the same language, so verification of a
10,000-task DAG does not pay for 10,000 parser runs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

RESULTS = ("Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed")
LOOP_RESULTS = frozenset({"AnySucceeded", "AllFailed"})

_REF = r"[a-zA-Z0-9_][-a-zA-Z0-9_]*(?:\.[A-Za-z]+)?"
_FLAT = re.compile(rf"\s*{_REF}(?:\s*(?:&&|\|\|)\s*{_REF})*\s*\Z")
_REFS = re.compile(rf"({_REF.split('(?:')[0]})(?:\.([A-Za-z]+))?")


class DependsError(ValueError):
    """A `depends` expression that does not parse; `column` is 1-based in the expression."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


@lru_cache(maxsize=1)
def _parser() -> Any:
    from lark import Lark

    return Lark(Path(__file__).with_name("depends.lark").read_text(), parser="lalr")


def parse_depends(text: str) -> list[tuple[str, str | None]]:
    """The (task, result) pairs of an expression, in order; result None for a bare task.

    Raises DependsError when the expression does not parse. Result names are returned as
    written; the caller checks them against RESULTS to word a better message.
    """
    if _FLAT.match(text):
        return [(m.group(1), m.group(2)) for m in _REFS.finditer(text)]
    from lark import Token
    from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput

    try:
        tree = _parser().parse(text)
    except UnexpectedCharacters as exc:
        raise DependsError(f"unexpected character `{text[exc.pos_in_stream]}`", exc.column) from None
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        if token is None or token.type == "$END":
            raise DependsError("the expression ends too early", len(text) + 1) from None
        raise DependsError(f"unexpected `{token}`", getattr(token, "column", 1) or 1) from None
    except LarkError as exc:  # pragma: no cover - defensive
        raise DependsError(str(exc), 1) from None
    out: list[tuple[str, str | None]] = []
    for ref in tree.iter_subtrees_topdown() if not isinstance(tree, Token) else ():
        if ref.data == "ref":
            parts = [str(t) for t in ref.children]
            out.append((parts[0], parts[1] if len(parts) > 1 else None))
    return out
