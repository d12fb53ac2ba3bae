"""Golden cases: run a case's command and compare with its expected files (see golden/README.md).

Used by `bin/golden` (show, refresh) and `tests/test_golden.py` (assert). It runs the
real console entry point in a subprocess so a case sees exactly what a user sees.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Outcome:
    stdout: str
    stderr: str
    code: int

    def files(self) -> dict[str, str | None]:
        err = None
        if self.code != 0 or self.stderr:
            err = f"exit: {self.code}\n{self.stderr}"
        return {"expected.yaml": self.stdout or None, "expected.err": err}


def cases(root: Path) -> list[Path]:
    out = []
    for suite in sorted(p for p in root.iterdir() if (p / "COMMAND").is_file()):
        out += sorted(p for p in suite.iterdir() if p.is_dir())
    return out


def command_for(case: Path) -> list[str]:
    words = shlex.split((case.parent / "COMMAND").read_text())
    args = case / "args"
    if args.is_file():
        words += shlex.split(args.read_bytes().decode("utf-8", "surrogateescape"))  # bytes as given
    if words and words[0] == "rcc":
        words = [sys.executable, "-m", "compiler.cli"] + words[1:]
    return words


def run_case(case: Path, timeout: float = 60) -> Outcome:
    env = dict(os.environ, NO_COLOR="1", PYTHONHASHSEED="0")
    env.pop("RCC_VAR_image", None)
    proc = subprocess.run(command_for(case), cwd=case, env=env, capture_output=True, text=True, timeout=timeout)
    return Outcome(proc.stdout, proc.stderr, proc.returncode)


def compare(case: Path, outcome: Outcome) -> list[tuple[str, str | None, str | None]]:
    """(file, expected, actual) for every expected file that differs."""
    diffs = []
    for name, actual in outcome.files().items():
        path = case / name
        expected = path.read_text() if path.exists() else None
        if expected != actual:
            diffs.append((name, expected, actual))
    return diffs


def refresh(case: Path, outcome: Outcome) -> None:
    for name, actual in outcome.files().items():
        path = case / name
        if actual is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(actual)
