"""Generated valid pipelines compile, deterministically, to manifests that mean the same graph.

Each property is one promise of DESIGN.md ("Deterministic", "A traceback is a bug",
verify before write) checked on pipelines nobody wrote by hand: every step type,
composites nested to depth 4, names that collide after sanitising, overrides.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from argo_graph import Manifest, check_graph  # noqa: E402
from pipeline_gen import inputs, to_block, to_flow  # noqa: E402

from compiler.driver import Request, compile_files  # noqa: E402
from compiler.frontend.load import load_mapping  # noqa: E402
from compiler.diagnostics import Diagnostics  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"[a-zA-Z0-9][-a-zA-Z0-9]*\Z")
HASH = "rcc.dev/dag-hash"
COMMON = settings(max_examples=60, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.function_scoped_fixture])


def write_inputs(folder: Path, pipeline: dict, config: dict, params: dict, text: str | None = None) -> Request:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pipeline.yaml").write_text(text if text is not None else to_block(pipeline), encoding="utf-8")
    (folder / "argo-config.yaml").write_text(to_block(config), encoding="utf-8")
    (folder / "parameters.yaml").write_text(to_block(params), encoding="utf-8")
    return Request(str(folder / "pipeline.yaml"), str(folder / "argo-config.yaml"), str(folder / "parameters.yaml"))


def compile_ok(req: Request):
    result = compile_files(req)
    errors = [f"{d.code} {d.message}" for d in result.diagnostics if d.severity == "error"]
    assert not errors, "\n".join(errors)
    assert result.text is not None
    return result


def annotation(result) -> str:
    return result.manifest["metadata"]["annotations"][HASH]


@COMMON
@given(case=inputs())
def test_valid_pipelines_compile_verify_and_keep_their_graph(tmp_path_factory, case) -> None:
    pipeline, config, params = case
    req = write_inputs(tmp_path_factory.mktemp("p"), pipeline, config, params)
    first = compile_ok(req)  # compile_files runs verify: an RCC0902 would fail here
    assert compile_ok(req).text == first.text, "two compiles of the same input differ"

    manifest = first.manifest
    templates = [t["name"] for t in manifest["spec"]["templates"]]
    assert len(templates) == len(set(templates)), f"duplicate template names: {templates}"
    for t in manifest["spec"]["templates"]:
        assert NAME.match(t["name"]) and len(t["name"]) <= 63, t["name"]
        tasks = [task["name"] for task in t.get("dag", {}).get("tasks", [])]
        assert len(tasks) == len(set(tasks)), f"duplicate task names in {t['name']}: {tasks}"
        for n in tasks:
            assert NAME.match(n) and len(n) <= 63, n

    check_graph(Manifest(manifest), manifest["spec"]["entrypoint"], pipeline["dag"], "")


def _shuffled(data: Any, rnd: random.Random) -> Any:
    if isinstance(data, dict):
        keys = list(data)
        rnd.shuffle(keys)
        return {k: _shuffled(data[k], rnd) for k in keys}
    if isinstance(data, list):
        return [_shuffled(v, rnd) for v in data]
    return data


@COMMON
@given(case=inputs(), seed=st.integers(0, 2**16))
def test_dag_hash_ignores_layout(tmp_path_factory, case, seed: int) -> None:
    pipeline, config, params = case
    folder = tmp_path_factory.mktemp("h")
    base = annotation(compile_ok(write_inputs(folder, pipeline, config, params)))
    layouts = {
        "flow": to_flow(pipeline),
        "reordered": to_block(_shuffled(pipeline, random.Random(seed))),
        "comments": to_block(pipeline, comments=True),
        "anchors": to_block(pipeline, anchors=True),
    }
    for what, text in layouts.items():
        got = annotation(compile_ok(write_inputs(folder, pipeline, config, params, text)))
        assert got == base, f"dag_hash changed by {what}"


def _steps(graph: dict) -> list[tuple[dict, str]]:
    """Every (graph, step name), nested graphs included."""
    out, todo = [], [graph]
    while todo:
        g = todo.pop()
        for name, s in g["steps"].items():
            out.append((g, name))
            todo.extend(s.get("branches", {}).values())
            for k in ("branch", "default"):
                if s.get(k):
                    todo.append(s[k])
    return out


def _semantic_edits(pipeline: dict) -> list[tuple[str, dict]]:
    """Edits that keep the pipeline valid but change what it means."""
    edits = []
    for g, name in _steps(pipeline["dag"]):
        s = g["steps"][name]
        if s["type"] == "task":
            def cmd(p, g=g, name=name):
                s = g["steps"][name]  # a python command stays a dotted path (RCC0142)
                s["command"] += "_changed" if s["command_type"] == "python" else " --changed"
            edits.append(("command", cmd))
            def ctype(p, g=g, name=name):
                s = g["steps"][name]
                s["command_type"] = {"python": "shell", "shell": "notebook", "notebook": "shell"}[s["command_type"]]
            edits.append(("command_type", ctype))
        if s["type"] not in ("success", "fail") and "on_failure" not in s:
            fail = next((n for n, x in g["steps"].items() if x["type"] == "fail"), "fail")
            def onf(p, g=g, name=name, fail=fail):
                g["steps"][name]["on_failure"] = fail
            edits.append(("on_failure", onf))
        if s["type"] not in ("success", "fail"):
            def rename(p, g=g, name=name):
                new = name + " renamed"
                g["steps"] = {(new if k == name else k): v for k, v in g["steps"].items()}
                for v in g["steps"].values():
                    for key in ("next", "on_failure"):
                        if v.get(key) == name:
                            v[key] = new
                if g["start_at"] == name:
                    g["start_at"] = new
            edits.append(("rename", rename))
    return edits


@COMMON
@given(case=inputs(), pick=st.integers(0, 10**6))
def test_dag_hash_changes_with_meaning(tmp_path_factory, case, pick: int) -> None:
    pipeline, config, params = case
    folder = tmp_path_factory.mktemp("e")
    base = annotation(compile_ok(write_inputs(folder, pipeline, config, params)))
    edited = json.loads(json.dumps(pipeline))
    edits = _semantic_edits(edited)
    what, edit = edits[pick % len(edits)]
    edit(edited)
    got = annotation(compile_ok(write_inputs(folder, edited, config, params)))
    assert got != base, f"dag_hash unchanged by a {what} edit"


@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=inputs())
def test_same_bytes_under_another_hash_seed(tmp_path_factory, case) -> None:
    """Subprocesses are slow: a small sample, two hash seeds, against the in-process bytes."""
    pipeline, config, params = case
    req = write_inputs(tmp_path_factory.mktemp("s"), pipeline, config, params)
    expected = compile_ok(req).text
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed, NO_COLOR="1")
        env.pop("RCC_VAR_image", None)
        proc = subprocess.run([sys.executable, "-m", "compiler.cli", "build", req.pipeline, "-c", req.config,
                               "-p", req.parameters, "-o", "-"], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == expected, f"PYTHONHASHSEED={seed} changes the manifest"


def test_loader_reads_generated_yaml_as_written(tmp_path: Path) -> None:
    """The style writers are themselves correct: block, flow, comments and anchors load equal."""
    data = {"dag": {"start_at": "a", "steps": {"a": {"type": "task", "command": "x", "next": "s"},
                                                "s": {"type": "success"}, "f": {"type": "fail"}}}}
    for text in (to_block(data), to_flow(data), to_block(data, comments=True), to_block(data, anchors=True)):
        diags = Diagnostics()
        doc = load_mapping(text, "p.yaml", diags, "pipeline")
        assert not diags.has_errors and doc is not None and doc.data == data, text
