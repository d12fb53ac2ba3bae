"""Findings: what a rule reports before it becomes a diagnostic.

Why not `Diagnostic` directly: the same rules run in two places. `rcc build` verifies a
manifest held as plain data (no source text, so no spans), and `rcc lint` verifies
documents loaded with spans. A rule therefore reports the *path* of the offending value
(and whether the key or the value is at fault); `compiler.verify` turns paths into spans
for lint, or into a readable location (`spec.templates[2].dag`) for build.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str
    path: tuple
    help: str | None = None
    severity: str = "error"
    on_key: bool = False
    notes: tuple[str, ...] = ()


@dataclass
class Report:
    """Collects the findings of every rule on one document."""

    findings: list[Finding] = field(default_factory=list)

    def error(self, code: str, message: str, path: tuple, help: str | None = None,
              key: bool = False, notes: tuple[str, ...] = ()) -> None:
        self.findings.append(Finding(code, message, tuple(path), help, "error", key, notes))

    def warning(self, code: str, message: str, path: tuple, help: str | None = None,
                key: bool = False, notes: tuple[str, ...] = ()) -> None:
        self.findings.append(Finding(code, message, tuple(path), help, "warning", key, notes))


def show_path(path: tuple) -> str:
    """`("spec", "templates", 2, "dag")` -> `spec.templates[2].dag`, for span-less reports."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"
