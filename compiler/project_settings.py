"""rcc's own settings, read and checked from `[tool.rcc]` of the project's pyproject.toml.

`compiler/project.py` finds the table; this module says what it may hold and reports
every mistake at the key's line in pyproject.toml (tomllib keeps no positions, so the
key is found again in the text: a TOML key is written `name =` on its own line within
the table, which covers every way pyproject files are written in practice).

Keys (each optional):

    root      the project root, relative to the pyproject.toml's directory; paths written
              into container commands are relative to it
    config    the default configuration file, relative to the same directory (`-c` wins)
    kind      workflow | workflow-template | cron-workflow (`--kind` wins)
    runtime   a runtime name from `compiler.backend.runtimes` (`--runtime` wins)
    lint      a table of lint settings (read by `rcc lint`)

Other commands read the result as a plain `Settings` value.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostics, Span, suggest
from compiler.project import Project

KINDS = ("workflow", "workflow-template", "cron-workflow")
KEYS = ("root", "config", "kind", "runtime", "lint")


@dataclass(frozen=True)
class Settings:
    """`[tool.rcc]`, checked. Paths are absolute; a key that was wrong reads as unset."""

    root: Path | None = None
    config: Path | None = None
    kind: str | None = None
    runtime: str | None = None
    lint: dict[str, Any] = field(default_factory=dict)
    file: Path | None = None
    """The pyproject.toml they came from (None: no `[tool.rcc]` table)."""


def display(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when that is short."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path.as_posix()
    return Path(rel).as_posix() if not rel.startswith("../../..") else path.as_posix()


def relative(path: Path) -> str:
    """A directory named in a message, always relative to the working directory, so the
    message is the same bytes wherever the checkout lives."""
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()


def read_settings(project: Project, diags: Diagnostics) -> Settings:
    """The checked `[tool.rcc]` of `project`; every mistake becomes a diagnostic in `diags`."""
    if project.settings_file is None:
        return Settings()
    table = project.settings
    where = _KeyLocator(project.settings_file)
    base = project.settings_file.parent
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            diags.error("RCC0720", f"`[tool.rcc]` has no setting `{key}`", where.span(key),
                        help=suggest(key, KEYS, "the settings are " + ", ".join(f"`{k}`" for k in KEYS)))
            continue
        checked = _check(key, value, where, diags)
        if checked is not None:
            values[key] = checked
    return Settings(
        root=(base / values["root"]).resolve() if "root" in values else None,
        config=(base / values["config"]) if "config" in values else None,
        kind=values.get("kind"),
        runtime=values.get("runtime"),
        lint=values.get("lint", {}),
        file=project.settings_file,
    )


def _check(key: str, value: Any, where: "_KeyLocator", diags: Diagnostics) -> Any:
    if key == "lint":
        if isinstance(value, dict):
            return value
        diags.error("RCC0721", f"`[tool.rcc] lint` must be a table, not {_kind(value)}", where.span(key),
                    help="write the lint settings as `[tool.rcc.lint]` with one `name = value` per line")
        return None
    if not isinstance(value, str):
        diags.error("RCC0721", f"`[tool.rcc] {key}` must be a string, not {_kind(value)}", where.span(key),
                    help=f'write it in quotes, e.g. {key} = "{_EXAMPLES[key]}"')
        return None
    if key == "kind" and value not in KINDS:
        diags.error("RCC0721", f"`[tool.rcc] kind` is `{value}`, which is not a manifest kind", where.span(key),
                    help=suggest(value, KINDS, "choose one of " + ", ".join(f"`{k}`" for k in KINDS)))
        return None
    if key == "runtime":
        from compiler.backend.runtimes import NAMES

        if value not in NAMES:
            diags.error("RCC0721", f"`[tool.rcc] runtime` is `{value}`, which is not a runtime rcc knows",
                        where.span(key),
                        help=suggest(value, NAMES, "choose one of " + ", ".join(f"`{n}`" for n in NAMES)))
            return None
    if key == "root" and not (where.file.parent / value).is_dir():
        diags.error("RCC0721", f"`[tool.rcc] root` names `{value}`, which is not a directory", where.span(key),
                    help="give a directory relative to this pyproject.toml, e.g. root = \".\"")
        return None
    return value


_EXAMPLES = {"root": ".", "config": "argo-config.yaml", "kind": "workflow", "runtime": "runnable"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return "a date or time"


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")


class _KeyLocator:
    """Finds `key = ...` inside `[tool.rcc]` of a pyproject.toml, for diagnostics' spans."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.name = display(file)
        try:
            self.lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            self.lines = []
        self.header = 1
        for number, line in enumerate(self.lines, 1):
            m = _HEADER.match(line)
            if m and m.group(1).replace(" ", "").replace('"', "") == "tool.rcc":
                self.header = number
                break

    def span(self, key: str) -> Span:
        pattern = re.compile(rf'^(\s*)("?{re.escape(key)}"?)\s*[=.]')
        for number in range(self.header + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if _HEADER.match(line) and not line.strip().startswith(f"[tool.rcc.{key}"):
                break
            m = pattern.match(line)
            if m:
                start = len(m.group(1)) + 1
                return Span(self.name, number, start, number, start + len(m.group(2)))
        for number, line in enumerate(self.lines, 1):  # a sub-table: `[tool.rcc.lint]`
            if line.strip().replace(" ", "").startswith(f"[tool.rcc.{key}"):
                return Span.point(self.name, number, line.index("[") + 1)
        return Span.point(self.name, self.header, 1)
