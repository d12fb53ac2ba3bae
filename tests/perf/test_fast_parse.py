"""The pydantic-free fast path answers exactly as the models do, or not at all.

For every input: if `surface_dump` answers, pydantic must accept the same data and its
`model_dump()` must equal the answer, key order included (lowering and the dag hash read
it); if pydantic rejects the data, the fast path must not answer. Inputs: every pipeline
in examples/ and golden/, the benchmark shapes, and mutations of them.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from compiler.diagnostics import Diagnostics
from compiler.frontend.fast_parse import surface_dump
from compiler.frontend.load import load_mapping
from compiler.frontend.pipeline_model import Pipeline

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bin"))

from bench_shapes import nested, par, seq  # noqa: E402


def _pipelines() -> list[tuple[str, dict]]:
    out = []
    for path in sorted([*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("golden/**/*.yaml")]):
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if "dag:" not in text:
            continue
        diags = Diagnostics()
        doc = load_mapping(text, str(path), diags, "pipeline")
        if doc is not None and "dag" in doc.data:
            out.append((str(path.relative_to(ROOT)), doc.data))
    for shape in (seq(5), par(3), nested(3), nested(8)):
        diags = Diagnostics()
        out.append((shape.name, load_mapping(shape.pipeline, shape.name, diags, "pipeline").data))
    return out


def _ordered(value):
    """JSON text without sorting: equal only if keys come in the same order."""
    return json.dumps(value, default=repr)


def _agree(data) -> bool:
    fast = surface_dump(copy.deepcopy(data))
    try:
        model = Pipeline.model_validate(data)
    except ValidationError:
        assert fast is None, "the fast path accepted what pydantic rejects"
        return False
    if fast is not None:
        assert _ordered(fast) == _ordered(model.model_dump())
        assert _ordered(fast) == _ordered(model.model_dump(mode="json"))
    return fast is not None


CASES = _pipelines()


@pytest.mark.parametrize("name,data", CASES, ids=[c[0] for c in CASES])
def test_agrees_on_real_pipelines(name, data):
    _agree(data)


def test_fast_path_taken_for_plain_pipelines():
    for shape in (seq(5), par(3), nested(8)):
        data = load_mapping(shape.pipeline, shape.name, Diagnostics(), "pipeline").data
        assert surface_dump(data) is not None, shape.name


_ODD_VALUES = [None, 0, 1, -1, True, False, 1.5, float("inf"), "", "x", "shell", "json", [], ["a"], [1],
               {}, {"a": "b"}, {"a": {}}, {"a": 1}, [{"name": "x"}], [{"name": "x", "kind": "metric"}],
               [{"name": 1}], {"get": ["a"]}, {"store_copy": 1}, "task", "stub", "success"]
_KEYS = ["next", "on_failure", "overrides", "mode_config", "machine_type", "template", "image", "env",
         "description", "type", "command_type", "command", "returns", "secrets", "catalog", "max_attempts",
         "optional_ploomber_args", "iterate_on", "iterate_as", "reducer", "parameter", "default", "branch",
         "branches", "start_at", "steps", "bogus"]


def _mappings(value, found):
    if isinstance(value, dict):
        found.append(value)
        for v in value.values():
            _mappings(v, found)
    elif isinstance(value, list):
        for v in value:
            _mappings(v, found)
    return found


def test_agrees_on_mutations():
    rng = random.Random(8)
    taken = 0
    for i in range(1500):
        _, base = CASES[i % len(CASES)]
        data = copy.deepcopy(base)
        for _ in range(rng.randint(1, 3)):
            target = rng.choice(_mappings(data, []))
            if target and rng.random() < 0.3:
                del target[rng.choice(list(target))]
            else:
                target[rng.choice(_KEYS)] = copy.deepcopy(rng.choice(_ODD_VALUES))
        taken += _agree(data)
    assert taken > 0  # some mutations stay valid and plain
