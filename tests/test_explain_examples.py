"""Every `rcc explain` entry's Example really produces the entry's code.

An explanation whose example does not trigger its own code teaches the wrong thing (RCC0405,
0408, 0409, 0410 and 0502 once did), so each example is built here the way a user would: its
files written into an empty directory, its command run by the real `rcc` console entry point.
The convention the entries follow is `compiler/explain/README.md`'s; this test is its reader.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.commands.explain import EXPLAIN_DIR, entries
from texts import ONE_TASK_PIPELINE  # noqa: E402

# Entries no example can produce, each with the reason. Keep this SHORT.
UNPRODUCIBLE: dict[str, str] = {
    "RCC0900": "an internal error is a bug in rcc; an example that crashes rcc would be a bug to fix",
    "RCC0901": "an internal error (the emitted manifest fails Argo's schema) is a bug in rcc",
    "RCC0902": "an internal error (the emitted manifest breaks an Argo rule) is a bug in rcc",
    "RCC0870": "needs a manifest over Argo's 1 MiB: tests/verify builds the megabyte",
    "RCC0871": "needs a manifest near Argo's 1 MiB: tests/verify builds it",
    "RCC0204": "reserved: the configuration counterpart of RCC0104, which no configuration model can produce",
    "RCC0205": "reserved: the configuration counterpart of RCC0105 (configurations have no steps)",
    "RCC0207": "reserved: the configuration counterpart of RCC0107 (configurations have no `returns`)",
    "RCC0601": "needs a pipeline over Argo's 1 MiB once compiled: golden/build/size-over-limit carries it",
}

# The configuration an implied `rcc check` example runs with when it gives none of its own:
# the least runnable 0.50's dialect needs (an image, the workflow's name).
DEFAULT_CONFIG = """\
pipeline-executor:
  type: argo
  config:
    defaults:
      image: python:3.11-slim
    argoWorkflow:
      metadata:
        generateName: example-
      spec: {}
"""

# The pipeline a configuration example without one is checked with.
DEFAULT_PIPELINE = ONE_TASK_PIPELINE

_BLOCK = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.M | re.S)
_CONFIG_NAMES = re.compile(r"(^|/)(argo-config\.ya?ml|argo\.ya?ml|[\w.-]*config[\w.-]*\.ya?ml)$")


def example_of(text: str) -> tuple[dict[str, str], str | None]:
    """The files (name -> text) and the shell command of an entry's `## Example` section.

    A fenced block whose info string is `LANG NAME` is the file NAME; a block labelled `sh`
    (and nothing else) is the command line run where those files are; any other block is an
    illustration and is not run.
    """
    section = text.split("## Example", 1)[1].split("\n## ", 1)[0]
    files: dict[str, str] = {}
    script = None
    for info, body in _BLOCK.findall(section):
        words = info.split()
        if len(words) == 2:
            files[words[1]] = body
        elif words == ["sh"]:
            script = body if script is None else script + body
    return files, script


def implied_command(files: dict[str, str]) -> str:
    """The command an example without an `sh` block stands for, from the files it gives."""
    if "manifest.yaml" in files:
        return "rcc lint manifest.yaml"
    if "pipeline.yaml" in files:
        return "rcc check pipeline.yaml" + (" -p parameters.yaml" if "parameters.yaml" in files else "")
    raise AssertionError("an example needs a pipeline.yaml, a manifest.yaml or an `sh` block")


def run_example(code: str, where: Path) -> subprocess.CompletedProcess:
    files, script = example_of((EXPLAIN_DIR / f"{code}.md").read_text(encoding="utf-8"))
    work = where / "example"
    work.mkdir()
    for name, body in files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    if script is None and "manifest.yaml" not in files and "pipeline.yaml" not in files:
        (work / "pipeline.yaml").write_text(DEFAULT_PIPELINE, encoding="utf-8")
        files["pipeline.yaml"] = DEFAULT_PIPELINE
    if "pipeline.yaml" in files and not any(_CONFIG_NAMES.search(n) for n in files):
        (work / "argo-config.yaml").write_text(DEFAULT_CONFIG, encoding="utf-8")
    if script is None:
        script = implied_command(files)
    bindir = where / "bin"
    bindir.mkdir()
    shim = bindir / "rcc"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m compiler.cli "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    root = Path(__file__).resolve().parent.parent
    env = {"PATH": f"{bindir}:/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(where),
           "PYTHONPATH": str(root), "LC_ALL": "C.UTF-8"}
    return subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True,
                          timeout=60)


def produced(code: str, proc: subprocess.CompletedProcess) -> bool:
    """Whether a run reported CODE, in the human rendering (`error[CODE]`) or a machine one."""
    return bool(re.search(rf"\[{code}\]|\"{code}\"", proc.stdout + proc.stderr))


@pytest.mark.parametrize("code", sorted(set(entries()) - set(UNPRODUCIBLE)))
def test_the_example_produces_the_code(code: str, tmp_path: Path) -> None:
    proc = run_example(code, tmp_path)
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out, out
    if not code.startswith("RCC09"):
        assert proc.returncode != 3, out
    assert produced(code, proc), f"{code}.md's Example does not produce {code}; it printed:\n{out}"


def test_the_unproducible_list_names_real_entries() -> None:
    assert set(UNPRODUCIBLE) <= set(entries())


def test_a_wrong_example_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: RCC0405's old example (a cycle behind a `start_at` naming no
    step) produces RCC0401, not RCC0405."""
    fake = tmp_path / "explain"
    fake.mkdir()
    (fake / "RCC0405.md").write_text(
        "# RCC0405: x\n\n## Example\n\n```yaml pipeline.yaml\ndag:\n  start_at: hello\n  steps:\n"
        "    a: {type: stub, next: b}\n    b: {type: stub, next: a}\n    success: {type: success}\n"
        "    fail: {type: fail}\n```\n\n## Fix\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "EXPLAIN_DIR", fake)
    where = tmp_path / "run"
    where.mkdir()
    proc = run_example("RCC0405", where)
    assert produced("RCC0401", proc) and not produced("RCC0405", proc)
