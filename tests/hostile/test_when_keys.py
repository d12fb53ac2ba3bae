"""Conditional branch keys `NaN`, `Infinity`, `-Infinity`: compared as text, so that branch
and the default one both work (Argo's govaluate has no such literal; a bare `-Infinity`
made every `when` of the conditional an error). Checked with rcc simulate's evaluator."""

from __future__ import annotations

from pathlib import Path

import pytest

from bounded import CONFIG, project, rcc


def _branch(text: str) -> str:
    return f"""
          start_at: a
          steps:
            a: {{type: task, command_type: shell, command: echo {text}, next: success}}
            success: {{type: success}}
            fail: {{type: fail}}"""


PIPELINE = f"""\
dag:
  start_at: c
  steps:
    c:
      type: conditional
      parameter: x
      next: success
      branches:
        -Infinity:{_branch("neg")}
        Infinity:{_branch("pos")}
        NaN:{_branch("nan")}
      default:{_branch("other")}
    success: {{type: success}}
    fail: {{type: fail}}
"""


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("when")
    path = project(folder, PIPELINE, CONFIG)
    (folder / "params.yaml").write_text("x: one\n")
    out = rcc("build", str(path), "-p", str(folder / "params.yaml"), "-o", str(folder / "manifest.yaml"))
    assert out.code == 0, out.stderr
    assert "== -Infinity" not in (folder / "manifest.yaml").read_text()
    return folder / "manifest.yaml"


@pytest.mark.parametrize("value,branch", [('"-Infinity"', "neg"), ('"Infinity"', "pos"), ('"NaN"', "nan"),
                                          ('"zzz"', "other"), ("3", "other")])
def test_each_special_key_and_the_default_are_taken(manifest: Path, value: str, branch: str) -> None:
    out = rcc("simulate", str(manifest), "--output", f"c.fan-out.case={value}")
    text = out.stdout.decode()
    assert out.code == 0, text + out.stderr
    assert "RCC1006" not in out.stderr
    ran = [line for line in text.splitlines() if "Succeeded  Pod" in line and ".a " in line]
    assert len(ran) == 1, text
    expected = {"neg": "-Infinity", "pos": "Infinity", "nan": "NaN", "other": "default"}[branch]
    assert f"[c.{expected}.a]" in ran[0], text
