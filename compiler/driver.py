"""The one place the flow is written: load > parse > lower > passes > emit > verify > dump.

`compile_files` runs every stage for one pipeline and returns the manifest text or the
diagnostics; it never writes (the `build` command does, atomically) and never raises
for a user error. Independent inputs (pipeline, configuration, parameters) are all read
and checked before stopping, so one run reports the mistakes of every file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.context import Context, Options
from compiler.diagnostics import Diagnostic, Diagnostics, Span, StageFailed

CONFIG_NAMES = ("argo-config.yaml", "argo-config.yml")
SIZE_FINDING = "RCC0870"
ARGO_LIMIT = 1024 * 1024
# An input more than this many times the manifest limit is refused unread. Every step
# costs the manifest at least 120 bytes and its pipeline text rarely much more, so a file
# that size is either more steps than any accepted manifest holds or mostly bulk the
# manifest never carries; loading it would cost seconds and hundreds of MB (a 10 MB
# pipeline, with the default 1 MiB limit, is refused at once).
INPUT_TO_MANIFEST_RATIO = 4


@dataclass
class Request:
    pipeline: str
    config: str | None = None
    parameters: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    options: Options = field(default_factory=Options)
    project_root: str | None = None
    """`--project-root`: the directory pod paths are relative to (see `compiler/pod_paths.py`)."""


@dataclass
class Result:
    diagnostics: list[Diagnostic]
    manifest: dict | None = None
    text: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    config_path: str | None = None
    notes: list[str] = field(default_factory=list)
    """What the user should know even when all went well: which configuration was used,
    what the paths in the manifest are relative to (printed by `build`)."""

    @property
    def ok(self) -> bool:
        return self.text is not None and not any(d.severity == "error" for d in self.diagnostics)


def discover_config(pipeline: str, root: Path | None = None) -> str | None:
    """`argo-config.yaml` beside the pipeline, else in each parent up to `root`.

    The search never climbs above the project root (or the pipeline's own directory
    when no project holds it) nor above the home directory: a configuration found in
    an unrelated parent would build against someone else's image. The path is returned
    relative to the working directory when possible, as diagnostics show it.
    """
    from compiler.pod_paths import absolute
    from compiler.project import ceiling
    from compiler.project_settings import display

    here = absolute(pipeline).parent
    stops = {p for p in (root, ceiling()) if p is not None}
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return display(candidate)
        if directory in stops or root is None or root not in directory.parents:
            return None
    return None


# A configuration or parameters file is copied into the manifest nearly whole (every
# template's env, every workflow argument): one larger than the manifest limit cannot
# compile to a manifest Argo accepts, and a 3.9 MB one took 20 s to be told so.
CONFIG_TO_MANIFEST_RATIO = 1


def read_text(path: str, diags: Diagnostics, what: str, max_size: int = ARGO_LIMIT,
              ratio: int = INPUT_TO_MANIFEST_RATIO) -> str | None:
    """An input's text, read by `files.read_bounded` with a limit of `ratio` times the
    manifest's (4 for a pipeline, 1 for a configuration or parameters file)."""
    from compiler.files import read_bounded
    from compiler.frontend.load import decode

    limit = ratio * max_size
    data = read_bounded(path, what, limit, diags, "--max-size BYTES",
                        limit_is=f"{ratio} times the {max_size:,}-byte manifest limit" if ratio != 1
                        else f"the {max_size:,}-byte manifest limit",
                        too_large_help=f"a {what} that size cannot compile to a manifest Argo accepts; split it "
                        "(or raise the limit with --max-size BYTES if your cluster accepts larger objects)")
    return None if data is None else decode(data, path, diags)


def compile_files(req: Request) -> Result:
    diags = Diagnostics()
    sources: dict[str, str] = {}
    notes: list[str] = []
    root, config_path, settings = _locate(req, diags, notes)
    req = _with_project_defaults(req, settings)
    try:
        manifest = _compile(req, config_path, diags, sources, root)
    except StageFailed:
        manifest = None
    except RecursionError:
        diags.error("RCC0901", "internal error: the pipeline nests too deeply for the compiler", None,
                    help="reduce the nesting of composite steps; please report this with the input")
        manifest = None
    text = None
    if manifest is not None and not diags.has_errors:
        from compiler.backend.yaml_writer import dump_yaml

        text = dump_yaml(manifest)
        _check_size(text, diags, req.options.max_size, manifest)
        if diags.has_errors:
            text = None
    return Result(diags.sorted(), manifest, text, sources, config_path, notes)


def _with_project_defaults(req: Request, settings) -> Request:
    """`[tool.rcc] runtime` and `kind` act as the project's defaults for `--runtime` and `--kind`.

    They live in pyproject.toml because the runnable and magnus programs re-read the
    configuration inside every pod and would refuse rcc's own keys there; the command line
    still wins.
    """
    from dataclasses import replace

    opts = req.options
    if opts.runtime is None and settings.runtime:
        opts = replace(opts, runtime=settings.runtime)
    if opts.kind is None and settings.kind:
        opts = replace(opts, kind=settings.kind)
    return req if opts is req.options else replace(req, options=opts)


def _locate(req: Request, diags: Diagnostics, notes: list[str]):
    """The project root, the configuration and `[tool.rcc]`: where everything else is found."""
    from compiler.pod_paths import choose_root, project_of
    from compiler.project_settings import display, read_settings, relative

    project = project_of(req.pipeline)
    settings = read_settings(project, diags)
    if req.project_root is not None and not Path(req.project_root).is_dir():
        diags.error("RCC0725", f"--project-root `{req.project_root}` is not a directory", None,
                    help="name the directory the image's working directory holds (usually the repository root)")
    root = choose_root(req.pipeline, req.project_root if not diags.has_errors else None, project, settings)
    if not root.found:
        notes.append(f"no project holds `{req.pipeline}` (no .git or pyproject.toml with [tool.rcc] above it): "
                     "paths in the manifest are relative to the pipeline's directory")
    if req.config is not None:
        return root, req.config, settings
    if settings.config is not None:
        config_path = display(settings.config)
        notes.append(f"configuration: {config_path} (`config` in {display(settings.file)})")
        return root, config_path, settings
    config_path = discover_config(req.pipeline, root.path)
    if config_path is None:
        looked = f"the project root `{relative(root.path)}`" if root.found else "its directory"
        diags.error("RCC0724", f"no configuration was found for `{req.pipeline}`: no {' or '.join(CONFIG_NAMES)} "
                    f"beside it or in a parent up to {looked}", None,
                    help="name one with -c CONFIG, or write argo-config.yaml beside the pipeline "
                         "(the least it needs is the image: `defaults: {image: ...}` under the argo executor)")
    else:
        from compiler.pod_paths import absolute

        beside = absolute(config_path).parent == absolute(req.pipeline).parent
        notes.append(f"configuration: {config_path} ({'beside the pipeline' if beside else 'found in a parent directory'})")
    return root, config_path, settings


def _compile(req: Request, config_path: str | None, diags: Diagnostics, sources: dict[str, str],
             root) -> dict | None:
    from compiler.frontend.load import load_mapping

    docs: dict[str, Any] = {}
    for role, path in (("pipeline", req.pipeline), ("configuration", config_path), ("parameters", req.parameters)):
        if path is None:
            continue
        text = read_text(path, diags, f"{role} file", req.options.max_size,
                         INPUT_TO_MANIFEST_RATIO if role == "pipeline" else CONFIG_TO_MANIFEST_RATIO)
        if text is None:
            continue
        sources[path] = text
        docs[role] = load_mapping(text, path, diags, role) if text.strip() or role != "parameters" else None
    diags.stop_if_errors()
    _check_step_count(docs["pipeline"], req.options.max_size, diags)
    _check_numbers(docs["pipeline"], diags)

    from compiler.frontend.lower import lower_pipeline
    from compiler.frontend.parse import parse_pipeline_data
    from compiler.frontend.variables import substitute, variables_from

    from compiler.frontend import check_text

    parsed = parse_pipeline_data(docs["pipeline"], diags)
    check_text.check_pipeline(docs["pipeline"], diags)
    config = None
    if "configuration" in docs:
        from compiler.frontend.config.dialects import is_argo_kedro

        cfg_doc = docs["configuration"]
        if not is_argo_kedro(cfg_doc.data):
            cfg_doc = substitute(cfg_doc, variables_from(req.variables), diags)
        else:
            from compiler.frontend.config.omegaconf_text import check_interpolations

            cfg_doc = check_interpolations(cfg_doc, diags)
        check_text.check_config(cfg_doc, diags)
        _check_numbers(cfg_doc, diags)
        from compiler.frontend.config.quantities import check_quantities

        check_quantities(cfg_doc, diags)
        from compiler.frontend.config.metadata_names import check_metadata_names

        check_metadata_names(cfg_doc, diags)
        config = _parse_config(cfg_doc, diags)
    if docs.get("parameters") is not None:
        check_text.check_parameters(docs["parameters"], diags)
    parameters = _parameters(docs.get("parameters"), diags)
    if parsed is None or diags.has_errors and "configuration" in docs and config is None:
        raise StageFailed()
    if config is None:
        from compiler.frontend.config import default_config

        config = default_config()

    from compiler.ir import Program, Sources
    from compiler.passes import CHECKS, PASSES
    from compiler.pod_paths import pod_path

    sources_in_pod = Sources(
        pod_path(req.pipeline, root, "pipeline", diags),
        config_path and pod_path(config_path, root, "configuration", diags),
        req.parameters and pod_path(req.parameters, root, "parameters file", diags),
    )
    program = Program(
        graph=lower_pipeline(parsed[0], docs["pipeline"]),
        config=config,
        parameters=parameters,
        sources=sources_in_pod,
        canonical=parsed[1],
        parameter_spans=_parameter_spans(docs.get("parameters")),
    )
    pdoc = docs.get("parameters")
    ctx = Context(diags, req.options,
                  {k: pdoc.key_span((k,)) for k in pdoc.data} if pdoc is not None else {})
    for run_pass in PASSES:
        if run_pass not in CHECKS:
            diags.stop_if_errors()
        program = run_pass(program, ctx)
    diags.stop_if_errors()

    from compiler.backend.emit import emit

    manifest = emit(program)
    _verify(manifest, diags)
    return manifest


def _parse_config(doc: Any, diags: Diagnostics) -> Any:
    """The fast path for a plainly valid runnable 0.50 configuration, else the models
    (pydantic is imported only then: it is most of a pre-commit run's start-up)."""
    from compiler.frontend.fast_config import parse_config_fast

    config = parse_config_fast(doc)
    if config is None:
        from compiler.frontend.config import parse_config

        config = parse_config(doc, diags)
    return config


def _parameters(doc: Any, diags: Diagnostics) -> dict[str, Any]:
    if doc is None:
        return {}
    return dict(doc.data)


def _parameter_spans(doc: Any) -> dict[str, Any]:
    """Each initial parameter's key in the parameters file (for diagnostics about its value)."""
    if doc is None or not isinstance(doc.data, dict):
        return {}
    return {k: doc.key_span((k,)) for k in doc.data if isinstance(k, str)}


def _verify(manifest: dict, diags: Diagnostics) -> None:
    """A finding here is rcc's bug: report it as internal (exit 3) and write nothing."""
    from compiler.verify import verify_manifest

    for finding in verify_manifest(manifest):
        if finding.code == SIZE_FINDING:
            continue  # the manifest's size is the user's pipeline, not an rcc bug: see _check_size
        diags.error("RCC0902", f"internal error: the manifest rcc produced breaks an Argo rule: "
                    f"[{finding.code}] {finding.message}", None,
                    help="this is a bug in rcc; please report it with the pipeline and configuration")


# No step costs fewer bytes of manifest than this (its DAG task: name, template, the
# `node` argument, its dependency); a pipeline with more steps than the limit allows is
# refused before the work of compiling it (a 10 MB pipeline answers in the time it loads).
MIN_BYTES_PER_STEP = 120


def _check_numbers(doc: Any, diags: Diagnostics) -> None:
    """Integers beyond int64 in the pipeline or the configuration (after its variables are
    substituted): they reach the manifest, where Kubernetes would refuse them."""
    from compiler.verify.numbers import HELP, beyond_int64, shown

    for path, value in beyond_int64(doc.data):
        diags.error("RCC0880", f"`{shown(value)}` is beyond int64, the largest whole number Argo reads",
                    doc.span(path), help=HELP)


def _check_step_count(doc: Any, limit: int, diags: Diagnostics) -> None:
    count = 0
    stack = [doc.data.get("dag")] if isinstance(doc.data, dict) else []
    while stack:
        graph = stack.pop()
        steps = graph.get("steps") if isinstance(graph, dict) else None
        if not isinstance(steps, dict):
            continue
        count += len(steps)
        for step in steps.values():
            if isinstance(step, dict):
                branches = step.get("branches")
                stack.extend(branches.values() if isinstance(branches, dict) else ())
                stack.extend(step.get(k) for k in ("branch", "default"))
    if count * MIN_BYTES_PER_STEP > limit:
        diags.error("RCC0603", f"the pipeline has {count:,} steps; at {MIN_BYTES_PER_STEP} bytes or more each, "
                    f"its manifest cannot fit the {limit:,}-byte limit", doc.key_span(("dag", "steps")),
                    help="split the pipeline into several workflows; if your cluster accepts larger objects, "
                         "raise the limit with --max-size BYTES")
        raise StageFailed()


def _check_size(text: str, diags: Diagnostics, limit: int = ARGO_LIMIT, manifest: dict | None = None) -> None:
    """Argo's controller refuses a workflow over 1 MiB unless the cluster raised its limit.

    The size is the one `rcc lint` checks (RCC0870): the manifest as JSON, as Argo counts
    it (`verify.size.argo_size`), not the YAML text. Over the limit or near it, a note
    names the steps that cost most (`size_report`).
    """
    from compiler.verify.size import argo_size

    size = argo_size(manifest) if manifest is not None else len(text.encode("utf-8"))
    notes: tuple[str, ...] = ()
    if size > 0.8 * limit and manifest is not None:
        from compiler.backend.size_report import costliest_note

        note = costliest_note(manifest)
        notes = (note,) if note else ()
    if size > limit:
        diags.error("RCC0601", f"the manifest is {size:,} bytes as JSON, over the {limit:,}-byte limit "
                    f"({'Argo' if limit == ARGO_LIMIT else '--max-size'})", None,
                    notes=notes,
                    help="split the pipeline into several workflows; if your cluster accepts larger objects, "
                         "raise the limit with --max-size BYTES")
    elif size > 0.8 * limit:
        of = "Argo's 1 MiB limit" if limit == ARGO_LIMIT else f"the {limit:,}-byte limit (--max-size)"
        diags.warning("RCC0602", f"the manifest is {size:,} bytes as JSON, {size * 100 // limit}% of {of}", None,
                      notes=notes, help="the workflow will stop being accepted as the pipeline grows")
