"""`rcc build` never loses a file: the input is never the output, errors write nothing, modes are sane.

Through `compiler.cli.main` (the user's entry). Kill, full disk and read-only directory
during the write itself are covered by tests/backend/test_write.py.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from compiler.cli import main

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello"
BROKEN = "dag:\n  start_at: nowhere\n  steps:\n    success: {type: success}\n    fail: {type: fail}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("pipeline.yaml", "argo-config.yaml"):
        shutil.copy(HELLO / name, tmp_path / name)
    return tmp_path


def build(project: Path, *args: str) -> int:
    return main(["build", str(project / "pipeline.yaml"), "-c", str(project / "argo-config.yaml"),
                 "--color", "never", *args])


def test_output_equal_to_the_pipeline_is_refused(project: Path, capsys) -> None:
    before = (project / "pipeline.yaml").read_bytes()
    assert build(project, "-o", str(project / "pipeline.yaml")) == 1
    assert "RCC0705" in capsys.readouterr().err
    assert (project / "pipeline.yaml").read_bytes() == before


def test_output_equal_to_the_config_by_another_spelling_is_refused(project: Path, capsys) -> None:
    before = (project / "argo-config.yaml").read_bytes()
    other = str(project / "." / ".." / project.name / "argo-config.yaml")
    assert build(project, "-o", other) == 1
    assert "RCC0705" in capsys.readouterr().err
    assert (project / "argo-config.yaml").read_bytes() == before


def test_output_through_a_symlink_to_the_input_is_refused(project: Path, capsys) -> None:
    link = project / "out.yaml"
    link.symlink_to(project / "pipeline.yaml")
    before = (project / "pipeline.yaml").read_bytes()
    assert build(project, "-o", str(link)) == 1
    assert "RCC0705" in capsys.readouterr().err
    assert (project / "pipeline.yaml").read_bytes() == before and link.is_symlink()


def test_output_is_not_world_writable_even_with_umask_zero(project: Path) -> None:
    old = os.umask(0)
    try:
        assert build(project, "-o", str(project / "out.yaml")) == 0
    finally:
        os.umask(old)
    mode = stat.S_IMODE(os.stat(project / "out.yaml").st_mode)
    assert not mode & (stat.S_IWOTH | stat.S_IWGRP), oct(mode)
    assert mode & stat.S_IRUSR


def test_an_error_leaves_the_previous_output_untouched(project: Path) -> None:
    out = project / "out.yaml"
    out.write_text("previous manifest\n")
    stamp = os.stat(out).st_mtime_ns
    (project / "pipeline.yaml").write_text(BROKEN)
    assert build(project, "-o", str(out)) == 1
    assert out.read_text() == "previous manifest\n" and os.stat(out).st_mtime_ns == stamp
    assert sorted(p.name for p in project.iterdir()) == ["argo-config.yaml", "out.yaml", "pipeline.yaml"]


def test_an_error_creates_no_output_and_no_temporary(project: Path) -> None:
    (project / "pipeline.yaml").write_text(BROKEN)
    assert build(project, "-o", str(project / "out.yaml")) == 1
    assert sorted(p.name for p in project.iterdir()) == ["argo-config.yaml", "pipeline.yaml"]


def test_an_unreadable_config_creates_no_output(project: Path) -> None:
    (project / "argo-config.yaml").write_bytes(b"\xff\xfe not utf-8")
    assert build(project, "-o", str(project / "out.yaml")) == 1
    assert not (project / "out.yaml").exists()
