"""docs/native-runtime.md states the exit notifier's default command as an assumption about
the image; this keeps the statement true to what `rcc build` emits."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "golden" / "build" / "cloudharness-operations"


def test_the_documented_default_command_is_the_emitted_one() -> None:
    doc = (ROOT / "docs" / "native-runtime.md").read_text(encoding="utf-8")
    program = re.search(r'`python -c "([^"]+)"`', doc).group(1)
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-o", "-", "--color",
                           "never"], cwd=CASE, capture_output=True, text=True)
    manifest = yaml.safe_load(proc.stdout)
    handler = next(t for t in manifest["spec"]["templates"] if t["name"] == manifest["spec"]["onExit"])
    command = handler["container"]["command"]
    assert command[:2] == ["python", "-c"] and "; ".join(command[2].split("\n")) == program
    assert handler["container"]["args"] == ["{{inputs.parameters.queue}}", "{{inputs.parameters.status}}",
                                            "{{inputs.parameters.payload}}"]
    status = next(p for p in handler["inputs"]["parameters"] if p["name"] == "status")
    assert status["value"] == "{{workflow.status}}" and "`queue`, `{{workflow.status}}` and `payload`" in doc
    configured = yaml.safe_load((CASE / "argo-config.yaml").read_text())["executor"]["config"]["image"]
    assert handler["container"]["image"] == configured  # the steps' image (no on_exit_notify.image)
