"""Which Python asks kedro, and asking it: `kedro_export.py` in a subprocess.

The Python is, in order: `--python PATH`; `$RCC_KEDRO_VENV/bin/python`; the project's
own `.venv/bin/python` (or `venv/`); `$VIRTUAL_ENV/bin/python` (an activated
environment). The first that exists is used, and a later one is never tried behind its
back: a Python that cannot import kedro is reported (RCC0741), not silently replaced.
The script runs in the project directory with the project's environment variables, as
`kedro run` would; its answer is a JSON file, so kedro's logging on stdout and stderr
never mixes with it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from compiler.diagnostics import Diagnostics

TIMEOUT = 600
"""Seconds for kedro to load the project: a registry that imports heavy libraries is slow,
one that never returns is a bug worth a diagnostic rather than a hung CI job."""


def choose_python(project: Path, given: str | None) -> tuple[str | None, list[str]]:
    """The Python to run, and where rcc looked (for the diagnostic when none exists)."""
    candidates: list[tuple[str, str]] = []
    if given:
        return given, [f"--python {given}"]
    if os.environ.get("RCC_KEDRO_VENV"):
        candidates.append(("RCC_KEDRO_VENV", str(Path(os.environ["RCC_KEDRO_VENV"]) / "bin" / "python")))
    for venv in (".venv", "venv"):
        candidates.append((f"the project's {venv}", str(project / venv / "bin" / "python")))
    if os.environ.get("VIRTUAL_ENV"):
        candidates.append(("VIRTUAL_ENV", str(Path(os.environ["VIRTUAL_ENV"]) / "bin" / "python")))
    for _, path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path, []
    return None, [f"{why} ({path})" for why, path in candidates]


def export_graph(python: str, project: Path, pipeline: str, diags: Diagnostics) -> str | None:
    """The exporter's JSON text, or None after a diagnostic (the Python did not run or answer)."""
    source = (Path(__file__).parent / "kedro_export.py").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="rcc-kedro-") as tmp:
        answer = Path(tmp) / "graph.json"
        env = dict(os.environ, KEDRO_DISABLE_TELEMETRY="1", DO_NOT_TRACK="1", NO_COLOR="1")
        try:
            proc = subprocess.run([python, "-c", source, str(project.resolve()), pipeline, str(answer)], cwd=project, env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                                  timeout=TIMEOUT)
        except OSError as exc:
            diags.error("RCC0741", f"cannot run the Python `{python}`: {exc.strerror or exc}", None,
                        help="give the project's interpreter with --python PATH (e.g. .venv/bin/python)")
            return None
        except subprocess.TimeoutExpired:
            diags.error("RCC0743", f"kedro did not finish loading the project's pipelines in {TIMEOUT} s", None,
                        help="check that `kedro registry list` returns in the project; something in "
                             "register_pipelines() may wait forever")
            return None
        if not answer.is_file():
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            diags.error("RCC0741", f"the Python `{python}` exited {proc.returncode} without an answer: {last}", None,
                        help="give the project's interpreter with --python PATH; it must be Python 3 with kedro")
            return None
        return answer.read_text(encoding="utf-8")
