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
    fix = f"run `rcc build {pipeline} -o {output}` and commit the result"
    if not Path(output).exists():
        return Diagnostic("RCC0708", f"the manifest `{output}` does not exist; it should hold the build of `{pipeline}`",
                          None, help=fix)
    from compiler.diagnostics import Diagnostics
    from compiler.files import read_bounded

    # One byte more than the new text is enough to know they differ: the bound is the
    # manifest's own size, so `--check -o /dev/zero` or a 10 GB OUT answers at once.
    scratch = Diagnostics()
    limit = len(text.encode("utf-8"))
    raw = read_bounded(output, "manifest", limit, scratch, "--max-size BYTES")
    too_large = [d for d in scratch.items if d.code == "RCC0704"]
    if raw is None and not too_large:
        reason = scratch.items[0].message if scratch.items else "unreadable"
        return Diagnostic("RCC0708", f"{reason}; it should hold the build of `{pipeline}`", None, help=fix)
    try:
        current = raw.decode("utf-8") if raw is not None else None
    except UnicodeDecodeError:
        current = None
    if current is None:
        return Diagnostic("RCC0708", f"the manifest `{output}` is out of date with `{pipeline}`",
                          None, help=fix, notes=("it is larger than the manifest the pipeline compiles to"
                                                 if too_large else "it is not UTF-8 text",))
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
