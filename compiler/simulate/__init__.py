"""Argo-semantics stepper behind `rcc simulate`.

Why a simulator: a manifest that passes Argo's schema and rules can still run the wrong
steps, in the wrong order, or hand the wrong value to a loop. This package interprets a
Workflow the way Argo's controller does (DAG scheduling, `depends`, `when`, loops,
retries, exit handlers, phase assessment) so that a reviewer can see what runs, and so
that the tests can run a compiled pipeline with the real runnable runtime, without a
cluster.

Modules, one job each:
    model    the manifest as typed objects (templates, tasks, parameters), with spans
    expr     `depends` (Argo's task-result logic) and `when` (govaluate) expressions
    subst    `{{...}}` substitution from a scope
    nodes    the node graph and Argo's DAG phase assessment
    stepper  the scheduler: runs templates, expands loops, retries, exit handlers
    runner   what a leaf does: succeed/fail on request, or run its container locally
    report   text and JSON renderings of a run
"""

from __future__ import annotations
