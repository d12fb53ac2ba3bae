"""Variables in the configuration: `$name` / `${name}` / `$$`, from `--var` and the environment.

Substitution happens on the located data *before* the configuration is validated,
because a variable may stand for a number (`parallelism: $workers`) that only has a
type once substituted; a value that is exactly one variable takes the variable's value
as YAML would read it. An undefined variable is an error at its position (runnable
leaves `$docker_image` in the output literally). The grammar is `variables.lark`; lark
is imported only when some string holds a `$`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from compiler.diagnostics import Diagnostics, Span, did_you_mean
from compiler.frontend.load import Located
from compiler.frontend.scalars import NumberTooLong, resolve_plain, too_long_help

ENV_PREFIXES = ("RCC_VAR_", "RUNNABLE_VAR_", "MAGNUS_VAR_")


def variables_from(cli_vars: Mapping[str, str], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """`--var` wins over the environment; among prefixes RCC_VAR_ wins, then RUNNABLE_, MAGNUS_."""
    env = os.environ if environ is None else environ
    out: dict[str, str] = {}
    for prefix in reversed(ENV_PREFIXES):
        for k, v in env.items():
            if k.startswith(prefix) and len(k) > len(prefix):
                out[k[len(prefix):]] = v
    out.update(cli_vars)
    return out


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    return Lark(Path(__file__).with_name("variables.lark").read_text(), parser="lalr", lexer="basic")


def substitute(doc: Located, values: Mapping[str, str], diags: Diagnostics) -> Located:
    """A copy of `doc` with every variable in its strings replaced (spans are kept)."""
    out = Located(doc.file, doc.text, None, doc.spans, doc.key_spans)
    out.data = _walk(doc.data, (), doc, values, diags)
    return out


def _walk(value: Any, path: tuple, doc: Located, values: Mapping[str, str], diags: Diagnostics) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, path + (k,), doc, values, diags) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, path + (i,), doc, values, diags) for i, v in enumerate(value)]
    if isinstance(value, str) and "$" in value:
        return _expand(value, doc.span(path), doc, values, diags)
    return value


def _expand(text: str, span: Span, doc: Located, values: Mapping[str, str], diags: Diagnostics) -> Any:
    tokens = list(_parser().lex(text))
    quoted = _is_quoted(doc, span)
    parts: list[str] = []
    for tok in tokens:
        kind, raw = tok.type, str(tok)
        if kind == "TEXT":
            parts.append(raw)
        elif kind == "ESCAPE":
            parts.append("$")
        elif kind == "LONE":
            diags.error("RCC0302", "a `$` that starts no variable name", _at(span, tok.start_pos, 1, quoted),
                        help="write `$$` for a literal dollar sign, or `${name}` for a variable")
            parts.append("$")
        else:
            name = raw[2:-1] if kind == "BRACED" else raw[1:]
            if name in values and not _utf8(values[name]):
                diags.error("RCC0734", f"the variable `{name}` holds bytes that are not UTF-8",
                            _at(span, tok.start_pos, len(raw), quoted),
                            help="the manifest is UTF-8 text: set the variable (`--var` or RCC_VAR_"
                                 f"{name}) to UTF-8 text")
                parts.append(raw)
            elif name in values:
                parts.append(values[name])
            else:
                guess = did_you_mean(name, values)
                diags.error("RCC0301", f"the variable `{name}` is not defined", _at(span, tok.start_pos, len(raw), quoted),
                            help=(f"did you mean `{guess}`? " if guess else "")
                            + f"define it with `--var {name}=VALUE` or the environment variable RCC_VAR_{name}")
                parts.append(raw)
    result = "".join(parts)
    if len(tokens) == 1 and tokens[0].type in ("BARE", "BRACED") and not quoted:
        try:
            return resolve_plain(result) if result else result
        except NumberTooLong as exc:
            diags.error("RCC0733", f"a number of {exc.digits:,} digits is too long to read", span,
                        help=too_long_help(result))
    return result


def _utf8(text: str) -> bool:
    """False for text holding lone surrogates (bytes the OS could not decode as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_quoted(doc: Located, span: Span) -> bool:
    lines = doc.text.splitlines()
    if 1 <= span.line <= len(lines):
        line = lines[span.line - 1]
        return span.column - 1 < len(line) and line[span.column - 1] in "'\""
    return False


def _at(span: Span, offset: int, width: int, quoted: bool) -> Span:
    if span.end_line != span.line:  # a block scalar: point at the value as a whole
        return span
    col = span.column + offset + (1 if quoted else 0)
    return Span(span.file, span.line, col, span.line, col + width)
