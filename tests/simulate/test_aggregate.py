"""Loop aggregation and DAG outputs follow Argo's controller (workflow/controller/operator.go)."""

from compiler.simulate import aggregate
from compiler.simulate.model import OutputParam
from compiler.simulate.nodes import Node


def _kid(name, phase, **outputs):
    return Node(name, "Pod", phase, outputs=dict(outputs))


def test_loop_values_stay_strings_unless_every_one_is_a_list_or_object():
    kids = [_kid("t(1:b)", "Succeeded", v="2"), _kid("t(0:a)", "Succeeded", v="1")]
    scope = aggregate.loop_scope("tasks.t", kids)
    assert scope["tasks.t.outputs.parameters.v"] == '["1","2"]'  # loop-index order, raw strings
    assert scope["tasks.t.outputs.parameters"] == '[{"v":"1"},{"v":"2"}]'
    lists = [_kid("t(0:a)", "Succeeded", v="[1, 2]"), _kid("t(1:b)", "Succeeded", v='{"k": "<a&b>"}')]
    assert aggregate.loop_scope("tasks.t", lists)["tasks.t.outputs.parameters.v"] == \
        '[[1,2],{"k":"\\u003ca\\u0026b\\u003e"}]'


def test_failed_iterations_drop_out_and_an_empty_loop_sets_nothing():
    kids = [_kid("t(0:a)", "Failed", v="x"), _kid("t(1:b)", "Succeeded", v="y")]
    assert aggregate.loop_scope("tasks.t", kids)["tasks.t.outputs.parameters.v"] == '["y"]'
    assert aggregate.loop_scope("tasks.t", []) == {}


def test_dag_outputs_fall_back_to_their_default_only_when_declared():
    present = OutputParam("v", None, None, None, "{{tasks.a.outputs.parameters.v}}")
    missing = OutputParam("w", None, "none", None, "{{tasks.b.outputs.parameters.w}}")
    out, error = aggregate.template_outputs([present, missing], {"tasks.a.outputs.parameters.v": "1"})
    assert (out, error) == ({"v": "1", "w": "none"}, None)
    bare = OutputParam("w", None, None, None, "{{tasks.b.outputs.parameters.w}}")
    assert aggregate.template_outputs([bare], {})[1].startswith("unable to resolve outputs")
