"""No false positives: every Argo example document passes `rcc lint` (read from ../shared),
except the three that Argo or Kubernetes genuinely refuse, each named with its defect:

- k8s-patch-json-workflow.yaml repeats the `annotations` key: Argo's strict parsing
  rejects it (RCC0003);
- fun-with-gifs.yaml puts `generateName` under `metadata.labels`, so the Workflow has no
  name (the API server refuses the create) and a label value ending in '-' (refused too);
- k8s-jobs.yaml has no `metadata.name` or `generateName` at all.
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
# file -> [(code, line, what the message must say)]: every error rcc lint reports on the examples.
BROKEN = {
    "k8s-patch-json-workflow.yaml": [("RCC0003", 13, "duplicate key `annotations`")],
    "fun-with-gifs.yaml": [("RCC0877", 12, "neither `metadata.name` nor `metadata.generateName`"),
                           ("RCC0877", 15, "label `generateName` has the value `fun-with-gifs-`")],
    "k8s-jobs.yaml": [("RCC0877", 8, "neither `metadata.name` nor `metadata.generateName`")],
}

pytestmark = pytest.mark.skipif(not FILES, reason="Argo examples not available in ../shared")


def _bundle():
    diags = Diagnostics()
    docs = []
    for f in FILES:
        docs += load_documents(f.read_text(), str(f), diags)
    return docs, diags


def test_all_examples_pass_except_the_three_broken_documents():
    docs, diags = _bundle()
    argo = [d for d in docs if is_argo_document(d.data)]
    assert len(argo) == 223
    lint_documents(docs, diags)
    errors = sorted(((Path(e.span.file).name, e.code, e.span.line), e.message)
                    for e in diags.items if e.severity == "error")
    assert [where for where, _ in errors] == sorted((f, code, line) for f, found in BROKEN.items()
                                                    for code, line, _ in found)
    expected = {(f, code, line): what for f, found in BROKEN.items() for code, line, what in found}
    for where, message in errors:
        assert expected[where] in message, (where, message)


def test_the_fun_with_gifs_note_points_at_the_misplaced_key():
    docs, diags = _bundle()
    lint_documents([d for d in docs if d.span(()).file.endswith("fun-with-gifs.yaml")], diags)
    missing = [d for d in diags.items if d.code == "RCC0877" and "neither" in d.message]
    assert missing and "`metadata.labels` holds a `name`/`generateName` key" in missing[0].notes[0]


def test_no_pod_name_warning_on_the_examples():
    """Argo cuts pod names to fit Kubernetes (pod_name.go); none of its examples has a
    template name Kubernetes would refuse in a pod name."""
    docs, diags = _bundle()
    lint_documents(docs, diags)
    assert not [d for d in diags.items if d.code == "RCC0872"]


def test_other_kinds_are_skipped():
    docs, _ = _bundle()
    kinds = {d.data.get("kind") for d in docs if isinstance(d.data, dict) and not is_argo_document(d.data)}
    assert {"ConfigMap", "PersistentVolumeClaim", "WorkflowEventBinding"} <= kinds


@pytest.mark.parametrize("path", [f for f in FILES if f.name not in BROKEN], ids=lambda p: p.name)
def test_verify_manifest_accepts_each_example(path):
    diags = Diagnostics()
    for doc in load_documents(path.read_text(), str(path), diags):
        if is_argo_document(doc.data) and doc.data.get("kind") in ("Workflow", "CronWorkflow"):
            assert verify_manifest(doc.data) == []
