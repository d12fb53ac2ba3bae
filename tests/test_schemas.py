"""The published JSON Schemas: fresh, documented, and in agreement with the parser."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from compiler.frontend.load import load_documents
from compiler.schemagen import KINDS, dialect_models, dumps, schema_for, undocumented
from compiler.diagnostics import Diagnostics

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(ROOT.glob("examples/*/pipeline.yaml"))
CONFIGS = sorted(ROOT.glob("examples/*/argo-config.yaml"))


def _published(kind: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))


def _errors(kind: str, data) -> list[jsonschema.ValidationError]:
    return list(jsonschema.Draft202012Validator(_published(kind)).iter_errors(data))


@pytest.mark.parametrize("kind", KINDS)
def test_checked_in_schema_is_fresh(kind: str) -> None:
    path = ROOT / "schemas" / f"{kind}.schema.json"
    assert path.read_text(encoding="utf-8") == dumps(schema_for(kind)), (
        f"{path.relative_to(ROOT)} is stale: run bin/gen-schemas and commit the result")


@pytest.mark.parametrize("kind", KINDS)
def test_every_property_has_a_description(kind: str) -> None:
    missing = undocumented(schema_for(kind))
    assert not missing, "add `description=` to these fields in the models:\n" + "\n".join(missing)


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(_published(kind))


def test_rcc_schema_prints_the_published_file() -> None:
    for kind in KINDS:
        out = subprocess.run([sys.executable, "-m", "compiler.cli", "schema", kind],
                             capture_output=True, text=True, check=True).stdout
        assert out == (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")


def _load(path: Path):
    diags = Diagnostics()
    docs = load_documents(path.read_text(encoding="utf-8"), str(path), diags)
    assert not diags.items
    return docs[0].data


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_examples_satisfy_the_pipeline_schema(path: Path) -> None:
    assert [e.message for e in _errors("pipeline", _load(path))] == []


@pytest.mark.parametrize("path", CONFIGS, ids=[p.parent.name for p in CONFIGS])
def test_example_configs_satisfy_the_config_schema(path: Path) -> None:
    assert [e.message for e in _errors("config", _load(path))] == []


HELLO = {"dag": {"start_at": "hello", "steps": {
    "hello": {"type": "task", "command_type": "shell", "command": "echo hi", "next": "success"},
    "success": {"type": "success"}, "fail": {"type": "fail"}}}}


def test_misspelt_step_key_is_refused_where_it_is() -> None:
    bad = json.loads(json.dumps(HELLO))
    bad["dag"]["steps"]["hello"]["comand"] = bad["dag"]["steps"]["hello"].pop("command")
    errs = _errors("pipeline", bad)
    assert errs, "a misspelt key must not validate"
    # oneOf over step types: the error for the `task` alternative names the key
    leaves = [c for e in errs for c in (e.context or [e])]
    assert any("comand" in c.message for c in leaves)


def test_unknown_step_type_and_command_type_are_refused() -> None:
    for path, value in ((("type",), "tsk"), (("command_type",), "bash")):
        bad = json.loads(json.dumps(HELLO))
        bad["dag"]["steps"]["hello"][path[0]] = value
        assert _errors("pipeline", bad), value


def test_stub_accepts_any_keys_like_runnable() -> None:
    ok = json.loads(json.dumps(HELLO))
    ok["dag"]["steps"]["hello"] = {"type": "stub", "next": "success", "anything": [1, 2]}
    assert _errors("pipeline", ok) == []


def test_composites_nest_graphs() -> None:
    ok = json.loads(json.dumps(HELLO))
    ok["dag"]["steps"]["hello"] = {"type": "parallel", "next": "success", "branches": {
        "a": {"start_at": "x", "steps": {"x": {"type": "stub", "next": "s"}, "s": {"type": "success"},
                                          "f": {"type": "fail"}}}}}
    assert _errors("pipeline", ok) == []
    ok["dag"]["steps"]["hello"]["branches"]["a"]["stat_at"] = "x"
    assert _errors("pipeline", ok)


R050 = {"pipeline-executor": {"type": "argo", "config": {
    "defaults": {"image": "python:3.11"}, "argoWorkflow": {"metadata": {"generateName": "x-"}}}}}


def test_config_accepts_snake_and_camel_case_like_the_parser() -> None:
    from compiler.frontend.config import Runnable050File

    snake = json.loads(json.dumps(R050))
    cfg = snake["pipeline-executor"]["config"]
    cfg["argo_workflow"] = cfg.pop("argoWorkflow")
    cfg["argo_workflow"]["metadata"] = {"generate_name": "x-"}
    for data in (R050, snake):
        Runnable050File.model_validate(data)  # the parser accepts both spellings ...
        assert _errors("config", data) == []  # ... and so does the editor


def test_config_requires_the_required_key_under_some_spelling() -> None:
    bad = json.loads(json.dumps(R050))
    del bad["pipeline-executor"]["config"]["argoWorkflow"]
    assert _errors("config", bad)


def test_config_schema_is_a_choice_of_every_dialect() -> None:
    schema = _published("config")
    refs = {c["$ref"].rsplit("/", 1)[-1] for c in schema["anyOf"]}
    assert refs == {m.__name__ for m in dialect_models()}
    assert {"DocumentedFile", "Runnable050File"} <= refs
    documented = {"executor": {"type": "argo", "config": {"image": "python:3.11"}}}
    assert _errors("config", documented) == []
    assert _errors("config", {"executor": {"type": "argo", "config": {"imag": "python:3.11"}}})


def test_enums_and_examples_reach_the_editor() -> None:
    task = _published("pipeline")["$defs"]["Task"]["properties"]
    assert task["command_type"]["enum"] == ["python", "shell", "notebook", "kedro"]
    assert task["command"]["examples"]
