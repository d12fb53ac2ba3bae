"""Run by the kedro project's own Python, never imported by rcc: kedro's registered
pipeline as JSON.

Why a script in a subprocess: kedro, the project's package and its plugins (argo-kedro)
live in the project's environment, not in rcc's; importing them into rcc would tie rcc
to their versions and run the project's code inside the compiler. The script answers
one JSON document in the file named by its third argument (stdout belongs to kedro's
logging), and never raises: every failure is an `error` object rcc turns into a
located diagnostic.

Usage: python -c SOURCE PROJECT_DIR PIPELINE OUT_JSON   (run in PROJECT_DIR)
The answer's shape is `compiler/importers/kedro_graph.py`'s to read.
"""

import json
import os
import sys
import traceback

FORMAT = 1


def _where(exc, project):
    """The innermost frame of the traceback inside the project (not in site-packages)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        path = os.path.realpath(frame.filename)
        if path.startswith(project + os.sep) and "site-packages" not in path:
            found = (os.path.relpath(path, project), frame.lineno)
    return found


def _error(kind, message, project, exc=None, **extra):
    out = {"kind": kind, "message": message}
    if exc is not None:
        out["type"] = type(exc).__name__
        where = _where(exc, project)
        if where:
            out["file"], out["line"] = where
    out.update(extra)
    return {"format": FORMAT, "error": out}


def _registry_location(project, package):
    """Where `register_pipelines` is defined, for a diagnostic about the registry."""
    try:
        import importlib
        import inspect

        module = importlib.import_module(package + ".pipeline_registry")
        lines = inspect.getsourcelines(module.register_pipelines)
        path = os.path.realpath(inspect.getsourcefile(module.register_pipelines))
        return {"file": os.path.relpath(path, project), "line": lines[1]}
    except Exception:  # the location is a nicety; the answer does not depend on it
        return {}


def _node(node):
    inner = getattr(node, "_nodes", None)
    out = {
        "name": node.name,
        "inputs": sorted(node.inputs),  # a FusedNode's come from a set: sorted, the answer is the same bytes
        "outputs": sorted(node.outputs),
        "machine_type": getattr(node, "machine_type", None),
        "template": getattr(node, "template", None),
    }
    if type(node).__name__ == "FusedNode" and inner is not None:
        from kedro.pipeline import Pipeline

        out["fused"] = [n.name for n in Pipeline(list(inner)).nodes]
    return out


def export(project, name):
    try:
        import kedro
        from kedro.framework.startup import bootstrap_project
    except Exception as exc:
        return _error("no-kedro", "%s: %s" % (type(exc).__name__, exc), project, python=sys.executable)
    try:
        metadata = bootstrap_project(project)
    except Exception as exc:
        return _error("not-a-project", str(exc), project, exc)
    try:
        from kedro.framework.project import pipelines

        registered = sorted(pipelines.keys())
        if name not in registered:
            return {"format": FORMAT, "kedro": kedro.__version__, "registered": registered,
                    "registry": _registry_location(project, metadata.package_name)}
        nodes = [_node(n) for n in pipelines[name].nodes]
    except Exception as exc:
        return _error("kedro-raised", "%s: %s" % (type(exc).__name__, exc), project, exc)
    answer = {"format": FORMAT, "kedro": kedro.__version__, "project": metadata.project_name,
              "pipeline": name, "registered": registered, "nodes": nodes}
    if not nodes:
        answer["registry"] = _registry_location(project, metadata.package_name)
    return answer


def main(argv):
    project, name, out = os.path.realpath(argv[1]), argv[2], argv[3]
    try:
        answer = export(project, name)
    except BaseException as exc:  # SystemExit from a project's import, too
        answer = _error("kedro-raised", "%s: %s" % (type(exc).__name__, exc), project, exc)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(answer, f, sort_keys=True, indent=1)


if __name__ == "__main__":
    main(sys.argv)
