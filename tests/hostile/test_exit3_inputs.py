"""Inputs that once ended in exit 3: each is now a located user error or a valid build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bounded import CONFIG, PIPELINE, assert_user_error, project, rcc

BIG = "9" * 5000


@pytest.mark.parametrize("where", ["max_attempts", "command", "parameter", "hex", "octal", "variable"])
def test_integers_beyond_pythons_conversion_limit(where: str, tmp_path: Path) -> None:
    pipeline, config, extra = PIPELINE, CONFIG, []
    if where in ("max_attempts", "command"):
        field = f"max_attempts: {BIG}" if where == "max_attempts" else f"command: {BIG}"
        pipeline = PIPELINE.replace("command: echo hello", field if where == "command" else f"command: echo hello, {field}")
    elif where == "parameter":
        (tmp_path / "params.yaml").write_text(f"x: {BIG}\n")
        extra = ["-p", str(tmp_path / "params.yaml")]
    elif where in ("hex", "octal"):
        number = "0x" + "f" * 5000 if where == "hex" else "0o" + "7" * 6000
        config = CONFIG.replace("spec: {}", f"spec: {{parallelism: {number}}}")
    else:
        config = CONFIG.replace("spec: {}", "spec: {parallelism: $n}")
        extra = ["--var", f"n={BIG}"]
    path = project(tmp_path, pipeline, config)
    out = rcc("build", str(path), "-o", "-", *extra)
    assert_user_error(out, "RCC0733")
    assert "-->" in out.stderr  # located


def test_integers_beyond_int64_fail_build_and_lint(tmp_path: Path) -> None:
    path = project(tmp_path, config=CONFIG.replace("spec: {}", "spec: {parallelism: 99999999999999999999999}"))
    assert_user_error(rcc("build", str(path), "-o", "-"), "RCC0880")
    good = project(tmp_path / "good")
    manifest = rcc("build", str(good), "-o", "-").stdout.decode()
    bad = tmp_path / "manifest.yaml"
    bad.write_text(manifest.replace("\nspec:\n", "\nspec:\n  parallelism: 99999999999999999999999\n", 1))
    assert_user_error(rcc("lint", str(bad)), "RCC0880")


def test_non_utf8_variable_and_file_names(tmp_path: Path) -> None:
    config = CONFIG.replace('"python:3.11-slim"', "$image")
    path = project(tmp_path / "p", config=config)
    assert_user_error(rcc("build", str(path), "-o", "-", "--var", b"image=\xff"), "RCC0734")
    assert_user_error(rcc("build", str(path), "-o", "-", env={"RCC_VAR_image": "\udcff"}), "RCC0734")
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    folder = os.fsencode(root) + b"/d\xff"
    os.mkdir(folder)
    (Path(os.fsdecode(folder)) / "pipeline.yaml").write_text(PIPELINE)
    (Path(os.fsdecode(folder)) / "argo-config.yaml").write_text(CONFIG)
    out = rcc("build", folder + b"/pipeline.yaml", "-o", "-", cwd=root)
    assert_user_error(out, "RCC0734")


def test_a_time_zone_of_thousands_of_parts(tmp_path: Path) -> None:
    zone = "/".join(["a"] * 3000)
    config = CONFIG + f'    cron_schedule: {{schedules: ["0 * * * *"], timezone: "{zone}"}}\n'
    out = rcc("build", str(project(tmp_path, config=config)), "-o", "-")
    assert_user_error(out, "RCC0224")
    assert "nests" not in out.stderr


@pytest.mark.parametrize("name", ["run_id", "log_level", "retry_run_id", "retry_indicator"])
def test_parameters_named_like_rccs_own_arguments(name: str, tmp_path: Path) -> None:
    path = project(tmp_path)
    (tmp_path / "params.yaml").write_text(f"{name}: 1\n")
    out = rcc("build", str(path), "-p", str(tmp_path / "params.yaml"), "-o", "-")
    assert_user_error(out, "RCC0143")
    assert "params.yaml:1:1" in out.stderr


MAP = """\
dag:
  start_at: m
  steps:
    m:
      type: map
      iterate_on: xs
      iterate_as: VAR
      next: success
      branch:
        start_at: a
        steps:
          a: {type: task, command_type: shell, command: echo hi, next: success}
          success: {type: success}
          fail: {type: fail}
    success: {type: success}
    fail: {type: fail}
"""


@pytest.mark.parametrize("runtime,var", [("runnable", "node"), ("native", "node"), ("native", "value"),
                                         ("native", "statuses"), ("magnus", "node")])
def test_a_loop_variable_named_like_a_template_input(runtime: str, var: str, tmp_path: Path) -> None:
    path = project(tmp_path, MAP.replace("VAR", var))
    (tmp_path / "params.yaml").write_text("xs: [1, 2]\n")
    out = rcc("build", str(path), "-p", str(tmp_path / "params.yaml"), "--runtime", runtime, "-o", "-")
    assert_user_error(out, "RCC0144")


INIT = CONFIG.replace("  config:\n", "  config:\n    runtime: native\n") + """\
    templates:
      - {name: NAME1, container: {image: busybox, command: [echo]}, outputs: {parameters: [{name: "OUT", path: /tmp/x}]}}
      - {name: NAME2, container: {image: busybox, command: [echo]}}
    init_templates: [NAME1, NAME2]
"""


def test_init_template_names_become_valid_unique_argo_names(tmp_path: Path) -> None:
    long = "a" * 300
    config = INIT.replace("NAME1", "a.b").replace("NAME2", "a-b").replace("OUT", "ok")
    out = rcc("build", str(project(tmp_path / "1", config=config)), "-o", "-")
    assert out.code == 0, out.stderr
    config = INIT.replace("NAME1", long).replace("NAME2", "Setup_Store!").replace("OUT", "ok")
    out = rcc("build", str(project(tmp_path / "2", config=config)), "-o", "-")
    assert out.code == 0, out.stderr
    bad = INIT.replace("NAME1", "x").replace("NAME2", "y").replace("OUT", "out put")
    assert_user_error(rcc("build", str(project(tmp_path / "3", config=bad)), "-o", "-"), "RCC0145")
