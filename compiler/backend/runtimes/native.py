"""The native runtime: each step runs its own command, with no framework inside the image.

A shell task runs `sh -c COMMAND`; a python task imports its function and calls it with
`python -c`, passing the parameters its signature names from environment variables (JSON
when it parses, else text, as runnable reads `RUNNABLE_PRM_*`); a fused step runs its
branch's tasks in order in one shell, stopping at the first failure. Initial parameters
reach every step as environment variables named like the parameter.

What it cannot express (`unsupported`): notebooks (they need runnable's ploomber
executor), maps and conditionals (their fan-out reads the run's parameters, which only
runnable's run log holds), and returned values (nothing carries them between pods).
A parallel step works: its fan-out does nothing and its fan-in fails when a branch failed.
"""

from __future__ import annotations

import shlex
from typing import Any

from dataclasses import replace

from compiler.backend.runtimes import runnable as _runnable
from compiler.context import Context
from compiler.ir import Graph, Node, Program, Task, Unit, map_graph, walk

NAME = "native"
VERSION = "1"
"""The native contract has no program behind it; its version is rcc's own contract's."""

MAP_OUTPUT = _runnable.MAP_OUTPUT
CASE_OUTPUT = _runnable.CASE_OUTPUT
STATUSES = "statuses"
OK_STATUSES = ("Succeeded", "Skipped", "Omitted")
_PY_CALL = (
    "import importlib, inspect, json, os\n"
    "def _value(text):\n"
    "    try:\n"
    "        return json.loads(text)\n"
    "    except ValueError:\n"
    "        return text\n"
    "f = getattr(importlib.import_module({module!r}), {function!r})\n"
    "f(**{{k: _value(os.environ[k]) for k in inspect.signature(f).parameters if k in os.environ}})\n"
)


def unsupported(node: Node) -> str | None:
    """Why the native runtime cannot run this step, or None."""
    if node.kind in ("map", "conditional"):
        return f"a {node.kind} step needs runnable's run log to choose what to run"
    if node.kind == "task" and node.spec.get("command_type") == "notebook":
        return "a notebook task needs runnable's notebook executor (ploomber-engine)"
    if node.kind == "fused":
        for inner in node.branches[0].nodes:
            if inner.kind not in ("task", "stub", "success", "fail"):
                return f"a fused branch may hold only tasks; `{inner.name}` is a {inner.kind}"
            if inner.on_failure:
                return f"a fused branch runs in one shell and cannot branch on failure (`{inner.name}` sets on_failure)"
            reason = unsupported(inner)
            if reason:
                return reason
    return None


def check(program: Program, ctx: Context) -> None:
    """Each step the native runtime cannot run is an error at its `type`."""
    for _, node in walk(program.graph):
        reason = unsupported(node)
        code = "RCC0231" if node.kind in ("map", "conditional", "fused") else "RCC0230"
        if reason and not _inside_fused(program.graph, node):
            ctx.diags.error(code, f"the native runtime cannot run step `{node.name}`: {reason}",
                            node.field_span("type"), help="use the runnable runtime (`runtime: runnable`) for this pipeline")
        if node.kind == "task" and node.spec.get("returns"):
            ctx.diags.warning("RCC0232", f"step `{node.name}` returns values, which the native runtime does not pass "
                              "to later steps", node.field_span("type"),
                              help="write results to a shared volume (`shared_directory`) or use the runnable runtime")


def prepare(program: Program, ctx: Context) -> Program:
    """Each leaf gets its command in its settings, so steps with different commands never share a template."""
    def attach(node: Node, graph: Graph) -> Node:
        if node.is_composite or unsupported(node):
            return node
        return replace(node, settings={**(node.settings or {}), "native_command": step_command(node)})

    return replace(program, graph=map_graph(program.graph, attach))


def _inside_fused(graph: Graph, node: Node) -> bool:
    """Steps of a fused branch are judged with their fused step (one diagnostic, not two)."""
    for _, n in walk(graph):
        if n.kind == "fused" and any(node is m for m in n.branches[0].nodes):
            return True
    return False


def step_command(node: Node) -> list[str]:
    """The container command of a leaf step (a fused step: its branch, in order)."""
    if node.kind == "fused":
        lines = [shlex.join(step_command(n)) for n in _in_order(node.branches[0])]
        return ["sh", "-c", "set -e\n" + "\n".join(lines)]
    if node.kind == "fail":
        return ["sh", "-c", "exit 1"]
    if node.kind != "task":
        return ["sh", "-c", "exit 0"]
    command = str(node.spec["command"])
    if node.spec.get("command_type") == "shell":
        return ["sh", "-c", command]
    module, _, function = command.rpartition(".")
    return ["python", "-c", _PY_CALL.format(module=module, function=function)]


def _in_order(graph) -> list[Node]:
    """The branch's steps from start_at along `next`, up to its success (or fail) step."""
    by_name, out, name = graph.by_name(), [], graph.start_at
    while name is not None and name in by_name and len(out) <= len(by_name):
        node = by_name[name]
        if node.kind == "success":
            break
        out.append(node)
        name = node.next
    return out


def command(unit: Unit, program: Program) -> list[str]:
    if unit.role == "step":
        return list(unit.settings["native_command"])
    if unit.role == "fan-out":
        return ["sh", "-c", "exit 0"]
    ok = "|".join(OK_STATUSES)
    return ["sh", "-c", f'for s in $RCC_BRANCH_STATUSES; do case "$s" in {ok}) ;; *) exit 1 ;; esac; done']


def extra_inputs(unit: Unit) -> list[str]:
    return [STATUSES] if unit.role == "fan-in" else []


def task_arguments(task: Task, dag: Unit, names: dict[str, str]) -> list[dict[str, str]]:
    """The fan-in learns how each branch ended, to fail when one failed."""
    if task.role != "fan-in":
        return []
    branches = [t for t in dag.tasks if t.role == "branch"]
    return [{"name": STATUSES, "value": " ".join(f"{{{{tasks.{names[t.key]}.status}}}}" for t in branches)}]


def outputs(unit: Unit) -> list[dict[str, Any]]:
    return []


def env(unit: Unit, program: Program, exposed: list[str]) -> list[dict[str, Any]]:
    if unit.role == "fan-in":
        return [{"name": "RCC_BRANCH_STATUSES", "value": f"{{{{inputs.parameters.{STATUSES}}}}}"}]
    if unit.role != "step":
        return []
    return [{"name": p, "value": f"{{{{workflow.parameters.{p}}}}}"} for p in exposed]


secret_env = _runnable.secret_env
shared_secrets = _runnable.shared_secrets


def workflow_arguments(program: Program, exposed: list[str]) -> list[dict[str, str]]:
    return [{"name": p, "value": _runnable.scalar_text(program.parameters[p])} for p in exposed]
