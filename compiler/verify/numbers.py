"""Whole numbers beyond int64: Argo and Kubernetes decode every integer field into a Go
int32 or int64, so a larger number (`parallelism: 99999999999999999999999`) is refused by
the API server after rcc said the manifest was fine. No field of a manifest, a pipeline
or a configuration needs one, so the rule is simply: every integer fits in int64.

`beyond_int64(data)` is shared by `rcc lint` (this module's `check`) and by the driver,
which applies it to the pipeline and the configuration as they are loaded (the values
reach the manifest as they are written). Iterative: inputs nest deep.
"""

from __future__ import annotations

from typing import Any, Iterator

from compiler.verify.findings import Report
from compiler.verify.model import Doc

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1
HELP = (f"Kubernetes reads whole numbers as int64 ({INT64_MIN:,} to {INT64_MAX:,}); use a smaller "
        "number, or quote it if it is meant as text")


def beyond_int64(data: Any) -> Iterator[tuple[tuple, int]]:
    """(path, value) of every integer (not bool) outside int64, in document order."""
    todo: list[tuple[Any, tuple]] = [(data, ())]
    while todo:
        value, path = todo.pop()
        if isinstance(value, dict):
            todo.extend((v, path + (k,)) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            todo.extend((v, path + (i,)) for i, v in reversed(list(enumerate(value))))
        elif type(value) is int and not INT64_MIN <= value <= INT64_MAX:
            yield path, value


def shown(value: int) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} digits)"


def check(doc: Doc, report: Report) -> None:
    if doc.bundle.partial:  # `rcc build`: the driver checked the pipeline and configuration it read
        return
    for path, value in beyond_int64(doc.data):
        report.error("RCC0880", f"`{shown(value)}` is beyond int64, the largest whole number Argo reads",
                     path, help=HELP)
