"""The native runtime's compiled runs (simulated pod by pod) end with runnable 0.50's final values.

Each case is built with the native runtime, run with `rcc simulate --exec` (every
container's `python -c` / `sh -c` as a local process, values carried only by Argo
output parameters, arguments and aggregated loop outputs), and run again with
`runnable execute` on the same task code. runnable 0.50 is a test dependency at
$RCC_RUNNABLE_VENV (default ~/.cache/rcc/runnable-0.50; .ci/run installs it).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

import native_fidelity as fidelity

COMPARED = ["returns", "parallel", "map", "conditional", "conditional_no_branch", "conditional_values",
            "conditional_values_small", "on_failure", "task_failure",
            "map_failure", "depth4", "parallel_recovery"]

# Shapes no real program can run (measured: runnable 0.50 and 0.13 both fail a composite inside
# a map at its fan-in), so their final values are written out by hand from runnable's rules:
# a map reduces only the returns of the tasks directly in its branch; a conditional reads the
# pipeline's scope, not the iteration's.
BY_HAND = {
    "map_of_maps": ("Succeeded", {"rows": ["a", "b"], "cols": [1, 2], "line": ["a:a1+a2", "b:b1+b2"]}),
    "conditional_in_map": ("Succeeded", {"items": [1, 2, 3], "word": "hi", "sq": [1, 4, 9]}),
}


@pytest.fixture(scope="module")
def venv():
    return fidelity.require_runnable()


@pytest.mark.parametrize("case", COMPARED)
def test_native_run_ends_with_runnables_values(case, venv, tmp_path):
    work = fidelity.prepare(case, tmp_path)
    with ThreadPoolExecutor(2) as pool:
        native_run, local_run = pool.submit(fidelity.run_native, work, venv), pool.submit(fidelity.run_local, work, venv)
        native, local = native_run.result(), local_run.result()
    assert (native["phase"] == "Succeeded") == (local["status"] == "SUCCESS"), (native["phase"], local["status"])
    if local["status"] == "SUCCESS":
        assert native["values"] == local["values"]
    else:  # a failed DAG has no outputs in Argo: nothing to compare but the verdict
        assert native["values"] == {}


def test_the_chosen_branch_alone_runs(venv, tmp_path):
    native = fidelity.run_native(fidelity.prepare("conditional", tmp_path), venv)
    ran = {name: phase for name, phase in native["nodes"].items() if ".branch-" in name and name.count(".") == 2}
    assert ran["choose.branch-big.ok"] == "Succeeded" and ran["on-flag.branch-true.ok"] == "Succeeded"
    assert all(phase in ("Skipped", "Omitted") for name, phase in native["nodes"].items() if "wrong" in name)


@pytest.mark.parametrize("case", sorted(BY_HAND))
def test_shapes_runnable_cannot_run_end_with_values_by_its_rules(case, venv, tmp_path):
    phase, values = BY_HAND[case]
    native = fidelity.run_native(fidelity.prepare(case, tmp_path), venv)
    assert (native["phase"], native["values"]) == (phase, values)
