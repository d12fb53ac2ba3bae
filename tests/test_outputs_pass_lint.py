"""Every manifest rcc produces passes `rcc lint` (Argo's rules with spans, as users run it):
the golden manifests and the output of every example."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from compiler.diagnostics import Diagnostics
from compiler.frontend.load import load_documents
from compiler.verify import lint_documents

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = sorted(ROOT.glob("golden/build/*/expected.yaml"))
EXAMPLES = sorted(p.parent for p in ROOT.glob("examples/*/pipeline.yaml"))


def lint_errors(text: str, name: str) -> list[str]:
    diags = Diagnostics()
    lint_documents(load_documents(text, name, diags), diags)
    return [f"{d.code} {d.message} at {d.span}" for d in diags.items if d.severity == "error"]


@pytest.mark.parametrize("manifest", GOLDEN, ids=[p.parent.name for p in GOLDEN])
def test_golden_manifest_passes_lint(manifest: Path) -> None:
    assert not lint_errors(manifest.read_text(encoding="utf-8"), str(manifest))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_output_passes_lint(example: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-o", "-"],
                          cwd=example, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not lint_errors(proc.stdout, f"{example.name}/argo-pipeline.yaml")


def test_there_are_manifests_to_lint() -> None:
    assert len(GOLDEN) >= 20 and len(EXAMPLES) >= 6
