"""No false positives: every Argo example document passes `rcc lint` (read from ../shared).

The one named exception is k8s-patch-json-workflow.yaml, which repeats the `annotations`
key: Argo's strict parsing rejects it, and rcc must report exactly that.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.diagnostics import Diagnostics
from compiler.frontend.load import load_documents
from compiler.verify import is_argo_document, lint_documents, verify_manifest

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "argo" / "examples"
FILES = sorted(EXAMPLES.rglob("*.yaml")) if EXAMPLES.exists() else []
DUPLICATE_KEY_FILE = "k8s-patch-json-workflow.yaml"

pytestmark = pytest.mark.skipif(not FILES, reason="Argo examples not available in ../shared")


def _bundle():
    diags = Diagnostics()
    docs = []
    for f in FILES:
        docs += load_documents(f.read_text(), str(f), diags)
    return docs, diags


def test_all_examples_pass_except_the_duplicate_key():
    docs, diags = _bundle()
    argo = [d for d in docs if is_argo_document(d.data)]
    assert len(argo) == 223
    lint_documents(docs, diags)
    errors = [d for d in diags.items if d.severity == "error"]
    assert [(Path(e.span.file).name, e.code, e.span.line) for e in errors] == [(DUPLICATE_KEY_FILE, "RCC0003", 13)]
    assert "annotations" in errors[0].message


def test_other_kinds_are_skipped():
    docs, _ = _bundle()
    kinds = {d.data.get("kind") for d in docs if isinstance(d.data, dict) and not is_argo_document(d.data)}
    assert {"ConfigMap", "PersistentVolumeClaim", "WorkflowEventBinding"} <= kinds


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_verify_manifest_accepts_each_example(path):
    diags = Diagnostics()
    for doc in load_documents(path.read_text(), str(path), diags):
        if is_argo_document(doc.data) and doc.data.get("kind") in ("Workflow", "CronWorkflow"):
            assert verify_manifest(doc.data) == []
