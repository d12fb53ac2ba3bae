"""Text and JSON renderings of a simulated run.

Why both: the text is for a reviewer ("what happens when `train` fails?"), one line
per node in the order the controller creates them; the JSON is for tests and tools,
with the same facts and nothing that changes between runs (no times, no random ids).
"""

from __future__ import annotations

import json

from compiler.simulate.nodes import as_json, short_name
from compiler.simulate.stepper import Simulator


def to_json(sim: Simulator) -> str:
    doc = {
        "workflow": {"name": sim.wf.name, "phase": sim.phase},
        "nodes": [as_json(n, sim.wf.name) for n in sim.nodes],
    }
    if sim.notes:
        doc["notes"] = list(sim.notes)
    return json.dumps(doc, indent=2) + "\n"


def to_text(sim: Simulator) -> str:
    rows = []
    for n in sim.nodes:
        if n.name == sim.wf.name:
            continue  # the entrypoint's own node is the workflow line
        label = short_name(n.name, sim.wf.name)
        extra = f"  [{n.inputs['node']}]" if "node" in n.inputs else ""
        if n.message and n.phase != "Succeeded":
            extra += f"  ({n.message})"
        rows.append((str(n.order), n.phase, n.type, label + extra))
    width = [max([len(r[i]) for r in rows] + [1]) for i in range(3)]
    lines = [f"workflow {sim.wf.name}: {sim.phase}"]
    for order, phase, type_, label in rows:
        lines.append(f"  {order:>{width[0]}}  {phase:<{width[1]}}  {type_:<{width[2]}}  {label}")
    lines += [f"note: {n}" for n in sim.notes]
    return "\n".join(lines) + "\n"
