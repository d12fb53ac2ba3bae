"""Output kinds: the same workflow spec as a Workflow, a WorkflowTemplate or a CronWorkflow.

A Workflow is named by `generateName` (each submission gets a fresh name); a
WorkflowTemplate and a CronWorkflow are objects with a fixed `name` (runnable 0.50 uses
`generateName` without its trailing `-`). A CronWorkflow wraps the spec as
`workflowSpec` beside its `schedules` and `timezone`; the `choose_backend` pass has
already checked that a schedule exists and that the name fits Argo's 52 characters.
"""

from __future__ import annotations

from typing import Any

KINDS = {"workflow": "Workflow", "workflow-template": "WorkflowTemplate", "cron-workflow": "CronWorkflow"}


def fixed_name(generate_name: str) -> str:
    return generate_name.rstrip("-")


def envelope(kind: str, api_version: str, metadata: dict[str, Any], spec: dict[str, Any],
             cron: dict[str, Any] | None) -> dict[str, Any]:
    if kind != "workflow":
        name = fixed_name(metadata.pop("generateName"))
        metadata = {"name": name, **metadata}
    if kind == "cron-workflow":
        outer: dict[str, Any] = {"schedules": list(cron["schedules"])}
        if cron.get("timezone"):
            outer["timezone"] = cron["timezone"]
        outer["workflowSpec"] = spec
        spec = outer
    return {"apiVersion": api_version, "kind": KINDS[kind], "metadata": metadata, "spec": spec}
