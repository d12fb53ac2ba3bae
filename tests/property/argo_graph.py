"""A small reader of a compiled manifest's DAGs, to compare what Argo would do with the pipeline.

Why its own reader and not the compiler's IR: the property under test is that the
*manifest* means what the pipeline means, so the check must start from the manifest
text alone. Each DAG task is identified by the runnable node it stands for (the `node`
argument of a leaf, or of a composite's fan-out); its `depends` expression is parsed
into the set of (predecessor, outcome) pairs any one of which lets it run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ATOM = re.compile(r"([a-zA-Z0-9][-a-zA-Z0-9]*)\.(Succeeded|Failed|Skipped|Errored|Daemoned|Omitted)\Z")


def depends_disjuncts(expr: str | None) -> set[tuple[str, str]]:
    """`a.Succeeded || b.Failed` → {(a, Succeeded), (b, Failed)}; anything else is an error."""
    if expr is None:
        return set()
    text = expr.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    out = set()
    for part in text.split("||"):
        m = _ATOM.match(part.strip())
        assert m, f"not a disjunction of task outcomes: {expr!r}"
        out.add((m.group(1), m.group(2)))
    return out


def depends_conjuncts(expr: str) -> list[set[tuple[str, str]]]:
    """`(a.S || a.F) && (b.S || b.F)` → [{..a..}, {..b..}] (the fan-in's shape)."""
    return [depends_disjuncts(p) for p in expr.split("&&")]


@dataclass
class DagView:
    """One DAG template: its tasks by name, and for each task the node it stands for."""

    name: str
    tasks: dict[str, dict[str, Any]]
    node_of: dict[str, str] = field(default_factory=dict)
    """task name → runnable node (qualified name as the runtime receives it)."""


class Manifest:
    def __init__(self, manifest: dict[str, Any]) -> None:
        self.templates = {t["name"]: t for t in manifest["spec"]["templates"]}
        self.entry = manifest["spec"]["entrypoint"]

    def is_dag(self, name: str) -> bool:
        return "dag" in self.templates[name]

    def is_composite(self, name: str) -> bool:
        tasks = self.templates[name].get("dag", {}).get("tasks", [])
        return bool(tasks) and tasks[0]["name"] == "fan-out"

    def view(self, name: str) -> DagView:
        tasks = {t["name"]: t for t in self.templates[name]["dag"]["tasks"]}
        v = DagView(name, tasks)
        for tname, task in tasks.items():
            target = task["template"]
            if self.is_dag(target):
                assert self.is_composite(target), f"a graph DAG {target} used as a step in {name}"
                fan_out = self.templates[target]["dag"]["tasks"][0]
                v.node_of[tname] = _arg(fan_out, "node")
            else:
                v.node_of[tname] = _arg(task, "node")
        return v


def _arg(task: dict[str, Any], name: str) -> str:
    for p in task.get("arguments", {}).get("parameters", []):
        if p["name"] == name:
            return p["value"]
    raise AssertionError(f"task {task['name']} passes no `{name}` argument")


def runtime_name(qualname: str) -> str:
    return qualname.replace(" ", "%")


def _fail_step(graph: dict[str, Any]) -> str | None:
    return next((n for n, s in graph["steps"].items() if s["type"] == "fail"), None)


def reachable_steps(graph: dict[str, Any]) -> set[str]:
    """Steps that can run: from `start_at` by edges, and `fail` when some step's failure is unhandled."""
    steps = graph["steps"]
    seen, todo = {graph["start_at"]}, [graph["start_at"]]
    while todo:
        s = steps[todo.pop()]
        for t in (s.get("next"), s.get("on_failure")):
            if t is not None and t not in seen:
                seen.add(t)
                todo.append(t)
    fail = _fail_step(graph)
    if fail and any(steps[n].get("on_failure") is None and steps[n]["type"] not in ("success", "fail")
                    for n in seen):
        seen.add(fail)
    return seen


def expected_incoming(graph: dict[str, Any], name: str) -> set[tuple[str, str]]:
    """runnable's semantics: `next` on success, `on_failure` on failure, and a failure with
    no `on_failure` goes to the branch's `fail` step."""
    out = set()
    is_fail = name == _fail_step(graph)
    for p, s in graph["steps"].items():
        if s.get("next") == name:
            out.add((p, "Succeeded"))
        if s.get("on_failure") == name:
            out.add((p, "Failed"))
        if is_fail and s.get("on_failure") is None and s["type"] not in ("success", "fail"):
            out.add((p, "Failed"))
    return out


def with_terminals(graph: dict[str, Any]) -> dict[str, Any]:
    """The graph as runnable builds it: `success` and `fail` steps added when not declared."""
    steps = dict(graph["steps"])
    for kind in ("success", "fail"):
        if not any(s["type"] == kind for s in steps.values()):
            steps[kind] = {"type": kind}
    return {**graph, "steps": steps}


def check_graph(m: Manifest, template: str, graph: dict[str, Any], prefix: str) -> None:
    """Assert the DAG template `template` runs exactly `graph`'s steps under the same conditions."""
    graph = with_terminals(graph)
    view = m.view(template)
    reach = reachable_steps(graph)
    step_of = {}
    want_nodes = {runtime_name(prefix + s): s for s in reach}
    for tname, node in view.node_of.items():
        assert node in want_nodes, f"{template}: task {tname} runs node {node!r}, not a step of this graph"
        step_of[tname] = want_nodes[node]
    assert sorted(step_of.values()) == sorted(reach), f"{template}: steps {sorted(step_of.values())} != {sorted(reach)}"
    fail_task = next((t for t, st in step_of.items() if graph["steps"][st]["type"] == "fail"), None)
    for tname, task in view.tasks.items():
        step = step_of[tname]
        depends = task.get("depends")
        if graph["steps"][step]["type"] == "success" and fail_task is not None:
            # success waits for `fail` to be omitted: a recovered failure must not fail the DAG
            head, sep, last = (depends or "").rpartition(" && ")
            assert sep and last == f"{fail_task}.Omitted", f"{template}: success does not wait for fail: {depends!r}"
            depends = head
        got = {(step_of[p], o) for p, o in depends_disjuncts(depends)}
        want = expected_incoming(graph, step)
        want = {(p, o) for p, o in want if p in reach}
        assert got == want, f"{template}: step {step!r} waits for {got}, pipeline says {want}"
        spec = graph["steps"][step]
        if spec["type"] in ("parallel", "map", "conditional"):
            check_composite(m, task["template"], spec, prefix + step)


def check_composite(m: Manifest, template: str, spec: dict[str, Any], qual: str) -> None:
    tasks = m.templates[template]["dag"]["tasks"]
    fan_out, *branches, fan_in = tasks
    assert fan_out["name"] == "fan-out" and "depends" not in fan_out
    assert fan_in["name"] == "fan-in"
    assert _arg(fan_in, "node") == runtime_name(qual)
    for b in branches:
        assert depends_disjuncts(b["depends"]) == {("fan-out", "Succeeded")}, b
    ended = depends_conjuncts(fan_in["depends"])
    assert {frozenset(n for n, _ in c) for c in ended} == {frozenset([b["name"]]) for b in branches}
    for c in ended:  # the fan-in runs however each branch ended
        assert {o for _, o in c} >= {"Succeeded", "Failed"}
    if spec["type"] == "map":
        assert len(branches) == 1 and "withParam" in branches[0]
        check_graph(m, branches[0]["template"], spec["branch"], f"{qual}.map_variable_placeholder.")
        return
    graphs = dict(spec["branches"])
    if spec["type"] == "conditional":
        assert all("when" in b for b in branches)
        if spec.get("default") is not None:
            graphs["default"] = spec["default"]
    assert len(branches) == len(graphs), f"{template}: {len(branches)} branch tasks for {len(graphs)} branches"
    unmatched = list(branches)
    for key, g in spec["branches"].items():
        found = _branch_for(m, unmatched, g, f"{qual}.{key}.")
        unmatched.remove(found)
        check_graph(m, found["template"], g, f"{qual}.{key}.")
    if spec["type"] == "conditional" and spec.get("default") is not None:
        found = _branch_for(m, unmatched, spec["default"], f"{qual}.default.")
        check_graph(m, found["template"], spec["default"], f"{qual}.default.")


def _branch_for(m: Manifest, candidates: list[dict[str, Any]], graph: dict[str, Any], prefix: str) -> dict[str, Any]:
    want = runtime_name(prefix + graph["start_at"])
    for b in candidates:
        if want in m.view(b["template"]).node_of.values():
            return b
    raise AssertionError(f"no branch task runs {want!r}")
