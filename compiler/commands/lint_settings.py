"""`[tool.rcc.lint]` in pyproject.toml: a project's standing lint choices.

    [tool.rcc.lint]
    ignore = ["RCC0860"]                          # codes silenced everywhere
    per-file-ignores = {"legacy/*.yaml" = ["RCC0872"]}   # paths relative to the project root
    exclude = ["vendor/**"]                       # files never linted
    warnings-as-errors = true                     # as --strict

Why validated here with positions: a misspelt key would silently lint with the
defaults. TOML's reader gives no positions, so the key's line is found in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path

from compiler.diagnostics import Diagnostic, Diagnostics, Span

KEYS = ("ignore", "per-file-ignores", "exclude", "warnings-as-errors")
CODE = re.compile(r"RCC\d{4}\Z")


@dataclass
class LintSettings:
    ignore: set[str] = field(default_factory=set)
    per_file: list[tuple[str, set[str]]] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    warnings_as_errors: bool = False
    root: Path | None = None


def _where(pyproject: Path, key: str) -> Span:
    try:
        lines = pyproject.read_text(encoding="utf-8").splitlines()
    except OSError:
        return Span.point(str(pyproject), 1, 1)
    in_table = False
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.replace(" ", "") in ("[tool.rcc.lint]",)
            if key == "" and in_table:
                return Span(str(pyproject), number, 1, number, len(line) + 1)
        elif in_table and re.match(rf'["\']?{re.escape(key)}["\']?\s*=', stripped):
            col = line.index(stripped) + 1
            return Span(str(pyproject), number, col, number, col + len(key))
    return Span.point(str(pyproject), 1, 1)


def read_settings(start: Path, diags: Diagnostics) -> LintSettings:
    from compiler.project import find_project

    project = find_project(start)
    table = project.settings.get("lint")
    out = LintSettings(root=project.root)
    if table is None or project.settings_file is None:
        return out
    import os

    file = Path(os.path.relpath(project.settings_file))
    if not isinstance(table, dict):
        diags.error("RCC0712", "`[tool.rcc] lint` must be a table", _where(file, ""),
                    help="write it as `[tool.rcc.lint]` with keys " + ", ".join(KEYS))
        return out
    for key, value in table.items():
        if key not in KEYS:
            from compiler.diagnostics import did_you_mean

            guess = did_you_mean(key, KEYS)
            diags.error("RCC0712", f"unknown lint setting `{key}`", _where(file, key),
                        help=f"did you mean `{guess}`?" if guess else "the settings are " + ", ".join(KEYS))
        elif key == "warnings-as-errors":
            if isinstance(value, bool):
                out.warnings_as_errors = value
            else:
                diags.error("RCC0712", "`warnings-as-errors` must be true or false", _where(file, key),
                            help="write `warnings-as-errors = true`")
        elif key == "per-file-ignores":
            if isinstance(value, dict) and all(_codes_ok(v) for v in value.values()):
                out.per_file = [(str(k), set(v)) for k, v in value.items()]
            else:
                diags.error("RCC0712", "`per-file-ignores` maps path globs to lists of codes", _where(file, key),
                            help='write `per-file-ignores = {"legacy/*.yaml" = ["RCC0872"]}`')
        elif key == "ignore":
            if _codes_ok(value):
                out.ignore = set(value)
            else:
                diags.error("RCC0712", "`ignore` is a list of codes such as \"RCC0860\"", _where(file, key),
                            help='write `ignore = ["RCC0860"]`')
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out.exclude = list(value)
        else:
            diags.error("RCC0712", "`exclude` is a list of path globs", _where(file, key),
                        help='write `exclude = ["vendor/**"]`')
    return out


def _codes_ok(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and CODE.match(v) for v in value)


def _relative(file: str, root: Path | None) -> str:
    if root is None:
        return Path(file).as_posix()
    try:
        return Path(file).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(file).as_posix()


def apply_settings(items: list[Diagnostic], settings: LintSettings, strict: bool) -> list[Diagnostic]:
    """Drop what the project ignores; with --strict or warnings-as-errors, warnings fail the run."""
    out = []
    for d in items:
        if d.code in settings.ignore and not d.code.startswith("RCC07"):
            continue
        if d.span is not None and settings.per_file:
            rel = _relative(d.span.file, settings.root)
            if any(d.code in codes and fnmatch(rel, pattern) for pattern, codes in settings.per_file):
                continue
        if d.severity == "warning" and (strict or settings.warnings_as_errors):
            why = "--strict" if strict else "[tool.rcc.lint] warnings-as-errors"
            d = replace(d, severity="error", notes=d.notes + (f"a warning, made an error by {why}",))
        out.append(d)
    return out
