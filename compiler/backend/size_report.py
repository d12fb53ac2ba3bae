"""Which steps make a manifest large: the detail behind RCC0601/RCC0602.

Why: "the manifest is 1.3 MB" does not tell a user what to change. A step costs its task
entry in its DAG plus its share of the template it runs (a template shared by n tasks
costs each of them 1/n), measured as compact JSON, the form Argo stores. Naming the
costliest steps, and the average, says whether one step is the problem (a huge inline
value, an unshared template) or the sheer number of steps is.
"""

from __future__ import annotations

import json
from typing import Any


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def step_costs(manifest: dict[str, Any]) -> list[tuple[str, int]]:
    """(step, bytes) for every DAG task of the manifest, costliest first, ties by name."""
    spec = manifest.get("spec") or {}
    spec = spec.get("workflowSpec", spec)
    templates = [t for t in spec.get("templates") or [] if isinstance(t, dict)]
    sizes = {t.get("name"): _size(t) for t in templates}
    tasks: list[tuple[str, str, int]] = []
    uses: dict[str, int] = {}
    # A composite step's own task passes no `node`; its DAG's fan-out does: name it by that.
    composite_label = {t.get("name"): _label(task) for t in templates
                       for task in (t.get("dag") or {}).get("tasks") or []
                       if isinstance(task, dict) and task.get("name") == "fan-out"}
    for t in templates:
        for task in (t.get("dag") or {}).get("tasks") or []:
            if not isinstance(task, dict):
                continue
            target = task.get("template")
            uses[target] = uses.get(target, 0) + 1
            label = _label(task)
            if label == task.get("name") and target in composite_label:
                label = composite_label[target]
            tasks.append((label, target, _size(task)))
    # A composite step has several tasks (fan-out, fan-in, its DAG's own entry): add them up.
    totals: dict[str, int] = {}
    for label, target, own in tasks:
        totals[label] = totals.get(label, 0) + own + sizes.get(target, 0) // uses[target]
    return sorted(totals.items(), key=lambda c: (-c[1], c[0]))


def _label(task: dict[str, Any]) -> str:
    """The step's runnable name when the task passes it (`node`), else the task's name."""
    for p in (task.get("arguments") or {}).get("parameters") or []:
        if isinstance(p, dict) and p.get("name") == "node" and isinstance(p.get("value"), str):
            return p["value"].replace("%", " ")
    return str(task.get("name"))


def costliest_note(manifest: dict[str, Any], top: int = 3) -> str | None:
    """One line naming the costliest steps and the average cost per step."""
    costs = step_costs(manifest)
    if not costs:
        return None
    named = ", ".join(f"`{label}` ({size:,} bytes)" for label, size in costs[:top])
    average = sum(size for _, size in costs) // len(costs)
    return (f"the steps that cost most: {named}; {len(costs):,} steps cost {average:,} bytes each "
            f"on average (as JSON, shared templates split between their users)")
