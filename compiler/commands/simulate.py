"""`rcc simulate MANIFEST`: what Argo would run, in which order, with which outcome; no cluster.

Exit codes: 0 the simulated workflow Succeeded, 1 it Failed or Errored (or the manifest
or the options are wrong), 3 internal error.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_INPUT = 0, 1
MAX_NODES, MAX_SECONDS = 50_000, 60.0  # stepper.Bounds' defaults, stated in docs/simulate.md
NODES_CEILING, SECONDS_CEILING = 10_000_000, 86_400.0


def _count(text: str) -> int:
    """argparse type for --max-nodes: a whole number from 1 to NODES_CEILING."""
    digits = text.strip().replace("_", "")
    if not digits.isdigit() or len(digits) > 9 or not 1 <= int(digits) <= NODES_CEILING:
        raise argparse.ArgumentTypeError(f"expected a number of nodes from 1 to {NODES_CEILING:,}, not {text[:40]!r}")
    return int(digits)


def _seconds(text: str) -> float:
    """argparse type for --max-time: seconds, more than 0 and at most a day."""
    try:
        value = float(text) if len(text) < 20 else -1.0
    except ValueError:
        value = -1.0
    if not 0 < value <= SECONDS_CEILING:
        raise argparse.ArgumentTypeError(f"expected seconds from 0 to {SECONDS_CEILING:g}, not {text[:40]!r}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "simulate",
        help="run an Argo manifest through Argo's scheduling rules, without a cluster",
        description="Interpret MANIFEST as the Argo controller would (DAGs, depends, when, loops, retries, "
        "exit handlers) and print each node's phase in the order the nodes are created. Without --exec "
        "every leaf succeeds unless --fail names it; with --exec each leaf's command and args run as a "
        "local process (the image is ignored). In a dry run an output parameter gets its value from "
        "--output; a map or conditional that reads one nobody gave does not run, and the run is then Error, "
        "not Succeeded. Exit 0 when the workflow succeeds, 1 when it fails or did not run whole.",
    )
    p.add_argument("manifest", metavar="MANIFEST", help="an Argo Workflow (or WorkflowTemplate / CronWorkflow) YAML")
    p.add_argument("--fail", action="append", default=[], metavar="STEP",
                   help="make this leaf fail: a DAG task name, a node path, or a runnable node name (the `node` "
                   "input); repeatable")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a workflow parameter, as `argo submit -p`; repeatable")
    p.add_argument("--output", action="append", default=[], metavar="STEP.PARAM=VALUE",
                   help="without --exec: the value a leaf's output parameter takes (e.g. a map's list); repeatable")
    p.add_argument("--exec", action="store_true", dest="execute",
                   help="run each leaf's container command and args as a local process")
    p.add_argument("--workdir", default=".", metavar="DIR",
                   help="with --exec: the working directory of every process (default: the current directory)")
    p.add_argument("--uid", metavar="UID", help="workflow.uid (default: fixed without --exec, random with it)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="how the run is printed")
    p.add_argument("--max-nodes", type=_count, default=MAX_NODES, metavar="N",
                   help=f"stop with RCC1007 before creating more nodes than this (default: {MAX_NODES:,}); "
                        "retry attempts and loop iterations are nodes")
    p.add_argument("--max-time", type=_seconds, default=MAX_SECONDS, metavar="SECONDS",
                   help=f"stop with RCC1008 after this long, and end a --exec process that runs longer "
                        f"(default: {MAX_SECONDS:g})")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour in diagnostics: auto (only on a terminal, and never when NO_COLOR is set)")
    from compiler.commands.common import add_input_limit_option

    add_input_limit_option(p)
    p.set_defaults(run=run)


def _pairs(values: list[str], option: str, diags) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        name, sep, value = v.partition("=")
        if not sep or not name:
            diags.error("RCC1004", f"`{option} {v}` is not of the form NAME=VALUE", None,
                        help=f"write `{option} name=value`")
            continue
        out[name] = value
    return out


def _leaf_names(wf) -> set[str]:
    names: set[str] = set()
    for t in wf.templates.values():
        for task in t.tasks:
            names.add(task.name)
            names.update(v for k, v in task.arguments if k == "node")
    return names


def run(args: argparse.Namespace) -> int:
    import os
    import time
    import uuid

    started = time.monotonic()  # --max-time counts from here: reading and checking are part of it
    from compiler.commands.common import exit_code_for, print_diagnostics
    from compiler.diagnostics import Diagnostics
    from compiler.files import read_bounded
    from compiler.frontend.load import decode, load_documents
    from compiler.simulate import report
    from compiler.simulate.model import read_workflow
    from compiler.simulate.runner import DryRunner, ProcessRunner
    from compiler.simulate.stepper import DEPTH_MESSAGE, Bounds, Simulator
    from compiler.simulate.nodes import short_name
    from compiler.simulate.starved import starved_nodes

    diags = Diagnostics()
    show = argparse.Namespace(format="human", color=args.color)
    raw = read_bounded(args.manifest, "manifest", args.max_input, diags, "--max-input BYTES")
    if raw is None:
        print_diagnostics(diags.sorted(), show)
        return EXIT_INPUT
    text = decode(raw, args.manifest, diags)
    docs = [d for d in load_documents(text, args.manifest, diags) if d.data is not None] if text is not None else []
    if diags.has_errors:
        print_diagnostics(diags.sorted(), show)
        return exit_code_for(diags.items)
    if not docs:
        diags.error("RCC1001", f"{args.manifest} holds no document to simulate", None,
                    help="give the manifest rcc build wrote")
        print_diagnostics(diags.sorted(), show)
        return EXIT_INPUT
    doc = next((d for d in docs if isinstance(d.data, dict) and d.data.get("kind") in
                ("Workflow", "WorkflowTemplate", "CronWorkflow")), docs[0])
    wf = read_workflow(doc.data, args.manifest, doc.spans, diags)
    params = _pairs(args.param, "--param", diags)
    outputs = _pairs(args.output, "--output", diags)
    if wf is not None:
        for name in params:
            if name not in wf.arguments:
                diags.error("RCC1004", f"`--param {name}=...`: the workflow has no parameter `{name}`", None,
                            help="parameters it takes: " + (", ".join(sorted(wf.arguments)) or "none"))
        known = _leaf_names(wf)
        for step in args.fail:
            if step not in known and not any(step.startswith(k + "(") for k in known):
                from compiler.diagnostics import did_you_mean

                hint = did_you_mean(step, known)
                diags.error("RCC1003", f"`--fail {step}` names no task of this workflow", None,
                            help=f"did you mean `{hint}`?" if hint else
                            "name a DAG task or a runnable node name (a task's `node` argument)")
    if diags.has_errors or wf is None:
        print_diagnostics(diags.sorted(), show)
        return exit_code_for(diags.items)
    if _lint_refuses(doc, diags):
        print_diagnostics(diags.sorted(), show)
        return EXIT_INPUT
    if args.execute:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNNABLE_", "MAGNUS_", "RCC_"))}
        runner = ProcessRunner(os.path.abspath(args.workdir), env, timeout=args.max_time)
        uid = args.uid or str(uuid.uuid4())
    else:
        runner = DryRunner(list(args.fail), outputs)
        uid = args.uid or "00000000-0000-4000-8000-000000000000"
    sim = Simulator(wf, runner, params, uid, bounds=Bounds(args.max_nodes, args.max_time),
                    started=started)
    sim.run()
    if sim.bound is not None:
        option = "--max-nodes N" if sim.bound.code == "RCC1007" else "--max-time SECONDS"
        diags.error(sim.bound.code, f"simulation stopped: {sim.bound.message}", None,
                    notes=(f"{len(sim.nodes):,} nodes were created; the workflow is reported as Error",),
                    help=f"raise the bound with `{option}`, or simulate a smaller workflow (fewer loop items, "
                         "a lower retry limit)")
    missing = list(dict.fromkeys(getattr(runner, "missing", [])))
    starved = starved_nodes(sim.nodes, wf.name, missing)
    lacked = {key: [short_name(n.name, wf.name) for n, k in starved if k == key] for _, key in starved}
    for key in missing:
        if key in lacked:
            diags.error("RCC1005", f"the dry run has no value for output parameter `{key}`, so "
                        + ", ".join(f"`{n}`" for n in lacked[key]) + " could not run", None,
                        help=f"give it with `--output {key}=VALUE` (for a map, the list as JSON, e.g. '[\"a\", \"b\"]'; "
                             "for a conditional, the name of a branch), or run the leaves with --exec")
        else:
            diags.warning("RCC1005", f"output parameter `{key}` has no value in a dry run", None,
                          help=f"give one with `--output {key}=VALUE`, or run the leaves with --exec")
    if starved and sim.phase == "Succeeded":
        # What ran is not the whole workflow: the verdict must not say Succeeded.
        sim.phase = "Error"
        sim.notes.append(f"the dry run is incomplete: {len(starved)} node{'s' * (len(starved) > 1)} could not run "
                         "without output values; give them with --output (see the errors below)")
    starved_ids = {id(n) for n, _ in starved}
    for n in sim.nodes:
        if id(n) in starved_ids:
            continue
        if n.phase == "Error" and (n.type != "DAG" or n.message == DEPTH_MESSAGE) \
                and not n.message.startswith(("exit code", "No more")):
            where = _task_span(wf, n)
            diags.warning("RCC1006", f"node `{n.name[len(wf.name) + 1:] or n.name}` errored: {n.message}", where,
                          help="Argo marks this node Error; fix the manifest (or the compiler that wrote it)")
    sys.stdout.write(report.to_json(sim) if args.format == "json" else report.to_text(sim))
    sys.stdout.flush()
    print_diagnostics(diags.sorted(), show)
    return EXIT_OK if sim.phase == "Succeeded" else EXIT_INPUT


def _lint_refuses(doc, diags) -> bool:
    """rcc lint's errors come first: a manifest Argo would refuse (a cycle, a task that
    depends on itself, `tasks: "abc"`, a number beyond int64) is not run at all, so the
    simulation never reports Succeeded for a workflow that cannot be submitted."""
    from compiler.diagnostics import Diagnostics
    from compiler.verify import is_argo_document, lint_documents

    if not is_argo_document(doc.data):
        return False
    found = Diagnostics()
    lint_documents([doc], found, allow_external_refs=True)
    errors = [d for d in found.items if d.severity == "error"]
    for d in errors:
        diags.add(d)
    if errors:
        diags.error("RCC1009", "not simulated: rcc lint finds errors that Argo would refuse the manifest for", None,
                    help=f"fix what rcc lint reports ({len(errors)} error{'s' * (len(errors) > 1)}; `rcc lint "
                         f"{doc.file}` shows them too), then simulate")
    return bool(errors)


def _task_span(wf, node):
    for t in wf.templates.values():
        for task in t.tasks:
            if task.name == node.task and node.template == task.template:
                key = "when" if "'when'" in node.message else "depends" if "depends" in node.message else "name"
                return wf.span(task.path + (key,))
    return None
