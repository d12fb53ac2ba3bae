"""One 1 MiB rule: `build`/`check` (RCC0601) and `lint` (RCC0870) measure the same bytes,
the manifest as Go's compact JSON (what Argo's controller counts), not the YAML text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from compiler.diagnostics import Diagnostics
from compiler.frontend.load import load_documents
from compiler.verify import lint_documents, size
from compiler.verify.size import argo_size

CONFIG = "executor:\n  type: argo\n  config:\n    image: python:3.12\n"


def _pipeline(n: int) -> str:
    lines = ["dag:", "  start_at: s0", "  steps:"]
    for i in range(n):
        lines += [f"    s{i}:", "      type: task", "      command_type: shell", f"      command: echo '<{i}> & more'",
                  f"      next: {'s' + str(i + 1) if i + 1 < n else 'success'}"]
    return "\n".join(lines + ["    success:", "      type: success", "    fail:", "      type: fail"]) + "\n"


def _build(cwd: Path, limit: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-o", "-", "--max-size",
                           str(limit), "--format", "json"], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": os.environ.get("PATH", "")})


def test_build_and_lint_draw_the_line_at_the_same_byte(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "pipeline.yaml").write_text(_pipeline(60))
    (tmp_path / "argo-config.yaml").write_text(CONFIG)
    text = _build(tmp_path, 10 ** 8).stdout
    doc = load_documents(text, "m.yaml", Diagnostics())[0]
    json_size = argo_size(doc.data)
    assert json_size < len(text.encode()), "the YAML text is larger than what Argo counts"
    assert "RCC0601" not in _build(tmp_path, json_size).stderr
    over = _build(tmp_path, json_size - 1)
    assert over.returncode == 1 and f'"the manifest is {json_size:,} bytes as JSON' in over.stderr

    def lint_codes() -> list[str]:
        diags = Diagnostics()
        lint_documents([doc], diags)
        return [d.code for d in diags.items if d.code == "RCC0870"]

    monkeypatch.setattr(size, "MAX_MANIFEST", json_size)
    assert lint_codes() == []
    monkeypatch.setattr(size, "MAX_MANIFEST", json_size - 1)
    assert lint_codes() == ["RCC0870"]


def test_go_escapes_count() -> None:
    """Go's json.Marshal writes <, > and & as six-byte escapes, U+2028 as six bytes too."""
    assert argo_size({"a": "x"}) == len('{"a":"x"}')
    assert argo_size({"a": "<&>"}) == len('{"a":""}') + 18
    assert argo_size({"a": "\u2028é"}) == len('{"a":""}') + 6 + 2
