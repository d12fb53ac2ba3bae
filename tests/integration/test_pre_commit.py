"""The real `pre-commit`, using the hooks of `.pre-commit-hooks.yaml` from this checkout.

pre-commit clones a hook repository at a revision and pip-installs it into its own
environment, exactly as it will for a user, so this test proves the hook definition, the
package metadata and the console script together. The checkout is copied into a
temporary git repository (pre-commit needs a commit to clone), and a second temporary
repository plays the user's project: `git commit` runs the installed hooks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .tools import ROOT, require_tool

HELLO = ROOT / "examples" / "hello"
SHIP = ("pyproject.toml", "README.md", "LICENSE", "compiler", ".pre-commit-hooks.yaml")


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=check,
                          timeout=600)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This checkout's package and hook definition, committed in a fresh repository."""
    require_tool("git")
    dest = tmp_path_factory.mktemp("rcc-hooks")
    for name in SHIP:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    _git(dest, "init", "-q")
    _git(dest, "add", ".")
    _git(dest, "commit", "-q", "-m", "rcc hooks under test")
    return dest, _git(dest, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _project(tmp_path: Path, hook_repo: tuple[Path, str], home: Path,
             hooks: str | None = None, pipeline: str = "pipeline.yaml") -> tuple[Path, dict]:
    exe = require_tool("pre-commit")
    repo, rev = hook_repo
    proj = tmp_path / "project"
    proj.mkdir()
    (proj / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {repo}\n"
        f"    rev: {rev}\n"
        "    hooks:\n" + (hooks or
        "      - id: rcc-check\n"
        "      - id: rcc-build\n"
        "        args: [pipeline.yaml, -o, argo-pipeline.yaml]\n"), encoding="utf-8")
    (proj / pipeline).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(HELLO / "pipeline.yaml", proj / pipeline)
    shutil.copy2(HELLO / "argo-config.yaml", (proj / pipeline).parent / "argo-config.yaml")
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    env.pop("RCC_VAR_image", None)
    _git(proj, "init", "-q")
    subprocess.run([exe, "install"], cwd=proj, env=env, check=True, capture_output=True, timeout=600)
    return proj, env


def _commit(proj: Path, env: dict) -> subprocess.CompletedProcess:
    subprocess.run(["git", "add", "-A"], cwd=proj, check=True)
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-m", "change"],
                          cwd=proj, env=env, capture_output=True, text=True, timeout=900)


def _edit_and_commit(proj: Path, env: dict, path: str, old: str, new: str) -> tuple[subprocess.CompletedProcess, str]:
    """Change `old` to `new` in the project's file `path`, try to commit: (the run, its output)."""
    text = (proj / path).read_text(encoding="utf-8").replace(old, new)
    (proj / path).write_text(text, encoding="utf-8")
    proc = _commit(proj, env)
    return proc, proc.stdout + proc.stderr


def _rcc_build(proj: Path) -> None:
    subprocess.run([require_tool("rcc"), "build", "pipeline.yaml", "-o", "argo-pipeline.yaml"],
                   cwd=proj, check=True, capture_output=True)


def test_good_pipeline_with_fresh_manifest_commits(tmp_path, hook_repo, pre_commit_home) -> None:
    proj, env = _project(tmp_path, hook_repo, pre_commit_home)
    _rcc_build(proj)
    proc = _commit(proj, env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "rcc check" in out and "rcc build --check" in out and "Failed" not in out
    assert out.count("Passed") == 2, out


def test_broken_pipeline_blocks_the_commit_with_diagnostics(tmp_path, hook_repo, pre_commit_home) -> None:
    proj, env = _project(tmp_path, hook_repo, pre_commit_home)
    _rcc_build(proj)
    proc, out = _edit_and_commit(proj, env, "pipeline.yaml", "next: success", "next: sucess")
    assert proc.returncode != 0, out
    assert "error[RCC0402]" in out and "pipeline.yaml:" in out and "did you mean `success`?" in out
    assert _git(proj, "rev-parse", "--verify", "HEAD", check=False).returncode != 0, "the commit was made"
    # Both hooks failed, but the error is printed once: rcc-build says only that it did not compare.
    assert out.count("error[RCC0402]") == 1, out
    assert out.count("did you mean `success`?") == 1, out
    assert "error[RCC0503]" in out and "rcc check pipeline.yaml" in out, out
    assert out.count("Failed") == 2, out


def test_rcc_check_pointed_at_other_file_names_with_files(tmp_path, hook_repo, pre_commit_home) -> None:
    """docs/editor-and-ci.md: `files:` in the user's config replaces the hook's `*pipeline*` pattern."""
    def commit_broken(where: Path, hooks: str) -> subprocess.CompletedProcess:
        where.mkdir()
        proj, env = _project(where, hook_repo, pre_commit_home, hooks=hooks, pipeline="flows/train.yaml")
        return _edit_and_commit(proj, env, "flows/train.yaml", "next: success", "next: sucess")[0]

    default = commit_broken(tmp_path / "default", "      - id: rcc-check\n")
    assert default.returncode == 0 and "Skipped" in default.stdout + default.stderr, "the default pattern matched"
    pointed = commit_broken(tmp_path / "pointed", "      - id: rcc-check\n"
                                                  "        files: ^flows/.*\\.ya?ml$\n")
    out = pointed.stdout + pointed.stderr
    assert pointed.returncode != 0, out
    assert "error[RCC0402]" in out and "flows/train.yaml:" in out, out
    assert "flows/argo-config.yaml:" not in out, "the hook's exclude no longer keeps configurations out"


def test_stale_manifest_blocks_the_commit(tmp_path, hook_repo, pre_commit_home) -> None:
    proj, env = _project(tmp_path, hook_repo, pre_commit_home)
    _rcc_build(proj)
    proc, out = _edit_and_commit(proj, env, "pipeline.yaml", "Hello, world", "Hello, rcc")
    assert proc.returncode != 0, out
    assert "error[RCC0708]" in out and "argo-pipeline.yaml" in out
