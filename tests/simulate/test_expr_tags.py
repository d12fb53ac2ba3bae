"""The `{{=expr}}` subset the simulator evaluates, with Argo's rule for names not yet in scope."""

from __future__ import annotations

import pytest

from compiler.backend.runtimes.runnable import POD_RETRY_INDICATOR, POD_RETRY_RUN_ID
from compiler.simulate import subst

GLOBALS = {"workflow.parameters.run_id": "uid-1", "workflow.parameters.retry_run_id": "",
           "workflow.parameters.retry_indicator": ""}


@pytest.mark.parametrize("attempt, run_id, indicator", [("0", "", ""), ("1", "uid-1", "attempt-1"),
                                                         ("2", "uid-1", "attempt-2")])
def test_retry_variables_are_set_only_on_later_attempts(attempt, run_id, indicator):
    scope = {**GLOBALS, "retries": attempt}
    assert subst.replace(POD_RETRY_RUN_ID, scope) == run_id
    assert subst.replace(POD_RETRY_INDICATOR, scope) == indicator


def test_a_resubmission_with_retry_run_id_wins_on_every_attempt():
    scope = {**GLOBALS, "workflow.parameters.retry_run_id": "old-run", "retries": "0"}
    assert subst.replace(POD_RETRY_RUN_ID, scope) == "old-run"


def test_without_retries_in_scope_the_tag_waits_or_fails():
    assert subst.replace(POD_RETRY_RUN_ID, GLOBALS, allow_unresolved=True) == POD_RETRY_RUN_ID
    with pytest.raises(subst.SubstError, match="retries is missing"):
        subst.replace(POD_RETRY_RUN_ID, GLOBALS)


@pytest.mark.parametrize("text, out", [("{{=asInt(retries) > 0}}", "true"), ("{{='a' + 'b'}}", "ab"),
                                       ("{{=!(1 < 2) || 'x' == 'x'}}", "true"), ("{{=7}}", "7")])
def test_operators(text, out):
    assert subst.replace(text, {"retries": "2"}) == out


@pytest.mark.parametrize("text", ["{{=sprig.upper('a')}}", "{{=1 + 'a'}}", "{{='a' ? 1 : 2}}", "{{=1 2}}"])
def test_anything_else_is_refused_not_guessed(text):
    with pytest.raises(subst.SubstError, match="not simulated"):
        subst.replace(text, {})
