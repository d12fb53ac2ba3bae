"""The table and the verdicts `bin/bench` prints and writes to BENCHMARKS.md.

Kept apart from the measuring so the report's wording (which targets hold, by how much)
can be read and reviewed on its own; every verdict is computed from the numbers in the
table, never typed in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MIB = 1024 * 1024


@dataclass
class Measurement:
    """Whole-process timings of one command: min and median wall, CPU of the min run, max RSS."""

    best: float
    median: float
    cpu: float
    max_rss_kib: int
    exit_codes: set[int] = field(default_factory=set)
    failed: bool = False
    size: int | None = None


@dataclass
class Row:
    shape: str
    steps: int
    in_process: float
    manifest_bytes: int | None
    codes: list[str]
    floor: Measurement
    check: Measurement
    build: Measurement
    runnable: Measurement | None


def _s(m: Measurement | None) -> str:
    if m is None:
        return "–"
    if m.failed:
        return f"> {m.best:.0f} (killed)" if -9 in m.exit_codes else "failed"
    return f"{m.best:.3f}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}×" if a and b and a != float("inf") else "–"


def table(rows: list[Row]) -> list[str]:
    head = ("| shape | steps | runnable s | floor s | rcc check s (min / med) | rcc build s (min / med) "
            "| build / floor | runnable / build | in-process ms/step | manifest bytes | bytes/step | rcc exit |")
    out = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        rn = r.runnable.best if r.runnable and not r.runnable.failed else None
        size = f"{r.manifest_bytes:,}" if r.manifest_bytes else "–"
        per = f"{r.manifest_bytes / r.steps:,.0f}" if r.manifest_bytes else "–"
        codes = ",".join(sorted(str(c) for c in r.build.exit_codes))
        if r.codes:
            codes += " (" + ", ".join(sorted(set(r.codes))) + ")"
        out.append(
            f"| {r.shape} | {r.steps:,} | {_s(r.runnable)} | {r.floor.best:.3f} "
            f"| {r.check.best:.3f} / {r.check.median:.3f} | {r.build.best:.3f} / {r.build.median:.3f} "
            f"| {_ratio(r.build.best, r.floor.best)} | {_ratio(rn, r.build.best)} "
            f"| {1000 * r.in_process / r.steps:.3f} | {size} | {per} | {codes} |")
    return out


def verdicts(rows: list[Row], import_ms: float) -> list[str]:
    by = {r.shape: r for r in rows}
    lines = []

    def say(ok: bool | None, text: str) -> None:
        mark = "n/a" if ok is None else ("HOLDS" if ok else "MISSED")
        lines.append(f"- **{mark}** {text}")

    s1000, s10000, s20 = by.get("seq-1000"), by.get("seq-10000"), by.get("seq-20")
    if s1000:
        rn = s1000.runnable
        if rn and not rn.failed:
            r = rn.best / s1000.build.best
            say(r >= 20, f"`rcc build` seq-1000 vs runnable, whole processes: {rn.best:.2f} s / "
                         f"{s1000.build.best:.3f} s = {r:.1f}× (target ≥ 20×); CPU {rn.cpu:.2f} s / "
                         f"{s1000.build.cpu:.3f} s = {rn.cpu / s1000.build.cpu:.1f}×")
        else:
            say(None, "runnable seq-1000 was not timed (or failed)")
    if s10000:
        ok = 0 in s10000.build.exit_codes
        detail = "exit 0, manifest written" if ok else (
            f"exit {sorted(s10000.build.exit_codes)}: every stage ran, stopped by {', '.join(sorted(set(s10000.codes)))}")
        say(ok, f"seq-10000 compiles: {detail} ({s10000.build.best:.2f} s)")
    if s20:
        r = s20.check.best / s20.floor.best
        say(r <= 1.5, f"`rcc check` seq-20 cold: {s20.check.best:.3f} s vs floor {s20.floor.best:.3f} s = {r:.2f}× "
                      f"(target ≤ 1.5×); CPU (user+sys) {s20.check.cpu:.3f} s vs {s20.floor.cpu:.3f} s = "
                      f"{s20.check.cpu / s20.floor.cpu:.2f}×")
    if s1000 and s10000:
        a, b = s1000.in_process / s1000.steps, s10000.in_process / s10000.steps
        say(b <= 1.5 * a, f"linear: in-process {1e3 * b:.3f} ms/step at 10,000 vs {1e3 * a:.3f} ms/step at 1,000 "
                          f"= {b / a:.2f}× (target ≤ 1.5×)")
        mem = s10000.build.max_rss_kib / 1024
        say(mem < 200, f"memory: max RSS of `rcc build` seq-10000 = {mem:.0f} MiB (target < 200 MiB)")
    n3, n8 = by.get("nested-3"), by.get("nested-8")
    if n3 and n8:
        a, b = n3.in_process / n3.steps, n8.in_process / n8.steps
        lines.append(f"- nesting depth 8 vs 3, in-process: {1e3 * b:.3f} vs {1e3 * a:.3f} ms/step = {b / a:.2f}×")
    lines.append(f"- `python -X importtime` total for `rcc check` (seq-20): {import_ms:.0f} ms "
                 "(sum of top-level cumulative import times; importtime's own overhead inflates it)")
    for r in rows:
        if r.manifest_bytes and r.manifest_bytes > MIB:
            lines.append(f"- {r.shape}: the manifest is {r.manifest_bytes:,} bytes of YAML, over Argo's 1 MiB limit. "
                         "The benchmark raises the limit (`--max-size 8000000`) so every stage runs; at the default "
                         "limit rcc refuses this pipeline as soon as it is read (RCC0603: more steps than 1 MiB can hold)")
    return lines


def write_report(rows: list[Row], bare: Measurement, import_ms: float, machine: dict[str, str], out: Path) -> str:
    parts = [
        "# Benchmarks",
        "",
        "Written by `bin/bench` (issue 8); rerun it rather than editing this file. Ratios from one run.",
        "",
        f"- date: {machine['date']}",
        f"- machine: {machine['nproc']} CPUs (`nproc`), {machine['cpu']}, load average (1, 5, 15 min) at the start {machine.get('load_start', '?')}, at the end {machine['load']}",
        f"- Python {machine['python']}; runnable 0.50.0 in its own venv; {machine['runs']} timed runs per "
        "rcc/floor command after one warm-up (runnable: 3, or 1 when a run takes over 5 s)",
        f"- bare `python -c pass`: {bare.best:.3f} s min, {bare.median:.3f} s median",
        "",
        "Whole processes, wall seconds (minimum of the runs; the machine is shared, the minimum is the least "
        "disturbed run). `floor`: a Python process that imports ruamel.yaml, pydantic and jsonschema, loads the "
        "pipeline with ruamel's safe (C) loader and dumps the manifest rcc produced, as data, with ruamel's "
        "safe (C) dumper. `runnable`: `runnable execute pipeline.yaml -c config.yaml [-p params.yaml]` with its "
        "recursion limit raised (it exits 1 after writing; success is the file). In-process: "
        "`compiler.driver.compile_files` after a warm-up, imports excluded, every stage including verify and "
        "YAML writing. Every process runs with bytecode caching on (as an installed package has its .pyc files).",
        "",
        *table(rows),
        "",
        "## Targets",
        "",
        *verdicts(rows, import_ms),
        "",
    ]
    text = "\n".join(parts)
    out.write_text(text)
    return text
