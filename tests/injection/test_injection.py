"""User text never becomes an Argo expression, a second YAML key, or another field.

Refused text (RCC0130-RCC0132) is checked with its span; accepted text is checked by
reading the manifest back and finding each hostile string intact, as one value.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from compiler.driver import Request, compile_files

HELLO_CONFIG = (Path(__file__).resolve().parents[2] / "examples" / "hello" / "argo-config.yaml").read_text()
PIPELINE = """dag:
  start_at: {first}
  steps:
    {first}: {{type: task, command_type: shell, command: {command}, next: success}}
    success: {{type: success}}
    fail: {{type: fail}}
"""


def build(tmp_path: Path, pipeline: str, params: str | None = None, config: str = HELLO_CONFIG, variables=None):
    (tmp_path / "pipeline.yaml").write_text(pipeline)
    (tmp_path / "argo-config.yaml").write_text(config)
    req = Request(str(tmp_path / "pipeline.yaml"), str(tmp_path / "argo-config.yaml"), None, variables or {})
    if params is not None:
        (tmp_path / "parameters.yaml").write_text(params)
        req.parameters = str(tmp_path / "parameters.yaml")
    return compile_files(req)


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics if d.severity == "error"]


@pytest.mark.parametrize("name", ['"a{{workflow.uid}}"', '"{{inputs.parameters.node}}"', "'x {{ y }}'"])
def test_expression_in_step_name_is_refused_at_the_name(tmp_path: Path, name: str) -> None:
    result = build(tmp_path, PIPELINE.format(first=name, command="echo"))
    assert "RCC0130" in codes(result) and result.text is None
    d = next(d for d in result.diagnostics if d.code == "RCC0130")
    assert d.span is not None and d.span.line == 2 + 2  # the step's key, not the file


def test_expression_in_parameter_value_and_name(tmp_path: Path) -> None:
    """A bad name is refused; a value Argo would resolve is not (the pods read the file)."""
    result = build(tmp_path, PIPELINE.format(first="a", command="echo"),
                   params='x: "{{workflow.name}}"\n"bad name": 1\nok: "}} alone is fine"\n')
    assert codes(result).count("RCC0130") == 0 and codes(result).count("RCC0132") == 1


@pytest.mark.parametrize("value, argument", [("{{workflow.name}}", False), ("{{=1}}", False), ("a {{ b", False),
                                              ("{{x {{pod.name}}", False), ("{{ name }}", True), ("{{items}}", True)])
def test_parameter_values_argo_would_resolve_never_become_arguments(tmp_path: Path, value: str, argument: bool) -> None:
    result = build(tmp_path, PIPELINE.format(first="a", command="echo"), params=f"x: {json.dumps(value)}\n")
    assert result.text is not None, codes(result)
    manifest = YAML(typ="safe").load(result.text)
    args = {p["name"]: p["value"] for p in manifest["spec"]["arguments"]["parameters"]}
    assert ("x" in args) == argument and (not argument or args["x"] == value)
    assert value not in result.text or argument


def test_expression_through_a_config_variable(tmp_path: Path) -> None:
    config = HELLO_CONFIG.replace("image: python:3.11-slim", "image: $image")
    result = build(tmp_path, PIPELINE.format(first="a", command="echo"), config=config,
                   variables={"image": "x:{{workflow.uid}}"})
    assert codes(result) == ["RCC0130"]


def test_quote_in_conditional_key_is_refused(tmp_path: Path) -> None:
    pipeline = """dag:
  start_at: c
  steps:
    c:
      type: conditional
      parameter: mode
      next: success
      branches:
        "a' || 'b":
          start_at: success
          steps: {success: {type: success}, fail: {type: fail}}
    success: {type: success}
    fail: {type: fail}
"""
    assert codes(build(tmp_path, pipeline, params="mode: a\n")) == ["RCC0131"]


HOSTILE = ["a\nb: c", "x: y # z", "- [x]", "&a *b", "$(reboot)", "`id`", "it's \"q\"", "}}", "%TAG ! x", "---", "?"]


@pytest.mark.parametrize("text", HOSTILE)
def test_accepted_text_stays_one_value(tmp_path: Path, text: str) -> None:
    params = "p: " + json.dumps(text) + "\n"
    name = json.dumps("s " + text.replace("\n", " ").replace("%", "pct"))  # `%` is RCC0110 in names
    config = HELLO_CONFIG.replace("generateName: hello-", "generateName: hello-\n        annotations: {note: "
                                  + json.dumps(text.replace("$", "$$")) + "}")  # `$$`: a literal $ in config
    result = build(tmp_path, PIPELINE.format(first=name, command=json.dumps(text)), params=params, config=config)
    assert result.text is not None, [d.message for d in result.diagnostics]
    back = YAML(typ="safe").load(result.text)
    assert back == result.manifest  # no extra key, no lost value: the text reads back as emitted
    args = {p["name"]: p["value"] for p in back["spec"]["arguments"]["parameters"]}
    assert args["p"] == text
    assert back["metadata"]["annotations"]["note"] == text
    nodes = [p["value"] for t in back["spec"]["templates"] for task in t.get("dag", {}).get("tasks", [])
             for p in task.get("arguments", {}).get("parameters", []) if p["name"] == "node"]
    assert json.loads(name).replace(" ", "%") in nodes
    assert "{{" not in "".join(nodes)


def test_native_runtime_keeps_a_command_one_argument(tmp_path: Path) -> None:
    """When the native runtime exists, a python command must not be spliced into a shell line."""
    native = Path(__file__).resolve().parents[2] / "compiler" / "backend" / "runtimes" / "native.py"
    if not native.exists():
        pytest.skip("native runtime not written yet")
    pipeline = PIPELINE.format(first="a", command='"x; rm -rf / #"').replace("command_type: shell", "command_type: python")
    config = HELLO_CONFIG + "\n"
    (tmp_path / "pipeline.yaml").write_text(pipeline)
    (tmp_path / "argo-config.yaml").write_text(config)
    from compiler.context import Options

    result = compile_files(Request(str(tmp_path / "pipeline.yaml"), str(tmp_path / "argo-config.yaml"),
                                   options=Options(runtime="native")))
    if result.text is None:
        return  # refused with a diagnostic is acceptable
    for t in result.manifest["spec"]["templates"]:
        c = t.get("container") or {}
        words = list(c.get("command") or []) + list(c.get("args") or [])
        joined = "\n".join(words)
        if "rm -rf" in joined:
            assert not any(w.startswith(("sh", "bash")) for w in words[:1]) or \
                all("x; rm -rf / #" not in w or w.count("'") >= 2 for w in words), words
