"""The configuration fast path (compiler/frontend/fast_config.py) gives exactly what the
models give, or declines: on every configuration in examples/ and golden/, and on
thousands of mutations of them. A decline is always safe; a different answer is a bug."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from compiler.diagnostics import Diagnostics
from compiler.frontend.config import parse_config
from compiler.frontend.fast_config import parse_config_fast
from compiler.frontend.load import Located, load_mapping
from compiler.frontend.variables import substitute

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = sorted({*ROOT.glob("examples/*/argo-config.yaml"), *ROOT.glob("golden/*/*/argo-config.yaml")})
VARIABLES = {"image": "registry.example.com/app:1", "docker_image": "registry.example.com/app:1"}


def _load(text: str, name: str) -> Located | None:
    diags = Diagnostics()
    doc = load_mapping(text, name, diags, "configuration")
    if doc is None or diags.has_errors:
        return None
    return substitute(doc, VARIABLES, Diagnostics())


def _agree(doc: Located) -> bool:
    """True when the fast path answered (False when it declined); fails on disagreement."""
    fast = parse_config_fast(doc)
    if fast is None:
        return False
    diags = Diagnostics()
    slow = parse_config(doc, diags)
    assert not diags.has_errors, [d.message for d in diags.items]
    assert fast == slow
    return True


@pytest.mark.parametrize("path", CONFIGS, ids=[str(p.relative_to(ROOT)) for p in CONFIGS])
def test_fast_path_equals_models_on_every_configuration(path: Path) -> None:
    doc = _load(path.read_text(encoding="utf-8"), str(path))
    if doc is not None:
        _agree(doc)


def test_fast_path_answers_the_common_configurations() -> None:
    """Not a tautology: the path must actually be taken for the plain runnable 0.50 examples."""
    taken = [p.parent.name for p in CONFIGS if (d := _load(p.read_text(), str(p))) is not None and _agree(d)]
    for name in ("hello", "map", "parallel", "conditional", "nested", "on_failure"):
        assert name in taken


_VALUES = [None, 0, 1, -1, 3, True, "", "x", "3", [], {}, ["a"], {"a": 1}, 1.5, "Always", "INFO", "argo"]
_KEYS = ["image", "imagePullPolicy", "image_pull_policy", "generateName", "generate_name", "labels", "spec",
         "metadata", "parallelism", "serviceAccountName", "logLevel", "log_level", "outputFile", "type",
         "config", "defaults", "argoWorkflow", "pvc_for_runnable", "catalog", "run-log-store", "nodeSelector",
         "resources", "overrides", "runtime", "executor", "namespace", "annotations", "activeDeadlineSeconds"]


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, prefix + (k,))


def _mutate(data: dict, r: random.Random) -> dict:
    data = copy.deepcopy(data)
    path = r.choice([p for p in _paths(data) if p])
    parent = data
    for k in path[:-1]:
        parent = parent[k]
    choice = r.randrange(4)
    if choice == 0:
        del parent[path[-1]]
    elif choice == 1:
        parent[path[-1]] = r.choice(_VALUES)
    elif choice == 2:
        parent[r.choice(_KEYS)] = r.choice(_VALUES)
    elif isinstance(parent[path[-1]], dict):
        parent[path[-1]][r.choice(_KEYS)] = r.choice(_VALUES)
    return data


def test_fast_path_never_disagrees_on_mutations() -> None:
    r = random.Random(20261124)
    seeds = [d for p in CONFIGS if (d := _load(p.read_text(), str(p))) is not None and parse_config_fast(d)]
    assert seeds
    answered = 0
    for _ in range(3000):
        seed = r.choice(seeds)
        doc = Located(seed.file, seed.text, _mutate(seed.data, r), seed.spans, seed.key_spans)
        fast = parse_config_fast(doc)
        if fast is None:
            continue
        diags = Diagnostics()
        slow = parse_config(doc, diags)
        assert not diags.has_errors, (doc.data, [d.message for d in diags.items])
        assert fast == slow, doc.data
        answered += 1
    assert answered > 100  # the mutations must exercise the path, not only its declines


def test_an_empty_pvc_for_runnable_mounts_nothing_on_both_paths() -> None:
    """runnable mounts `pvc_for_runnable` only when it names a claim (its argo.py tests truthiness);
    the mutation test found the fast path mounting a claim named ''."""
    text = (
        "pipeline-executor:\n  type: argo\n  config:\n    pvc_for_runnable: ''\n"
        "    defaults:\n      image: registry.example.com/app:1\n"
        "    argoWorkflow: {metadata: {generateName: h-}, spec: {}}\n"
        "run-log-store: {type: chunked-fs}\ncatalog: {type: file-system}\n"
    )
    doc = _load(text, "argo-config.yaml")
    assert _agree(doc)
    assert parse_config_fast(doc).volumes == ()
