"""The manifest does not depend on where `rcc build` runs, and configuration discovery
never leaves the project (issue 17; path injection: issue 18).

Each build runs the real command line in a subprocess with its own working directory,
as a user in a shell would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELLO = ROOT / "examples" / "hello" / "pipeline.yaml"
CONFIG = """pipeline-executor:
  type: argo
  config:
    defaults:
      image: python:3.11-slim
    argoWorkflow:
      metadata:
        generateName: paths-
      spec: {}
"""
PIPELINE = """dag:
  start_at: hello
  steps:
    hello:
      type: stub
      next: success
    success:
      type: success
    fail:
      type: fail
"""


def rcc(cwd: Path, *args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    env.pop("RCC_VAR_image", None)
    if home is not None:
        env["HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "compiler.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def commands(manifest: str) -> list[str]:
    """The lines of the manifest that name an input file."""
    return [line.strip() for line in manifest.splitlines() if line.strip().endswith(".yaml")]


def test_the_same_bytes_from_the_root_the_pipeline_directory_and_slash() -> None:
    runs = [
        rcc(ROOT, "build", "examples/hello/pipeline.yaml", "-o", "-"),
        rcc(HELLO.parent, "build", "pipeline.yaml", "-o", "-"),
        rcc(Path("/"), "build", str(HELLO), "-o", "-"),
    ]
    assert [r.returncode for r in runs] == [0, 0, 0], [r.stderr for r in runs]
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert "- examples/hello/pipeline.yaml" in runs[0].stdout
    assert "- examples/hello/argo-config.yaml" in runs[0].stdout


def test_project_root_option_and_pyproject_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app" / "flows").mkdir(parents=True)
    (tmp_path / "app" / "flows" / "pipeline.yaml").write_text(PIPELINE)
    (tmp_path / "app" / "flows" / "argo-config.yaml").write_text(CONFIG)
    by_git = rcc(tmp_path / "app", "build", "flows/pipeline.yaml", "-o", "-")
    assert by_git.returncode == 0, by_git.stderr
    assert "- app/flows/pipeline.yaml" in commands(by_git.stdout)
    by_option = rcc(tmp_path, "build", "app/flows/pipeline.yaml", "-o", "-", "--project-root", "app")
    assert "- flows/pipeline.yaml" in commands(by_option.stdout)
    (tmp_path / "pyproject.toml").write_text('[tool.rcc]\nroot = "app"\n')
    by_setting = rcc(tmp_path / "app" / "flows", "build", "pipeline.yaml", "-o", "-")
    assert by_setting.returncode == 0, by_setting.stderr
    assert by_setting.stdout == by_option.stdout


def test_outside_any_project_paths_are_relative_to_the_pipeline(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "pipeline.yaml").write_text(PIPELINE)
    (tmp_path / "here" / "argo-config.yaml").write_text(CONFIG)
    run = rcc(tmp_path, "build", "here/pipeline.yaml", "-o", "-", home=tmp_path / "elsewhere")
    assert run.returncode == 0, run.stderr
    assert "- pipeline.yaml" in commands(run.stdout) and "- argo-config.yaml" in commands(run.stdout)
    assert "no project holds `here/pipeline.yaml`" in run.stderr


def test_discovery_stops_at_the_project_root(tmp_path: Path) -> None:
    """An argo-config.yaml above the repository is someone else's: not used, and said so."""
    (tmp_path / "argo-config.yaml").write_text(CONFIG)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "pipeline.yaml").write_text(PIPELINE)
    run = rcc(repo, "build", "pipeline.yaml", "-o", "-", home=tmp_path / "elsewhere")
    assert run.returncode == 1
    assert "error[RCC0724]: no configuration was found for `pipeline.yaml`" in run.stderr
    assert "RCC0203" not in run.stderr


def test_discovery_stops_at_the_home_directory(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "argo-config.yaml").write_text(CONFIG)
    home = tmp_path / "home"
    (home / "work").mkdir(parents=True)
    (home / "work" / "pipeline.yaml").write_text(PIPELINE)
    run = rcc(home / "work", "build", "pipeline.yaml", "-o", "-", home=home)
    assert "RCC0724" in run.stderr, run.stderr


def test_a_discovered_configuration_is_named_and_the_output_file_too(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "pipeline.yaml").write_text(PIPELINE)
    (tmp_path / "argo-config.yaml").write_text(CONFIG)
    run = rcc(tmp_path / "flows", "build", "pipeline.yaml")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ("note: configuration: ../argo-config.yaml (found in a parent directory)\n"
                          "note: wrote argo-pipeline.yaml\n")
    assert (tmp_path / "flows" / "argo-pipeline.yaml").is_file()


@pytest.mark.parametrize("name", ["--log-level=DEBUG", "-x.yaml"])
def test_a_path_like_an_option_stays_a_path(tmp_path: Path, name: str) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(PIPELINE)
    (tmp_path / "argo-config.yaml").write_text(CONFIG)
    run = rcc(tmp_path, "build", "-o", "-", "--", name)
    assert run.returncode == 0, run.stderr
    words = [line.strip()[2:] for line in run.stdout.splitlines() if line.strip().startswith("- ")]
    assert f"./{name}" in words and name not in words
