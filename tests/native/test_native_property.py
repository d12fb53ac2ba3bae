"""Property: a random pipeline with random returned values ends, under the native runtime
(simulated pod by pod), with the final values runnable 0.50's local run ends with.

Bounded (a few examples of a few steps each: every example is two real runs); a longer
search is `RCC_NATIVE_EXAMPLES=50 python -m pytest tests/native/test_native_property.py`.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import native_fidelity as fidelity

NAMES = ["a", "b", "c"]
scalars = st.one_of(st.integers(-50, 50), st.booleans(), st.text("abcxyz0123", min_size=1, max_size=4))
values = st.one_of(scalars, st.lists(st.integers(0, 9), max_size=3), st.dictionaries(st.sampled_from("pq"), st.integers(0, 9)))
returns = st.dictionaries(st.sampled_from(NAMES), values, min_size=1, max_size=2)
step = st.one_of(
    st.tuples(st.just("py"), returns),
    st.tuples(st.just("sh"), st.dictionaries(st.sampled_from(NAMES), st.text("abcxyz", min_size=1, max_size=4),
                                             min_size=1, max_size=2)),
    st.tuples(st.just("par"), st.lists(returns, min_size=1, max_size=2)),
    st.tuples(st.just("map"), st.sampled_from(NAMES), st.integers(1, 5)),
    st.tuples(st.just("read"), st.just(None)),
)


def _write_case(folder: Path, steps: list) -> None:
    """pipeline.yaml (JSON is YAML), params.yaml and tasks.py for one generated pipeline."""
    code, graph = [], {}
    names = [f"s{i}" for i in range(len(steps))] + ["success"]

    def task(fname: str, rets: dict, nxt: str) -> dict:
        code.append(f"def {fname}():\n    return {tuple(rets.values())!r}\n")
        return {"type": "task", "command": f"tasks.{fname}", "returns": [{"name": n} for n in rets], "next": nxt}

    for i, s in enumerate(steps):
        nxt, kind = names[i + 1], s[0]
        if kind == "py":
            graph[names[i]] = task(f"f{i}", s[1], nxt)
        elif kind == "sh":
            exports = "; ".join(f"export {n}='{v}'" for n, v in s[1].items())
            graph[names[i]] = {"type": "task", "command_type": "shell", "command": exports,
                               "returns": [{"name": n} for n in s[1]], "next": nxt}
        elif kind == "par":
            branches = {}
            for j, rets in enumerate(s[1]):
                branches[f"b{j}"] = {"start_at": "t", "steps": {"t": task(f"f{i}_{j}", rets, "success"),
                                                               "success": {"type": "success"}, "fail": {"type": "fail"}}}
            graph[names[i]] = {"type": "parallel", "branches": branches, "next": nxt}
        elif kind == "map":
            code.append(f"def m{i}(item):\n    return item * {s[2]}\n")
            graph[names[i]] = {"type": "map", "iterate_on": "items", "iterate_as": "item", "next": nxt, "branch": {
                "start_at": "t", "steps": {"t": {"type": "task", "command": f"tasks.m{i}", "returns": [{"name": s[1]}],
                                                 "next": "success"}, "success": {"type": "success"}, "fail": {"type": "fail"}}}}
        else:
            code.append(f"def r{i}(a=None, b=None, c=None):\n    return repr([a, b, c])\n")
            graph[names[i]] = {"type": "task", "command": f"tasks.r{i}", "returns": [{"name": f"seen{i}"}], "next": nxt}
    graph["success"], graph["fail"] = {"type": "success"}, {"type": "fail"}
    folder.mkdir(parents=True)
    (folder / "pipeline.yaml").write_text(json.dumps({"dag": {"start_at": names[0], "steps": graph}}, indent=1))
    (folder / "params.yaml").write_text("items: [1, 2, 3]\na: 7\n")
    (folder / "tasks.py").write_text("\n\n".join(code) or "\n")
    (folder / "argo-config.yaml").write_text(fidelity.NATIVE_CONFIG)


@pytest.fixture(scope="module")
def venv():
    return fidelity.require_runnable()


@settings(max_examples=int(os.environ.get("RCC_NATIVE_EXAMPLES", "6")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=4))
def test_random_pipelines_end_with_runnables_values(venv, tmp_path_factory, steps):
    folder = tmp_path_factory.mktemp("prop") / "case"
    _write_case(folder, steps)
    with ThreadPoolExecutor(2) as pool:
        native_run, local_run = pool.submit(fidelity.run_native, folder, venv), pool.submit(fidelity.run_local, folder, venv)
        native, local = native_run.result(), local_run.result()
    assert local["status"] == "SUCCESS" and native["phase"] == "Succeeded", (local["status"], native["phase"])
    assert native["values"] == local["values"], (folder / "pipeline.yaml").read_text()
