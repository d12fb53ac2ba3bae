"""`shared_volume_size`: the storage of CloudHarness' ephemeral shared directories.

CloudHarness (cloudharness/workflows/operations.py) writes `shared_volume_size=N` as
`{N}Mi`; rcc takes the same number, or a Kubernetes quantity, and keeps 1Gi without it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

PIPELINE = """\
dag:
  start_at: s
  steps:
    s: {type: task, command_type: shell, command: ls /opt/scratch, next: success}
    success: {type: success}
    fail: {type: fail}
"""


@pytest.mark.parametrize("written, storage", [(None, "1Gi"), ("500", "500Mi"), ("2.5", "2.5Mi"),
                                               ("20Gi", "20Gi"), ('"750M"', "750M")])
def test_the_ephemeral_claim_requests_the_configured_size(tmp_path: Path, written: str | None, storage: str) -> None:
    config = "executor:\n  type: argo\n  config:\n    image: python:3.11-slim\n    runtime: native\n" \
             "    shared_directory: [\"/opt/scratch\", \"myclaim:/opt/shared:ro\"]\n"
    if written is not None:
        config += f"    shared_volume_size: {written}\n"
    (tmp_path / "pipeline.yaml").write_text(PIPELINE)
    (tmp_path / "argo-config.yaml").write_text(config)
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-c", "argo-config.yaml",
                           "-o", "-", "--color", "never"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    spec = yaml.safe_load(proc.stdout)["spec"]
    assert [c["spec"]["resources"]["requests"]["storage"] for c in spec["volumeClaimTemplates"]] == [storage]
    assert "RCC0241" not in proc.stderr
