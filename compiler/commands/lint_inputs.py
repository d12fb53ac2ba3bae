"""What `rcc lint` reads: files, directories, globs and stdin, less the excluded.

Why sorted and de-duplicated: the report must be the same bytes on every run and every
file system, and a file named twice (`dir/` and `dir/a.yaml`) is linted once.
"""

from __future__ import annotations

import glob
import os
from fnmatch import fnmatch
from pathlib import Path

from compiler.diagnostics import Diagnostics

SUFFIXES = (".yaml", ".yml")
GLOB_CHARS = set("*?[")


def excluded(path: str, patterns: list[str]) -> bool:
    posix = Path(path).as_posix()
    parts = Path(path).parts
    return any(fnmatch(posix, p) or fnmatch(posix, p.rstrip("/") + "/*")
               or any(fnmatch(part, p.rstrip("/")) for part in parts) for p in patterns)


def expand(inputs: list[str], exclude: list[str], diags: Diagnostics) -> list[str]:
    """The files to lint, in order: each input as given, directories and globs sorted."""
    out: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = path if path == "-" else os.path.normpath(path)
        if key not in seen and (path == "-" or not excluded(path, exclude)):
            seen.add(key)
            out.append(path)

    for item in inputs:
        if item == "-":
            add(item)
        elif os.path.isdir(item):
            found = sorted(str(p) for p in Path(item).rglob("*") if p.suffix in SUFFIXES and p.is_file())
            for path in found:
                if not any(part.startswith(".") for part in Path(path).relative_to(item).parts):
                    add(path)
        elif GLOB_CHARS & set(item) and not os.path.exists(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                diags.error("RCC0711", f"no file matches `{item}`", None,
                            help="check the pattern; quote it so that rcc, not the shell, expands `**`")
            for path in matches:
                if os.path.isfile(path):
                    add(path)
        else:
            add(item)
    return out
