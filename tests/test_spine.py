"""End-to-end behaviour of `rcc build` / `rcc check` that golden files do not show well."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/pipeline.yaml"))
HELLO_CONFIG = (ROOT / "examples" / "hello" / "argo-config.yaml").read_text()


def rcc(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, NO_COLOR="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "compiler.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=120)


THREE_MISTAKES = """\
dag:
  start_at: train
  steps:
    train:
      type: task
      command_type: shell
      command: echo train
      overrides: {argo: gpu}
      next: evalute
    evaluate:
      type: task
      command_type: shell
      command: echo evaluate
      next: success
    success: {type: success}
    fail: {type: fail}
"""

CONFIG_WITH_VARIABLE = HELLO_CONFIG.replace("image: python:3.11-slim", "image: $docker_image")


def test_three_independent_mistakes_give_three_diagnostics_and_no_output(tmp_path: Path) -> None:
    (tmp_path / "pipeline.yaml").write_text(THREE_MISTAKES)
    (tmp_path / "argo-config.yaml").write_text(CONFIG_WITH_VARIABLE)
    proc = rcc("build", "pipeline.yaml", "-o", "out.yaml", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1
    found = [json.loads(line) for line in proc.stdout.splitlines()]  # reports go to stdout
    codes = sorted(d["code"] for d in found)
    assert codes == ["RCC0301", "RCC0402", "RCC0502"]
    where = {d["code"]: (d["file"], d["line"], d["column"]) for d in found}
    assert where["RCC0402"] == ("pipeline.yaml", 9, 13)
    assert where["RCC0301"][0] == "argo-config.yaml"
    assert where["RCC0502"][:2] == ("pipeline.yaml", 8)
    assert not (tmp_path / "out.yaml").exists()


def test_an_error_leaves_a_previous_output_untouched(tmp_path: Path) -> None:
    (tmp_path / "pipeline.yaml").write_text(THREE_MISTAKES)
    (tmp_path / "argo-config.yaml").write_text(HELLO_CONFIG)
    (tmp_path / "out.yaml").write_text("previous\n")
    assert rcc("build", "pipeline.yaml", "-o", "out.yaml", cwd=tmp_path).returncode == 1
    assert (tmp_path / "out.yaml").read_text() == "previous\n"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_builds_the_same_bytes_under_two_hash_seeds(example: Path, tmp_path: Path) -> None:
    a = rcc("build", "pipeline.yaml", "-o", "-", cwd=example, env={"PYTHONHASHSEED": "1"})
    b = rcc("build", "pipeline.yaml", "-o", "-", cwd=example, env={"PYTHONHASHSEED": "4242"})
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    assert a.stdout.startswith("apiVersion: argoproj.io/v1alpha1\nkind: ")


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_manifest_passes_the_argo_schema_with_jsonschema(example: Path) -> None:
    """An independent check of the verify stage: the reference validator on the packaged schema."""
    import jsonschema
    from ruamel.yaml import YAML

    proc = rcc("build", "pipeline.yaml", "-o", "-", cwd=example)
    assert proc.returncode == 0, proc.stderr
    manifest = YAML(typ="safe").load(proc.stdout)
    schema = json.loads((ROOT / "compiler" / "verify" / "argo_schema.json").read_text())
    kind = manifest["kind"]
    validator = jsonschema.Draft7Validator({**schema, "$ref": f"#/definitions/io.argoproj.workflow.v1alpha1.{kind}"})
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_check_takes_several_files_and_reports_each(tmp_path: Path) -> None:
    good = tmp_path / "good"
    bad = tmp_path / "bad"
    for d, text in ((good, (ROOT / "examples/hello/pipeline.yaml").read_text()), (bad, THREE_MISTAKES)):
        d.mkdir()
        (d / "pipeline.yaml").write_text(text)
        (d / "argo-config.yaml").write_text(HELLO_CONFIG)
    proc = rcc("check", "good/pipeline.yaml", "bad/pipeline.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert "bad/pipeline.yaml:9:13" in proc.stderr
    assert "good/pipeline.yaml" not in proc.stderr
    assert rcc("check", "good/pipeline.yaml", cwd=tmp_path).returncode == 0


def test_config_is_discovered_in_a_parent_directory(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "argo-config.yaml").write_text(HELLO_CONFIG)
    sub = tmp_path / "pipelines" / "hello"
    sub.mkdir(parents=True)
    (sub / "pipeline.yaml").write_text((ROOT / "examples/hello/pipeline.yaml").read_text())
    proc = rcc("build", "pipelines/hello/pipeline.yaml", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "- argo-config.yaml\n" in proc.stdout  # the runtime is told where the configuration is


def test_usage_error_exits_2(tmp_path: Path) -> None:
    assert rcc("build", cwd=tmp_path).returncode == 2
    assert rcc("build", "p.yaml", "--var", "novalue", cwd=tmp_path).returncode == 2


def test_missing_file_is_a_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    proc = rcc("build", "nope.yaml", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 1
    assert "RCC0701" in proc.stderr and "Traceback" not in proc.stderr


def test_output_equal_to_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pipeline.yaml").write_text((ROOT / "examples/hello/pipeline.yaml").read_text())
    (tmp_path / "argo-config.yaml").write_text(HELLO_CONFIG)
    before = (tmp_path / "pipeline.yaml").read_text()
    proc = rcc("build", "pipeline.yaml", "-o", "pipeline.yaml", cwd=tmp_path)
    assert proc.returncode == 1 and "RCC0705" in proc.stderr
    assert (tmp_path / "pipeline.yaml").read_text() == before


def test_output_to_a_device_writes_into_it_and_keeps_the_device(tmp_path: Path) -> None:
    import stat

    proc = rcc("build", "pipeline.yaml", "-o", "/dev/null", cwd=ROOT / "examples" / "hello")
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
