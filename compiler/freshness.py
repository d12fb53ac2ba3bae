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


def brief(diagnostics: list[Diagnostic], pipeline: str, output: str | None) -> list[Diagnostic]:
    """`--brief`: what only `build --check` can say, for when `rcc check` reports the rest.

    Why: the rcc-build hook runs beside rcc-check, which already printed every error and
    warning of the same pipeline; printing them again makes each mistake appear twice in
    one commit attempt. So the compile's own findings collapse into one line (RCC0503)
    that says how many there are and where `rcc check` shows them, and only the staleness
    verdict (RCC0708), command-line refusals (RCC07xx) and internal errors are kept.
    """
    kept = ("RCC07", "RCC09")  # command line and files; internal errors are never hidden
    own = [d for d in diagnostics if d.code.startswith(kept)]
    found = [d for d in diagnostics if not d.code.startswith(kept)]
    errors = [d for d in found if d.severity == "error"]
    if not errors:
        return own
    per_file: dict[str, int] = {}
    for d in errors:
        name = d.span.file if d.span else pipeline
        per_file[name] = per_file.get(name, 0) + 1
    counts = ", ".join(f"{n} in `{f}`" for f, n in sorted(per_file.items()))
    total = len(errors)
    what = f"`{output}` was not compared" if output else "no manifest was compared"
    return own + [Diagnostic(
        "RCC0503", f"`{pipeline}` does not compile ({total} error{'s' if total > 1 else ''}: {counts}), so {what}",
        None, help=f"`rcc check {pipeline}` (the rcc-check hook) reports each one with its line; "
                   "drop --brief to see them here")]
