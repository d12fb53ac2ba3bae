"""`rcc simulate` ends on every manifest: recursion stops at Argo's stack depth, nodes and
time are bounded with a diagnostic, the stepper is linear, and what lint rejects is not run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bounded import assert_user_error, rcc

LEAF = {"name": "leaf", "container": {"image": "busybox", "command": ["true"]}}


def _dag(name: str, tasks: list) -> dict:
    return {"name": name, "dag": {"tasks": tasks}}


def _write(tmp_path: Path, templates: list, entry: str = "main", **spec) -> str:
    doc = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"generateName": "s-"},
           "spec": {"entrypoint": entry, "templates": templates, **spec}}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(doc))
    return str(path)


RECURSIVE = {
    "self": lambda: ([_dag("main", [{"name": "again", "template": "main"}])], "main", {}),
    "mutual": lambda: ([_dag("main", [{"name": "b", "template": "other"}]),
                        _dag("other", [{"name": "a", "template": "main"}])], "main", {}),
    "exit-handler-calls-itself": lambda: ([_dag("main", [{"name": "a", "template": "leaf"}]),
                                           _dag("bye", [{"name": "x", "template": "leaf", "onExit": "bye"}]), LEAF],
                                          "main", {"onExit": "bye"}),
    "3000-deep": lambda: ([_dag(f"t{i}", [{"name": "n", "template": f"t{i + 1}"}]) for i in range(3000)]
                          + [_dag("t3000", [{"name": "n", "template": "leaf"}]), LEAF], "t0", {}),
}


@pytest.mark.parametrize("shape", sorted(RECURSIVE))
def test_recursion_stops_at_argos_stack_depth(shape: str, tmp_path: Path) -> None:
    templates, entry, spec = RECURSIVE[shape]()
    out = rcc("simulate", _write(tmp_path, templates, entry, **spec))
    assert out.code in (0, 1), out.stderr[-2000:]
    assert "Traceback" not in out.stderr and "RCC09" not in out.stderr
    assert "Maximum recursion depth exceeded" in out.stdout.decode() + out.stderr


def test_a_wide_loop_hits_the_node_bound(tmp_path: Path) -> None:
    path = _write(tmp_path, [_dag("main", [{"name": "t", "template": "leaf", "withItems": list(range(100_000))}]), LEAF])
    out = rcc("simulate", path, "--max-nodes", "2000")
    assert_user_error(out, "RCC1007")
    assert "--max-nodes N" in out.stderr


def test_a_huge_retry_limit_under_exec_hits_the_time_bound(tmp_path: Path) -> None:
    bad = {"name": "bad", "retryStrategy": {"limit": 10 ** 9, "retryPolicy": "Always"},
           "container": {"image": "busybox", "command": ["false"]}}
    path = _write(tmp_path, [_dag("main", [{"name": "t", "template": "bad"}]), bad])
    started = time.monotonic()
    out = rcc("simulate", path, "--exec", "--max-time", "2", "--workdir", str(tmp_path))
    assert_user_error(out, "RCC1008")
    assert time.monotonic() - started < 20


def test_a_process_that_never_ends_is_ended_at_the_time_bound(tmp_path: Path) -> None:
    slow = {"name": "slow", "container": {"image": "busybox", "command": ["sleep", "600"]}}
    path = _write(tmp_path, [_dag("main", [{"name": "t", "template": "slow"}]), slow])
    out = rcc("simulate", path, "--exec", "--max-time", "1", "--workdir", str(tmp_path), timeout=20)
    assert out.code == 1 and "Traceback" not in out.stderr


@pytest.mark.parametrize("shape", ["chain", "wide"])
def test_the_stepper_is_linear(shape: str, tmp_path: Path) -> None:
    """A 5,000-step chain and a 5,000-wide DAG finish well inside the bound (19 s before)."""
    n = 5000
    tasks = [{"name": f"t{i}", "template": "leaf", **({"depends": f"t{i - 1}"} if i and shape == "chain" else {})}
             for i in range(n)]
    out = rcc("simulate", _write(tmp_path, [_dag("main", tasks), LEAF]), "--max-time", "25")
    assert out.code == 0, out.stderr[-2000:]
    assert out.stdout.decode().startswith("workflow s-sim00: Succeeded")


@pytest.mark.parametrize("bad", ["cycle", "self", "tasks-string", "int64"])
def test_what_lint_rejects_is_not_simulated(bad: str, tmp_path: Path) -> None:
    tasks: object = [{"name": "a", "template": "leaf", "depends": "b"}, {"name": "b", "template": "leaf", "depends": "a"}]
    spec: dict = {}
    if bad == "self":
        tasks = [{"name": "a", "template": "leaf", "depends": "a"}]
    elif bad == "tasks-string":
        tasks = "abc"
    elif bad == "int64":
        tasks, spec = [{"name": "a", "template": "leaf"}], {"parallelism": 99999999999999999999999}
    out = rcc("simulate", _write(tmp_path, [_dag("main", tasks), LEAF], **spec))
    assert_user_error(out, "RCC1009")
    assert "Succeeded" not in out.stdout.decode()


WRONG = {
    "task name a list": lambda t: t[0]["dag"]["tasks"][0].__setitem__("name", ["x"]),
    "dag.tasks a number": lambda t: t[0]["dag"].__setitem__("tasks", 5),
    "arguments.parameters true": lambda t: t[0]["dag"]["tasks"][0].__setitem__("arguments", {"parameters": True}),
    "input name a mapping": lambda t: t[1].__setitem__("inputs", {"parameters": [{"name": {"a": "b"}}]}),
    "task without template": lambda t: t[0]["dag"]["tasks"][0].pop("template"),
}


@pytest.mark.parametrize("command", ["lint", "simulate"])
@pytest.mark.parametrize("wrong", sorted(WRONG) + ["spec.templates a number"])
def test_wrong_typed_fields_are_located_diagnostics(command: str, wrong: str, tmp_path: Path) -> None:
    templates = [_dag("main", [{"name": "a", "template": "leaf"}]), json.loads(json.dumps(LEAF))]
    if wrong in WRONG:
        WRONG[wrong](templates)
        path = _write(tmp_path, templates)
    else:
        path = _write(tmp_path, 5)  # type: ignore[arg-type]
    out = rcc(command, path)
    assert_user_error(out)
    assert "-->" in out.stderr
