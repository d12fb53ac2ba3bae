"""`when` conditions: they must parse, and bare words must not turn into arithmetic.

Why: Argo substitutes `{{...}}` and then evaluates the text as an expression; `a-b`
written without quotes is read as `a minus b`, and an unbalanced parenthesis or quote
fails only when the step is reached.
"""

from __future__ import annotations

import re

from compiler.tags import TagScanner
from compiler.verify.findings import Report
from compiler.verify.model import Doc, each_call

TAG = TagScanner()  # linear: compiler/tags.py
HYPHENATED = re.compile(r"(?<![\w.'\"-])([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)+)(?![\w'\"-])")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")


def check(doc: Doc, report: Report) -> None:
    for path, call in each_call(doc):
        when = call.get("when")
        if isinstance(when, str) and when.strip() and "{{=" not in when:
            _when(when, path + ("when",), report)


def _when(text: str, path: tuple, report: Report) -> None:
    bare = TAG.sub("x", text)
    if bare.count("'") % 2 or bare.count('"') % 2:
        report.error("RCC0836", "`when` has an unclosed quote", path, help="close the string literal")
        return
    unquoted = QUOTED.sub("s", bare)
    depth = 0
    for ch in unquoted:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            break
    if depth != 0:
        report.error("RCC0836", "`when` has unbalanced parentheses", path, help="balance `(` and `)`")
        return
    if re.search(r"(==|!=|&&|\|\||<=|>=|[<>!])\s*\Z", unquoted) or re.match(r"\s*(==|!=|&&|\|\||<=|>=|[<>])", unquoted):
        report.error("RCC0836", "`when` starts or ends with an operator", path,
                     help="compare two values, e.g. `{{steps.flip.outputs.result}} == heads`")
        return
    m = HYPHENATED.search(unquoted)
    if m:
        report.warning("RCC0837", f"`{m.group(1)}` in `when` is read as a subtraction, not as text", path,
                       help=f"quote it: '{m.group(1)}'")
