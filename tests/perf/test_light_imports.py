"""`rcc check` of a plainly valid pipeline never imports pydantic (lark it may: verify parses `depends`).

The pre-commit hook runs `rcc check` on every commit, so its start-up is most of its
cost; the fast paths (`fast_parse`, `fast_config`) exist so that a valid runnable 0.50
pipeline and configuration are read without the models. A pass or a frontend module
that imports a pydantic-backed module on the way (as `choose_backend` once did for every
step, through the configuration package) silently costs every check about 0.15 s
(bin/bench measures the time; this test guards the boundary, not a duration).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bin"))

from bench_shapes import par, seq  # noqa: E402

PROBE = """\
import sys
from compiler import cli
sys.argv = ["rcc", "check", "pipeline.yaml", "-c", "config.yaml"] + sys.argv[1:]
try:
    cli.main()
except SystemExit as stop:
    code = stop.code
else:
    code = 0
heavy = sorted(m for m in ("pydantic", "pydantic_core") if m in sys.modules)
print(code, ",".join(heavy) or "-")
"""


@pytest.mark.parametrize("shape", [seq(20), par(3)], ids=lambda s: s.name)
def test_check_of_a_valid_pipeline_imports_no_models(shape, tmp_path):
    shape.write(tmp_path)
    extra = ["-p", "params.yaml"] if shape.parameters is not None else []
    proc = subprocess.run([sys.executable, "-c", PROBE, *extra], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    code, heavy = proc.stdout.split()
    assert code == "0", proc.stderr
    assert heavy == "-", f"rcc check imported {heavy}"
