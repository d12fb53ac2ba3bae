"""Where a configuration may make `rcc build` write: inside the project, beside the
pipeline, or below the working directory.

A configuration is often someone else's file (a template, a pull request). Its
`output_file` is honoured only when `-o` is absent, and then it must not name an
absolute or `../..` path that lands anywhere the user can write (a shell profile, a
CI script): only the command line decides to write outside those places.
"""

from __future__ import annotations

import os
from pathlib import Path

from compiler.diagnostics import Diagnostic, Span


def allowed_roots(pipeline: str) -> list[Path]:
    """The project root of the pipeline (if any), the pipeline's directory and the cwd."""
    from compiler.project import find_project

    here = Path(pipeline).resolve().parent
    roots = [here, Path.cwd().resolve()]
    project = find_project(here)
    if project.root is not None:
        roots.insert(0, project.root)
    return roots


def outside_allowed(output_file: str, pipeline: str, span: Span | None) -> Diagnostic | None:
    """RCC0731 when the configured `output_file` resolves outside every allowed root."""
    try:
        target = Path(os.path.abspath(output_file))
        resolved = target.parent.resolve() / target.name
        if resolved.is_symlink():
            resolved = resolved.resolve()
    except (OSError, ValueError, RuntimeError):
        resolved = None
    roots = allowed_roots(pipeline)
    if resolved is not None and any(resolved == r or r in resolved.parents for r in roots):
        return None
    from compiler.files import printable_path

    return Diagnostic(
        "RCC0731",
        f"the configuration's output_file `{printable_path(output_file)}` is outside the project, "
        "the pipeline's directory and the working directory",
        span,
        help=f"name the file on the command line if you mean it (`-o {printable_path(output_file)}`), "
             "or set output_file to a path inside the project",
    )
