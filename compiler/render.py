"""Four renderings of the same diagnostics: for people, for programs, for GitHub, for code scanning.

`human` follows rustc's layout (code, message, location arrow, the source line with a
caret under the offending token, a help line). `json` is one object per line, with a
documented, stable set of keys. `github` prints workflow commands so CI annotates the
pull request's lines; `sarif` (compiler/sarif.py) is a SARIF 2.1.0 log.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Iterable

from compiler.diagnostics import Diagnostic

SourceLookup = Callable[[str], "str | None"]

_RED = "\x1b[1;31m"
_YELLOW = "\x1b[1;33m"
_BLUE = "\x1b[1;34m"
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


# Characters a terminal would act on rather than show: C0 controls (but newline), DEL, C1
# controls, and the bidirectional overrides that reorder what a reader sees. User text
# (a step key holding `ESC ] 0 ; title BEL`, a raw ESC in a YAML comment) reaches the
# human rendering through messages and source lines; it is shown escaped, as the JSON
# rendering escapes it, so a diagnostic can never retitle, recolour or rewrite a terminal.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """`text` with every terminal control character written as an escape (`\x1b`)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


# A snippet needs only the lines around a span; a source larger than this is shown
# without one (a too-large input's RCC0704 points at it, and must not read it whole).
SNIPPET_SOURCE_LIMIT = 16 * 1024 * 1024


def read_source(file: str) -> str | None:
    """Default source lookup: the file as text, or None when it cannot be read (or is
    not a regular file, or is over SNIPPET_SOURCE_LIMIT: see compiler/files.py)."""
    from compiler.diagnostics import Diagnostics
    from compiler.files import read_bounded

    data = read_bounded(file, "source", SNIPPET_SOURCE_LIMIT, Diagnostics(), "")
    return None if data is None else data.decode("utf-8", errors="replace")


def render_human(
    diagnostics: Iterable[Diagnostic], sources: SourceLookup = read_source, color: bool = False
) -> str:
    cache: dict[str, list[str] | None] = {}
    parts = []
    for d in diagnostics:
        parts.append(_render_one(d, sources, cache, color))
    return "".join(parts)


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _render_one(
    d: Diagnostic, sources: SourceLookup, cache: dict[str, list[str] | None], color: bool
) -> str:
    head_style = _RED if d.severity == "error" else _YELLOW
    out = [_paint(f"{d.severity}[{d.code}]", head_style, color) + _paint(f": {inert(d.message)}", _BOLD, color)]
    s = d.span
    if s is not None:
        out.append(_paint("  --> ", _BLUE, color) + f"{inert(s.file)}:{s.line}:{s.column}")
        if s.file not in cache:
            text = sources(s.file)
            cache[s.file] = text.splitlines() if text is not None else None
        lines = cache[s.file]
        if lines is not None and 1 <= s.line <= len(lines):
            src = lines[s.line - 1].replace("\t", " ")
            if len(src) > 160:
                src = src[:160] + "…"
            gutter = " " * len(str(s.line))
            width = (s.end_column - s.column) if s.end_line == s.line else len(src) - s.column + 1
            width = max(1, min(width, max(1, len(src) - s.column + 1)))
            out.append(_paint(f"{gutter} |", _BLUE, color))
            out.append(_paint(f"{s.line} |", _BLUE, color) + f" {inert(src)}")
            # escapes widen the line: keep the caret under the token
            lead = len(inert(src[: s.column - 1])) + max(0, s.column - 1 - len(src))
            caret = " " * lead + "^" * max(1, len(inert(src[s.column - 1: s.column - 1 + width])))
            out.append(_paint(f"{gutter} |", _BLUE, color) + " " + _paint(caret, head_style, color))
    for note in d.notes:
        out.append(f"  = note: {inert(note)}")
    if d.help:
        out.append(_paint("  = help: ", _BOLD, color) + inert(d.help))
    return "\n".join(out) + "\n\n"


def summary_line(diagnostics: list[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return "rcc: " + ", ".join(parts) + "\n" if parts else ""


def to_json_object(d: Diagnostic) -> dict:
    """The documented JSON shape (docs/diagnostics.md): keys are stable across versions."""
    s = d.span
    return {
        "code": d.code,
        "severity": d.severity,
        "message": d.message,
        "file": s.file if s else None,
        "line": s.line if s else None,
        "column": s.column if s else None,
        "end_line": s.end_line if s else None,
        "end_column": s.end_column if s else None,
        "help": d.help,
        "notes": list(d.notes),
    }


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(
        json.dumps(to_json_object(d), ensure_ascii=False, sort_keys=False) + "\n" for d in diagnostics
    )


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostics: Iterable[Diagnostic]) -> str:
    lines = []
    for d in diagnostics:
        kind = "error" if d.severity == "error" else "warning"
        props = [f"title={_gh_escape(d.code, True)}"]
        if d.span:
            s = d.span
            # GitHub ignores (or misplaces) columns on an annotation spanning several lines.
            cols = [f"col={s.column}", f"endColumn={s.end_column}"] if s.end_line == s.line else []
            props = [f"file={_gh_escape(s.file, True)}", f"line={s.line}", *cols[:1],
                     f"endLine={s.end_line}", *cols[1:]] + props
        message = d.message + (f"\n\nhelp: {d.help}" if d.help else "")
        lines.append(f"::{kind} {','.join(props)}::{_gh_escape(message)}")
    return "".join(line + "\n" for line in lines)


def _render_sarif(diagnostics: Iterable[Diagnostic]) -> str:
    from compiler.sarif import render_sarif

    return render_sarif(diagnostics)


RENDERERS = {"human": render_human, "json": render_json, "github": render_github, "sarif": _render_sarif}
