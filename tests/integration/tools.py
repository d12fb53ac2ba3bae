"""Finding the real external clients the integration tests drive.

These tests are only worth something when they run, so under CI (`CI=true`) a missing
tool is a failure with the command that installs it; on a developer's machine it is a
skip, so `pytest` stays usable without node or the pip extras.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

INSTALL = {
    "yaml-language-server": "npm install -g yaml-language-server",
    "pre-commit": "pip install pre-commit",
    "check-jsonschema": "pip install check-jsonschema",
    "git": "apt-get install git",
}


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str) -> str:
    """The path of executable `name`, or fail/skip.

    Looked for on PATH, beside the running Python (a venv's pip-installed tools), then in
    ./node_modules/.bin (`npm install yaml-language-server` without -g).
    """
    found = shutil.which(name)
    for folder in (Path(sys.executable).parent, ROOT / "node_modules" / ".bin"):
        if found is None and (folder / name).exists():
            found = str(folder / name)
    if found is None:
        message = f"`{name}` is not installed; install it with: {INSTALL.get(name, name)}"
        if in_ci():
            pytest.fail(message + " (CI=true: this test must run, not skip)", pytrace=False)
        pytest.skip(message)
    return found
