"""A bounded sample of bin/fuzz's strategies from outside the language (seconds, not minutes):
every strategy's cases end with 0, 1 or 2, no traceback, no internal error, within the bounds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile import STRATEGIES, Case, judge, run_case, run_strategies  # noqa: E402


@pytest.mark.parametrize("strategy", sorted(STRATEGIES))
def test_a_sample_of_each_strategy(strategy: str, tmp_path: Path) -> None:
    figures = run_strategies([strategy], 3, seed=18, root=tmp_path)[strategy]
    assert figures.inputs == 3
    assert not figures.failures, [(c.name, c.argv, why, err[-600:]) for c, why, err in figures.failures]


def test_the_judge_sees_an_internal_error_and_a_bound(tmp_path: Path) -> None:
    """The harness counts what it claims: an exit 3, a traceback and a memory kill are failures."""
    assert judge(3, "") == "exit 3"
    assert judge(1, "Traceback (most recent call last)") == "traceback"
    assert judge(None, "") == "hang"
    code, _, _, err = run_case(Case("t", "t", ["explain", "RCC0402"]), tmp_path)
    assert code == 0 and judge(code, err) is None
