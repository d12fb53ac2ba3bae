"""Configuration and parameters files are bounded at the manifest limit, and
pyproject.toml is read with a bound: a huge file is refused at once, never parsed."""

from __future__ import annotations

import time
from pathlib import Path

from bounded import CONFIG, assert_user_error, project, rcc


def test_a_configuration_over_the_manifest_limit_is_refused_unread(tmp_path: Path) -> None:
    env = "".join(f'        - {{name: V{i}, value: "value number {i}"}}\n' for i in range(70_000))
    config = CONFIG.replace('defaults: {image: "python:3.11-slim"}',
                            'defaults:\n      image: "python:3.11-slim"\n      env:\n' + env)
    path = project(tmp_path, config=config)
    started = time.monotonic()
    out = rcc("build", str(path), "-o", "-")
    assert_user_error(out, "RCC0704")
    assert "configuration file" in out.stderr and "--max-size BYTES" in out.stderr
    assert time.monotonic() - started < 10  # was 20 s and 245 MB to learn the manifest is too large


def test_a_parameters_file_over_the_manifest_limit_is_refused(tmp_path: Path) -> None:
    path = project(tmp_path)
    params = tmp_path / "params.yaml"
    params.write_text("".join(f'p{i}: "value {i}"\n' for i in range(100_000)))
    out = rcc("build", str(path), "-p", str(params), "-o", "-")
    assert_user_error(out, "RCC0704")
    assert "parameters file" in out.stderr


def test_a_huge_pyproject_is_not_read_whole(tmp_path: Path) -> None:
    path = project(tmp_path)
    with open(tmp_path / "pyproject.toml", "wb") as fh:
        fh.truncate(256 * 1024 * 1024)  # sparse; reading it whole would take the memory bound
    out = rcc("build", str(path), "-o", "-")
    assert out.code == 0, out.stderr
