"""The surface pipeline language as pydantic models: runnable's `dag:` plus rcc's per-step keys.

These models are the single source of truth for what a pipeline may say: the parser
validates with them, and `rcc schema pipeline` publishes their JSON Schema, so the editor
and the compiler can never disagree. Every model forbids unknown keys (a misspelt key
is an error with a suggestion, not silently ignored) except `stub`, which runnable
defines as accepting anything.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

STEP_NAME_DOC = "Step names may not contain `.` or `%` (runnable joins qualified names with them)."


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Return(_Strict):
    """One value a task returns into the run's parameters."""

    name: str = Field(description="Name of the parameter the value is stored under.")
    kind: Literal["json", "object", "metric"] = Field(
        "json", description="json: a JSON-serialisable value; object: pickled; metric: recorded as a metric."
    )


class Catalog(_Strict):
    """Files moved between the step and the run's catalog."""

    get: list[str] = Field(default_factory=list, description="Files to fetch from the catalog before the step runs.")
    put: list[str] = Field(default_factory=list, description="Files to store in the catalog after the step ran.")
    store_copy: bool = Field(True, description="Store a copy (true) or only record the file (false).")


class _Step(_Strict):
    next: str = Field(description="The step to run after this one succeeds (a step of the same branch).",
                      examples=["success"])
    on_failure: Optional[str] = Field(None, description="The step to run when this one fails, instead of failing the branch.")
    overrides: dict[str, str] = Field(
        default_factory=dict,
        description="Per-executor named settings: `{argo: NAME}` applies the configuration's override NAME to this step.",
        examples=[{"argo": "gpu"}],
    )
    # rcc's additions, for the capabilities of magnus, argo-kedro and CloudHarness:
    mode_config: Optional[dict[str, dict]] = Field(
        None, description="magnus: per-executor settings, e.g. `{argo: {docker_image: ..., cpu_limit: ...}}`."
    )
    machine_type: Optional[str] = Field(None, description="argo-kedro: a machine type named in the configuration's `machine_types`.")
    template: Optional[str] = Field(None, description="argo-kedro: run inside the configuration's custom template of this name.")
    image: Optional[str] = Field(None, description="The container image of this step (default: the configuration's image).")
    env: Optional[dict[str, str]] = Field(None, description="Environment variables set in this step's container.")
    description: Optional[str] = Field(None, description="Free text for readers; not used by the compiler.")


class Task(_Step):
    """Runs a python function, a shell command or a notebook."""

    type: Literal["task"] = Field(description="A task runs a python function, a shell command or a notebook.")
    command_type: Literal["python", "shell", "notebook", "kedro"] = Field(
        "python", description="python: a dotted path to a function; shell: a command line; notebook: a .ipynb path; "
        "kedro: the name of a node of the kedro project (the kedro runtime runs it with `kedro run --nodes`)."
    )
    command: str = Field(description="What to run (see command_type).", examples=["examples.functions.hello"])
    returns: list[Return] = Field(default_factory=list, description="Values the task returns, as `{name: ..., kind: ...}` entries.")
    secrets: list[str] = Field(default_factory=list, description="Secret names exposed to the task as environment variables.")
    catalog: Optional[Catalog] = Field(None, description="Files fetched from / stored in the run's catalog around this task.")
    max_attempts: int = Field(1, ge=1, description="How many times the task is tried before it counts as failed.")
    optional_ploomber_args: Optional[dict] = Field(None, description="notebook tasks: extra arguments for ploomber-engine.")


class Stub(_Step):
    """A placeholder that succeeds without doing anything; any other keys are accepted."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)
    type: Literal["stub"] = Field(description="A stub does nothing and succeeds: a placeholder while a pipeline is sketched.")
    catalog: Optional[Catalog] = Field(None, description="Catalog files, accepted for symmetry with task; a stub moves none.")
    max_attempts: int = Field(1, ge=1, description="Accepted for symmetry with task; a stub never fails.")


class Parallel(_Step):
    """Runs every branch at the same time; succeeds when all branches succeed."""

    type: Literal["parallel"] = Field(description="A parallel step runs all of its branches at the same time.")
    branches: dict[str, "Graph"] = Field(description="Branch name → branch (its own start_at and steps).")


class Map(_Step):
    """Runs the branch once for every item of a list parameter."""

    type: Literal["map"] = Field(description="A map step runs its branch once per item of a list parameter.")
    iterate_on: str = Field(description="Name of a parameter holding the list to iterate on.")
    iterate_as: str = Field(description="Name under which each item reaches the branch's steps.")
    branch: "Graph" = Field(description="The branch run for each item (its own start_at and steps).")
    reducer: Optional[str] = Field(None, description="How returned values of the iterations are combined (a python lambda as text).")


class Conditional(_Step):
    """Runs the branch whose key equals the parameter's value (as text)."""

    type: Literal["conditional"] = Field(description="A conditional step runs the branch chosen by a parameter's value.")
    parameter: str = Field(description="Name of the parameter whose value chooses the branch.")
    branches: dict[str, "Graph"] = Field(description="Value → branch to run when the parameter has that value.")
    default: Optional["Graph"] = Field(None, description="Branch to run when no key matches.")


class Fused(_Step):
    """argo-kedro's fused pipeline: the branch's tasks run in order inside ONE pod."""

    type: Literal["fused"] = Field(description="A fused step runs its branch's tasks in order inside one pod.")
    branch: "Graph" = Field(description="The tasks to run in one pod (its own start_at and steps).")
    command: Optional[str] = Field(
        None, description="kedro runtime: the node name kedro knows the group by (argo-kedro's FusedPipeline `name`), "
        "run as one node; default: the branch's kedro nodes, in one `kedro run`.")


class Success(_Strict):
    """Ends the branch successfully."""

    type: Literal["success"] = Field(description="Reaching this step ends the branch successfully.")
    description: Optional[str] = Field(None, description="Free text for readers; not used by the compiler.")


class Fail(_Strict):
    """Ends the branch as failed."""

    type: Literal["fail"] = Field(description="Reaching this step ends the branch as failed.")
    description: Optional[str] = Field(None, description="Free text for readers; not used by the compiler.")


Step = Annotated[
    Union[Task, Stub, Parallel, Map, Conditional, Fused, Success, Fail],
    Field(discriminator="type"),
]

STEP_MODELS: dict[str, type[BaseModel]] = {
    "task": Task, "stub": Stub, "parallel": Parallel, "map": Map,
    "conditional": Conditional, "fused": Fused, "success": Success, "fail": Fail,
}


class Graph(_Strict):
    """A graph of steps: the pipeline itself, or one branch of a composite step."""

    description: Optional[str] = Field(None, description="Free text for readers; not used by the compiler.")
    start_at: str = Field(description="The first step to run: one of the keys of `steps`.", examples=["hello"])
    steps: dict[str, Step] = Field(description="Step name → step. " + STEP_NAME_DOC)


class Pipeline(_Strict):
    """A runnable pipeline, as rcc compiles it to Argo Workflows.

    Only `dag` is read; other top-level keys are ignored, as runnable ignores them (they
    hold YAML anchors, e.g. `branch: &branch`, that steps refer to with `*branch`).
    """

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

    dag: Graph = Field(description="The pipeline's graph: where it starts (`start_at`) and its `steps`.")


# No model_rebuild() here: the models build lazily on first validation (defer_build),
# so a pipeline that takes the fast path (fast_parse) never pays for them.
