"""What the native runtime refuses or warns about, checked before anything is emitted.

Why apart from `runtimes/native.py`: that module says how a step runs; this one says
which pipelines can run that way at all, and what Argo or Linux would refuse when the
pods start (docs/native-runtime.md, "Sizes"):

- steps it cannot run (a notebook, RCC0230; a fused branch that is not plain tasks,
  RCC0231), values it drops (RCC0232, RCC0290, RCC0291, RCC0295) or cannot carry
  (RCC0293, RCC0294, RCC0292);
- sizes known at compile time (RCC0237, RCC0238): every value reaches a step as an
  environment variable and every program as a container argument, and Linux's exec
  refuses one string of `MAX_ARG_STRLEN` (131,072) bytes or more, terminating NUL
  included. Argo names the same figure (workflow/common/common.go `MaxEnvVarLen`) and,
  for container arguments over it, replaces the argument by `@FILE` (cmd/argoexec/
  commands/emissary.go), which `python -c` and `sh -c` would run as code.
"""

from __future__ import annotations

import re
from typing import Any

from compiler.backend import dataflow
from compiler.context import Context
from compiler.ir import Graph, Node, Program, walk

STATUSES = "statuses"
RESULTS = "results"
RESERVED = ("node", STATUSES, RESULTS)
"""Input names the native runtime's own templates use; a task may not return them."""
MAX_STRING = 131072
"""Linux's MAX_ARG_STRLEN (= Argo's MaxEnvVarLen): one argument or `NAME=value`, with its NUL, at most this."""


def initial_names(program: Program) -> tuple[str, ...]:
    """Initial parameters become workflow arguments (all of them: lists too, as JSON text)."""
    if not program.config.workflow.get("expose_parameters_as_inputs", True):
        return ()
    return tuple(program.parameters)


def unsupported(node: Node) -> str | None:
    """Why the native runtime cannot run this step, or None."""
    if node.kind == "task" and node.spec.get("command_type") == "notebook":
        return "a notebook task needs a notebook executor, which the native runtime does not assume in the image"
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
    """What the native runtime cannot run, and values that would not arrive where runnable sends them."""
    diags = ctx.diags
    for _, node in walk(program.graph):
        reason = unsupported(node)
        if reason and not _inside_fused(program.graph, node):
            code_ = "RCC0231" if node.kind == "fused" else "RCC0230"
            fix = ("run the notebook from a python task (e.g. with papermill in your image) or use the runnable "
                   "runtime" if code_ == "RCC0230" else "make the branch's steps ordinary steps of the pipeline")
            diags.error(code_, f"the native runtime cannot run step `{node.name}`: {reason}",
                        node.field_span("type"), help=fix)
        if node.kind == "fused" and any(dataflow.returns_of(n) for n in node.branches[0].nodes):
            diags.warning("RCC0232", f"fused step `{node.name}` has tasks that return values; one shell runs them, "
                          "and their values are not passed to later steps", node.field_span("type"),
                          help="make the returning task an ordinary step, or write results to a shared directory")
        for r in node.spec.get("returns") or () if node.kind == "task" else ():
            name = r.get("name") if isinstance(r, dict) else r
            kind = r.get("kind", "json") if isinstance(r, dict) else "json"
            if kind == "object":
                diags.error("RCC0293", f"step `{node.name}` returns `{name}` as an object, which runnable pickles "
                            "into its catalog; the native runtime passes only JSON values", node.field_span("type"),
                            help="return a JSON value (kind: json), or write the object to a shared directory")
            elif isinstance(name, str) and not _OUTPUT_NAME.match(name):
                diags.error("RCC0147", f"step `{node.name}` returns `{name}`, which cannot be an Argo parameter name",
                            node.field_span("type"),
                            help="under the native runtime each returned value is an output parameter (and a file "
                                 "in $RCC_OUTPUTS): name it with letters, digits, `_` and `-` only")
            elif name in RESERVED:
                diags.error("RCC0294", f"step `{node.name}` returns `{name}`, a name the native runtime uses "
                            "for its own inputs", node.field_span("type"), help=f"rename the value (not {', '.join(RESERVED)})")
    flow = dataflow.analyse(program.graph, initial_names(program))
    _initial_sizes(program, flow, diags)
    known = set(initial_names(program)) | {v for _, n in walk(program.graph) for v in dataflow.returns_of(n)}
    _report_flow(program.graph, flow, diags, top=True, known=known, loops=dataflow.loop_vars(program.graph, ()))


_OUTPUT_NAME = re.compile(r"[-A-Za-z0-9_]+\Z")  # Argo's parameter names
_SHELL_NAME = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _report_flow(graph: Graph, flow: dataflow.Flow, diags, top: bool, known: set, loops: dict) -> None:
    gf = flow.graphs[graph.qualname]
    for node in graph.nodes:
        if node.kind == "task" and node.spec.get("command_type") == "shell" and node.name in gf.visible:
            seen = set(gf.visible[node.name]) | set(loops.get(node.qualname, ()))
            unseen = sorted({m for m in _SHELL_NAME.findall(str(node.spec.get("command", "")))
                             if m in known and m not in seen})
            if unseen:
                diags.warning("RCC0295", f"shell step `{node.name}` reads {_names(unseen)}, which runnable's scoping "
                              "does not give it: a branch sees only the values set inside it and its loop variables",
                              node.field_span("command"),
                              help="return the value inside this branch, or read it in a step of the graph that sets it")
        lost = gf.dropped.get(node.name)
        if lost and node.kind in ("task", "success"):
            where = f"the end of {'the pipeline' if top else 'branch `' + graph.qualname + '`'}" \
                if node.kind == "success" else f"step `{node.name}`"
            diags.warning("RCC0290", f"{_names(lost)} reach{'es' if len(lost) == 1 else ''} {where} on some paths only "
                          "(a step that may not have run returns it), so the native runtime does not pass "
                          f"{'it' if len(lost) == 1 else 'them'} there", node.field_span("type"),
                          help="return the value on every path to this step (e.g. from the recovery step too), "
                               "or from a step every path passes")
        if node.qualname in flow.conditional_lost:
            names = flow.conditional_lost[node.qualname]
            diags.warning("RCC0291", f"several branches of conditional `{node.name}` set {_names(names)}; Argo "
                          "names one task per value, so the native runtime does not pass "
                          f"{'it' if len(names) == 1 else 'them'} out of the conditional", node.field_span("type"),
                          help="set the value in one branch only, or return it from a step after the conditional "
                               "(or use the runnable runtime)")
        if node.qualname in flow.conditional_hidden:
            names = flow.conditional_hidden[node.qualname]
            diags.warning("RCC0291", f"a branch of conditional `{node.name}` sets {_names(names)}, which "
                          f"{'the graph also holds' if len(names) == 1 else 'the graph also hold'} (a parameter or "
                          "another step's value); when another branch runs, runnable keeps that value and Argo "
                          f"cannot fall back to it, so the native runtime does not pass "
                          f"{'it' if len(names) == 1 else 'them'} out of the conditional", node.field_span("type"),
                          help="give the branch's value its own name, or return it from a step after the conditional")
        if node.qualname in flow.parallel_hidden:
            names = flow.parallel_hidden[node.qualname]
            diags.warning("RCC0296", f"only a recovery path (`on_failure`) inside a branch of parallel `{node.name}` "
                          f"sets {_names(names)}, which an earlier branch or the graph also "
                          f"{'sets' if len(names) == 1 else 'set'}; when the recovery does not run, runnable keeps "
                          "that value and Argo cannot fall back to it, so the native runtime passes the other value "
                          "and not the recovery's", node.field_span("type"),
                          help="give the recovery's value its own name, or return the value on every path of the "
                               "branch (the step that failed too)")
        if top and node.kind in ("map", "conditional", "parallel"):
            visible = gf.visible.get(node.name, {})
            for name in flow.root_reads.get(node.qualname, ()):
                if name not in visible and node.name in gf.visible and name in known:
                    diags.error("RCC0292", f"step `{node.name}` (or a map or conditional inside it) reads `{name}` from "
                                "the pipeline's parameters, and no parameter or earlier step of the pipeline provides it "
                                "on every path", node.field_span("type"),
                                help=f"pass `{name}` as an initial parameter (-p) or return it from a step before "
                                     f"`{node.name}`: runnable reads map lists and conditional values from the "
                                     "pipeline's scope, not from a branch")
        for b in node.branches:
            if node.kind != "fused":
                _report_flow(b, flow, diags, top=False, known=known, loops=loops)


def _names(names) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _inside_fused(graph: Graph, node: Node) -> bool:
    """Steps of a fused branch are judged with their fused step (one diagnostic, not two)."""
    for _, n in walk(graph):
        if n.kind == "fused" and any(node is m for m in n.branches[0].nodes):
            return True
    return False




def _initial_sizes(program: Program, flow: dataflow.Flow, diags) -> None:
    """RCC0237: an initial parameter too long for the environment of a step that receives it.

    The size is known at compile time: the workflow argument's text (`scalar_text`) is
    what Argo substitutes into `env`. The first step that receives it is named."""
    from compiler.backend.runtimes.runnable import scalar_text

    top = flow.graphs.get(program.graph.qualname)
    if top is None:
        return
    for name in initial_names(program):
        size = len(scalar_text(program.parameters[name]).encode("utf-8"))
        if size + len("RCC_VALUE") + 2 <= MAX_STRING and size + len(name) + 2 <= MAX_STRING:
            continue
        receiver = _first_receiver(program, top, flow, name)
        if receiver is None:
            continue
        node, variable = receiver
        if size + len(variable) + 2 <= MAX_STRING:
            continue
        at = program.parameter_spans.get(name) or node.field_span("type")
        diags.error("RCC0237", f"initial parameter `{name}` is {size:,} bytes as a workflow argument; step "
                    f"`{node.name}` receives it as the environment variable `{variable}`, and a pod cannot start "
                    f"when `{variable}=` and the value reach {MAX_STRING:,} bytes (Linux's exec limit, Argo's "
                    "MaxEnvVarLen)", at,
                    help="write the data to a file in a `shared_directory` (or an artifact) and pass its path "
                         f"as `{name}`")


def _first_receiver(program: Program, top: dataflow.GraphFlow, flow: dataflow.Flow,
                    name: str) -> tuple[Node, str] | None:
    """The first step (in written order) given `name`'s workflow argument, and as which variable."""
    for node in program.graph.nodes:
        scope = top.visible.get(node.name)
        if scope is None or scope.get(name) != dataflow.ARGUMENT:
            continue
        if node.kind in ("task", "fused"):
            return node, name
        if name in flow.root_reads.get(node.qualname, ()):
            for _, inner in [(None, node)] + list(walk_branches(node)):
                own = inner.spec.get("iterate_on") if inner.kind == "map" else \
                    inner.spec.get("parameter") if inner.kind == "conditional" else None
                if own == name:
                    return inner, "RCC_VALUE"
    return None


def walk_branches(node: Node):
    """Every step inside a composite's branches, depth first."""
    for b in node.branches:
        yield from walk(b)


def check_arguments(node: Node, command: list[str], diags) -> None:
    """RCC0238: a container argument Linux cannot pass (Argo would replace it by `@FILE`)."""
    for arg in command:
        size = len(arg.encode("utf-8"))
        if size + 1 > MAX_STRING:
            diags.error("RCC0238", f"step `{node.name}`'s container command has a {size:,}-byte argument (its "
                        f"program, with the step's command in it); a pod cannot start with one of "
                        f"{MAX_STRING:,} bytes or more (Linux's exec limit; Argo replaces such an argument by "
                        "`@FILE`, which `sh -c` and `python -c` would run as code)",
                        node.field_span("command") if "command" in node.spans else node.field_span("type"),
                        help="move the command's text into a script in the image and call the script")
            return
