"""Each runtime's compiled pods, run with its real program, give the run log that program's local run gives.

For runnable 0.13.0, magnus 0.5.1 and magnus 0.4.9 (+ magnus-extensions 0.2.2), every
case is built with `rcc build` (the runtime chosen by the configuration's dialect, or
`--runtime magnus`), run with `rcc simulate --exec` with the program's venv first on
PATH (every container's command runs as a process), and compared with the program's
own `execute` of the same pipeline with its local executor: run status, every step's
and branch's status, the final parameters. The machinery is tests/simulate's
`sim_fidelity`, which proves runnable 0.50 the same way.

The venvs are test dependencies that `.ci/run` installs (RCC_RUNNABLE013_VENV,
RCC_MAGNUS05_VENV, RCC_MAGNUS04_VENV, defaults under ~/.cache/rcc/); without one its
tests skip, and fail under CI.
"""

from __future__ import annotations

import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "simulate"))
import sim_fidelity as fidelity  # noqa: E402

PIPELINES = Path(__file__).with_name("pipelines")
TOKEN = {"RCC_TEST_TOKEN": "s3cret"}
"""The Kubernetes secret's value: `rcc simulate --exec` gives a container a `valueFrom` secret
from its own environment, and keeps every RCC_ variable out of the containers otherwise,
so the `secrets` cases pass only when the manifest puts the secret on the step."""
SECRETS_DOCUMENTED = ("    secrets_from_k8s:\n"
                      "      - {environment_variable: RCC_TEST_TOKEN, secret_name: tokens, secret_key: token}\n")
SECRETS_MAGNUS04 = "    secrets_from_k8s:\n      RCC_TEST_TOKEN: tokens:token\n"

PROGRAMS = {
    "runnable-0.13": (fidelity.RUNNABLE_013, SECRETS_DOCUMENTED),
    "magnus": (fidelity.MAGNUS_05, SECRETS_DOCUMENTED),
    "magnus-0.4": (fidelity.MAGNUS_04, SECRETS_MAGNUS04),
}
# runtime -> the cases it runs. Each step kind a runtime supports appears at least once;
# what it refuses is a golden case (golden/build/runtime-*) instead.
CASES = {
    "runnable-0.13": ["tasks", "parallel", "map", "nested", "on_failure", "task_failure", "map_failure",
                      "secrets_declared", "returns_runnable"],
    # magnus 0.5 is runnable 0.13's code under its old name: the cases that differ, and one of each kind.
    "magnus": ["tasks", "parallel", "map", "nested", "on_failure", "secrets", "returns_magnus05"],
    "magnus-0.4": ["tasks_magnus04", "on_failure", "task_failure", "secrets", "returns_magnus04"],
}
# What the run must end as: the comparison alone would pass if both runs broke the same way.
EXPECTED_STATUS = {"on_failure": "FAIL", "task_failure": "FAIL", "map_failure": "FAIL"}
# Where the program itself ends a case otherwise (both runs agree; the program decides).
# (map_failure is not run under magnus 0.5: it gives a map's shell steps no loop variable
# in their environment, only MAGNUS_MAP_VARIABLE, so item b cannot fail there.)
PROGRAM_OUTCOME: dict[tuple[str, str], tuple[str, str]] = {}


def _venv(runtime: str) -> Path:
    program, _ = PROGRAMS[runtime]
    return program.require()


def _both_runs(case: str, runtime: str, work: Path, params: dict[str, str] | None = None):
    program, secrets = PROGRAMS[runtime]
    venv = _venv(runtime)
    case_dir = fidelity.prepare(case, work, program, PIPELINES, secrets=secrets)
    if not (case_dir / "steps.py").exists():
        shutil.copy2(PIPELINES / "steps.py", case_dir / "steps.py")
    local_env = {**TOKEN, **{f"{program.parameter_prefix}{k}": v for k, v in (params or {}).items()}}
    with ThreadPoolExecutor(2) as pool:  # separate run ids and log folders: the two runs cannot meet
        sim = pool.submit(fidelity.run_simulated, case_dir, venv, program, TOKEN, params)
        local = pool.submit(fidelity.run_local, case_dir, venv, program, local_env)
        (report, simulated), (code, local_facts) = sim.result(), local.result()
    return report, simulated, code, local_facts


@pytest.mark.parametrize("runtime,case", [(r, c) for r, cases in CASES.items() for c in cases])
def test_compiled_run_matches_the_programs_local_run(runtime, case, tmp_path):
    report, simulated, code, local = _both_runs(case, runtime, tmp_path)
    expected = PROGRAM_OUTCOME.get((case, runtime), (EXPECTED_STATUS.get(case, "SUCCESS"), ""))[0]
    assert local["status"] == expected, f"{case}: the local run itself ended {local['status']}"
    diffs = fidelity.differences(local, simulated)
    assert not diffs, f"{case} under {runtime}: the compiled run differs from the local run:\n  " + "\n  ".join(diffs)
    # The Argo-level verdict agrees with the program's: the workflow fails exactly when the run fails.
    assert (report["workflow"]["phase"] == "Succeeded") == (code == 0) == (local["status"] == "SUCCESS")
    if case.startswith("returns"):
        assert simulated["parameters"]["total"] == 6


@pytest.mark.parametrize("runtime", sorted(CASES))
def test_a_parameter_given_at_submission_reaches_the_program(runtime, tmp_path):
    """`--param greeting=bonjour` reaches the first pod as PREFIX_greeting, as the local run's
    environment variable does: with the wrong prefix the run log would keep `hello`."""
    case = "tasks_magnus04" if runtime == "magnus-0.4" else "tasks"
    report, simulated, code, local = _both_runs(case, runtime, tmp_path, params={"greeting": "bonjour"})
    assert local["parameters"]["greeting"] == "bonjour"
    assert simulated["parameters"] == local["parameters"]
    assert report["workflow"]["phase"] == "Succeeded" and code == 0
