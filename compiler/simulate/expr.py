"""The two little languages Argo evaluates while it runs a DAG: `depends` and `when`.

`depends` is parsed with the grammar the verify stage uses (`verify/depends.lark`) and
evaluated over task results the way `evaluateDependsLogic` does: a bare task name means
`task.Succeeded || task.Skipped || task.Daemoned` (plus Failed/Errored with continueOn),
AnySucceeded/AllFailed look at a loop's children.

`when` is evaluated after `{{...}}` substitution by govaluate, with every bare word
turned into a string. Its lexer has a sharp edge that matters for generated manifests:
a string opened by `'` ends at the next `'` *or* `"` (and the other way round), so
`'"heads"' == 'x'` does not parse. The lexer here copies that behaviour on purpose, so a
manifest whose `when` Argo would reject fails in the simulator too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

RESULT_NAMES = ("Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed")


class ExprError(ValueError):
    """An expression Argo could not evaluate: the task becomes an Error node with this message."""


# ---------------------------------------------------------------- depends

def depends_logic(depends: str | None, dependencies: list[str], continue_on: Callable[[str], dict[str, bool]]) -> str:
    """The effective `depends` text of a task (`dependencies: [a]` is `a` with bare meaning)."""
    if depends:
        return depends
    return " && ".join(dependencies)


def depends_tasks(logic: str) -> list[str]:
    """The task names an expression mentions, in order, without repeats."""
    from compiler.verify.depends import DependsError, parse_depends

    try:
        refs = parse_depends(logic)
    except DependsError as exc:
        raise ExprError(f"unable to parse depends `{logic}`: {exc}") from None
    out: list[str] = []
    for task, _ in refs:
        if task not in out:
            out.append(task)
    return out


@dataclass(frozen=True)
class TaskResults:
    phase: str
    any_succeeded: bool = False
    all_failed: bool = False

    def result(self, name: str) -> bool:
        return {
            "Succeeded": self.phase == "Succeeded",
            "Failed": self.phase == "Failed",
            "Errored": self.phase == "Error",
            "Skipped": self.phase == "Skipped",
            "Omitted": self.phase == "Omitted",
            "Daemoned": False,
            "AnySucceeded": self.any_succeeded,
            "AllFailed": self.all_failed,
        }[name]


def eval_depends(logic: str, results: Mapping[str, TaskResults], continue_on: Callable[[str], dict[str, bool]]) -> bool:
    """Evaluate a `depends` expression over the results of finished tasks."""
    from lark import Token, Tree

    from compiler.verify.depends import _parser

    try:
        tree = _parser().parse(logic)
    except Exception as exc:  # lark's errors: the expression does not parse
        raise ExprError(f"unable to parse depends `{logic}`: {exc.__class__.__name__}") from None

    def ev(node: Any) -> bool:
        if isinstance(node, Token):  # pragma: no cover - grammar always wraps refs
            raise ExprError(f"unexpected `{node}` in depends")
        assert isinstance(node, Tree)
        if node.data == "or_expr":
            return any(ev(c) for c in node.children)
        if node.data == "and_expr":
            return all(ev(c) for c in node.children)
        if node.data == "negate":
            return not ev(node.children[0])
        task = str(node.children[0])
        if task not in results:
            raise ExprError(f"depends names `{task}`, which is not a task of this DAG")
        r = results[task]
        if len(node.children) == 1:
            ok = r.result("Succeeded") or r.result("Skipped") or r.result("Daemoned")
            co = continue_on(task)
            return ok or (co.get("failed", False) and r.result("Failed")) or (co.get("error", False) and r.result("Errored"))
        name = str(node.children[1])
        if name not in RESULT_NAMES:
            raise ExprError(f"`{task}.{name}` is not a task result (expected one of {', '.join(RESULT_NAMES)})")
        return r.result(name)

    return ev(tree)


# ---------------------------------------------------------------- when (govaluate)

_CMP = ("==", "!=", ">=", "<=", ">", "<", "=~", "!~")
_SYMBOLS = frozenset(_CMP + ("&&", "||", "!", "-", "+", "*", "/", "%", "?", ":", "??", "^", "&", "|", "**", ">>", "<<", "~"))


@dataclass(frozen=True)
class Tok:
    kind: str  # STRING NUMBER BOOL OP LPAREN RPAREN
    value: Any


def _not_alnum(ch: str) -> bool:
    return not (ch.isdigit() or ch.isalpha() or ch in "()[]'\"")


def tokenize(text: str) -> list[Tok]:
    """govaluate's lexer for the subset Argo's `when` uses; bare words become strings."""
    out: list[Tok] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit():
            j = i
            while j < n and (text[j].isdigit() or text[j] in "._"):
                j += 1
            try:
                out.append(Tok("NUMBER", float(text[i:j])))
            except ValueError:
                raise ExprError(f"unable to parse numeric value `{text[i:j]}`") from None
            i = j
        elif ch.isalpha():
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_."):
                j += 1
            word = text[i:j]
            i = j
            if word in ("true", "false"):
                out.append(Tok("BOOL", word == "true"))
            elif word in ("in", "IN"):
                raise ExprError("the `in` operator is not simulated")
            elif "." in word:
                raise ExprError(f"`{word}` is read by govaluate as a field access, and `when` has no variables")
            else:
                out.append(Tok("STRING", word))
        elif ch in "'\"":
            buf, j, closed = [], i + 1, False
            while j < n:
                c = text[j]
                if c == "\\" and j + 1 < n:
                    buf.append(text[j + 1])
                    j += 2
                    continue
                if c in "'\"":  # govaluate: either quote ends a string, whichever opened it
                    closed = True
                    break
                buf.append(c)
                j += 1
            if not closed:
                raise ExprError("unclosed string literal")
            out.append(Tok("STRING", "".join(buf)))
            i = j + 1
        elif ch == "(":
            out.append(Tok("LPAREN", ch))
            i += 1
        elif ch == ")":
            out.append(Tok("RPAREN", ch))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and _not_alnum(text[j]):
                j += 1
            sym = text[i:j]
            if sym not in _SYMBOLS:
                raise ExprError(f"invalid token: `{sym}`")
            out.append(Tok("OP", sym))
            i = j
    return out


class _Parser:
    def __init__(self, toks: list[Tok]) -> None:
        self.toks, self.i = toks, 0

    def peek(self) -> Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> Tok:
        tok = self.peek()
        if tok is None:
            raise ExprError("the expression ends too early")
        self.i += 1
        return tok

    def parse(self) -> Any:
        value = self.or_()
        tok = self.peek()
        if tok is not None:
            raise ExprError(f"cannot transition to {tok.kind.lower()} `{tok.value}` here")
        return value

    def or_(self) -> Any:
        left = self.and_()
        while (t := self.peek()) and t.kind == "OP" and t.value == "||":
            self.take()
            right = self.and_()
            left = _logic("||", left, right)
        return left

    def and_(self) -> Any:
        left = self.cmp()
        while (t := self.peek()) and t.kind == "OP" and t.value == "&&":
            self.take()
            right = self.cmp()
            left = _logic("&&", left, right)
        return left

    def cmp(self) -> Any:
        left = self.unary()
        t = self.peek()
        if t and t.kind == "OP" and t.value in _CMP:
            self.take()
            return _compare(t.value, left, self.unary())
        if t and t.kind == "OP" and t.value not in ("&&", "||"):
            raise ExprError(f"the operator `{t.value}` is not simulated")
        return left

    def unary(self) -> Any:
        t = self.take()
        if t.kind == "OP" and t.value == "!":
            v = self.unary()
            if not isinstance(v, bool):
                raise ExprError(f"value `{v}` cannot be negated with `!`")
            return not v
        if t.kind == "OP" and t.value == "-":
            v = self.unary()
            if isinstance(v, bool) or not isinstance(v, float):
                raise ExprError(f"value `{v}` cannot be negated with `-`")
            return -v
        if t.kind == "LPAREN":
            v = self.or_()
            if self.take().kind != "RPAREN":
                raise ExprError("unbalanced parenthesis")
            return v
        if t.kind in ("STRING", "NUMBER", "BOOL"):
            return t.value
        raise ExprError(f"unexpected `{t.value}`")


def _logic(op: str, left: Any, right: Any) -> bool:
    for v in (left, right):
        if not isinstance(v, bool):
            raise ExprError(f"value `{v}` cannot be used with the logical operator `{op}`")
    return (left and right) if op == "&&" else (left or right)


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return type(left) is type(right) and left == right
    if op == "!=":
        return not (type(left) is type(right) and left == right)
    if op in ("=~", "!~"):
        if not isinstance(left, str) or not isinstance(right, str):
            raise ExprError(f"`{op}` needs strings")
        found = re.search(right, left) is not None
        return found if op == "=~" else not found
    both_num = isinstance(left, float) and isinstance(right, float)
    both_str = isinstance(left, str) and isinstance(right, str)
    if not (both_num or both_str):
        raise ExprError(f"values `{left}` and `{right}` cannot be compared with `{op}`")
    return {">": left > right, "<": left < right, ">=": left >= right, "<=": left <= right}[op]


def eval_when(text: str) -> bool:
    """Argo's `shouldExecute`: an already substituted `when`, evaluated to a boolean."""
    if not text.strip():
        return True
    value = _Parser(tokenize(text)).parse()
    if not isinstance(value, bool):
        raise ExprError(f"expected a boolean from `{text}`, got `{value}`")
    return value
