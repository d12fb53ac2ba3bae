"""The answer of `kedro_export.py`, read and checked: kedro's pipeline as plain records.

Why a separate reader: the same JSON arrives from a live kedro run and from a file
(`rcc import kedro --graph FILE`, which lets CI or a machine without the project's
environment import a graph exported elsewhere, and lets the golden cases test the
importer without kedro). Either way, every failure the script reported (no kedro, not a
project, pipeline not registered, kedro raising) becomes a diagnostic located where the
user can fix it: the project's own file and line when kedro said where.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostics, Span, suggest
from compiler.frontend.load import Located

FORMAT = 1


@dataclass(frozen=True)
class KedroNode:
    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    machine_type: str | None = None
    template: str | None = None
    fused: tuple[str, ...] | None = None
    """The inner nodes of an argo-kedro FusedPipeline, in kedro's order (None: a plain node)."""


@dataclass(frozen=True)
class KedroGraph:
    project: str
    pipeline: str
    kedro: str
    nodes: tuple[KedroNode, ...]


def _located(project: Path, where: dict[str, Any]) -> Span | None:
    """The project file and line kedro named, as a span the renderer can show."""
    file, line = where.get("file"), where.get("line")
    if not isinstance(file, str) or not isinstance(line, int) or line < 1:
        return None
    path = project / file
    try:
        text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return Span.point(str(path), line, 1)
    start = len(text) - len(text.lstrip()) + 1
    return Span(str(path), line, start, line, max(start + 1, len(text.rstrip()) + 1))


def read_graph(doc: Located, pipeline: str, project: Path, diags: Diagnostics) -> KedroGraph | None:
    """The graph in `doc`, or None after diagnostics; `project` locates the files kedro named."""
    data = doc.data
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        diags.error("RCC0277", f"this is not a kedro graph rcc's exporter wrote (format {FORMAT})", doc.span(()),
                    help="export it again with this rcc (`rcc import kedro PROJECT_DIR --export-graph FILE`)")
        return None
    error = data.get("error")
    if isinstance(error, dict):
        _report(error, project, doc, diags)
        return None
    registered = data.get("registered")
    if not isinstance(registered, list) or not all(isinstance(r, str) for r in registered):
        return _malformed(doc, ("registered",), "`registered` must be a list of pipeline names", diags)
    if pipeline not in registered:
        where = data.get("registry") if isinstance(data.get("registry"), dict) else {}
        diags.error("RCC0742", f"the kedro project registers no pipeline `{pipeline}`", _located(project, where),
                    help=suggest(pipeline, registered, "registered pipelines: " + (", ".join(f"`{r}`" for r in registered)
                                                                               or "none") + "; choose one with --pipeline"))
        return None
    if data.get("pipeline") != pipeline:
        return _malformed(doc, ("pipeline",), f"the graph holds pipeline `{data.get('pipeline')}`, not `{pipeline}`", diags)
    nodes = data.get("nodes")
    if not isinstance(nodes, list):
        return _malformed(doc, ("nodes",), "`nodes` must be a list of nodes", diags)
    if not nodes:
        where = data.get("registry") if isinstance(data.get("registry"), dict) else {}
        diags.error("RCC0278", f"the registered pipeline `{pipeline}` has no nodes: there is nothing to import",
                    _located(project, where),
                    help="register the pipeline with its nodes (an empty `__default__` usually means "
                         "`find_pipelines()` found no pipeline package), or choose another with --pipeline")
        return None
    out = []
    for i, raw in enumerate(nodes):
        node = _node(raw, doc, ("nodes", i), diags)
        if node is not None:
            out.append(node)
    if diags.has_errors:
        return None
    return KedroGraph(str(data.get("project") or project.name), pipeline, str(data.get("kedro") or "?"), tuple(out))


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _node(raw: Any, doc: Located, path: tuple, diags: Diagnostics) -> KedroNode | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        return _malformed(doc, path, "a node needs a `name`", diags)
    inputs, outputs = _strings(raw.get("inputs")), _strings(raw.get("outputs"))
    if inputs is None or outputs is None:
        return _malformed(doc, path, f"node `{raw['name']}` needs `inputs` and `outputs` as lists of dataset names", diags)
    for key in ("machine_type", "template"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            return _malformed(doc, path + (key,), f"`{key}` of node `{raw['name']}` must be a name", diags)
    fused = raw.get("fused")
    if fused is not None and not _strings(fused):
        return _malformed(doc, path + ("fused",), f"`fused` of node `{raw['name']}` must list its inner nodes", diags)
    names = [raw["name"], *(fused or []), raw.get("machine_type") or "", raw.get("template") or ""]
    bad = next((n for n in names if "{{" in n), None)
    if bad is not None:
        what = "its name" if bad == raw["name"] else f"`{bad}`"
        diags.error("RCC0279", f"node `{raw['name']}`: {what} contains `{{{{`, which Argo would read as an expression",
                    doc.span(path + ("name",)),
                    help="rename it in the kedro project without `{{`: its name reaches the manifest as a parameter")
        return None
    return KedroNode(raw["name"], inputs, outputs, raw.get("machine_type"), raw.get("template"),
                     _strings(fused) if fused is not None else None)


def _malformed(doc: Located, path: tuple, message: str, diags: Diagnostics) -> None:
    diags.error("RCC0277", f"the kedro graph is malformed: {message}", doc.span(path),
                help="export it again with this rcc (`rcc import kedro PROJECT_DIR --export-graph FILE`), "
                     "or fix the file by hand to the shape the exporter writes")
    return None


def _report(error: dict[str, Any], project: Path, doc: Located, diags: Diagnostics) -> None:
    """The exporter's failure as the diagnostic a user can act on."""
    kind, message = error.get("kind"), str(error.get("message") or "")
    span = _located(project, error)
    if kind == "no-kedro":
        diags.error("RCC0741", f"kedro cannot be imported by `{error.get('python') or 'the chosen Python'}`: {message}",
                    None, help="point rcc at the project's environment: `--python PATH/bin/python`, RCC_KEDRO_VENV, "
                               "or a `.venv` in the project (`pip install kedro` there)")
    elif kind == "not-a-project":
        diags.error("RCC0740", f"kedro does not take `{project}` as a project: {message}", span,
                    help="give the directory that holds the project's pyproject.toml with a [tool.kedro] table")
    else:
        diags.error("RCC0743", f"kedro raised while loading the registered pipelines: {message}", span,
                    help="fix the project so that `kedro registry list` works in it, then import again")
