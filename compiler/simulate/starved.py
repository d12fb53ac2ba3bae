"""Which nodes of a dry run could not run for want of an output value nobody gave.

Without `--exec` no process writes an output parameter's file, so a map's `withParam` or a
conditional branch's `when` that reads one fails to resolve, and the simulator marks that
node Error, as Argo would. That is not the manifest's fault and not a run that succeeded:
the verdict of the dry run must say it did not run everything, and the message must name
the value and the `--output` option that supplies it. This module matches each errored
node to the missing value it read, from the reference in its message.
"""

from __future__ import annotations

import re

from compiler.simulate.nodes import Node, short_name

_UNRESOLVED = re.compile(r"failed to resolve \{\{(?:tasks|steps)\.([^.{}]+)\.outputs\.parameters\.([^.{}]+)\}\}")


def starved_nodes(nodes: list[Node], workflow: str, missing: list[str]) -> list[tuple[Node, str]]:
    """(node, the `--output` key it lacked) for each Error node that read a missing value.

    `missing` holds keys as `--output` takes them (`fan.fan-out.iterate-on`): the producing
    node's short name and the parameter. A node `fan.iterations` reading
    `{{tasks.fan-out.outputs.parameters.iterate-on}}` lacked `fan.fan-out.iterate-on`.
    """
    wanted = set(missing)
    found: list[tuple[Node, str]] = []
    for node in nodes:
        if node.phase != "Error":
            continue
        ref = _UNRESOLVED.search(node.message)
        if ref is None:
            continue
        task, param = ref.groups()
        name = short_name(node.name, workflow)
        prefix = name.rsplit(".", 1)[0] + "." if "." in name else ""
        key = f"{prefix}{task}.{param}"
        if key not in wanted:
            key = next((m for m in missing if m.endswith(f"{task}.{param}")), "")
        if key:
            found.append((node, key))
    return found
