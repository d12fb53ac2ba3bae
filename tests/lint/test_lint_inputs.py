"""How teams run rcc lint: directories, globs, stdin, --exclude, suppressions, --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BAD = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: x-}\nspec:\n  entrypoint: main\n" \
      "  templates:\n  - name: main\n    container:\n      image: alpine\n      resources:\n        limits: {memory: 4GB}{mark}\n"


def rcc(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compiler.cli", "lint", *args, "--format", "json"], cwd=cwd,
                          capture_output=True, text=True, input=stdin, env={"PATH": os.environ.get("PATH", "")})


def codes(proc: subprocess.CompletedProcess) -> list[tuple[str, str]]:
    import json

    return [(d["code"], d["file"]) for d in map(json.loads, proc.stdout.splitlines())]


def test_directories_globs_stdin_and_exclude(tmp_path: Path) -> None:
    (tmp_path / "m" / "sub").mkdir(parents=True)
    (tmp_path / "m" / "a.yaml").write_text(BAD.replace("{mark}", ""))
    (tmp_path / "m" / "sub" / "b.yml").write_text(BAD.replace("{mark}", ""))
    (tmp_path / "m" / "notes.txt").write_text("not yaml")
    assert codes(rcc("m", cwd=tmp_path)) == [("RCC0878", "m/a.yaml"), ("RCC0878", "m/sub/b.yml")]
    assert codes(rcc("m/**/*.yml", cwd=tmp_path)) == [("RCC0878", "m/sub/b.yml")]
    assert codes(rcc("m", "--exclude", "sub", cwd=tmp_path)) == [("RCC0878", "m/a.yaml")]
    assert codes(rcc("-", cwd=tmp_path, stdin=BAD.replace("{mark}", ""))) == [("RCC0878", "<stdin>")]
    assert codes(rcc("nothing/*.yaml", cwd=tmp_path)) == [("RCC0711", None)]


def test_each_suppression_silences_exactly_its_code_on_its_line(tmp_path: Path) -> None:
    for mark, expected in [("  # rcc: ignore[RCC0878]", []), ("  # rcc: ignore", []),
                           ("  # rcc: ignore[RCC0879]", ["RCC0878", "RCC0710"]), ("", ["RCC0878"])]:
        (tmp_path / "w.yaml").write_text(BAD.replace("{mark}", mark))
        assert [c for c, _ in codes(rcc("w.yaml", cwd=tmp_path))] == expected, mark
    # on the mapping that holds the finding: the template's first line
    (tmp_path / "w.yaml").write_text(BAD.replace("{mark}", "").replace("  - name: main\n", "  - name: main  # rcc: ignore[RCC0878]\n"))
    assert codes(rcc("w.yaml", cwd=tmp_path)) == []


def test_project_settings_and_strict(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text(BAD.replace("{mark}", "").replace("name: main", "name: Main").replace(
        "entrypoint: main", "entrypoint: other\n  onExit: Main") + "  - name: other\n    suspend: {}\n")
    found = rcc("w.yaml", cwd=tmp_path)
    assert [c for c, _ in codes(found)] == ["RCC0872", "RCC0878"] and found.returncode == 1
    (tmp_path / "pyproject.toml").write_text('[tool.rcc.lint]\nignore = ["RCC0878"]\n')
    assert rcc("w.yaml", cwd=tmp_path).returncode == 0
    assert rcc("w.yaml", "--strict", cwd=tmp_path).returncode == 1
    (tmp_path / "pyproject.toml").write_text('[tool.rcc.lint]\nper-file-ignores = {"w.yaml" = ["RCC0872", "RCC0878"]}\n')
    assert codes(rcc("w.yaml", cwd=tmp_path)) == []
    (tmp_path / "pyproject.toml").write_text('[tool.rcc.lint]\nwarnings-as-errors = true\nignore = ["RCC0878"]\n')
    assert rcc("w.yaml", cwd=tmp_path).returncode == 1
