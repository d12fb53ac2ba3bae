"""Terminal control sequences in user text are shown escaped in the human rendering, as
the JSON rendering escapes them: a diagnostic cannot retitle or recolour a terminal."""

from __future__ import annotations

import json
from pathlib import Path

from bounded import CONFIG, assert_user_error, project, rcc

TITLE = "x\x1b]0;pwned\x07"


def _no_raw_controls(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text, repr(text[:400])


def test_a_step_key_holding_an_osc_sequence(tmp_path: Path) -> None:
    pipeline = ('dag:\n  start_at: "x\\e]0;pwned\\a"\n  steps:\n'
                '    "x\\e]0;pwned\\a": {type: task, command_type: shell, command: echo, next: nowhere}\n'
                '    success: {type: success}\n    fail: {type: fail}\n')
    path = project(tmp_path, pipeline, CONFIG)
    out = rcc("build", str(path), "-o", "-", "--color", "never")
    assert_user_error(out, "RCC0402")
    _no_raw_controls(out.stderr)
    assert "x\\x1b]0;pwned\\x07" in out.stderr
    as_json = rcc("build", str(path), "-o", "-", "--format", "json")
    messages = [json.loads(line)["message"] for line in as_json.stderr.splitlines() if line.startswith("{")]
    assert any(TITLE in m for m in messages)  # JSON keeps the text, escaped by JSON itself


def test_a_raw_escape_in_a_comment(tmp_path: Path) -> None:
    path = project(tmp_path, "dag:\n  start_at: a\n# \x1b[31m red \x9b2J\n", CONFIG)
    out = rcc("build", str(path), "-o", "-", "--color", "never")
    assert_user_error(out, "RCC0002")
    _no_raw_controls(out.stderr)
    assert "\x9b" not in out.stderr
    assert "tabs for indentation" not in out.stderr  # the help names the control character, not indentation
