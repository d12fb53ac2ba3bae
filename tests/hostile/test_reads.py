"""Unbounded reads: every file every command reads is a regular file read with a bound."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bounded import assert_user_error, project, rcc


@pytest.fixture(scope="module")
def fifo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fifo") / "input.yaml"
    os.mkfifo(path)
    return path


SPECIAL = ["/dev/zero", "fifo", "directory"]


def _special(name: str, fifo: Path, tmp_path: Path) -> str:
    return {"/dev/zero": "/dev/zero", "fifo": str(fifo), "directory": str(tmp_path)}[name]


@pytest.mark.parametrize("special", SPECIAL)
@pytest.mark.parametrize("command", ["lint", "simulate"])
def test_manifest_readers_refuse_special_files(command: str, special: str, fifo: Path, tmp_path: Path) -> None:
    if command == "lint" and special == "directory":
        special_dir = tmp_path / "d"
        special_dir.mkdir()
        os.mkfifo(special_dir / "hangs.yaml")  # a directory is expanded into its regular files
        out = rcc(command, str(special_dir), timeout=20)
        assert out.code in (0, 1) and "Traceback" not in out.stderr and "RCC09" not in out.stderr, out.stderr
        return
    out = rcc(command, _special(special, fifo, tmp_path), timeout=20)
    assert_user_error(out, "RCC0702" if special == "directory" else "RCC0703")


@pytest.mark.parametrize("special", SPECIAL)
@pytest.mark.parametrize("role", ["pipeline", "-c", "-p"])
def test_build_refuses_special_files_in_every_role(role: str, special: str, fifo: Path, tmp_path: Path) -> None:
    pipeline = project(tmp_path / "p")
    path = _special(special, fifo, tmp_path)
    argv = [path] if role == "pipeline" else [str(pipeline), role, path]
    out = rcc("build", *argv, "-o", "-", timeout=20)
    assert_user_error(out, "RCC0702" if special == "directory" else "RCC0703")


def test_large_manifest_is_refused_unread_with_the_way_to_raise_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:  # sparse: 64 MB that cost nothing to write
        fh.truncate(64 * 1024 * 1024)
    for command in ("lint", "simulate"):
        out = rcc(command, str(big), timeout=20)
        assert_user_error(out, "RCC0704")
        assert "--max-input BYTES" in out.stderr
    small = rcc("lint", "--max-input", "10", str(project(tmp_path / "q", config=None)))
    assert_user_error(small, "RCC0704")
    assert "larger than 10 bytes" in small.stderr


def test_check_reads_out_with_a_bound(tmp_path: Path) -> None:
    pipeline = project(tmp_path)
    for out_path in ("/dev/zero", str(tmp_path)):
        out = rcc("build", str(pipeline), "--check", "-o", out_path, timeout=20)
        assert_user_error(out, "RCC0708")
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as fh:
        fh.truncate(1 << 33)  # 8 GiB, sparse
    out = rcc("build", str(pipeline), "--check", "-o", str(huge), timeout=20)
    assert_user_error(out, "RCC0708")


@pytest.mark.parametrize("value", ["-5", "0", "99999999999999999999999999999", "1e9", "x" * 5000])
def test_max_size_out_of_range_is_a_usage_error(tmp_path: Path, value: str) -> None:
    out = rcc("build", str(project(tmp_path)), "-o", "-", "--max-size", value)
    assert_user_error(out, exit_code=2)
    assert "--max-size" in out.stderr
