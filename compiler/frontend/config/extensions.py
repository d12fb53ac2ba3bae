"""Workflow-level capabilities of CloudHarness and argo-kedro, shared by every dialect.

Why a mixin: these keys (`shared_directory`, `pod_context`, `ttl_strategy`,
`on_exit_notify`, `machine_types`, `templates`, `init_templates`, `environment`) and
rcc's own `runtime` / `kind` do not belong to any one runnable/magnus dialect, and a team
moving from CloudHarness or argo-kedro keeps its runnable or magnus executor section.
So each dialect's executor config inherits `Extensions`, and `workflow_keys` normalises
them into `Config.workflow`, checking what can be checked without a cluster.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Optional, Union

from pydantic import Field, field_validator

from compiler.backend.runtimes import NAMES as RUNTIME_NAMES  # the registry: one list of names
from compiler.diagnostics import Diagnostics, suggest
from compiler.frontend.config.common import Strict
from compiler.frontend.load import Located
from compiler.template_inputs import KEDRO_INPUTS, template_reads

# CloudHarness' documented default (seconds): an hour, 20 minutes, two hours.
TTL_DEFAULTS = {"seconds_after_completion": 3600, "seconds_after_success": 1200, "seconds_after_failure": 7200}
MODES = ("ro", "rwx")


class CronSchedule(Strict):
    schedules: list[str] = Field(min_length=1, description="Cron expressions, e.g. `0 0 * * *`.")
    timezone: Optional[str] = Field(None, description="IANA time zone, e.g. `Europe/London`.")


class PodContext(Strict):
    """CloudHarness' PodExecutionContext: pods labelled key=value are kept together."""

    key: str = Field(description="Label key shared by the pods that must run together.")
    value: str = Field(description="Label value shared by the pods that must run together.")
    required: bool = Field(False, description="true: required affinity (pods wait for a fitting node); false: preferred.")


class TTLStrategy(Strict):
    """Missing fields take CloudHarness' defaults."""

    seconds_after_completion: Optional[int] = Field(None, ge=0, description="Delete this long after the workflow ends (default 3600).")
    seconds_after_success: Optional[int] = Field(None, ge=0, description="Delete this long after it succeeds (default 1200).")
    seconds_after_failure: Optional[int] = Field(None, ge=0, description="Delete this long after it fails (default 7200).")


class ExitNotify(Strict):
    queue: str = Field(description="The events queue (topic) the outcome is sent to.")
    payload: str = Field("", description="Text sent with the outcome (CloudHarness: JSON text).")
    image: Optional[str] = Field(None, description="Image of the notifier (default: the steps' image).")
    command: Optional[list[str]] = Field(None, description="Notifier command (default: CloudHarness' notify_queue).")


class MachineType(Strict):
    """argo-kedro: memory in GiB, cpu in cores, GPUs."""

    mem: Union[int, float] = Field(gt=0, description="Memory in GiB (requests and limits).")
    cpu: Union[int, float] = Field(gt=0, description="CPU cores (requests and limits).")
    num_gpu: int = Field(0, ge=0, description="NVIDIA GPUs (limits, as nvidia.com/gpu).")


class SecretRef(Strict):
    name: str = Field(description="Name of the Kubernetes secret.")
    key: str = Field(description="Key inside the secret.")


class EnvFromSecret(Strict):
    name: str = Field(description="Environment variable set in every container.")
    secret_ref: Optional[SecretRef] = Field(None, description="Take the value from this secret key.")
    value: Optional[str] = Field(None, description="A literal value (when there is no secret_ref).")


class OutputParam(Strict):
    name: str = Field(description="Output parameter name; it reaches every step as this environment variable.")
    path: str = Field(description="File in the container holding the value.")


class TemplateOutputs(Strict):
    parameters: list[OutputParam] = Field(default_factory=list, description="Values the template outputs.")


class CustomTemplate(Strict):
    """argo-kedro: a container (optionally with sidecars) steps or init can run in."""

    name: str = Field(description="The name a step's `template:` or `init_templates` uses.")
    container: dict[str, Any] = Field(default_factory=dict, description="A Kubernetes container, as in an Argo template.")
    sidecars: list[dict[str, Any]] = Field(default_factory=list, description="Containers that run beside it (Argo sidecars).")
    outputs: Optional[TemplateOutputs] = Field(None, description="Output parameters (init templates).")

    @field_validator("container")
    @classmethod
    def _args_as_written_in_argo_kedro(cls, container: dict[str, Any]) -> dict[str, Any]:
        """argo-kedro writes `args: |` (one script); Argo wants a list: keep it as one argument."""
        if isinstance(container.get("args"), str):
            return {**container, "args": [container["args"]]}
        return container


class Extensions(Strict):
    runtime: Optional[Literal[RUNTIME_NAMES]] = Field(  # type: ignore[valid-type]
        None, description="How a step runs in its container: the program inside the image (runnable 0.50, "
                          "runnable-0.13, magnus 0.5, magnus-0.4) or the step's own command (native). Default: "
                          "the program whose dialect the configuration is written in.")
    kind: Optional[Literal["workflow", "workflow-template", "cron-workflow"]] = Field(
        None, description="The manifest's kind (default: cron-workflow with a cron_schedule, else workflow).")
    cron_schedule: Optional[CronSchedule] = Field(None, description="Schedules: the manifest becomes a CronWorkflow.")
    shared_directory: Optional[Union[str, list[str]]] = Field(
        None, description="CloudHarness: `[CLAIM_NAME:]MOUNT_PATH[:ro|rwx]`, one or a list.")
    shared_volume_size: Optional[Union[str, int, float]] = Field(
        None, description="CloudHarness: the storage each ephemeral shared_directory requests: a number of MiB "
                          "(CloudHarness' unit) or a Kubernetes quantity such as `20Gi` (default 1Gi).")

    @field_validator("shared_volume_size", mode="before")
    @classmethod
    def _size_is_not_a_flag(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("must be a Kubernetes quantity such as `10Gi`, not true or false")
        return value

    pod_context: Optional[Union[PodContext, list[PodContext]]] = Field(
        None, description="CloudHarness: node/pod affinity, one `{key, value, required}` or a list.")
    ttl_strategy: Optional[TTLStrategy] = Field(
        None, description="CloudHarness: when finished workflows are deleted; `{}` for CloudHarness' defaults.")
    on_exit_notify: Optional[ExitNotify] = Field(
        None, description="CloudHarness: an exit handler that reports the workflow's outcome to a queue.")
    machine_types: dict[str, MachineType] = Field(
        default_factory=dict, description="argo-kedro: named machine shapes a step selects with `machine_type`.")
    default_machine_type: Optional[str] = Field(None, description="argo-kedro: the machine type of steps that name none.")
    templates: list[CustomTemplate] = Field(
        default_factory=list, description="argo-kedro: custom containers (with sidecars) a step selects with `template`.")
    init_templates: list[str] = Field(
        default_factory=list, description="argo-kedro: templates run before the first step; their outputs reach every step.")
    environment: list[EnvFromSecret] = Field(
        default_factory=list, description="argo-kedro: environment variables (from secrets) of every container.")


def workflow_keys(ext: Extensions, doc: Located, path: tuple, diags: Diagnostics) -> dict[str, Any]:
    """The normalised workflow-level keys, with a diagnostic for each one that cannot work."""
    out: dict[str, Any] = {}
    if ext.runtime:
        out["runtime"] = ext.runtime
    if ext.kind:
        out["kind"] = ext.kind
    if ext.cron_schedule is not None:
        out["cron_schedule"] = ext.cron_schedule.model_dump(exclude_none=True)
        check_schedules(ext.cron_schedule, doc, path + (_key(doc, path, "cron_schedule"),), diags)
    if ext.shared_directory is not None:
        items = [ext.shared_directory] if isinstance(ext.shared_directory, str) else ext.shared_directory
        dirs = []
        for i, text in enumerate(items):
            at = path + (_key(doc, path, "shared_directory"),) + (() if isinstance(ext.shared_directory, str) else (i,))
            parsed = parse_shared_directory(text)
            if isinstance(parsed, str):
                diags.error("RCC0225", f"shared_directory `{text}` {parsed}", doc.span(at),
                            help="write `[CLAIM_NAME:]MOUNT_PATH[:MODE]`, e.g. `myclaim:/opt/shared:ro`; MODE is ro or rwx")
            else:
                dirs.append(parsed)
        out["shared_directory"] = dirs
    if ext.shared_volume_size is not None:
        size = _storage_size(ext, doc, path + (_key(doc, path, "shared_volume_size"),), diags)
        if size is not None:
            out["shared_volume_size"] = size
    if ext.pod_context is not None:
        ctxs = [ext.pod_context] if isinstance(ext.pod_context, PodContext) else ext.pod_context
        out["pod_context"] = [c.model_dump() for c in ctxs]
    if ext.ttl_strategy is not None:
        given = ext.ttl_strategy.model_dump(exclude_none=True)
        out["ttl_strategy"] = {**TTL_DEFAULTS, **given}
    if ext.on_exit_notify is not None:
        out["on_exit_notify"] = ext.on_exit_notify.model_dump(exclude_none=True)
    if ext.machine_types:
        out["machine_types"] = {k: v.model_dump() for k, v in ext.machine_types.items()}
    if ext.default_machine_type is not None:
        out["default_machine_type"] = ext.default_machine_type
        if ext.default_machine_type not in ext.machine_types:
            known = sorted(ext.machine_types)
            diags.error("RCC0226", f"default_machine_type `{ext.default_machine_type}` is not one of the machine_types",
                        doc.span(path + (_key(doc, path, "default_machine_type"),)),
                        help=suggest(ext.default_machine_type, known, f"known machine types: {', '.join(known)}"
                                     if known else "define it under `machine_types`"))
    if ext.templates:
        out["templates"] = {t.name: t.model_dump(exclude_none=True) for t in ext.templates}
        at = path + (_key(doc, path, "templates"),)
        _check_template_containers(ext, doc, at, diags)
        check_template_text([(t.name, t.container, at + (i, "container")) for i, t in enumerate(ext.templates)],
                            set(ext.init_templates), doc, diags)
    if ext.init_templates:
        out["init_templates"] = list(ext.init_templates)
        _check_init_outputs(ext, doc, path + (_key(doc, path, "templates"),), diags)
        names = {t.name for t in ext.templates}
        for i, name in enumerate(ext.init_templates):
            if name in ext.init_templates[:i]:
                diags.error("RCC0146", f"init template `{name}` is listed twice",
                            doc.span(path + (_key(doc, path, "init_templates"), i)),
                            help="list each init template once: each runs once, before the first step")
            elif name not in names:
                diags.error("RCC0227", f"init template `{name}` is not one of the configuration's `templates`",
                            doc.span(path + (_key(doc, path, "init_templates"), i)),
                            help=suggest(name, sorted(names), "define it under `templates: [{name: ..., container: {...}}]`"))
    if ext.environment:
        out["environment"] = [
            {"name": e.name, "secret_name": e.secret_ref.name, "secret_key": e.secret_ref.key} if e.secret_ref
            else {"name": e.name, "value": e.value or ""} for e in ext.environment]
    return out


def _storage_size(ext: Extensions, doc: Located, at: tuple, diags: Diagnostics) -> str | None:
    """The ephemeral volumes' size as the manifest writes it, or None (with a diagnostic).

    CloudHarness (cloudharness/workflows/operations.py) names it `shared_volume_size`, a
    number of MiB (`{n}Mi`, default 10); a string here is a Kubernetes quantity.

    RCC0239: not a Kubernetes quantity, or not above zero (the API server refuses a
    claim that requests no storage); RCC0241: no shared directory is ephemeral, so the
    size would request nothing."""
    from compiler import quantity

    given = ext.shared_volume_size
    if isinstance(given, (int, float)):  # CloudHarness: `shared_volume_size=10` is f"{10}Mi"
        given = f"{given}Mi"
    wrong = quantity.problem(given, "storage")
    amount = quantity.value(given)
    if wrong is None and (amount is None or amount <= 0):
        wrong = (f"`{given}` requests no storage; the API server refuses a claim of zero bytes",
                 "write a size above zero, e.g. `10Gi`")
    if wrong is not None:
        what, hint = wrong
        diags.error("RCC0239", f"shared_volume_size: {what}", doc.span(at),
                    help=hint or "write a size such as `10Gi`")
        return None
    dirs = ext.shared_directory
    items = [dirs] if isinstance(dirs, str) else list(dirs or ())
    if not any(isinstance(p, dict) and not p["claim"] for p in map(parse_shared_directory, items)):
        diags.warning("RCC0241", "shared_volume_size is set, but no shared_directory is ephemeral (each names "
                      "a claim, or there is none): the size applies only to the volumes rcc creates",
                      doc.span(at), help="remove shared_volume_size, or add a directory without a claim "
                      "name (e.g. `/opt/shared`)")
    return str(given)


def check_schedules(cron: CronSchedule, doc: Located, at: tuple, diags: Diagnostics) -> None:
    """Every schedule parsed as Argo's cron parser would, at compile time, at its own line."""
    from compiler.verify.cron import parse_schedule, timezone_problem

    for i, s in enumerate(cron.schedules):
        problem = parse_schedule(s)
        if problem:
            diags.error("RCC0224", f"cron schedule `{s}` is not valid: {problem}", doc.span(at + ("schedules", i)),
                        help="write five fields (minute hour day-of-month month day-of-week), e.g. `0 2 * * *`, "
                             "or a descriptor such as `@daily`")
    if cron.timezone and timezone_problem(cron.timezone):
        diags.error("RCC0224", f"cron timezone: {timezone_problem(cron.timezone)}", doc.span(at + ("timezone",)),
                    help="use an IANA name such as `Europe/London`")


def parse_shared_directory(text: str) -> dict[str, Any] | str:
    """`[CLAIM_NAME:]MOUNT_PATH[:MODE]` → {claim, path, mode}, or what is wrong with it."""
    parts = text.split(":")
    mode = None
    if len(parts) > 1 and parts[-1] in MODES:
        mode = parts.pop()
    if len(parts) == 1:
        claim, path = None, parts[0]
    elif len(parts) == 2:
        claim, path = parts
    else:
        return "has too many `:` parts" if parts[-1].startswith("/") else f"has an unknown mode `{parts[-1]}`"
    if not path.startswith("/"):
        return f"mounts at `{path}`, which is not an absolute path"
    if claim is not None and not claim:
        return "has an empty claim name"
    return {"claim": claim, "path": path, "mode": mode}


def _key(doc: Located, path: tuple, name: str) -> str:
    """The key as the user spelt it (snake_case or camelCase), for spans."""
    from compiler.frontend.config.common import camel

    node = doc.data
    for p in path:
        node = node.get(p, {}) if isinstance(node, dict) else {}
    return camel(name) if isinstance(node, dict) and camel(name) in node and name not in node else name


_CONTAINER = "io.k8s.api.core.v1.Container"
_WORDS = {"array": "a list", "object": "a mapping", "string": "a string", "integer": "a whole number",
          "boolean": "true or false", "number": "a number"}
_SIDECAR = "io.argoproj.workflow.v1alpha1.UserContainer"


def _check_template_containers(ext: "Extensions", doc: Located, at: tuple, diags: Diagnostics) -> None:
    """A custom template's container and sidecars are Kubernetes containers: check them
    against Argo's schema here, at the user's line, not as a broken manifest later. The
    image may be left out (the step's image is used), so only its absence is forgiven."""
    from compiler.verify.schema import check_definition

    for i, template in enumerate(ext.templates):
        parts = [("container", template.container, _CONTAINER)]
        parts += [("sidecars", s, _SIDECAR) for s in template.sidecars]
        for j, (key, value, definition) in enumerate(parts):
            base = at + (i, key) + ((j - 1,) if key == "sidecars" else ())
            for err in check_definition(value, definition):
                if err.kind == "required" and err.detail in ("image", "name") and key == "container":
                    continue
                where = base + tuple(err.path)
                what = {"unknown": f"`{err.path[-1] if err.path else key}` is not a field of a container",
                        "required": f"is missing the required field `{err.detail}`",
                        }.get(err.kind, f"must be {_WORDS.get(err.detail, err.detail)}")
                diags.error("RCC0233", f"custom template `{template.name}`: {'.'.join(str(p) for p in (key,) + tuple(err.path))} {what}"
                            if err.kind != "unknown" else f"custom template `{template.name}`: {what}",
                            doc.span(where) if err.kind != "unknown" else doc.key_span(where),
                            help="write the container as in an Argo template (`command`, `args` as a list, `env`, ...)")


_PARAM_NAME = re.compile(r"[-a-zA-Z0-9_]+\Z")  # Argo's parameter names


def _check_init_outputs(ext: "Extensions", doc: Located, at: tuple, diags: Diagnostics) -> None:
    """Init templates' outputs become global outputs and every step's environment variables:
    a name given twice would be two values under one name."""
    chosen = set(ext.init_templates)
    seen: dict[str, str] = {}
    for i, template in enumerate(ext.templates):
        if template.name not in chosen or template.outputs is None:
            continue
        for j, param in enumerate(template.outputs.parameters):
            if not _PARAM_NAME.match(param.name):
                diags.error("RCC0145", f"init template `{template.name}` outputs `{param.name}`, which cannot be "
                            "an Argo parameter name", doc.span(at + (i, "outputs", "parameters", j, "name")),
                            help="use letters, digits, `_` and `-` only: the output becomes a global parameter "
                                 "and an environment variable of every step")
            if param.name in seen:
                diags.error("RCC0235", f"init template `{template.name}` outputs `{param.name}`, "
                            f"which {'it' if seen[param.name] == template.name else f'init template `{seen[param.name]}`'} "
                            "already outputs", doc.span(at + (i, "outputs", "parameters", j, "name")),
                            help="give each output its own name: each becomes an environment variable of every step")
            seen.setdefault(param.name, template.name)


STEP_INPUTS = ("node",) + KEDRO_INPUTS


def check_template_text(templates: list[tuple[str, Any, tuple]], init_names: set[str], doc: Located,
                        diags: Diagnostics) -> None:
    """What a custom template's pod would fail on, at the template's own line: an input
    parameter no runtime provides (Argo refuses the whole workflow), and `sh -c` with no
    script (the pod exits 2 with `-c: option requires an argument`).

    `templates` holds (name, the container as written, its path in `doc`); a step's
    template may read `node`, `pipeline`, `environment` and `kedro_nodes`; an init
    template runs before any step and reads none."""
    for name, container, at in templates:
        if not isinstance(container, dict):
            continue
        allowed = () if name in init_names else STEP_INPUTS
        for param, path in template_reads(container):
            if param not in allowed:
                diags.error("RCC0271", f"template `{name}` reads `{{{{inputs.parameters.{param}}}}}`, which "
                            f"{'an init template never receives' if name in init_names else 'no step receives'}",
                            doc.span(at + path),
                            help=(f"a step's template may read {', '.join(f'`{p}`' for p in STEP_INPUTS)}"
                                  if name not in init_names else "read the workflow's values instead, e.g. "
                                  "`{{workflow.name}}`, or environment variables such as WORKFLOW_ID")
                            + "; anything else is not set")
        command, args = container.get("command"), container.get("args")
        if isinstance(command, list) and command and command[-1] == "-c" and not args:
            diags.error("RCC0272", f"template `{name}` runs `{' '.join(map(str, command))}` with no script, "
                        "so its pod exits at once with `-c: option requires an argument`",
                        doc.span(at + ("command",)),
                        help="give the script as `args: |` (one string), or drop `command` to keep the step's own")
