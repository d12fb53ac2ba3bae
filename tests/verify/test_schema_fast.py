"""The compiled schema checker agrees with jsonschema on Argo's examples and on mutations."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from compiler.diagnostics import Diagnostics
from compiler.frontend.load import load_documents
from compiler.verify import is_argo_document
from compiler.verify.schema import check_document, packaged_schema

jsonschema = pytest.importorskip("jsonschema")
EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "argo" / "examples"
DOCS = []
if EXAMPLES.exists():
    for f in sorted(EXAMPLES.rglob("*.yaml")):
        DOCS += [d.data for d in load_documents(f.read_text(), str(f), Diagnostics()) if is_argo_document(d.data)]


def _paths(doc) -> tuple[set, set]:
    # compare against the kind's own definition: the root `oneOf` would hide the details
    schema = {"definitions": packaged_schema()["definitions"],
              "$ref": "#/definitions/io.argoproj.workflow.v1alpha1." + doc["kind"]}
    validator = jsonschema.Draft202012Validator(schema)
    theirs = {tuple(e.absolute_path) for e in validator.iter_errors(doc)}
    # an unknown field is reported by jsonschema at its object, by rcc at the field itself
    mine = {e.path[:-1] if e.kind == "unknown" else e.path for e in check_document(doc)}
    return mine, theirs


@pytest.mark.skipif(not DOCS, reason="examples not available")
def test_examples_agree():
    for doc in DOCS:
        mine, theirs = _paths(doc)
        assert mine == theirs == set()


def _mutate(doc, rng: random.Random):
    doc = copy.deepcopy(doc)
    nodes = []
    stack = [doc]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            nodes += [(n, k) for k in n]
            stack += list(n.values())
        elif isinstance(n, list):
            nodes += [(n, i) for i in range(len(n))]
            stack += n
    parent, key = rng.choice(nodes)
    choice = rng.randrange(4)
    if choice == 0:
        parent[key] = rng.choice([1, 1.5, True, None, "s", [], {}])
    elif choice == 1 and isinstance(parent, dict):
        parent["zzUnknown"] = 1
    elif choice == 2 and isinstance(parent, dict):
        del parent[key]
    else:
        parent[key] = [parent[key]]
    return doc


@pytest.mark.skipif(not DOCS, reason="examples not available")
def test_mutations_agree():
    rng = random.Random(1234)
    for i in range(400):
        doc = _mutate(DOCS[i % len(DOCS)], rng)
        if not is_argo_document(doc):
            continue
        mine, theirs = _paths(doc)
        assert mine == theirs, (i, mine, theirs)
