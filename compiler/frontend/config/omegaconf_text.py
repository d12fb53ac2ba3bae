"""`${...}` in argo-kedro's argo.yml: OmegaConf interpolation, which rcc refuses.

argo-kedro reads argo.yml through kedro's OmegaConfigLoader (`ArgoHook` asks
`context.config_loader["argo"]`), so a `${...}` in it is OmegaConf interpolation,
resolved by kedro at run time: a reference to another key (`${machine_types.gpu.mem}`),
`${globals:KEY}` from conf/<env>/globals.yml, `${runtime_params:KEY}` from `kedro run
--params`, argo-kedro's `${ka.random:}` (a new suffix per submit), or a resolver the
project registers in settings.py; kedro 1.7 disables `${oc.env:...}` outside
credentials. What it means depends on the kedro environment and the run, which rcc does
not have when it compiles, and left as text it would reach the pods literally (an image
`${globals:registry}/app` that never pulls). So each one is an error at its position
(RCC0276), with a help naming what kedro would have resolved it from. OmegaConf's
escape `\\${` is plain text to OmegaConf and becomes `${`, as kedro reads it.
"""

from __future__ import annotations

import re
from typing import Any

from compiler.diagnostics import Diagnostics, Span
from compiler.frontend.load import Located
from compiler.frontend.variables import _at, _is_quoted

_TOKEN = re.compile(r"\\\$\{|\$\{")


def _help(body: str) -> str:
    resolver = body.split(":", 1)[0].strip() if ":" in body else ""
    if resolver == "globals":
        return "write the value from conf/<env>/globals.yml here: rcc reads argo.yml as written, without kedro's loader"
    if resolver == "runtime_params":
        return "write the value (a `kedro run --params` value is not known when rcc compiles)"
    if resolver == "ka.random":
        return ("remove it: argo-kedro draws a new random suffix per submit; rcc's workflow name uses "
                "generateName, which Argo makes unique")
    if resolver == "oc.env":
        return "write the value: kedro itself refuses `${oc.env:...}` outside credentials"
    if resolver:
        return f"write the value: the `{resolver}` resolver runs inside kedro, not when rcc compiles"
    return f"write the value of `{body.strip()}` here: rcc reads argo.yml as written, without OmegaConf"


def check_interpolations(doc: Located, diags: Diagnostics) -> Located:
    """A copy of `doc` with `\\${` unescaped; every `${...}` reported at its position."""
    out = Located(doc.file, doc.text, None, doc.spans, doc.key_spans)
    out.data = _walk(doc.data, (), doc, diags)
    return out


def _walk(value: Any, path: tuple, doc: Located, diags: Diagnostics) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, path + (k,), doc, diags) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, path + (i,), doc, diags) for i, v in enumerate(value)]
    if isinstance(value, str) and "${" in value:
        return _scan(value, doc.span(path), doc, diags)
    return value


def _scan(text: str, span: Span, doc: Located, diags: Diagnostics) -> str:
    quoted = _is_quoted(doc, span)
    parts, last = [], 0
    for m in _TOKEN.finditer(text):
        parts.append(text[last:m.start()])
        last = m.end()
        if m.group() != "${":
            parts.append("${")
            continue
        end = text.find("}", m.end())
        body = text[m.end():end] if end >= 0 else text[m.end():]
        width = (end + 1 if end >= 0 else len(text)) - m.start()
        diags.error("RCC0276", f"`{text[m.start():m.start() + width]}` is OmegaConf interpolation, which kedro "
                    "resolves when it loads argo.yml and rcc does not", _at(span, m.start(), width, quoted),
                    help=_help(body))
        parts.append(m.group())
    parts.append(text[last:])
    return "".join(parts)
