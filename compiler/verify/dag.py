"""DAG templates: tasks exist, dependencies exist and are acyclic, `depends` parses.

Why beyond Argo: Argo checks `depends` only with a regex, so a malformed boolean
expression fails at run time; here every expression is parsed (`depends.py`). Cycles are
found with an iterative depth-first search so a 10,000-task chain neither recurses nor
goes quadratic.
"""

from __future__ import annotations

from typing import Any

from compiler.diagnostics import did_you_mean
from compiler.verify.depends import LOOP_RESULTS, RESULTS, DependsError, parse_depends
from compiler.verify.findings import Report
from compiler.verify.model import Doc, each_task, mapping

LOOPS = ("withItems", "withParam", "withSequence")


def task_dependencies(task: dict) -> list[str]:
    """The names a task waits for, from `depends` or `dependencies` (unparsable: none)."""
    deps = task.get("dependencies")
    out: list[str] = [d for d in deps if isinstance(d, str)] if isinstance(deps, list) else []
    expr = task.get("depends")
    if isinstance(expr, str) and expr.strip():
        try:
            out.extend(name for name, _ in parse_depends(expr))
        except DependsError:
            pass
    return out


def check(doc: Doc, report: Report) -> None:
    for path, t in doc.each_template():
        dag = t.get("dag")
        if isinstance(dag, dict):
            _dag(dag, path, t, report)


def _dag(dag: dict, path: tuple, template: dict, report: Report) -> None:
    tasks = list(each_task(template, path))
    if isinstance(dag.get("tasks"), list) and not dag["tasks"]:
        report.error("RCC0825", f"DAG template `{template.get('name')}` has no tasks", path + ("dag", "tasks"),
                     help="add at least one task")
        return
    by_name = {task["name"]: task for _, task in tasks if isinstance(task.get("name"), str)}
    with_depends = [p for p, task in tasks if task.get("depends") is not None]
    with_deps = [p for p, task in tasks if task.get("dependencies") is not None]
    if with_depends and with_deps:
        report.error("RCC0826", "this DAG mixes `depends` and `dependencies`", with_deps[0] + ("dependencies",),
                     key=True, help="write every task's dependencies as `depends` (or every one as `dependencies`)")
    graph: dict[str, list[str]] = {}
    for tpath, task in tasks:
        name = task.get("name")
        deps = _task_deps(task, tpath, by_name, report)
        if isinstance(name, str):
            graph[name] = deps
    target = dag.get("target")
    if isinstance(target, str) and "{{" not in target:
        for t in target.split():
            if t not in by_name:
                guess = did_you_mean(t, by_name)
                report.error("RCC0832", f"target `{t}` is not a task of this DAG", path + ("dag", "target"),
                             help=f"did you mean `{guess}`?" if guess else "name a task of this DAG")
    _argument_sources(tasks, graph, report)
    _cycles(graph, {task["name"]: p for p, task in tasks if isinstance(task.get("name"), str)}, report)


def _task_deps(task: dict, tpath: tuple, by_name: dict[str, dict], report: Report) -> list[str]:
    """Check one task's `depends`/`dependencies`/`continueOn`; return the names it waits for."""
    out: list[str] = []
    expr = task.get("depends")
    if expr is not None and task.get("continueOn") is not None:
        report.error("RCC0827", "`continueOn` cannot be used together with `depends`", tpath + ("continueOn",),
                     key=True, help="express the condition in `depends` instead, e.g. `a.Succeeded || a.Failed`")
    if isinstance(expr, str):
        try:
            refs = parse_depends(expr) if expr.strip() else []
        except DependsError as exc:
            report.error("RCC0830", f"`depends` does not parse: {exc} (column {exc.column} of `{expr}`)",
                         tpath + ("depends",),
                         help="write task names and results joined by &&, || and !, e.g. `a.Succeeded && !b.Failed`")
            refs = []
        for name, result in refs:
            if result is not None and result not in RESULTS:
                guess = did_you_mean(result, RESULTS)
                report.error("RCC0830", f"`{name}.{result}` is not a task result", tpath + ("depends",),
                             help=f"did you mean `{name}.{guess}`?" if guess else "results: " + ", ".join(RESULTS))
            elif result in LOOP_RESULTS and name in by_name and not any(
                    by_name[name].get(k) is not None for k in LOOPS):
                report.error("RCC0829", f"`{name}.{result}` applies only to a task with a loop, and `{name}` has none",
                             tpath + ("depends",), help=f"use `{name}.Succeeded` / `{name}.Failed`, or loop `{name}`")
            _exists(name, by_name, tpath + ("depends",), report)
            out.append(name)
    deps = task.get("dependencies")
    if isinstance(deps, list):
        for i, name in enumerate(deps):
            if isinstance(name, str):
                _exists(name, by_name, tpath + ("dependencies", i), report)
                out.append(name)
    return [n for n in out if n in by_name]


def _argument_sources(tasks: list[tuple[tuple, dict]], graph: dict[str, list[str]], report: Report) -> None:
    """RCC0833: an argument taken from `{{tasks.X...}}` needs X to finish first."""
    for tpath, task in tasks:
        me = task.get("name")
        args = mapping(task.get("arguments"))
        for kind, key in (("parameters", "value"), ("artifacts", "from")):
            for i, a in enumerate(args.get(kind) or []):
                v = a.get(key) if isinstance(a, dict) else None
                if not (isinstance(v, str) and v.startswith("{{tasks.") and isinstance(me, str)):
                    continue
                src = v[len("{{tasks."):].split(".")[0].split("}")[0]
                if src in graph and src != me and not is_ancestor(graph, me, src):
                    report.error("RCC0833", f"task `{me}` takes `{a.get('name')}` from `{src}`, which it does not "
                                 "depend on", tpath + ("arguments", kind, i, key),
                                 help=f"add `{src}` to the `depends` of `{me}`")


def _exists(name: str, by_name: dict[str, Any], path: tuple, report: Report) -> None:
    if name not in by_name:
        guess = did_you_mean(name, by_name)
        report.error("RCC0828", f"dependency `{name}` is not a task of this DAG", path,
                     help=f"did you mean `{guess}`?" if guess else "name a task of the same DAG")


def _cycles(graph: dict[str, list[str]], where: dict[str, tuple], report: Report) -> None:
    """RCC0831: one report per cycle found, naming its tasks in order."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for root in graph:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        on_path: list[str] = [root]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            deps = graph.get(node, [])
            if i < len(deps):
                stack[-1] = (node, i + 1)
                nxt = deps[i]
                s = state.get(nxt)
                if s == 1:
                    cycle = on_path[on_path.index(nxt):] + [nxt]
                    report.error("RCC0831", "dependency cycle: " + " -> ".join(reversed(cycle)),
                                 where[nxt] + ("name",),
                                 help="remove one of these dependencies; a DAG cannot wait on itself")
                elif not s:
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    on_path.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                on_path.pop()


def is_ancestor(graph: dict[str, list[str]], task: str, candidate: str) -> bool:
    """Whether `candidate` must finish before `task` starts (search with early exit)."""
    seen = {task}
    todo = list(graph.get(task, ()))
    while todo:
        n = todo.pop()
        if n == candidate:
            return True
        if n not in seen:
            seen.add(n)
            todo.extend(graph.get(n, ()))
    return False


def dependency_graph(template: dict) -> dict[str, list[str]]:
    dag = mapping(template.get("dag"))
    return {t["name"]: task_dependencies(t) for t in dag.get("tasks") or [] if isinstance(t, dict)
            and isinstance(t.get("name"), str)}
