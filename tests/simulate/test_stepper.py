"""The stepper on hand-written manifests: Argo's rules, one behaviour per test."""

from __future__ import annotations

import json

import pytest

from compiler.diagnostics import Diagnostics
from compiler.simulate import expr
from compiler.simulate.model import read_workflow
from compiler.simulate.runner import DryRunner, LeafCall, LeafResult, ProcessRunner
from compiler.simulate.stepper import Simulator

LEAF = {"name": "leaf", "inputs": {"parameters": [{"name": "x", "value": ""}]},
        "container": {"image": "i", "command": ["true"]}}


def wf(tasks, *extra, on_exit=None, dag_extra=None, leaf=None, args=None):
    spec = {"entrypoint": "main", "templates": [{"name": "main", "dag": {"tasks": tasks, **(dag_extra or {})}},
                                                  leaf or LEAF, *extra]}
    if on_exit:
        spec["onExit"] = on_exit
    if args:
        spec["arguments"] = {"parameters": [{"name": k, "value": v} for k, v in args.items()]}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "w"}, "spec": spec}


def run(doc, fail=(), outputs=None, runner=None, params=None):
    diags = Diagnostics()
    model = read_workflow(doc, "m.yaml", {}, diags)
    assert model is not None, diags.items
    sim = Simulator(model, runner or DryRunner(list(fail), outputs or {}), params)
    sim.run()
    return sim, {n.name.removeprefix("w."): n.phase for n in sim.nodes}


def t(name, depends=None, **kw):
    out = {"name": name, "template": kw.pop("template", "leaf")}
    if depends:
        out["depends"] = depends
    out.update(kw)
    return out


def test_handled_failure_still_fails_the_dag_when_a_leaf_is_omitted_behind_it():
    sim, ph = run(wf([t("risky"), t("recover", "risky.Failed"), t("success", "risky.Succeeded"),
                      t("fail", "recover.Succeeded")]), fail=["risky"])
    assert ph == {"w": "Failed", "risky": "Failed", "recover": "Succeeded", "success": "Omitted", "fail": "Succeeded"}
    assert [n.name for n in sim.nodes] == ["w", "w.recover", "w.risky", "w.success", "w.fail"][:1] + \
        ["w.risky", "w.recover", "w.success", "w.fail"]


def test_handled_failure_with_no_omitted_leaf_succeeds():
    _, ph = run(wf([t("a"), t("b", "a.Failed || a.Succeeded")]), fail=["a"])
    assert ph["w"] == "Succeeded" and ph["b"] == "Succeeded"


def test_bare_name_means_succeeded_or_skipped_and_continue_on_adds_failed():
    _, ph = run(wf([t("a", when="1 == 2"), t("b", "a"), t("c"), t("d", "c"), t("e", "c", continueOn={"failed": True})]),
                fail=["c"])
    assert ph["a"] == "Skipped" and ph["b"] == "Succeeded"
    assert ph["d"] == "Omitted"


def test_negation_and_parentheses_in_depends():
    _, ph = run(wf([t("a"), t("b"), t("c", "!(a.Failed || b.Failed) && a.Succeeded")]), fail=["b"])
    assert ph["c"] == "Omitted"


def test_when_uses_substituted_outputs_and_govaluate_quoting():
    fan = {"name": "fan", "outputs": {"parameters": [{"name": "case", "valueFrom": {"path": "/tmp/o"}}]},
           "container": {"image": "i", "command": ["true"]}}
    tasks = [t("f", template="fan"),
             t("good", "f.Succeeded", when="{{tasks.f.outputs.parameters.case}} == 'heads'"),
             t("other", "f.Succeeded", when="{{tasks.f.outputs.parameters.case}} == 'tails'"),
             t("quoted", "f.Succeeded", when="'{{tasks.f.outputs.parameters.case}}' == '\"heads\"'")]
    sim, ph = run(wf(tasks, fan), outputs={"f.case": '"heads"'})
    assert (ph["good"], ph["other"], ph["quoted"]) == ("Succeeded", "Skipped", "Error")


@pytest.mark.parametrize("text,value", [
    ("'a' == 'a'", True), ("a == a", True), ("'3' == 3", False), ("3 == 3", True), ("true && !false", True),
    ("(1 < 2) || 'x' == 'y'", True), ("\"x\" != 'x'", False), ("'a' == 'b' || 'c' == 'c'", True),
])
def test_when_evaluator(text, value):
    assert expr.eval_when(text) is value


@pytest.mark.parametrize("text", ["'a' == ", "'a", "1 == 1 1", "'\"a\"' == 'b'", "x.y == 1", "1 && true"])
def test_when_evaluator_rejects_what_govaluate_rejects(text):
    with pytest.raises(expr.ExprError):
        expr.eval_when(text)


def test_with_param_expands_in_order_and_a_failed_item_fails_the_group():
    gen = {"name": "gen", "outputs": {"parameters": [{"name": "list", "valueFrom": {"path": "/tmp/l"}}]},
           "container": {"image": "i", "command": ["true"]}}
    tasks = [t("gen", template="gen"),
             t("each", "gen.Succeeded", withParam="{{tasks.gen.outputs.parameters.list}}",
               arguments={"parameters": [{"name": "x", "value": "{{item}}"}]}),
             t("any", "each.AnySucceeded"), t("all", "each.AllFailed")]
    sim, ph = run(wf(tasks, gen), outputs={"gen.list": '[1, "b", {"k": 2}]'}, fail=["each(1:b)"])
    assert [n.name for n in sim.nodes if n.name.startswith("w.each(")] == ["w.each(0:1)", "w.each(1:b)", "w.each(2:k:2)"]
    assert [n.inputs["x"] for n in sim.nodes if n.name.startswith("w.each(")] == ["1", "b", '{"k":2}']
    assert ph["each"] == "Failed" and ph["any"] == "Succeeded" and ph["all"] == "Omitted"


def test_empty_and_unparsable_with_param():
    tasks = [t("e", withItems=[]), t("bad", withParam="not json")]
    _, ph = run(wf(tasks))
    assert ph["e"] == "Skipped" and ph["bad"] == "Error" and ph["w"] == "Error"


def test_retries_up_to_the_limit_on_failure_only():
    leaf = {**LEAF, "retryStrategy": {"limit": 2}}
    sim, ph = run(wf([t("a")], leaf=leaf), fail=["a"])
    assert [n for n in ph if n.startswith("a(")] == ["a(0)", "a(1)", "a(2)"] and ph["a"] == "Failed"


class FlakyRunner:
    """Fails the first attempt, succeeds the next: a retry must recover."""

    def run(self, call: LeafCall) -> LeafResult:
        return LeafResult("Failed" if call.attempt == 0 else "Succeeded")


def test_a_retry_recovers_the_task():
    leaf = {**LEAF, "retryStrategy": {"limit": "3", "retryPolicy": "Always"}}
    _, ph = run(wf([t("a"), t("b", "a.Succeeded")], leaf=leaf), runner=FlakyRunner())
    assert ph["a(0)"] == "Failed" and ph["a(1)"] == "Succeeded" and ph["a"] == "Succeeded" and ph["b"] == "Succeeded"


def test_on_error_policy_does_not_retry_a_failure():
    leaf = {**LEAF, "retryStrategy": {"limit": 3, "retryPolicy": "OnError"}}
    _, ph = run(wf([t("a")], leaf=leaf), fail=["a"])
    assert "a(1)" not in ph


def test_template_fail_fast_stops_new_tasks_and_default_does_not():
    tasks = [t("a"), t("b", "a"), t("c", "a.Failed || a.Succeeded")]
    _, ph = run(wf(tasks, dag_extra={}), fail=["a"])
    assert ph["c"] == "Succeeded"
    doc = wf(tasks)
    doc["spec"]["templates"][0]["failFast"] = True
    _, ph = run(doc, fail=["a"])
    assert "c" not in ph and ph["w"] == "Failed"


def test_workflow_on_exit_sees_status_and_a_failing_exit_fails_a_good_run():
    exit_t = {"name": "bye", "container": {"image": "i", "command": ["echo", "{{workflow.status}}"]}}
    sim, ph = run(wf([t("a")], exit_t, on_exit="bye"))
    assert ph["onExit"] == "Succeeded" and sim.phase == "Succeeded"
    sim, ph = run(wf([t("a")], exit_t, on_exit="bye"), fail=["onExit"])
    assert sim.phase == "Failed"


def test_task_on_exit_runs_after_the_task():
    exit_t = {"name": "bye", "container": {"image": "i", "command": ["true"]}}
    sim, ph = run(wf([t("a", onExit="bye")], exit_t), fail=["a"])
    assert ph["a.onExit"] == "Succeeded" and [n.name for n in sim.nodes][1:] == ["w.a", "w.a.onExit"]


def test_parameters_and_globals_are_substituted_into_commands(tmp_path):
    leaf = {"name": "leaf", "inputs": {"parameters": [{"name": "x"}]},
            "outputs": {"parameters": [{"name": "o", "valueFrom": {"path": str(tmp_path / "o.txt")}}]},
            "container": {"image": "i", "command": ["sh", "-c"],
                          "args": ["printf '%s %s %s\\n' \"$P\" {{inputs.parameters.x}} {{workflow.name}} > " +
                                   str(tmp_path / "o.txt")],
                          "env": [{"name": "P", "value": "{{workflow.parameters.p}}"}]}}
    doc = wf([t("a", arguments={"parameters": [{"name": "x", "value": "{{workflow.parameters.run_id}}"}]})],
             leaf=leaf, args={"p": "default", "run_id": "{{workflow.uid}}"})
    sim, ph = run(doc, runner=ProcessRunner(str(tmp_path), {"PATH": "/usr/bin:/bin"}), params={"p": "given"})
    node = next(n for n in sim.nodes if n.name == "w.a")
    assert ph["a"] == "Succeeded" and node.outputs["o"] == "given 00000000-0000-4000-8000-000000000000 w"


def test_exit_code_decides_the_phase(tmp_path):
    leaf = {"name": "leaf", "container": {"image": "i", "command": ["sh", "-c", "exit 3"]}}
    sim, ph = run(wf([t("a")], leaf=leaf), runner=ProcessRunner(str(tmp_path), {"PATH": "/usr/bin:/bin"}))
    assert ph["a"] == "Failed" and sim.nodes[-1].exit_code == 3


def test_missing_input_and_unresolved_reference_are_errors():
    leaf = {"name": "leaf", "inputs": {"parameters": [{"name": "x"}]}, "container": {"image": "i", "command": ["true"]}}
    _, ph = run(wf([t("a"), t("b", arguments={"parameters": [{"name": "x", "value": "{{tasks.zz.outputs.parameters.q}}"}]})],
                   leaf=leaf))
    assert ph["a"] == "Error" and ph["b"] == "Error"


def test_undefined_template_is_a_diagnostic():
    diags = Diagnostics()
    assert read_workflow(wf([t("a", template="nope")]), "m.yaml", {}, diags) is None
    assert [d.code for d in diags.items] == ["RCC1002"]


def test_json_report_is_deterministic():
    from compiler.simulate import report

    a, _ = run(wf([t("b"), t("a"), t("c", "a && b")]))
    b, _ = run(wf([t("b"), t("a"), t("c", "a && b")]))
    assert report.to_json(a) == report.to_json(b)
    assert [n["name"] for n in json.loads(report.to_json(a))["nodes"]][1:] == ["a", "b", "c"]
