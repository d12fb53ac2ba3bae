"""Closed or full output streams, and Ctrl-C: one line and an exit code, never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bounded import ROOT, assert_user_error, project, rcc

COMMANDS = [("schema", "pipeline"), ("explain", "RCC0701"), ("build", "{p}", "-o", "-"), ("graph", "{p}")]


def _argv(command: tuple[str, ...], pipeline: Path) -> list[str]:
    return [a.format(p=pipeline) for a in command]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_full_stdout_is_one_diagnostic(tmp_path: Path, command) -> None:
    with open("/dev/full", "wb") as full:
        out = rcc(*_argv(command, project(tmp_path)), stdout=full)
    assert_user_error(out, "RCC0732")
    assert "No space left on device" in out.stderr
    assert "Exception ignored" not in out.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_closed_stdout_is_one_diagnostic(tmp_path: Path, command) -> None:
    argv = [sys.executable, "-m", "compiler.cli", *_argv(command, project(tmp_path))]
    proc = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *argv], cwd=ROOT, capture_output=True, timeout=30,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "RCC0732" in err and "closed" in err and "Traceback" not in err


def test_closed_stderr_keeps_the_exit_code(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "compiler.cli", "build", str(tmp_path / "missing.yaml")]
    proc = subprocess.run(["sh", "-c", 'exec "$@" 2>&-', "sh", *argv], cwd=ROOT, capture_output=True, timeout=30,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 1


def test_a_reader_that_goes_away_is_not_an_error(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "compiler.cli", "schema", "pipeline"]
    proc = subprocess.run(["sh", "-c", '"$@" | head -c 10 >/dev/null; exit "$(( $? ))"', "sh", *argv], cwd=ROOT,
                          capture_output=True, timeout=30, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert b"Traceback" not in proc.stderr and b"Exception ignored" not in proc.stderr


def _interrupted(argv: list[str], delay: float) -> tuple[int, str]:
    proc = subprocess.Popen([sys.executable, "-m", "compiler.cli", *argv], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err.decode("utf-8", "replace")


def _rcc_frames(err: str) -> bool:
    """A traceback through rcc's own code (the interpreter's start-up is not rcc's)."""
    return "Traceback" in err and f"{os.sep}compiler{os.sep}" in err


SIGINT_COMMANDS = [["build", "{p}", "-o", "-"], ["check", "{p}"], ["lint", "{m}"], ["simulate", "{m}"],
                   ["graph", "{p}"], ["schema", "config"], ["explain", "RCC0701"]]


@pytest.mark.parametrize("command", SIGINT_COMMANDS, ids=[c[0] for c in SIGINT_COMMANDS])
def test_ctrl_c_at_any_moment_is_exit_130_and_one_line(tmp_path: Path, command) -> None:
    pipeline = project(tmp_path)
    manifest = tmp_path / "m.yaml"
    manifest.write_bytes(rcc("build", str(pipeline), "-o", "-").stdout)
    argv = [a.format(p=pipeline, m=manifest) for a in command]
    seen = set()
    for delay in (0.25, 0.4, 0.6, 0.9):
        code, err = _interrupted(argv, delay)
        assert not _rcc_frames(err), err[-1500:]
        if code == 130:
            assert err == "rcc: interrupted\n", err[-1500:]
        else:  # finished before the signal, or killed before Python installed its handler
            assert code in (0, 1, -signal.SIGINT), (code, err[-1500:])
        seen.add(code)
    assert "RCC09" not in err
