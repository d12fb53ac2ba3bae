"""The pipelines `bin/bench` times: generated, so every machine benchmarks the same inputs.

Each shape is written as YAML text directly (not through a YAML library) so generating
seq-10000 costs nothing measurable and the bytes are identical on every run. Every
shape comes with the same runnable-0.50 configuration, which both rcc and runnable read,
and a parameters file defining the lists the maps iterate on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG = """\
pipeline-executor:
  type: argo
  config:
    pvc_for_runnable: runnable-pvc
    defaults:
      image: my-image:latest
    argoWorkflow:
      metadata:
        generateName: bench-
      spec: {}
run-log-store:
  type: chunked-fs
catalog:
  type: file-system
"""


@dataclass(frozen=True)
class Shape:
    """One benchmark input: its name, how many task steps it holds, its files' text.

    `runtime` is rcc's `--runtime` for the shape when the default (runnable 0.50) refuses
    it; runnable's own transpiler is timed on the same files either way.
    """

    name: str
    steps: int
    pipeline: str
    parameters: str | None = None
    runtime: str | None = None

    def write(self, directory: Path) -> Path:
        """Write pipeline.yaml, config.yaml (and params.yaml) into `directory`; return it."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "pipeline.yaml").write_text(self.pipeline)
        (directory / "config.yaml").write_text(CONFIG)
        if self.parameters is not None:
            (directory / "params.yaml").write_text(self.parameters)
        return directory


def _task(name: str, command: str, nxt: str, indent: int) -> list[str]:
    pad = " " * indent
    return [f"{pad}{name}:", f"{pad}  type: task", f"{pad}  command_type: shell",
            f"{pad}  command: {command}", f"{pad}  next: {nxt}"]


def _terminals(indent: int) -> list[str]:
    pad = " " * indent
    return [f"{pad}success:", f"{pad}  type: success", f"{pad}fail:", f"{pad}  type: fail"]


def seq(n: int) -> Shape:
    """n shell tasks in a row: the shape whose cost must stay linear up to 10,000."""
    width = len(str(n))
    names = [f"step{i:0{width}d}" for i in range(n)]
    lines = ["dag:", f"  start_at: {names[0]}", "  steps:"]
    for i, name in enumerate(names):
        lines += _task(name, f"echo step {i}", names[i + 1] if i + 1 < n else "success", 4)
    lines += _terminals(4)
    return Shape(f"seq-{n}", n, "\n".join(lines) + "\n")


def par(branches: int) -> Shape:
    """One parallel step of `branches` branches, each two tasks long."""
    lines = ["dag:", "  start_at: fan", "  steps:", "    fan:", "      type: parallel",
             "      next: success", "      branches:"]
    for b in range(branches):
        lines += [f"        b{b:02d}:", "          start_at: first", "          steps:"]
        lines += _task("first", f"echo {b} first", "second", 12)
        lines += _task("second", f"echo {b} second", "success", 12)
        lines += _terminals(12)
    lines += _terminals(4)
    return Shape(f"par-{branches}", 2 * branches, "\n".join(lines) + "\n")


def _level(i: int, depth: int) -> tuple[dict[str, Any], int]:
    """The graph at nesting level i: a task, then (above the bottom) a composite holding level i+1.

    Even levels are parallels (a deep branch and a one-task branch), odd levels maps, so
    depth 3 is parallel > map > parallel, as the issue asks.
    """
    steps: dict[str, Any] = {}
    count = 1
    if i < depth:
        steps[f"t{i}"] = {"type": "task", "command_type": "shell", "command": f"echo level {i}", "next": f"c{i}"}
        inner, inner_count = _level(i + 1, depth)
        if i % 2 == 0:
            side = {"start_at": f"s{i}", "steps": {
                f"s{i}": {"type": "task", "command_type": "shell", "command": f"echo side {i}", "next": "success"},
                **_terminal_steps()}}
            steps[f"c{i}"] = {"type": "parallel", "next": "success", "branches": {"deep": inner, "side": side}}
            count += inner_count + 1
        else:
            steps[f"c{i}"] = {"type": "map", "iterate_on": f"items{i}", "iterate_as": f"x{i}", "next": "success",
                              "branch": inner}
            count += inner_count
    else:
        steps[f"t{i}"] = {"type": "task", "command_type": "shell", "command": f"echo level {i}", "next": "success"}
    steps.update(_terminal_steps())
    return {"start_at": f"t{i}", "steps": steps}, count


def _terminal_steps() -> dict[str, Any]:
    return {"success": {"type": "success"}, "fail": {"type": "fail"}}


def _yaml(value: Any, indent: int) -> list[str]:
    """Block YAML for the plain str/dict data above (keys and values need no quoting)."""
    pad = " " * indent
    lines: list[str] = []
    for key, v in value.items():
        if isinstance(v, dict):
            lines.append(f"{pad}{key}:")
            lines += _yaml(v, indent + 2)
        else:
            lines.append(f"{pad}{key}: {v}")
    return lines


def nested(depth: int) -> Shape:
    """Composites nested `depth` deep, alternating parallel and map (parallel > map > parallel ...).

    runnable 0.50 cannot run a composite inside a map (its fan-in fails; rcc refuses it
    as RCC0240), so rcc compiles these shapes for runnable 0.13, which runs them: the
    same stages run, and the timing stays a build rather than a refusal.
    """
    graph, count = _level(0, depth)
    text = "\n".join(["dag:"] + _yaml(graph, 2)) + "\n"
    params = "".join(f"items{i}: [1, 2]\n" for i in range(1, depth, 2))
    return Shape(f"nested-{depth}", count, text, params or "{}\n", runtime="runnable-0.13")


def all_shapes(max_seq: int = 10000) -> list[Shape]:
    """The issue's shapes, plus seq-20 (the pre-commit-sized pipeline of the `check` target)."""
    sizes = [n for n in (10, 20, 100, 1000, 10000) if n <= max_seq]
    return [seq(n) for n in sizes] + [par(50), nested(3), nested(8)]
