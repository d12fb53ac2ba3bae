"""The scheduler: runs a Workflow's templates the way Argo's controller does, one at a time.

Argo starts every ready task of a DAG at once. The stepper runs them in *waves*: all
tasks ready at the same moment, sorted by name, then the next wave. A nested DAG runs to
its end inside its wave. This is one of the orders a real cluster can produce, it is the
same on every run (golden files depend on that), and it is the order in which local
processes must run anyway (see runner.py).

What is modelled, with the controller function it follows:
- depends / dependencies / bare names (evaluateDependsLogic), Omitted when false;
- `when` after substitution (shouldExecute), Skipped when false, Error when it fails;
- withItems / withParam (expandTask): a TaskGroup, `(i:item)` children, Skipped if empty;
- retryStrategy (processNodeRetries): limit, retryPolicy Always/OnFailure/OnError;
- template-level failFast (checkParallelism): no new task after a failed child;
- DAG phase (assessDAGPhase, see nodes.py); `dag.target`; continueOn;
- task-level onExit / hooks.exit and the workflow's spec.onExit (workflow.status set);
- the controller's stack depth (executeTemplate): a template nested MAX_DEPTH deep is an
  Error node "Maximum recursion depth exceeded", so recursive templates end.

Bounded and linear: the run stops with `BoundReached` when it would create more than
`Bounds.max_nodes` nodes or run longer than `Bounds.max_seconds` (the command reports
RCC1007 / RCC1008); a DAG's ready tasks come from dependency counts and its scope grows
by each finished task, so a 5,000-task chain costs 5,000 steps, not 5,000².
"""

from __future__ import annotations

import json
import time
from collections import ChainMap
from dataclasses import dataclass
from typing import Any

from compiler.simulate import aggregate, expr, subst
from compiler.simulate.model import Task, Template, Workflow
from compiler.simulate.nodes import Node, assess_dag_phase, outbound_nodes, task_group_phase
from compiler.simulate.runner import LeafCall, Runner

UNLIMITED_RETRY_CAP = 10  # attempts when retryStrategy has no limit (Argo would go on)
MAX_DEPTH = 100  # Argo's maxAllowedStackDepth (workflow/controller/controller.go)
DEPTH_MESSAGE = "Maximum recursion depth exceeded"


@dataclass(frozen=True)
class Bounds:
    """How much one simulation may do; `rcc simulate --max-nodes / --max-time` set them."""

    max_nodes: int = 50_000
    max_seconds: float = 60.0


class BoundReached(Exception):
    """The run hit a bound: `code` is the diagnostic, the nodes so far are kept."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message
WORKFLOW_PHASE = {"Succeeded": "Succeeded", "Skipped": "Succeeded", "Omitted": "Succeeded",
                  "Failed": "Failed", "Error": "Error"}


class Simulator:
    def __init__(self, wf: Workflow, runner: Runner, params: dict[str, str] | None = None,
                 uid: str = "00000000-0000-4000-8000-000000000000", deadline: bool = False,
                 bounds: Bounds = Bounds(), started: float | None = None) -> None:
        self.wf, self.runner = wf, runner
        self.nodes: list[Node] = []
        self.notes: list[str] = []
        self.bounds = bounds
        self.bound: BoundReached | None = None
        self.depth = 0
        self.stop_at = (time.monotonic() if started is None else started) + bounds.max_seconds
        self._continues: dict[str, dict[str, dict[str, bool]]] = {}
        self.use_deadline = deadline
        base = {"workflow.name": wf.name, "workflow.uid": uid, "workflow.namespace": wf.namespace,
                "workflow.mainEntrypoint": wf.entrypoint}
        args = {**wf.arguments, **(params or {})}
        # substituteGlobalVariables: argument values may refer to workflow.uid and the like
        self.globals = dict(base)
        for k, v in args.items():
            self.globals[f"workflow.parameters.{k}"] = subst.replace(v, base, allow_unresolved=True)
        self.phase = "Running"

    # ------------------------------------------------------------------ nodes
    def _node(self, name: str, type_: str, phase: str = "Running", **kw: Any) -> Node:
        if len(self.nodes) >= self.bounds.max_nodes:
            raise BoundReached("RCC1007", f"the run would create more than {self.bounds.max_nodes:,} nodes")
        if time.monotonic() > self.stop_at:
            raise BoundReached("RCC1008", f"the run took longer than {self.bounds.max_seconds:g} s")
        node = Node(name, type_, phase, order=len(self.nodes) + 1, **kw)
        self.nodes.append(node)
        return node

    # ------------------------------------------------------------------ workflow
    def run(self) -> str:
        """Run the entrypoint, then the exit handler; returns the workflow phase (Error
        when a bound was reached: `self.bound` says which)."""
        try:
            return self._run()
        except BoundReached as exc:
            self.bound = exc
            self.phase = "Error"
            return self.phase

    def _run(self) -> str:
        root = self.execute_template(self.wf.name, self.wf.entrypoint, {}, None, None)
        phase = WORKFLOW_PHASE.get(root.phase, "Error")
        if self.wf.on_exit:
            self.globals["workflow.status"] = phase
            failures = [{"displayName": n.name.rsplit(".", 1)[-1], "message": n.message, "phase": n.phase,
                         "templateName": n.template or ""} for n in self.nodes if n.failed_or_error]
            self.globals["workflow.failures"] = json.dumps(failures, separators=(",", ":"))
            exit_node = self.execute_template(f"{self.wf.name}.onExit", self.wf.on_exit, {}, None, None)
            if phase == "Succeeded" and exit_node.failed_or_error:
                phase = exit_node.phase
        self.phase = phase
        return phase

    def execute_template(self, name: str, tname: str, args: dict[str, str], boundary: Node | None,
                         task: str | None) -> Node:
        self.depth += 1
        try:
            if self.depth >= MAX_DEPTH:
                kind = self.wf.templates[tname].kind
                return self._node(name, "DAG" if kind == "dag" else "Pod", "Error", task=task, template=tname,
                                  boundary=boundary, message=DEPTH_MESSAGE)
            return self._execute_template(name, tname, args, boundary, task)
        finally:
            self.depth -= 1

    def _execute_template(self, name: str, tname: str, args: dict[str, str], boundary: Node | None,
                          task: str | None) -> Node:
        tmpl = self.wf.templates[tname]
        inputs: dict[str, str] = {}
        for pname, default in tmpl.inputs:
            value = args.get(pname, default)
            if value is None:
                return self._node(name, "Skipped", "Error", task=task, template=tname, boundary=boundary,
                                  message=f"inputs.parameters.{pname} was not supplied")
            inputs[pname] = value
        if tmpl.kind == "dag":
            node = self._node(name, "DAG", task=task, template=tname, boundary=boundary, inputs=inputs)
            self.run_dag(node, tmpl)
            return node
        if tmpl.kind not in ("container", "script"):
            return self._node(name, "Skipped", "Error", task=task, template=tname, boundary=boundary,
                              message=f"`{tmpl.kind}` templates are not simulated")
        if tmpl.retry is None:
            return self._pod(name, tmpl, inputs, boundary, task, 0)
        retry = self._node(name, "Retry", task=task, template=tname, boundary=boundary, inputs=inputs)
        limit = tmpl.retry.limit if tmpl.retry.limit is not None else UNLIMITED_RETRY_CAP - 1
        while True:
            attempt = self._pod(f"{name}({len(retry.children)})", tmpl, inputs, boundary, task, len(retry.children))
            retry.children.append(attempt)
            retry.outputs = attempt.outputs
            policy = tmpl.retry.policy
            retriable = (attempt.phase == "Failed" and policy in ("Always", "OnFailure")) or \
                        (attempt.phase == "Error" and policy in ("Always", "OnError"))
            if attempt.phase == "Succeeded" or not retriable or len(retry.children) > limit:
                retry.phase, retry.message = attempt.phase, attempt.message
                if not attempt.phase == "Succeeded" and retriable:
                    retry.message = "No more retries left"
                    if tmpl.retry.limit is None:
                        self.notes.append(f"{name}: retryStrategy has no limit; the simulation stopped after "
                                          f"{UNLIMITED_RETRY_CAP} attempts")
                return retry

    def _pod(self, name: str, tmpl: Template, inputs: dict[str, str], boundary: Node | None,
             task: str | None, attempt: int) -> Node:
        node = self._node(name, "Pod", task=task, template=tmpl.name, boundary=boundary, inputs=inputs)
        scope = dict(self.globals)
        scope.update({f"inputs.parameters.{k}": v for k, v in inputs.items()})
        scope["pod.name"] = name
        if tmpl.retry is not None:  # Argo injects `retries` only under a retryStrategy
            scope["retries"] = str(attempt)
        try:
            spec = subst.replace_all(tmpl.raw.get(tmpl.kind) or {}, scope)
        except subst.SubstError as exc:
            node.phase, node.message = "Error", str(exc)
            return node
        short = name[len(self.wf.name) + 1:] if name.startswith(self.wf.name + ".") else name
        result = self.runner.run(LeafCall(short, task, tmpl, spec, inputs, attempt))
        node.phase, node.outputs, node.message = result.phase, result.outputs, result.message
        for p in tmpl.outputs:  # global outputs: later pods read them as workflow.outputs.parameters.*
            if p.global_name and p.name in result.outputs:
                self.globals[f"workflow.outputs.parameters.{p.global_name}"] = result.outputs[p.name]
        node.exit_code, node.log = result.exit_code, result.log
        return node

    # ------------------------------------------------------------------ DAG
    def run_dag(self, node: Node, tmpl: Template) -> None:
        tasks = {t.name: t for t in tmpl.tasks}
        logic: dict[str, str] = {}
        deps: dict[str, list[str]] = {}
        for t in tmpl.tasks:
            logic[t.name] = expr.depends_logic(t.depends, t.dependencies, lambda n: {})
            try:
                deps[t.name] = expr.depends_tasks(logic[t.name]) if logic[t.name] else []
            except expr.ExprError:
                deps[t.name] = []
        # A task is ready once each task it names is done and fulfilled: count them down.
        dependents: dict[str, list[str]] = {n: [] for n in tasks}
        waiting: dict[str, int] = {}
        for n in tasks:
            named = set(deps[n])
            waiting[n] = len(named)
            for d in named:
                if d in dependents:
                    dependents[d].append(n)
        done: dict[str, Node] = {}
        scope = self._dag_scope(node)
        ready = sorted(n for n in tasks if waiting[n] == 0)
        scanned, child_failed = len(self.nodes), False
        while ready:
            if tmpl.tmpl_fail_fast:
                for n in self.nodes[scanned:]:
                    child_failed = child_failed or (n.boundary is node and n.type in ("Pod", "DAG")
                                                    and n.failed_or_error)
                scanned = len(self.nodes)
                if child_failed:
                    node.phase = "Failed"
                    node.message = "template has failed or errored children and failFast enabled"
                    break
            following: list[str] = []
            for name in ready:
                self.execute_task(node, tasks[name], logic[name], deps[name], done, scope)
                self._add_to_scope(scope, name, done[name])
            for name in ready:
                if done[name].fulfilled:
                    for t in dependents[name]:
                        waiting[t] -= 1
                        if waiting[t] == 0:
                            following.append(t)
            ready = sorted(following)
        if node.phase == "Running":
            has_dependents = {d for ds in deps.values() for d in ds}
            targets = tmpl.target.split() if tmpl.target else sorted(n for n in tasks if n not in has_dependents)
            target_nodes = [done.get(t) for t in targets]
            co = {id(done[t]): tasks[t].continue_on for t in targets if t in done}
            phase = assess_dag_phase(node, target_nodes, tmpl.dag_fail_fast, co)
            if phase == "Running":
                never = sorted(n for n in tasks if n not in done)
                phase, node.message = "Error", f"tasks never became ready: {', '.join(never)}"
            node.phase = phase
            if phase == "Succeeded" and any(p.parameter for p in tmpl.outputs):
                node.outputs, error = aggregate.template_outputs(tmpl.outputs, dict(scope))
                if error:
                    node.phase, node.message = "Error", error
            seen = {id(o) for o in node.outbound}
            for t in target_nodes:
                if t is not None:
                    for o in outbound_nodes(t):
                        if id(o) not in seen:
                            seen.add(id(o))
                            node.outbound.append(o)

    def _dag_scope(self, dag: Node) -> ChainMap:
        """What a DAG's tasks may read: its finished tasks, its inputs, the globals (live:
        a pod's global outputs appear in it), in that order of precedence."""
        return ChainMap({}, {f"inputs.parameters.{k}": v for k, v in dag.inputs.items()}, self.globals)

    @staticmethod
    def _add_to_scope(scope: ChainMap, tname: str, n: Node) -> None:
        scope[f"tasks.{tname}.status"] = n.phase
        if n.type == "TaskGroup":
            scope.update(aggregate.loop_scope(f"tasks.{tname}", n.children))
        for p, v in n.outputs.items():
            scope[f"tasks.{tname}.outputs.parameters.{p}"] = v

    def execute_task(self, dag: Node, task: Task, logic: str, deps: list[str], done: dict[str, Node],
                     scope: ChainMap) -> None:
        name = f"{dag.name}.{task.name}"
        literal = {k: v for k, v in task.arguments if "{{" not in v}

        def connect(child: Node) -> None:
            if not deps:
                dag.add_child(child)
            for d in deps:
                for o in outbound_nodes(done[d]):
                    o.add_child(child)

        def skipped(phase: str, message: str, node_name: str = name, attach: Any = connect) -> Node:
            n = self._node(node_name, "Skipped", phase, task=task.name, template=task.template, boundary=dag,
                           inputs=literal, message=message)
            attach(n)
            return n

        if logic:
            results = {}
            for d in deps:
                dn = done[d]
                kids = [c.phase for c in dn.children] if dn.type == "TaskGroup" else []
                results[d] = expr.TaskResults(dn.phase, any(p == "Succeeded" for p in kids),
                                              bool(kids) and all(p == "Failed" for p in kids))
            try:
                run_it = expr.eval_depends(logic, results, lambda t: self._continue_on(dag, t))
            except expr.ExprError as exc:
                done[task.name] = skipped("Error", str(exc))
                return
            if not run_it:
                done[task.name] = skipped("Omitted", "omitted: depends condition not met")
                return
        try:
            args = [(k, subst.replace(v, scope, allow_unresolved=True)) for k, v in task.arguments]
            when = subst.replace(task.when, scope, allow_unresolved=True) if task.when else None
            with_param = subst.replace(task.with_param, scope) if task.with_param is not None else None
        except subst.SubstError as exc:
            done[task.name] = skipped("Error", str(exc))
            return
        if task.with_items is None and with_param is None:
            done[task.name] = self._run_one(dag, task, name, args, when, {}, connect, skipped)
            return
        if with_param is not None:
            try:
                items = json.loads(with_param)
            except (ValueError, RecursionError):  # `[[[[...` thousands deep: not a list Argo reads either
                items = None
            if not isinstance(items, list):
                done[task.name] = skipped("Error", f"withParam value could not be parsed as a JSON list: {with_param.strip()}")
                return
        else:
            items = list(task.with_items or [])
        if not items:
            done[task.name] = skipped("Skipped", "Skipped, empty params")
            return
        group = self._node(name, "TaskGroup", task=task.name, template=task.template, boundary=dag)
        connect(group)
        done[task.name] = group
        for i, item in enumerate(items):
            self._run_one(dag, task, name + subst.item_label(i, item), args, when, subst.item_scope(item),
                          group.add_child, skipped)
        group.phase = task_group_phase(group.children)

    def _continue_on(self, dag: Node, task_name: str) -> dict[str, bool]:
        by_task = self._continues.get(dag.template or "")
        if by_task is None:
            tmpl = self.wf.templates.get(dag.template or "")
            by_task = {}
            for t in tmpl.tasks if tmpl else ():
                by_task.setdefault(t.name, t.continue_on)
            self._continues[dag.template or ""] = by_task
        return by_task.get(task_name, {})

    def _run_one(self, dag: Node, task: Task, name: str, args: list[tuple[str, str]], when: str | None,
                 item: dict[str, str], attach: Any, skipped: Any) -> Node:
        try:
            final = {k: subst.replace(v, item) for k, v in args}
            when_text = subst.replace(when, item) if when else None
        except subst.SubstError as exc:
            return skipped("Error", str(exc), name, attach)
        if when_text:
            try:
                go = expr.eval_when(when_text)
            except expr.ExprError as exc:
                return skipped("Error", f"invalid 'when' expression '{when_text}': {exc}", name, attach)
            if not go:
                return skipped("Skipped", f"when '{when_text}' evaluated false", name, attach)
        node = self.execute_template(name, task.template, final, dag, task.name)
        attach(node)
        if task.on_exit and node.completed:
            self.execute_template(f"{name}.onExit", task.on_exit, {}, dag, None)
        return node
