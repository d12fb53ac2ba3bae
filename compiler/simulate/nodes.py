"""The node graph of a run and Argo's rule for the phase of a DAG.

Why a graph and not a per-task status table: Argo decides whether a DAG failed by a
breadth-first walk over node *children* (assessDAGPhase), where an Omitted or Skipped
task inherits the phase of the branch that led to it. So a task that failed and whose
failure was handled (`recover` depends `risky.Failed`) still fails the DAG if another
leaf task (`success`, depends `risky.Succeeded`) was omitted behind it. Getting that
right needs the same edges the controller draws: a root task hangs under its DAG node, a
dependent hangs under its dependencies' outbound nodes, a nested DAG's outbound nodes
are those of its target tasks.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

FAILED_OR_ERROR = ("Failed", "Error")


@dataclass(eq=False)
class Node:
    name: str  # Argo's node name: `<workflow>.<task>.<task>(0:item)...`
    type: str  # DAG, Pod, TaskGroup, Retry, Skipped
    phase: str = "Running"
    task: str | None = None  # the DAG task this node was created for
    template: str | None = None
    boundary: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    outbound: list["Node"] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    message: str = ""
    order: int = 0  # creation order: the order in which the controller would start it
    log: str = ""  # tail of a local process's output (--exec)
    exit_code: int | None = None
    child_ids: set[int] = field(default_factory=set, repr=False)  # children by identity: O(1) add_child

    @property
    def completed(self) -> bool:
        return self.phase in ("Succeeded", "Failed", "Error")

    @property
    def fulfilled(self) -> bool:
        return self.completed or self.phase in ("Skipped", "Omitted")

    @property
    def failed_or_error(self) -> bool:
        return self.phase in FAILED_OR_ERROR

    def add_child(self, child: "Node") -> None:
        if id(child) not in self.child_ids:
            self.child_ids.add(id(child))
            self.children.append(child)


def outbound_nodes(node: Node) -> list[Node]:
    """Where a task's dependents attach: getOutboundNodes in the controller."""
    if node.type in ("Skipped", "Pod"):
        return [node]
    if node.type == "TaskGroup":
        if not node.children:
            return [node]
        out: list[Node] = []
        seen: set[int] = set()
        for child in node.children:
            for o in outbound_nodes(child):
                if id(o) not in seen:
                    seen.add(id(o))
                    out.append(o)
        return out
    if node.type == "Retry":
        return outbound_nodes(node.children[-1]) if node.children else [node]
    return node.outbound or [node]


def assess_dag_phase(boundary: Node, targets: list[Node | None], dag_fail_fast: bool,
                     continues_on: dict[int, dict[str, bool]] | None = None) -> str:
    """The phase of a finished DAG from its target tasks, by the controller's walk.

    `targets` holds the target tasks' nodes (None for a target never created). A target
    that was omitted or skipped takes the phase of the branch that reached it, Failed or
    Error winning over Succeeded.
    """
    continues_on = continues_on or {}
    phases: dict[int, str] = {id(t): "" for t in targets if t is not None}
    seen: set[tuple[int, str]] = set()
    queue: deque[tuple[Node, str]] = deque()

    def add(children: list[Node], phase: str) -> None:
        for c in children:
            key = (id(c), phase)
            if key not in seen:
                seen.add(key)
                queue.append((c, phase))

    add(boundary.children, "Succeeded")
    while queue:
        node, branch = queue.popleft()
        if not node.fulfilled:
            return "Running"
        if node.completed:
            branch = node.phase
        if id(node) in phases and phases[id(node)] not in FAILED_OR_ERROR:
            phases[id(node)] = branch
        add(node.children, branch)
    result = "Succeeded"
    for t in targets:
        phase = phases.get(id(t), "") if t is not None else ""
        if phase == "":
            result = "Running"
            if not dag_fail_fast:
                break
        elif phase in FAILED_OR_ERROR:
            co = continues_on.get(id(t), {})
            if (phase == "Failed" and co.get("failed")) or (phase == "Error" and co.get("error")):
                continue
            result = phase
            if dag_fail_fast:
                break
    return result


def task_group_phase(children: list[Node]) -> str:
    """A loop's phase: Failed or Error if any iteration was, else Succeeded."""
    phase = "Succeeded"
    for c in children:
        if c.failed_or_error:
            phase = c.phase
    return phase


def as_json(node: Node, workflow: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": short_name(node.name, workflow), "type": node.type, "phase": node.phase}
    if node.task:
        out["task"] = node.task
    if node.template:
        out["template"] = node.template
    if node.inputs:
        out["inputs"] = dict(node.inputs)
    if node.outputs:
        out["outputs"] = dict(node.outputs)
    if node.exit_code is not None:
        out["exit_code"] = node.exit_code
    if node.message:
        out["message"] = node.message
    if node.log:
        out["log"] = node.log
    return out


def short_name(name: str, workflow: str) -> str:
    """A node's name without the workflow name in front (the same in every run)."""
    return name[len(workflow) + 1:] if name.startswith(workflow + ".") else name
