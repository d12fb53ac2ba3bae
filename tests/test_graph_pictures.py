"""`rcc graph`'s pictures, rendered by the real tools: Graphviz's `dot` and Mermaid's CLI.

The text of a flowchart can look right and still draw badly: Mermaid stacked a parallel's
branches one under the other, and dot reordered them. So the pictures are laid out here by
the programs that users and GitHub use, and the positions are read back from the SVG: a
parallel's branches must sit on one band, left to right in their written order, and every
step's failure must be drawn into `fail`. `.ci/run` installs the tools (graphviz and
chromium from the distribution, @mermaid-js/mermaid-cli from npm); without them these skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALL = {
    "dot": "apt-get install graphviz",
    "chromium": "apt-get install chromium",
    "mmdc": "PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @mermaid-js/mermaid-cli",
}


def _tool(name: str) -> str:
    """The tool's path; a skip on a developer's machine, a failure under CI (`CI=true`)."""
    found = shutil.which(name)
    if found is None:
        message = f"`{name}` is not installed; install it with: {INSTALL[name]} (.ci/run does)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + " (CI=true: this test must run, not skip)", pytrace=False)
        pytest.skip(message)
    return found

PARALLEL = """\
dag:
  start_at: prepare
  steps:
    prepare:
      type: task
      command_type: shell
      command: echo prepare
      on_failure: notify
      next: par
    par:
      type: parallel
      branches:
        zeta:
          start_at: z1
          steps:
            z1: {type: stub, next: z2}
            z2: {type: stub, next: success}
            success: {type: success}
            fail: {type: fail}
        alpha:
          start_at: a1
          steps:
            a1: {type: stub, next: success}
            success: {type: success}
            fail: {type: fail}
        mid:
          start_at: m1
          steps:
            m1: {type: stub, next: success}
            success: {type: success}
            fail: {type: fail}
      next: report
    notify:
      type: stub
      next: fail
    report:
      type: task
      command_type: shell
      command: echo report
      next: success
    success: {type: success}
    fail: {type: fail}
"""
WRITTEN = ["zeta", "alpha", "mid"]


def _graph(tmp_path: Path, fmt: str, text: str = PARALLEL) -> str:
    (tmp_path / "pipeline.yaml").write_text(text)
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "graph", "pipeline.yaml", "--format", fmt],
                          cwd=tmp_path, capture_output=True, text=True, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _dot_svg(source: str) -> str:
    proc = subprocess.run([_tool("dot"), "-Tsvg"], input=source, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    return proc.stdout


def _assert_side_by_side(boxes: dict[str, tuple[float, float, float, float]]) -> None:
    """boxes: branch label -> (left, top, right, bottom) of its drawn box. Side by side: one
    horizontal band crosses every box, and the boxes follow each other left to right, apart,
    in the order the branches are written."""
    assert sorted(boxes) == sorted(WRITTEN), boxes
    assert max(b[1] for b in boxes.values()) < min(b[3] for b in boxes.values()), \
        f"no horizontal band crosses every branch (stacked?): {boxes}"
    row = [boxes[name] for name in WRITTEN]
    assert all(left[2] <= right[0] for left, right in zip(row, row[1:])), \
        f"not apart, left to right in written order: {boxes}"


def test_dot_accepts_every_golden_graph(tmp_path: Path) -> None:
    cases = [p for p in sorted((ROOT / "golden" / "graph").glob("*/pipeline.yaml"))
             if (p.parent / "expected.yaml").exists()]  # the cases that draw a picture
    assert len(cases) >= 5
    for case in cases:
        _dot_svg(_graph(tmp_path, "dot", case.read_text()))


def test_dot_draws_the_branches_side_by_side_in_written_order(tmp_path: Path) -> None:
    svg = _dot_svg(_graph(tmp_path, "dot"))
    boxes = {}
    for points, label in re.findall(r'<title>cluster_b\d+</title>\s*<polygon[^>]*points="([^"]+)"[^>]*/>\s*'
                                    r'<text[^>]*>([^<]+)</text>', svg):
        xy = [tuple(map(float, p.split(","))) for p in points.split()]
        boxes[label] = (min(x for x, _ in xy), min(y for _, y in xy), max(x for x, _ in xy), max(y for _, y in xy))
    _assert_side_by_side(boxes)


def test_every_failure_is_drawn_into_fail(tmp_path: Path) -> None:
    source = _graph(tmp_path, "dot")
    ids = {i: label.removesuffix(" (stub)") for i, label in re.findall(r'^\s*(n\d+) \[label="([^"]+)"', source, re.M)}
    top_fail = [i for i, name in ids.items() if name == "fail"][-1]  # the pipeline's own, drawn last
    svg = _dot_svg(source)
    drawn = {(a, b) for a, b in re.findall(r"<title>(\w+)&#45;&gt;(\w+)</title>", svg)}
    into_fail = {ids.get(a, a) for a, b in drawn if b == top_fail}
    # report fails implicitly, notify by its next, each branch's fail stands for the parallel
    assert {"report", "notify", "fail"} <= into_fail, into_fail
    assert "prepare" not in into_fail  # its failures go to notify (on_failure)
    prepare = next(i for i, n in ids.items() if n == "prepare")
    notify = next(i for i, n in ids.items() if n == "notify")
    assert (prepare, notify) in drawn


def test_mermaid_draws_the_branches_side_by_side_in_written_order(tmp_path: Path) -> None:
    chromium, mmdc = _tool("chromium"), _tool("mmdc")
    source = _graph(tmp_path, "mermaid")
    labels = dict(re.findall(r'subgraph (b\d+)\["([^"]+)"\]', source))
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": chromium, "args": [
        "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]}))
    (tmp_path / "graph.mmd").write_text(source)
    proc = subprocess.run([mmdc, "-p", str(config), "-i", "graph.mmd", "-o", "graph.svg", "-q"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    svg = (tmp_path / "graph.svg").read_text()
    boxes = {}
    for cid, x, y, w, h in re.findall(r'<g class="cluster[^"]*" id="[^"]*?-?(b\d+)"[^>]*><rect[^>]*?x="([-\d.]+)" '
                                      r'y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg):
        if cid in labels:
            boxes[labels[cid]] = (float(x), float(y), float(x) + float(w), float(y) + float(h))
    _assert_side_by_side(boxes)
