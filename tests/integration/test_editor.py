"""The real yaml-language-server, fed the published schema through the modeline.

This is what a user's editor does: VS Code, Neovim, Helix and others run this server.
A misspelt key must be underlined at that key, and a correct pipeline must be clean,
which proves the schema is usable by the client people actually run, not only by
Python's jsonschema.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .tools import ROOT, require_tool
from .lsp import LspClient
from texts import ONE_TASK_PIPELINE  # noqa: E402

SCHEMA = ROOT / "schemas" / "pipeline.schema.json"
SETTINGS = {"yaml": {"validate": True, "hover": True, "completion": True,
                     "schemaStore": {"enable": False}, "schemas": {}}}

GOOD = ONE_TASK_PIPELINE


@pytest.fixture(scope="module")
def server():
    exe = require_tool("yaml-language-server")
    client = LspClient([exe, "--stdio"], SETTINGS)
    try:
        client.start(ROOT.as_uri())
        yield client
    finally:
        client.close()


def _open(server: LspClient, tmp_path: Path, name: str, body: str) -> list[dict]:
    text = f"# yaml-language-server: $schema={SCHEMA.as_uri()}\n{body}"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    server.open(path.as_uri(), text)
    return server.diagnostics_for(path.as_uri())


def test_correct_pipeline_has_no_diagnostics(server: LspClient, tmp_path: Path) -> None:
    assert _open(server, tmp_path, "good.yaml", GOOD) == []


def test_misspelt_key_is_flagged_at_that_key(server: LspClient, tmp_path: Path) -> None:
    body = GOOD.replace("      command_type: shell", "      comand_type: shell")
    diags = _open(server, tmp_path, "misspelt.yaml", body)
    assert diags, "yaml-language-server reported nothing for a misspelt key"
    line_no = (f"# modeline\n{body}").splitlines().index("      comand_type: shell")  # 0-based LSP line
    at_key = [d for d in diags if d["range"]["start"]["line"] == line_no]
    assert at_key, f"no diagnostic on line {line_no + 1}: {diags}"
    assert at_key[0]["range"]["start"]["character"] == 6
    assert "comand_type" in at_key[0]["message"] or "not allowed" in at_key[0]["message"]


def test_misspelt_top_level_key_in_graph(server: LspClient, tmp_path: Path) -> None:
    body = GOOD.replace("  start_at: hello", "  start_at: hello\n  stat_at: hello")
    diags = _open(server, tmp_path, "graph.yaml", body)
    lines = {d["range"]["start"]["line"] for d in diags}
    assert 3 in lines, diags  # line 0 is the modeline, `stat_at` is the 4th line


def test_wrong_enum_value_is_flagged(server: LspClient, tmp_path: Path) -> None:
    body = GOOD.replace("command_type: shell", "command_type: bash")
    diags = _open(server, tmp_path, "enum.yaml", body)
    assert any(d["range"]["start"]["line"] == 6 for d in diags), diags


def test_hover_shows_the_field_description(server: LspClient, tmp_path: Path) -> None:
    text = f"# yaml-language-server: $schema={SCHEMA.as_uri()}\n{GOOD}"
    path = tmp_path / "hover.yaml"
    path.write_text(text, encoding="utf-8")
    server.open(path.as_uri(), text)
    server.diagnostics_for(path.as_uri())
    hover = server.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()},
                                                  "position": {"line": 2, "character": 4}})  # on `start_at`
    assert hover and "first step to run" in str(hover["contents"])


def test_relative_modeline_as_the_docs_show(server: LspClient, tmp_path: Path) -> None:
    """docs/editor-and-ci.md tells users to write a path relative to the file."""
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "pipeline.schema.json").write_bytes(SCHEMA.read_bytes())
    (tmp_path / "p").mkdir()
    path = tmp_path / "p" / "pipeline.yaml"
    text = "# yaml-language-server: $schema=../schemas/pipeline.schema.json\n" + GOOD.replace("next: success", "nxt: success", 1)
    path.write_text(text, encoding="utf-8")
    server.open(path.as_uri(), text)
    diags = server.diagnostics_for(path.as_uri())
    assert any("nxt" in d["message"] for d in diags), diags
