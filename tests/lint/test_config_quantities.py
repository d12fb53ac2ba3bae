"""The configuration's quantities go through the grammar `rcc lint` uses, in every
dialect, reported at the value with the fix (the driver runs this before the models)."""

from __future__ import annotations

from compiler.diagnostics import Diagnostics
from compiler.frontend.config.quantities import check_quantities
from compiler.frontend.load import load_mapping
from compiler.quantity import suggestion, value

MAGNUS = """\
mode:
  type: argo
  config:
    docker_image: python:3.11
    cpu_limit: 2 cores
    memory_limit: 1Gi
    memory_request: 2Gi
"""


def _check(text: str) -> list[tuple[str, int, int, str]]:
    diags = Diagnostics()
    check_quantities(load_mapping(text, "c.yaml", diags, "configuration"), diags)
    return [(d.code, d.span.line, d.span.column, d.help or "") for d in diags.sorted()]


def test_magnus_flat_keys_are_quantities_and_requests_stay_under_limits():
    found = _check(MAGNUS)
    assert [(code, line, col) for code, line, col, _ in found] == [("RCC0878", 5, 16), ("RCC0879", 7, 21)]
    assert found[0][3].startswith('write `"2"`')


def test_valid_quantities_pass_in_any_spelling():
    assert _check("defaults:\n  resources:\n    limits: {cpu: 0.5, memory: 512Mi, nvidia.com/gpu: 1}\n"
                  "    requests: {cpu: 250m, memory: 1e8}\n") == []


def test_the_grammar_reads_values_as_kubernetes_does():
    assert value("1Gi") == 1024 ** 3 and value("250m") * 1000 == 250 and value("1e3") == 1000
    assert value("4GB") is None and value("2 cores") is None and value(True) is None
    assert [suggestion(q) for q in ("4GB", "512mb", "2 cores", "-1Gi", "1Gi")] == ["4Gi", "512Mi", "2", "1Gi", None]


def test_a_workflow_name_kubernetes_refuses_is_reported_where_written():
    from compiler.frontend.config.metadata_names import check_metadata_names

    text = "pipeline-executor:\n  config:\n    argoWorkflow:\n      metadata:\n        generateName: Hello_World-\n"
    diags = Diagnostics()
    check_metadata_names(load_mapping(text, "c.yaml", diags, "configuration"), diags)
    assert [(d.code, d.span.line, d.span.column) for d in diags.items] == [("RCC0877", 5, 23)]
    assert "`hello-world`" in diags.items[0].help
    diags = Diagnostics()
    check_metadata_names(load_mapping(text.replace("Hello_World-", "x" * 300), "c.yaml", diags, "configuration"), diags)
    assert [d.code for d in diags.items] == ["RCC0877"]
