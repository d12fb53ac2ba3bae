"""SARIF 2.1.0: diagnostics as a static-analysis log, for GitHub code scanning and the like.

Why its own module: SARIF is a document, not a stream of lines. One run names the tool,
lists a rule (reportingDescriptor) for every code that occurs, with the title and the help
of `rcc explain`, and gives each result its rule, level, message and region. Columns are
counted in Unicode code points, as rcc counts them (`columnKind` says so, since SARIF's
default is UTF-16 code units). Paths stay as rcc prints them, relative to the working
directory, so an upload from the repository root maps onto the repository's files.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Iterable
from urllib.parse import quote

from compiler.diagnostics import Diagnostic

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
EXPLAIN_DIR = Path(__file__).resolve().parent / "explain"
LEVELS = {"error": "error", "warning": "warning", "note": "note"}


def _entry(code: str) -> tuple[str, str]:
    """(title, whole entry) of `rcc explain CODE`; the code itself when there is no entry."""
    try:
        text = (EXPLAIN_DIR / f"{code}.md").read_text(encoding="utf-8")
    except OSError:
        return code, code
    first = text.split("\n", 1)[0]
    return (first.split(":", 1)[1].strip() if ":" in first else code), text


def _uri(file: str) -> str:
    path = file.replace("\\", "/")
    if path.startswith("/"):
        return "file://" + quote(path)
    return quote(str(PurePosixPath(path)))


def _result(d: Diagnostic, rule_index: int) -> dict:
    text = d.message + "".join(f"\nnote: {n}" for n in d.notes) + (f"\nhelp: {d.help}" if d.help else "")
    out: dict = {"ruleId": d.code, "ruleIndex": rule_index, "level": LEVELS.get(d.severity, "warning"),
                 "message": {"text": text}}
    s = d.span
    if s is not None:
        region = {"startLine": s.line, "startColumn": s.column, "endLine": s.end_line,
                  "endColumn": max(s.end_column, s.column + 1) if s.end_line == s.line else s.end_column}
        out["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": _uri(s.file)}, "region": region}}]
    return out


def render_sarif(diagnostics: Iterable[Diagnostic]) -> str:
    """One SARIF log with one run; an empty run when there is nothing to report."""
    from compiler import __version__

    items = list(diagnostics)
    codes = sorted({d.code for d in items})
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        title, text = _entry(code)
        rules.append({"id": code, "name": code, "shortDescription": {"text": title},
                      "help": {"text": f"rcc explain {code}", "markdown": text}})
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "rcc", "version": __version__, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(d, index[d.code]) for d in items],
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
