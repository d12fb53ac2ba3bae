"""bin/compare-tugboat drives the real argo-tugboat beside rcc lint (tugboat needs
Python 3.12: .ci/run installs it in RCC_TUGBOAT_VENV when a Python 3.12 is there)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("RCC_TUGBOAT_VENV", Path.home() / ".cache" / "rcc" / "tugboat"))
HAVE = (VENV / "bin" / "tugboat").exists()


@pytest.mark.skipif(not HAVE and not os.environ.get("CI_HAS_PY312"),
                    reason="argo-tugboat needs Python 3.12 (none found, so .ci/run did not install it)")
def test_both_tools_run_over_the_same_files() -> None:
    cases = ["golden/lint/rule-image-missing/manifest.yaml", "golden/lint/rule-dag-cycle/manifest.yaml"]
    proc = subprocess.run([sys.executable, "bin/compare-tugboat", "--json", *cases], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (row,) = json.loads(proc.stdout)
    assert row["files"] == 2
    assert row["rcc"]["files with an error"] == 2
    assert row["rcc"]["by code"] == {"RCC0831": 1, "RCC0849": 1}
    assert row["tugboat"]["by code"].get("M101") == 1  # tugboat's "missing required field" on the image
