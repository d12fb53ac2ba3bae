"""The project a pipeline belongs to: its root, and rcc's own settings in `[tool.rcc]`.

Why `pyproject.toml`: the runnable and magnus programs re-read the pipeline and the
configuration inside every pod with unknown keys forbidden, so rcc's own choices
(runtime, default configuration, output kind, lint settings, project root) must live
in a file no pod reads. `[tool.rcc]` is where Python tools keep theirs.

The root is the nearest ancestor holding `.git` or a `pyproject.toml` with a
`[tool.rcc]` table; discovery never climbs past the user's home directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class Project:
    root: Path | None
    """The project root (absolute), or None when the file lies in no project."""
    settings: dict[str, Any] = field(default_factory=dict)
    """The `[tool.rcc]` table (empty when absent)."""
    settings_file: Path | None = None
    """The pyproject.toml the settings came from."""


PYPROJECT_LIMIT = 1024 * 1024  # bytes; a real pyproject.toml is a few kilobytes


def _read_tool_table(path: Path) -> dict[str, Any] | None:
    """`[tool.rcc]` of a pyproject.toml, or None when the file has none or cannot be read."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    from compiler.diagnostics import Diagnostics
    from compiler.files import read_bounded

    # Bounded like every input (a pyproject.toml of gigabytes, or a FIFO, must not stall
    # discovery); one that cannot be read counts as having no [tool.rcc], as before.
    raw = read_bounded(str(path), "pyproject.toml", PYPROJECT_LIMIT, Diagnostics(), "")
    if raw is None:
        return None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    table = data.get("tool", {}).get("rcc") if isinstance(data.get("tool"), dict) else None
    return table if isinstance(table, dict) else None


def ceiling() -> Path | None:
    """Discovery stops at the home directory (when the start is below it)."""
    home = os.environ.get("HOME")
    return Path(home).resolve() if home else None


def find_project(start: Path) -> Project:
    """The project holding `start` (a file or a directory)."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    stop = ceiling()
    for folder in (here, *here.parents):
        pyproject = folder / PYPROJECT
        table = _read_tool_table(pyproject) if pyproject.is_file() else None
        if table is not None:
            return Project(folder, table, pyproject)
        if (folder / ".git").exists():
            return Project(folder, {}, None)
        if stop is not None and folder == stop:
            break
    return Project(None)
