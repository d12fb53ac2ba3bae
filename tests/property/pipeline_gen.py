"""Hypothesis strategies for VALID rcc inputs: a pipeline, a runnable-0.50 configuration, parameters.

Why a hand-written generator rather than one derived from the pydantic models: a random
model instance is almost never a valid *graph* (dangling `next`, cycles, unreachable
steps); here every graph is built valid by construction (forward edges only, every step
reachable), so each example exercises the whole compiler instead of `check_graph`.

Names are drawn from a pool chosen to hurt the name pass: spellings that collide after
sanitising (`Train`, `train`, `tra-in`, `tra_in`), unicode, spaces and quotes, names
longer than Argo's 63 characters, and names that sanitise to nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import strategies as st

MAX_DEPTH = 4
OVERRIDES = ("gpu", "big-memory", "slow")
LIST_PARAMS = ("items", "chunks")
CHOICE_PARAM = "choice"

NAME_POOL = (
    "Train", "train", "tra-in", "tra_in", "TRAIN", "tr ain", "train-", "-train",
    "träin", "数据", "データ処理", "é", "ü-ß", "🚀 launch", "step 1", "1st", "42",
    "a" * 70, "b" * 63, "x" * 64 + "-tail", "long name " * 8,
    "q\"uote", "it's", "a/b", "a:b", "a#b", "a - b", "__", "  padded  ",
    "success", "fail", "fan-out", "fan-in", "branch", "start", "step", "runnable-dag",
)
KEY_POOL = ("a", "b", "A", "1", "True", "x_y", "x-y", "longkey" * 10, "日本", "default")
LOOP_VARS = ("item", "chunk", "row", "x", "Item")


def _names(draw, count: int, avoid: set[str] | None = None) -> list[str]:
    """`count` distinct names: pool names first (to collide), then fresh ones."""
    avoid = avoid or set()
    pool = [n for n in NAME_POOL if n not in avoid]
    chosen = draw(st.lists(st.sampled_from(pool), min_size=0, max_size=count, unique=True))
    extra = draw(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                                         blacklist_characters=".%{}\\\u2028\u2029\x85"),
                                  min_size=1, max_size=12).filter(lambda s: s.strip()),
                          min_size=count, max_size=count, unique=True))
    for name in extra:
        if len(chosen) >= count:
            break
        if name not in chosen and name not in avoid:
            chosen.append(name)
    i = 0
    while len(chosen) < count:  # the text strategy may repeat pool names
        cand = f"n{i}"
        if cand not in chosen and cand not in avoid:
            chosen.append(cand)
        i += 1
    return chosen


@st.composite
def graphs(draw, depth: int = 0, loop_vars: tuple[str, ...] = ()) -> dict[str, Any]:
    """A valid graph: work steps in order, forward `next`/`on_failure` edges, one success, one fail.

    The terminals are called `success` and `fail` (runnable adds steps of those names to
    every graph, so under other names there would be two), declared or left implicit."""
    max_work = max(1, 4 - depth)
    n = draw(st.integers(min_value=1, max_value=max_work))
    work = _names(draw, n, avoid={"success", "fail"})
    success, fail = "success", "fail"
    steps: dict[str, Any] = {}
    targets_of: dict[str, tuple[str, str | None]] = {}
    for i, name in enumerate(work):
        later = work[i + 1:] + [success]
        nxt = later[0] if draw(st.booleans()) or len(later) == 1 else draw(st.sampled_from(later))
        on_failure = draw(st.sampled_from([None, None, fail] + later))
        targets_of[name] = (nxt, on_failure)
    reachable = _reachable(work[0], targets_of)
    # runnable 0.50 cannot run a composite inside a map (RCC0240): a map's branch holds leaves only.
    composites_left = draw(st.integers(min_value=0, max_value=2 if depth < MAX_DEPTH and not loop_vars else 0))
    for name in work:
        if name not in reachable:
            continue
        nxt, on_failure = targets_of[name]
        kind = "task"
        if composites_left and draw(st.booleans()):
            kind = draw(st.sampled_from(["parallel", "map", "conditional"]))
            composites_left -= 1
        else:
            kind = draw(st.sampled_from(["task", "task", "stub"]))
        step = draw(_step(kind, depth, loop_vars))
        step["next"] = nxt
        if on_failure is not None:
            step["on_failure"] = on_failure
        steps[name] = step
    if draw(st.booleans()):
        steps[success] = {"type": "success"}
    if draw(st.booleans()):
        steps[fail] = {"type": "fail"}
    order = draw(st.permutations(list(steps)))  # key order must not matter to anything
    return {"start_at": work[0], "steps": {k: steps[k] for k in order}}


def _reachable(start: str, targets_of: dict[str, tuple[str, str | None]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for t in targets_of.get(todo.pop(), ()):
            if t is not None and t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


@st.composite
def _step(draw, kind: str, depth: int, loop_vars: tuple[str, ...]) -> dict[str, Any]:
    if kind == "task":
        ctype = draw(st.sampled_from(["python", "shell", "notebook"]))
        command = {"python": "pkg.module.function", "shell": draw(st.sampled_from(
            ["echo hello", "echo \"quoted\" 'single' && ls | wc -l", "python -c 'print(1)'", "true"])),
            "notebook": "notebooks/analysis.ipynb"}[ctype]
        step: dict[str, Any] = {"type": "task", "command_type": ctype, "command": command}
        if draw(st.booleans()):
            step["returns"] = [{"name": draw(st.sampled_from(["score", "model", "out"])),
                                "kind": draw(st.sampled_from(["json", "object", "metric"]))}]
        if draw(st.integers(0, 3)) == 0:
            step["overrides"] = {"argo": draw(st.sampled_from(OVERRIDES))}
        if draw(st.integers(0, 4)) == 0:
            step["secrets"] = ["API_TOKEN"]
        return step
    if kind == "stub":
        step = {"type": "stub"}
        if draw(st.booleans()):
            step["anything"] = {"goes": [1, 2]}
        return step
    inner = depth + 1
    if kind == "parallel":
        keys = draw(st.lists(st.sampled_from(KEY_POOL), min_size=1, max_size=2 if depth else 3, unique=True))
        return {"type": "parallel", "branches": {k: draw(graphs(inner, loop_vars)) for k in keys}}
    if kind == "map":
        var = draw(st.sampled_from([v for v in LOOP_VARS if v not in loop_vars]))
        return {"type": "map", "iterate_on": draw(st.sampled_from(LIST_PARAMS)), "iterate_as": var,
                "branch": draw(graphs(inner, loop_vars + (var,)))}
    keys = draw(st.lists(st.sampled_from([k for k in KEY_POOL if k != "default"]), min_size=1,
                         max_size=2, unique=True))
    step = {"type": "conditional", "parameter": CHOICE_PARAM,
            "branches": {k: draw(graphs(inner, loop_vars)) for k in keys}}
    if draw(st.booleans()):
        step["default"] = draw(graphs(inner, loop_vars))
    return step


def config_for() -> dict[str, Any]:
    """A runnable-0.50 configuration defining every override the steps may name."""
    return {
        "pipeline-executor": {"type": "argo", "config": {
            "pvc_for_runnable": "runnable-pvc",
            "secret_from_k8s": "app-secrets",
            "defaults": {"image": "python:3.11-slim"},
            "overrides": {
                "gpu": {"resources": {"limits": {"gpu": 1, "memory": "8Gi"}}},
                "big-memory": {"resources": {"requests": {"memory": "16Gi"}, "limits": {"memory": "16Gi"}}},
                "slow": {"timeout": "3h", "activeDeadlineSeconds": 10800},
            },
            "argoWorkflow": {"metadata": {"generateName": "prop-", "labels": {"team": "ml"}}, "spec": {}},
        }},
        "run-log-store": {"type": "chunked-fs"},
        "catalog": {"type": "file-system"},
    }


@st.composite
def parameters(draw) -> dict[str, Any]:
    params: dict[str, Any] = {"items": [1, 2, 3], "chunks": ["a", "b"], CHOICE_PARAM: draw(st.sampled_from(KEY_POOL))}
    params["text"] = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                                         blacklist_characters="{}\x85\u2028\u2029"),
                                  max_size=20))
    params["count"] = draw(st.integers(-10**6, 10**6))
    params["flag"] = draw(st.booleans())
    return params


@st.composite
def inputs(draw) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(pipeline, configuration, parameters), all valid together."""
    return {"dag": draw(graphs())}, config_for(), draw(parameters())


# -- writing YAML in several styles (for dag_hash invariance) ------------------------------

_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")


def quote(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes, plus the characters YAML forbids raw."""
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def to_flow(data: Any) -> str:
    """Flow style: JSON is YAML (once YAML's non-printable characters are escaped)."""
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False))


def to_block(data: Any, comments: bool = False, anchors: bool = False) -> str:
    """Block style, optionally with comments on every mapping line and anchors on repeated scalars."""
    lines: list[str] = []
    state = {"seen": {}, "n": 0}

    def scalar(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if v is None:
            return "null"
        if isinstance(v, (int, float)):
            return json.dumps(v)
        text = quote(v)
        if not anchors:
            return text
        if v in state["seen"]:
            return "*" + state["seen"][v]
        state["n"] += 1
        state["seen"][v] = f"a{state['n']}"
        return f"&a{state['n']} {text}"

    def emit(v: Any, indent: int) -> None:
        pad = " " * indent
        if isinstance(v, dict):
            if not v:
                lines[-1] += " {}"
                return
            for k, item in v.items():
                key = quote(k)
                if isinstance(item, (dict, list)) and item:
                    lines.append(f"{pad}{key}:" + ("  # a comment" if comments else ""))
                    emit(item, indent + 2)
                else:
                    lines.append(f"{pad}{key}: " + (scalar(item) if not isinstance(item, (dict, list))
                                                     else json.dumps(item)))
                    if comments:
                        lines.append(f"{pad}# comment after {json.dumps(k, ensure_ascii=True)}")
        elif isinstance(v, list):
            for item in v:
                if isinstance(item, (dict, list)) and item:
                    lines.append(f"{pad}-")
                    emit(item, indent + 2)
                else:
                    lines.append(f"{pad}- " + (scalar(item) if not isinstance(item, (dict, list)) else json.dumps(item)))

    if comments:
        lines.append("# generated by tests/property")
    emit(data, 0)
    return "\n".join(lines) + "\n"
