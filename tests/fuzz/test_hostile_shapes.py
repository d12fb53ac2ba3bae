"""The resource attacks of bin/fuzz, each ending in a diagnostic within its time limit."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzzing import big_cases, run_case, seeds  # noqa: E402

FAST = [c for c in big_cases() if "10,000" not in c.name]


@pytest.mark.parametrize("case", FAST, ids=[c.name for c in FAST])
def test_hostile_shape_gives_a_diagnostic(tmp_path: Path, case) -> None:
    code, text, seconds = run_case(case, tmp_path, seeds()[0][1] or b"", timeout=20)
    assert code in (0, 1), f"exit {code}: {text[:2000]}"
    assert "RCC09" not in text, text[:2000]
    assert seconds < 20
