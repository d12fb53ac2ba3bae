"""Compiled pipelines run with the real runnable runtime give the run log runnable's local executor gives.

runnable 0.50 is a test dependency: a venv at $RCC_RUNNABLE_VENV (default
~/.cache/rcc/runnable-0.50) with `pip install runnable==0.50.0`. Without it these tests
skip (fail under CI). tests/runtimes runs the same machinery with the other programs.
Each case is one process-per-container run plus one local run (about 10 s each).
"""

from __future__ import annotations


import pytest

import sim_fidelity as fidelity

# Cases runnable 0.50 itself cannot run, so there is nothing to compare against.
CANNOT_COMPARE = {
    "map_parallel": "runnable 0.50 bug: any composite inside a map fails at fan-in, with its local executor too "
                    "(fan_in looks up the branch by its unresolved `map_variable_placeholder` name)",
}

# Known differences, each naming the step; strict, so a fix makes the test fail until this entry goes.
KNOWN: dict[str, str] = {}
# (Emptied when flatten learned runnable's implicit rule: a step failing with no
# on_failure goes to its branch's `fail` step; task_failure and map_failure now match.)

CASES = ["task_stub", "parallel", "map", "conditional", "nested", "on_failure", "map_failure", "task_failure",
         "on_failure_succeeds", "branch_recovers", "param_braces"]


@pytest.fixture(scope="module")
def venv():
    return fidelity.RUNNABLE_050.require()


@pytest.mark.parametrize("case", CASES)
def test_compiled_run_matches_local_run(case, venv, tmp_path, request):
    if case in KNOWN:
        request.applymarker(pytest.mark.xfail(reason=KNOWN[case], strict=True))
    from concurrent.futures import ThreadPoolExecutor

    work = fidelity.prepare(case, tmp_path)
    with ThreadPoolExecutor(2) as pool:  # separate run ids and log folders: the two runs cannot meet
        sim_run, local_run = pool.submit(fidelity.run_simulated, work, venv), pool.submit(fidelity.run_local, work, venv)
        (report, simulated), (code, local) = sim_run.result(), local_run.result()
    diffs = fidelity.differences(local, simulated)
    assert not diffs, f"{case}: the compiled run differs from runnable's local run:\n  " + "\n  ".join(diffs)
    # The Argo-level verdict agrees with runnable's: the workflow fails exactly when the run fails.
    assert (report["workflow"]["phase"] == "Succeeded") == (code == 0) == (local["status"] == "SUCCESS")
    if case == "param_braces":  # the text of params.yaml, whichever way each value travelled
        import yaml

        assert simulated["parameters"] == yaml.safe_load((work / "params.yaml").read_text())
    if case == "on_failure":  # the injected failure is real (exit 1) and the on_failure path ran
        phases = {n["name"]: n["phase"] for n in report["nodes"]}
        assert phases["risky"] == "Failed" and phases["recover"] == "Succeeded" and phases["success"] == "Omitted"
        assert simulated["steps"] == {"risky": "FAIL", "recover": "SUCCESS", "fail": "SUCCESS"}


@pytest.mark.parametrize("case", sorted(CANNOT_COMPARE))
def test_cases_runnable_cannot_run_are_refused_at_compile_time(case, tmp_path):
    """What runnable cannot run, rcc refuses under the runnable runtime, saying why (RCC0240)."""
    import subprocess
    import sys

    work = fidelity.prepare(case, tmp_path)
    args = [sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-c", "argo-config.yaml", "-o", "-",
            "--color", "never"] + (["-p", "params.yaml"] if (work / "params.yaml").exists() else [])
    proc = subprocess.run(args, cwd=work, capture_output=True, text=True)
    assert proc.returncode == 1 and "error[RCC0240]" in proc.stderr, proc.stderr


@pytest.mark.parametrize("case", ["retry_once", "retry_exhausted"])
def test_argo_retries_are_runnable_retries(case, venv, tmp_path):
    """A pod Argo retries runs as runnable's own retry of the same run (RUNNABLE_RETRY_RUN_ID
    set from `retries` on attempts after the first), so a step that fails once and then
    works succeeds, as `runnable execute` followed by runnable's retry does locally.

    Run one after the other: the flaky step's marker file lives in the case folder."""
    work = fidelity.prepare(case, tmp_path)
    report, simulated = fidelity.run_simulated(work, venv)
    for marker in work.glob("*.marker"):
        marker.unlink()
    code, local = fidelity.run_local(work, venv, retries=1)
    step = "flaky" if case == "retry_once" else "broken"
    phases = {n["name"]: n for n in report["nodes"]}
    attempts = [phases[f"{step}({i})"]["phase"] for i in range(2)]
    if case == "retry_once":
        assert attempts == ["Failed", "Succeeded"] and phases[step]["phase"] == "Succeeded"
        # The local retry is a second run of the same id: the first run's `fail` step stays
        # in its log; the Argo retry happens inside the step, so the run never went there.
        assert local["steps"].pop("fail") == "SUCCESS"
    else:
        assert attempts == ["Failed", "Failed"] and phases[step]["message"] == "No more retries left"
    diffs = fidelity.differences(local, simulated)
    assert not diffs, f"{case}: the retried run differs from runnable's own retry:\n  " + "\n  ".join(diffs)
    assert (report["workflow"]["phase"] == "Succeeded") == (code == 0) == (local["status"] == "SUCCESS")


def test_configuration_parameters_reach_a_run_that_starts_with_a_fan_out(venv, tmp_path):
    """runnable's transpiler gives the configuration's env to step containers only; when the
    first pod is a map's fan-out, rcc gives it the RUNNABLE_PRM_* entries, so the run log
    starts with them as the local run (with that environment) does."""
    from concurrent.futures import ThreadPoolExecutor

    work = fidelity.prepare("map_first_env", tmp_path)
    with ThreadPoolExecutor(2) as pool:
        sim_run = pool.submit(fidelity.run_simulated, work, venv)
        local_run = pool.submit(fidelity.run_local, work, venv, extra_env={"RUNNABLE_PRM_greeting": "hello"})
        (report, simulated), (code, local) = sim_run.result(), local_run.result()
    assert simulated["parameters"]["greeting"] == "hello" and code == 0
    diffs = fidelity.differences(local, simulated)
    assert not diffs, "\n  ".join(diffs)
