"""`{{=expr}}` tags: the small part of expr-lang that manifests rcc writes use.

Why a subset and not a full expr-lang: the simulator must say what Argo does with the
expressions rcc itself emits (the runnable runtime's retry variables:
`retries == '0' ? '' : workflow.parameters.run_id`), and refuse loudly anything else
instead of guessing. Supported: string and integer literals, dotted names looked up in
the scope, `asInt(x)`, `! + == != < <= > >= && ||`, `cond ? a : b`, parentheses.

Argo's rule for names (util/template/expression_template.go): an expression naming a
late-binding variable (`retries`, `item`, `workflow.status`, ...) that is not in scope
yet stays verbatim; `Unresolved` carries that decision to the caller.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping

LATE_BINDING = ("item", "retries", "lastRetry.exitCode", "lastRetry.status", "lastRetry.duration",
                "lastRetry.message", "workflow.status", "workflow.failures")
_TOKEN = re.compile(r"\s*(?:('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|(\d+)|([A-Za-z_][\w.]*)|"
                    r"(==|!=|<=|>=|&&|\|\||[<>!?:(),+]))")


class ExprTagError(ValueError):
    """An expression outside the supported subset, or one that fails to evaluate."""


class Unresolved(Exception):
    """The expression names a variable the scope does not hold (yet)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _tokens(text: str) -> list[tuple[str, Any]]:
    out, at = [], 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        m = _TOKEN.match(text, at)
        if not m:
            raise ExprTagError(f"`{text[at:].strip()}` is outside the expressions the simulator evaluates")
        at = m.end()
        if m.group(1):
            inner = m.group(1)[1:-1]
            out.append(("str", re.sub(r"\\(.)", lambda e: {"n": "\n", "t": "\t"}.get(e.group(1), e.group(1)), inner)))
        elif m.group(2):
            out.append(("int", int(m.group(2))))
        elif m.group(3):
            out.append(("name", m.group(3)))
        else:
            out.append(("op", m.group(4)))
    return out


class _Eval:
    def __init__(self, tokens: list[tuple[str, Any]], scope: Mapping[str, str]) -> None:
        self.t, self.i, self.scope = tokens, 0, scope

    def peek(self) -> tuple[str, Any] | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self, op: str | None = None) -> tuple[str, Any]:
        tok = self.peek()
        if tok is None or (op is not None and tok != ("op", op)):
            raise ExprTagError(f"expected `{op}`" if op else "unexpected end of expression")
        self.i += 1
        return tok

    def ternary(self) -> Any:
        cond = self.binary(0)
        if self.peek() == ("op", "?"):
            self.take("?")
            yes = self.ternary()
            self.take(":")
            no = self.ternary()
            return yes if _truth(cond) else no
        return cond

    LEVELS = (("||",), ("&&",), ("==", "!="), ("<", "<=", ">", ">="), ("+",))

    def binary(self, level: int) -> Any:
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in [("op", o) for o in self.LEVELS[level]]:
            op = self.take()[1]
            right = self.binary(level + 1)
            left = _apply(op, left, right)
        return left

    def unary(self) -> Any:
        tok = self.take()
        if tok == ("op", "!"):
            return not _truth(self.unary())
        if tok == ("op", "("):
            value = self.ternary()
            self.take(")")
            return value
        if tok[0] in ("str", "int"):
            return tok[1]
        if tok[0] == "name" and self.peek() == ("op", "("):
            self.take("(")
            arg = self.ternary()
            self.take(")")
            if tok[1] != "asInt":
                raise ExprTagError(f"the function `{tok[1]}` is outside the expressions the simulator evaluates")
            try:
                return int(arg)
            except (TypeError, ValueError):
                raise ExprTagError(f"asInt({arg!r}): not an integer") from None
        if tok[0] == "name":
            if tok[1] in ("true", "false"):
                return tok[1] == "true"
            if tok[1] not in self.scope:
                raise Unresolved(tok[1])
            return self.scope[tok[1]]
        raise ExprTagError(f"unexpected `{tok[1]}`")


def _truth(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ExprTagError(f"{value!r} is not a boolean")
    return value


def _apply(op: str, left: Any, right: Any) -> Any:
    if op in ("&&", "||"):
        return (_truth(left) and _truth(right)) if op == "&&" else (_truth(left) or _truth(right))
    if op == "+":
        if type(left) is not type(right) or isinstance(left, bool):
            raise ExprTagError(f"cannot add {left!r} + {right!r}")
        return left + right
    if op in ("==", "!="):
        return (left == right) == (op == "==")
    if type(left) is not type(right) or isinstance(left, bool):
        raise ExprTagError(f"cannot compare {left!r} {op} {right!r}")
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def evaluate(expression: str, scope: Mapping[str, str]) -> str:
    """The text Argo writes for `{{=expression}}` (strings bare, other values as JSON).

    Raises Unresolved when a name is not in scope, ExprTagError otherwise."""
    ev = _Eval(_tokens(expression), scope)
    value = ev.ternary()
    if ev.peek() is not None:
        raise ExprTagError(f"unexpected `{ev.peek()[1]}` after the expression")
    return value if isinstance(value, str) else json.dumps(value)
