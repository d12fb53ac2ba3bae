"""Run rcc as a separate process under a memory and a time bound.

Hostile inputs are about resources (a read that never ends, a scan that goes
quadratic), so each test runs the real command line in a child whose address space is
capped with setrlimit and whose wall time is capped by the subprocess timeout: a
regression shows up as a failure, not as a machine that swaps.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1024 * 1024 * 1024  # bytes of address space per rcc process
TIME_LIMIT = 30.0  # seconds of wall time per rcc process (the machine is shared)


@dataclass
class Outcome:
    code: int
    stdout: bytes
    stderr: str


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def rcc(*argv: str | bytes, cwd: Path | None = None, env: dict | None = None, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, timeout: float = TIME_LIMIT) -> Outcome:
    """`rcc ARGV...` in `cwd`, bounded; the exit code, stdout bytes and stderr text."""
    full_env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", *argv], cwd=cwd or ROOT, env=full_env,
                          stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=timeout,
                          preexec_fn=_limit_memory)
    return Outcome(proc.returncode, proc.stdout or b"", proc.stderr.decode("utf-8", "replace"))


def assert_user_error(out: Outcome, code: str | None = None, exit_code: int = 1) -> None:
    """Exit `exit_code`, no traceback, no internal error, and (when given) the code."""
    assert out.code == exit_code, f"exit {out.code}: {out.stderr[-2000:]}"
    assert "Traceback" not in out.stderr, out.stderr[-2000:]
    assert "RCC09" not in out.stderr, out.stderr[-2000:]
    if code is not None:
        assert code in out.stderr, out.stderr[-2000:]


PIPELINE = """\
dag:
  start_at: hello
  steps:
    hello: {type: task, command_type: shell, command: echo hello, next: success}
    success: {type: success}
    fail: {type: fail}
"""

CONFIG = """\
pipeline-executor:
  type: argo
  config:
    pvc_for_runnable: runnable-pvc
    defaults: {image: "python:3.11-slim"}
    argoWorkflow: {metadata: {generateName: hello-}, spec: {}}
"""


def project(folder: Path, pipeline: str = PIPELINE, config: str | None = CONFIG) -> Path:
    """A pipeline (and configuration) in `folder`; returns the pipeline's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pipeline.yaml").write_text(pipeline)
    if config is not None:
        (folder / "argo-config.yaml").write_text(config)
    return folder / "pipeline.yaml"
