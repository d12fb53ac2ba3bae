"""Argo's JSON schema, compiled to plain Python checks.

Why not `jsonschema` at run time: its validator walks a generic keyword table for every
node and builds rich error objects; on a 10,000-task manifest that costs seconds, and
`rcc build` verifies every manifest it writes. The packaged schema
(`argo_schema.json`, made by `bin/package-schema`) uses only a handful of keywords
(`type`, `$ref`, `properties`, `additionalProperties`, `required`, `items`, `const`), so
each definition is compiled once into a closure that checks exactly those, with
jsonschema's meaning (an integer is a number with no fraction, a bool is not a number,
`format` is not asserted). `tests/verify/test_schema_fast.py` proves the verdicts equal
to jsonschema's on every Argo example and on mutations of them.

A finding is a `SchemaError`: the path of the offending value (for an unknown field, the
path of that field, so a span can point at its key), a kind, and the detail to word it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from compiler.verify.findings import Report

SCHEMA_FILE = Path(__file__).with_name("argo_schema.json")
PREFIX = "io.argoproj.workflow.v1alpha1."
KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")

Check = Callable[[Any, tuple, list], None]


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One schema violation. `kind` is type | required | unknown | const | enum."""

    path: tuple
    kind: str
    detail: str
    definition: str = ""
    allowed: tuple[str, ...] = ()


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "null":
        return value is None
    return True


class _Compiler:
    """Turns schema nodes into closures; definitions are compiled once and may recurse."""

    def __init__(self, definitions: dict[str, Any]) -> None:
        self.definitions = definitions
        self.compiled: dict[str, Check] = {}

    def ref(self, name: str) -> Check:
        if name in self.compiled:
            return self.compiled[name]
        slot: list[Check] = []

        def forward(value: Any, path: tuple, out: list) -> None:
            slot[0](value, path, out)

        self.compiled[name] = forward
        real = self.node(self.definitions[name], name.rsplit(".", 1)[-1])
        slot.append(real)
        self.compiled[name] = real
        return real

    def node(self, schema: dict[str, Any], title: str = "") -> Check:
        if "$ref" in schema:
            return self.ref(schema["$ref"].rsplit("/", 1)[-1])
        checks: list[Check] = []
        types = schema.get("type")
        if types is not None:
            names = (types,) if isinstance(types, str) else tuple(types)
            checks.append(self._type(names))
        if "const" in schema:
            const = schema["const"]

            def check_const(value: Any, path: tuple, out: list) -> None:
                if value != const or type(value) is not type(const):
                    out.append(SchemaError(path, "const", json.dumps(const)))

            checks.append(check_const)
        if "enum" in schema:
            enum = tuple(schema["enum"])

            def check_enum(value: Any, path: tuple, out: list) -> None:
                if value not in enum:
                    out.append(SchemaError(path, "enum", ", ".join(map(str, enum))))

            checks.append(check_enum)
        if "properties" in schema or "required" in schema or "additionalProperties" in schema:
            checks.append(self._object(schema, title))
        if "items" in schema:
            item = self.node(schema["items"])

            def check_items(value: Any, path: tuple, out: list) -> None:
                if isinstance(value, list):
                    for i, v in enumerate(value):
                        item(v, path + (i,), out)

            checks.append(check_items)
        if not checks:
            return _accept
        if len(checks) == 1:
            return checks[0]
        if types is not None:
            first, rest = checks[0], tuple(checks[1:])

            def check_all(value: Any, path: tuple, out: list) -> None:
                before = len(out)
                first(value, path, out)
                if len(out) == before:
                    for c in rest:
                        c(value, path, out)

            return check_all
        every = tuple(checks)

        def check_every(value: Any, path: tuple, out: list) -> None:
            for c in every:
                c(value, path, out)

        return check_every

    def _type(self, names: tuple[str, ...]) -> Check:
        if names == ("string",):
            def check_str(value: Any, path: tuple, out: list) -> None:
                if not isinstance(value, str):
                    out.append(SchemaError(path, "type", "string"))
            return check_str
        if names == ("object",):
            def check_dict(value: Any, path: tuple, out: list) -> None:
                if not isinstance(value, dict):
                    out.append(SchemaError(path, "type", "object"))
            return check_dict
        if names == ("array",):
            def check_list(value: Any, path: tuple, out: list) -> None:
                if not isinstance(value, list):
                    out.append(SchemaError(path, "type", "array"))
            return check_list
        wanted = " or ".join(names)

        def check_type(value: Any, path: tuple, out: list) -> None:
            for n in names:
                if _is_type(value, n):
                    return
            out.append(SchemaError(path, "type", wanted))

        return check_type

    def _object(self, schema: dict[str, Any], title: str) -> Check:
        props = {name: self.node(sub) for name, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        extra_check: Check | None = None
        if isinstance(extra, dict):
            extra_check = self.node(extra)
        closed = extra is False
        allowed = tuple(sorted(props))

        def check_object(value: Any, path: tuple, out: list) -> None:
            if not isinstance(value, dict):
                return
            for key, sub in value.items():
                check = props.get(key)
                if check is not None:
                    check(sub, path + (key,), out)
                elif closed:
                    out.append(SchemaError(path + (key,), "unknown", str(key), title, allowed))
                elif extra_check is not None:
                    extra_check(sub, path + (key,), out)
            for name in required:
                if name not in value:
                    out.append(SchemaError(path, "required", name, title))

        return check_object


def _accept(value: Any, path: tuple, out: list) -> None:
    return None


@lru_cache(maxsize=1)
def packaged_schema() -> dict[str, Any]:
    """The packaged schema as data (loaded once per process)."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _checkers() -> dict[str, Check]:
    compiler = _Compiler(packaged_schema()["definitions"])
    return {kind: compiler.ref(PREFIX + kind) for kind in KINDS}


def check_document(doc: Any) -> list[SchemaError]:
    """Every schema violation of one Argo document, dispatched on its `kind`.

    A document whose kind is not one of the four Argo kinds is the caller's business
    (lint skips it, build never produces it); here it is a single `const` error on `kind`.
    """
    if not isinstance(doc, dict):
        return [SchemaError((), "type", "object")]
    checker = _checkers().get(doc.get("kind"))  # type: ignore[arg-type]
    if checker is None:
        return [SchemaError(("kind",), "const", " or ".join(KINDS))]
    out: list[SchemaError] = []
    checker(doc, (), out)
    return out


@lru_cache(maxsize=8)
def _definition_checker(name: str) -> Check:
    return _Compiler(packaged_schema()["definitions"]).ref(name)


def check_definition(value: Any, name: str) -> list[SchemaError]:
    """Schema violations of `value` against one definition (e.g. `io.k8s.api.core.v1.Container`).

    For Argo or Kubernetes content a user writes inside rcc's own configuration (argo-kedro's
    custom templates), so that it is refused at its own line rather than found broken in
    the manifest.
    """
    out: list[SchemaError] = []
    _definition_checker(name)(value, (), out)
    return out


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "a boolean",
               dict: "a mapping", list: "a list", type(None): "null"}


def _value_at(doc: Any, path: tuple) -> Any:
    for part in path:
        try:
            doc = doc[part]
        except (KeyError, IndexError, TypeError):
            return None
    return doc


def report_schema(doc: Any, report: "Report") -> None:
    """Schema violations as findings: RCC0810 unknown field, RCC0811 wrong type or value,
    RCC0812 missing required field."""
    from compiler.diagnostics import did_you_mean

    for e in check_document(doc):
        where = f" in {e.definition}" if e.definition else ""
        if e.kind == "unknown":
            guess = did_you_mean(e.detail, e.allowed)
            report.error("RCC0810", f"unknown field `{e.detail}`{where}", e.path,
                         help=f"did you mean `{guess}`?" if guess else
                         "remove it: Argo's strict parsing rejects fields it does not know",
                         key=True)
        elif e.kind == "required":
            if _image_left_to_defaults(e):
                continue
            report.error("RCC0812", f"missing required field `{e.detail}`{where}", e.path,
                         help=f"add `{e.detail}`")
        elif e.kind == "type":
            found = _TYPE_NAMES.get(type(_value_at(doc, e.path)), "something else")
            wanted = " or ".join(_article(t) for t in e.detail.split(" or "))
            report.error("RCC0811", f"expected {wanted}, found {found}", e.path,
                         help="quote the value to make it a string" if "string" in e.detail
                         else f"write {wanted} here")
        else:
            report.error("RCC0811", f"this value must be {e.detail}", e.path,
                         help=f"write {e.detail}")


def _image_left_to_defaults(e: SchemaError) -> bool:
    """A template's container/script may leave `image` to spec.templateDefaults.

    Argo's schema marks `image` required, but Argo's validator accepts a template without
    one when templateDefaults sets it (validateLeaf); rule RCC0849 (verify/leaf.py) decides.
    """
    p = e.path
    return (e.detail == "image" and len(p) >= 3 and p[-1] in ("container", "script")
            and isinstance(p[-2], int) and p[-3] == "templates")


def _article(type_name: str) -> str:
    return {"string": "a string", "integer": "an integer", "number": "a number",
            "boolean": "a boolean", "object": "a mapping", "array": "a list"}.get(type_name, type_name)
