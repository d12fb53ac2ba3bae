"""golden/lint/<case>: `rcc lint manifest.yaml` stderr and exit code, exactly.

Refresh with `bin/golden-lint` (or RCC_REFRESH_GOLDEN=1 pytest ...) and read the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CASES = sorted(p for p in (REPO / "golden" / "lint").iterdir() if (p / "manifest.yaml").exists())


def _run(case: Path) -> str:
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "lint", "manifest.yaml", "--color", "never"],
                          cwd=case, env=env, capture_output=True, text=True)
    return f"exit: {proc.returncode}\n{proc.stderr}"


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_golden(case: Path) -> None:
    got = _run(case)
    expected = case / "expected.txt"
    if os.environ.get("RCC_REFRESH_GOLDEN") == "1":
        expected.write_text(got)
    assert got == expected.read_text()
