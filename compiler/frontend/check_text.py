"""check_text: user text that would change meaning once inside an Argo manifest is refused, with its span.

Why refuse rather than escape: Argo substitutes `{{...}}` in almost every string of a
template and of its arguments (a parameter value, a step's `node` argument, an env
value, an image, a label) and has no escape for a literal `{{`; a conditional's branch
key is written inside a quoted string of a `when` expression, where a quote would end
the string and the rest would be evaluated; parameter and loop-variable names become
Argo parameter names and parts of `{{inputs.parameters.NAME}}` references. Quoting at the
YAML level (the writer's job) cannot help with any of these, so the frontend says why at
the offending token instead of letting the text become an expression.

Runs on the located documents (after configuration variables are substituted, since a
`--var` value reaches the manifest too). User-written Argo templates in the configuration
(`templates`, `init_templates`) are Argo content by intent and are not checked here.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from compiler.diagnostics import Diagnostics
from compiler.frontend.load import Located

OPEN = "{{"
PARAM_NAME = re.compile(r"[A-Za-z0-9_-]+\Z")
_WHEN_UNSAFE = re.compile(r"['\"\\\x00-\x1f\x7f]")
_ARGO_CONTENT = frozenset({"templates", "init_templates", "initTemplates"})
_STEP_TEXT = ("command", "image", "env", "template", "machine_type", "iterate_on", "parameter", "secrets",
              "mode_config", "overrides")


def _expr_help(text: str) -> str:
    return ("Argo would read `{{...}}` as an expression and has no escape for it; "
            f"remove the braces (e.g. `{text.replace('{{', '{').replace('}}', '}')[:60]}`)")


def check_pipeline(doc: Located, diags: Diagnostics) -> None:
    """Step names, branch keys, loop variables and the step fields that reach the manifest."""
    todo: list[tuple[Any, tuple]] = [(doc.data.get("dag"), ("dag",))]
    while todo:
        graph, path = todo.pop()
        if not isinstance(graph, dict) or not isinstance(graph.get("steps"), dict):
            continue
        for name, step in graph["steps"].items():
            spath = path + ("steps", name)
            if isinstance(name, str) and OPEN in name:
                diags.error("RCC0130", f"step name `{name}` contains `{{{{`", doc.key_span(spath), help=_expr_help(name))
            if not isinstance(step, dict):
                continue
            for key in _STEP_TEXT:
                if key in step:
                    _strings(doc, step[key], spath + (key,), diags, f"`{key}` of step `{name}`")
            var = step.get("iterate_as")
            if isinstance(var, str) and not PARAM_NAME.match(var):
                diags.error("RCC0132", f"loop variable `{var}` cannot be an Argo parameter name",
                            doc.span(spath + ("iterate_as",)),
                            help="use letters, digits, `_` and `-` only; the name becomes "
                                 "`{{inputs.parameters.NAME}}` in every step of the branch")
            branches = step.get("branches")
            if isinstance(branches, dict):
                for key, branch in branches.items():
                    bpath = spath + ("branches", key)
                    text = str(key)
                    if OPEN in text:
                        diags.error("RCC0130", f"branch key `{text}` contains `{{{{`", doc.key_span(bpath),
                                    help=_expr_help(text))
                    elif step.get("type") == "conditional" and _WHEN_UNSAFE.search(text):
                        diags.error("RCC0131", f"conditional branch key {text!r} contains a quote, backslash or "
                                    "control character", doc.key_span(bpath),
                                    help="the key is compared inside a quoted string of Argo's `when` expression, "
                                         "where such a character would end the string; use letters, digits and "
                                         "punctuation other than quotes and backslashes")
                    todo.append((branch, bpath))
            for key in ("branch", "default"):
                if isinstance(step.get(key), dict):
                    todo.append((step[key], spath + (key,)))


def check_parameters(doc: Located, diags: Diagnostics) -> None:
    """Names become Argo parameter names and env names. Values are the backend's: one Argo
    would resolve is kept out of the workflow arguments (the pods read it from the
    parameters file), or refused by a runtime that cannot do that (check_parameters)."""
    for name, value in doc.data.items():
        if not PARAM_NAME.match(str(name)):
            diags.error("RCC0132", f"parameter name `{name}` cannot be an Argo parameter name", doc.key_span((name,)),
                        help="use letters, digits, `_` and `-` only; the name becomes a workflow parameter and "
                             "the environment variable RUNNABLE_PRM_NAME")


def check_config(doc: Located, diags: Diagnostics) -> None:
    """Every string of the configuration except user-written Argo templates."""
    for key, value in doc.data.items():
        _strings(doc, value, (key,), diags, "a configuration value", skip=_ARGO_CONTENT)


def _strings(doc: Located, value: Any, path: tuple, diags: Diagnostics, what: str,
             skip: frozenset[str] = frozenset()) -> None:
    for p, text, is_key in _walk(value, path, skip):
        if OPEN in text:
            span = doc.key_span(p) if is_key else doc.span(p)
            diags.error("RCC0130", f"{'this key' if is_key else what} contains `{{{{`: {text[:80]!r}", span,
                        help=_expr_help(text))


def _walk(value: Any, path: tuple, skip: frozenset[str]) -> Iterator[tuple[tuple, str, bool]]:
    """(path, text, is_key) of every string below `value`; iterative (inputs nest deep)."""
    todo = [(value, path)]
    while todo:
        v, p = todo.pop()
        if isinstance(v, str):
            yield p, v, False
        elif isinstance(v, dict):
            for k, item in v.items():
                if k in skip:
                    continue
                if isinstance(k, str):
                    yield p + (k,), k, True
                todo.append((item, p + (k,)))
        elif isinstance(v, list):
            todo.extend((item, p + (i,)) for i, item in enumerate(v))
