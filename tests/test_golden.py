"""Every golden case produces exactly its expected output (golden/README.md)."""

from pathlib import Path

import pytest

from compiler.golden import cases, compare, run_case

ROOT = Path(__file__).resolve().parent.parent
CASES = cases(ROOT / "golden")


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_golden(case: Path) -> None:
    diffs = compare(case, run_case(case))
    assert not diffs, "\n".join(
        f"{case}/{name}: expected\n{exp}\n--- actual\n{act}" for name, exp, act in diffs)


def test_there_are_cases() -> None:
    assert len(CASES) >= 1
