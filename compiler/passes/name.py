"""name: deterministic, Kubernetes-safe names for every template and task rcc makes.

A name is the sanitised qualified name (lower case, `[a-z0-9-]`, no leading digit or
dash) when that is unique and at most 63 characters; otherwise it is shortened and gets
a suffix of six hex digits of a SHA-1 of what it stands for, so the same pipeline always
gets the same names and two different steps never share one. Nothing random, ever.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace

from compiler.context import Context
from compiler.ir import MAP_PLACEHOLDER, Program, Task

MAX_NAME = 63
_BAD = re.compile(r"[^a-z0-9-]+")
_DASHES = re.compile(r"-{2,}")


def name(program: Program, ctx: Context) -> Program:
    taken: set[str] = set()
    units = []
    for unit in program.units:
        units.append(replace(unit, name=unique_name(unit.base_name, unit.key, taken)))
    named = []
    for unit in units:
        if unit.kind == "dag":
            task_names: set[str] = set()
            tasks = tuple(replace(t, name=unique_name(_task_base(t), t.key, task_names)) for t in unit.tasks)
            unit = replace(unit, tasks=tasks)
        named.append(unit)
    return replace(program, units=tuple(named))


def _task_base(task: Task) -> str:
    if task.role == "branch":
        key = task.key.split(":", 1)[1]
        if key == MAP_PLACEHOLDER:
            return "iterations"
        return "branch-" + key.replace(":default", "-default")
    return task.key


def sanitize(raw: str) -> str:
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii").lower()
    text = _DASHES.sub("-", _BAD.sub("-", text)).strip("-")
    if not text:
        return "x"
    if not text[0].isalpha():
        text = "s" + text if text[0].isdigit() else text.lstrip("-") or "x"
    return text


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]


def unique_name(raw: str, identity: str, taken: set[str], limit: int = MAX_NAME) -> str:
    """`raw` made safe; a hash of `identity` is appended when needed for length or uniqueness."""
    base = sanitize(raw)
    if len(base) <= limit and base not in taken:
        taken.add(base)
        return base
    salt = 0
    while True:
        suffix = digest(identity if salt == 0 else f"{identity}#{salt}")
        candidate = f"{base[: limit - len(suffix) - 1].rstrip('-')}-{suffix}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        salt += 1
