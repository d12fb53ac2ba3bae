"""A bounded sample of bin/fuzz in the suite: mutated inputs give diagnostics, never a traceback or a hang."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzzing import Case, fuzz, run_case  # noqa: E402


def _describe(report) -> str:
    return "\n".join(f"{f.kind}: {f.case.name}\n{f.detail[:800]}\n{f.case.pipeline[:400]!r}"
                     for f in report.failures[:5])


def test_mutations_never_crash(tmp_path: Path) -> None:
    report = fuzz(300, seed=12345, timeout=10, folder=tmp_path, big=False)
    assert report.cases == 300
    assert not report.failures, _describe(report)
    assert set(report.exit_codes) <= {0, 1, 2}, report.exit_codes


def test_detector_sees_an_escaped_exception(tmp_path: Path, monkeypatch) -> None:
    """The harness must count what it claims to: an exception escaping main is a failure."""
    import compiler.cli

    def boom(argv=None):
        raise RuntimeError("escaped")

    monkeypatch.setattr(compiler.cli, "main", boom)
    code, text, _ = run_case(Case("boom", b"dag: {}\n"), tmp_path, b"", timeout=5)
    assert code is None and "RuntimeError: escaped" in text
