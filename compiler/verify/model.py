"""The shape every rule reads: one Argo document, its workflow spec, and the bundle.

Why a context object: a CronWorkflow keeps its workflow spec at `spec.workflowSpec`,
the other kinds at `spec`; templates are looked up by name from steps, tasks, hooks and
other documents. Working that out once per document keeps each rule to its own job and
keeps verification linear in the size of the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

WORKFLOW_KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")
TEMPLATE_TYPES = ("container", "containerSet", "steps", "script", "resource", "dag",
                  "suspend", "data", "http", "plugin")
POD_TYPES = frozenset({"container", "containerSet", "script", "resource", "data"})


def template_types(template: dict) -> list[str]:
    """The template type keys present (Argo wants exactly one)."""
    return [t for t in TEMPLATE_TYPES if template.get(t) is not None]


def template_type(template: dict) -> str | None:
    types = template_types(template)
    return types[0] if len(types) == 1 else None


def is_leaf(template: dict) -> bool:
    return template.get("steps") is None and template.get("dag") is None


ARGO_LEAVES = frozenset({"container", "containerSet", "script", "resource", "data", "http", "plugin"})


def argo_leaf(template: dict) -> bool:
    """Argo's Template.IsLeaf: what runs something. A suspend template is not a leaf."""
    return template_type(template) in ARGO_LEAVES


def has_output(template: dict) -> bool:
    """Argo's Template.HasOutput: the node has an `outputs.result` and an `exitCode`."""
    kind = template_type(template)
    if kind == "containerSet":
        return any(c.get("name") == "main" for _, c in dicts(mapping(template.get("containerSet")).get("containers")))
    return kind in ("container", "script", "data", "http", "plugin")


@dataclass
class Bundle:
    """Every WorkflowTemplate / ClusterWorkflowTemplate given together, by name."""

    templates: dict[tuple[bool, str], dict[str, dict]] = field(default_factory=dict)
    specs: dict[tuple[bool, str], dict] = field(default_factory=dict)
    allow_external_refs: bool = False
    partial: bool = False  # build: a single manifest, references outside are not checked

    def add(self, doc: Any) -> None:
        if not isinstance(doc, dict) or doc.get("kind") not in ("WorkflowTemplate", "ClusterWorkflowTemplate"):
            return
        meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
        name = meta.get("name")
        spec = doc.get("spec") if isinstance(doc.get("spec"), dict) else {}
        if not isinstance(name, str):
            return
        key = (doc["kind"] == "ClusterWorkflowTemplate", name)
        by_name: dict[str, dict] = {}
        for t in spec.get("templates") or []:
            if isinstance(t, dict) and isinstance(t.get("name"), str):
                by_name.setdefault(t["name"], t)
        self.templates[key] = by_name
        self.specs[key] = spec


@dataclass
class Doc:
    """One Argo document ready for the rules."""

    data: dict
    kind: str
    spec: dict
    spec_path: tuple
    bundle: Bundle
    templates: dict[str, dict] = field(default_factory=dict)

    @staticmethod
    def of(data: dict, bundle: Bundle) -> "Doc":
        kind = data.get("kind", "")
        spec = data.get("spec") if isinstance(data.get("spec"), dict) else {}
        path: tuple = ("spec",)
        if kind == "CronWorkflow":
            inner = spec.get("workflowSpec")
            spec = inner if isinstance(inner, dict) else {}
            path = ("spec", "workflowSpec")
        doc = Doc(data, kind, spec, path, bundle)
        for _, t in doc.each_template():
            if isinstance(t.get("name"), str):
                doc.templates.setdefault(t["name"], t)
        return doc

    @property
    def name(self) -> str:
        meta = self.data.get("metadata")
        if isinstance(meta, dict):
            for key in ("name", "generateName"):
                if isinstance(meta.get(key), str):
                    return meta[key]
        return ""

    def each_template(self) -> Iterator[tuple[tuple, dict]]:
        """(path, template) for every template of the spec that is a mapping."""
        templates = self.spec.get("templates")
        if not isinstance(templates, list):
            return
        for i, t in enumerate(templates):
            if isinstance(t, dict):
                yield self.spec_path + ("templates", i), t

    def arguments(self) -> dict:
        args = self.spec.get("arguments")
        return args if isinstance(args, dict) else {}


def dicts(value: Any) -> Iterator[tuple[int, dict]]:
    """(index, item) for the mapping items of a list; anything else yields nothing."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def each_step(template: dict, path: tuple) -> Iterator[tuple[tuple, dict, int]]:
    """(path, step, group index) for every step of a steps template."""
    steps = template.get("steps")
    if not isinstance(steps, list):
        return
    for g, group in enumerate(steps):
        if isinstance(group, list):
            for i, step in dicts(group):
                yield path + ("steps", g, i), step, g
        elif isinstance(group, dict):  # Argo also accepts a single step as a group
            yield path + ("steps", g), group, g


def each_task(template: dict, path: tuple) -> Iterator[tuple[tuple, dict]]:
    dag = template.get("dag")
    if not isinstance(dag, dict):
        return
    for i, task in dicts(dag.get("tasks")):
        yield path + ("dag", "tasks", i), task


def each_call(doc: Doc) -> Iterator[tuple[tuple, dict]]:
    """Every step and task of every template: the places that call a template."""
    for path, t in doc.each_template():
        for spath, step, _ in each_step(t, path):
            yield spath, step
        for tpath, task in each_task(t, path):
            yield tpath, task


def call_target(doc: Doc, call: dict) -> dict | None:
    """The template a step or task runs, when it is in this document or the bundle."""
    name = call.get("template")
    if isinstance(name, str):
        return doc.templates.get(name)
    ref = call.get("templateRef")
    if isinstance(ref, dict) and isinstance(ref.get("name"), str):
        return doc.bundle.templates.get((bool(ref.get("clusterScope")), ref["name"]), {}).get(ref.get("template"))
    inline = call.get("inline")
    return inline if isinstance(inline, dict) else None
