"""check-jsonschema, the CLI many CI pipelines already use, validates every example
against the published schema, and refuses a broken pipeline (so the run is not vacuous)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .tools import ROOT, require_tool

EXAMPLES = sorted(ROOT.glob("examples/*/pipeline.yaml"))
CONFIGS = sorted(ROOT.glob("examples/*/argo-config.yaml"))


def _run(schema: str, files: list[Path]) -> subprocess.CompletedProcess:
    exe = require_tool("check-jsonschema")
    return subprocess.run([exe, "--schemafile", str(ROOT / "schemas" / schema), *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def test_every_example_pipeline_validates() -> None:
    assert EXAMPLES, "no examples/*/pipeline.yaml found"
    proc = _run("pipeline.schema.json", EXAMPLES)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_example_config_validates() -> None:
    assert CONFIGS
    proc = _run("config.schema.json", CONFIGS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_misspelt_key_fails(tmp_path: Path) -> None:
    text = EXAMPLES[0].read_text(encoding="utf-8").replace("start_at:", "startat:", 1)
    bad = tmp_path / "pipeline.yaml"
    bad.write_text(text, encoding="utf-8")
    proc = _run("pipeline.schema.json", [bad])
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "startat" in proc.stdout + proc.stderr
