"""`rcc build --check`: is the committed manifest what the pipeline compiles to now?

Used by the `rcc-build` pre-commit hook and by CI: a manifest checked in beside its
pipeline goes stale silently when the pipeline changes, and Argo then runs the old one.
Comparing bytes is enough because rcc's output is deterministic (same inputs, same bytes).
"""

from __future__ import annotations

from pathlib import Path

from compiler.diagnostics import Diagnostic, Span


def stale_output(output: str, text: str, pipeline: str) -> Diagnostic | None:
    """RCC0708 when `output` is missing or differs from `text`; None when it is up to date."""
    path = Path(output)
    fix = f"run `rcc build {pipeline} -o {output}` and commit the result"
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Diagnostic("RCC0708", f"the manifest `{output}` does not exist; it should hold the build of `{pipeline}`",
                          None, help=fix)
    except (OSError, UnicodeDecodeError) as exc:
        return Diagnostic("RCC0708", f"cannot read the manifest `{output}`: {exc}", None, help=fix)
    if current == text:
        return None
    line = _first_difference(current, text)
    return Diagnostic("RCC0708", f"the manifest `{output}` is out of date with `{pipeline}`",
                      Span.point(output, line, 1), help=fix,
                      notes=(f"the first difference is at line {line}",))


def _first_difference(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), start=1):
        if x != y:
            return i
    return min(len(a.splitlines()), len(b.splitlines())) + 1
