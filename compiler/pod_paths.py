"""The input files as a pod names them: relative to the project root, and inert.

Every pod re-reads the pipeline (and the configuration and parameters files) from its
image, whose working directory holds the project: so the paths written into container
commands are relative to the project root, never to wherever `rcc build` was run. The
same pipeline built from the repository root, from its own directory or from `/` gives
the same bytes.

The root is, first found: `--project-root DIR`; `[tool.rcc] root`; the nearest directory
above the pipeline holding `.git` or a pyproject.toml with `[tool.rcc]`
(`compiler/project.py`); else the pipeline's own directory (a note says so).

Paths are inert text in a manifest:
- Argo substitutes `{{...}}` anywhere in a template and has no escape for it (its
  maintainers say so: argoproj/argo-workflows#8253), so a path holding `{{` is refused;
- a path that starts with `-` would be read as an option by the runtime's command line
  (click, argparse), so it is written `./-name`, which every program reads as a file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from compiler.diagnostics import Diagnostics
from compiler.project import Project, find_project
from compiler.project_settings import Settings, relative


@dataclass(frozen=True)
class Root:
    path: Path
    """Absolute, symlinks resolved."""
    how: str
    """Why this directory: shown in notes and diagnostics."""
    found: bool
    """False when no project holds the pipeline and its directory stands in."""


def absolute(path: str) -> Path:
    """The file's absolute path, its directory's symlinks resolved (the file's own kept)."""
    p = Path(path)
    return p.parent.resolve() / p.name


def choose_root(pipeline: str, cli_root: str | None, project: Project, settings: Settings) -> Root:
    if cli_root is not None:
        return Root(Path(cli_root).resolve(), "given by --project-root", True)
    if settings.root is not None:
        return Root(settings.root, f"set by `root` in {relative(settings.file)}", True)
    if project.root is not None:
        marker = relative(project.settings_file) if project.settings_file else relative(project.root / ".git")
        return Root(project.root, f"the directory holding {marker}", True)
    return Root(absolute(pipeline).parent, "the pipeline's directory", False)


def project_of(pipeline: str) -> Project:
    return find_project(absolute(pipeline).parent)


def pod_path(path: str, root: Root, what: str, diags: Diagnostics) -> str:
    """`path` as the manifest writes it, with a diagnostic when it cannot be written inertly."""
    full = absolute(path)
    rel = Path(os.path.relpath(full, root.path)).as_posix()
    if rel.startswith("../") or rel == "..":
        diags.warning("RCC0723", f"the {what} `{path}` lies outside the project root `{relative(root.path)}`",
                      None, notes=(f"project root: {root.how}",),
                      help=f"pods find the file at `{rel}` beside their working directory only if the image "
                           "has it there; move the file into the project, or name the root with --project-root DIR")
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        diags.error("RCC0734", f"the {what} path `{shown}` is not valid UTF-8", None,
                    help="the manifest is UTF-8 text and the path is written into every pod's command: "
                         "rename the directory or file with UTF-8 characters")
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if "{{" in rel:
        diags.error("RCC0722", f"the {what} path `{rel}` holds `{{{{`, which Argo would read as an expression",
                    None,
                    help="rename the directory or file so its path has no `{{` (Argo has no escape for it)")
    if rel.startswith("-"):
        rel = "./" + rel
    return rel
