"""Diagnostics: the user interface of a compiler.

Every problem rcc reports, from a YAML syntax error to an Argo rule, is a `Diagnostic`
with a stable code (`RCC` + four digits), a one-line message, the span of the offending
token and, where we can suggest one, a help line. Stages never print and never raise for
a user error: they add diagnostics to a `Diagnostics` collector and carry on, so that a
run reports every independent mistake at once. A stage whose output would be meaningless
after errors ends with `diagnostics.stop_if_errors()`, which raises `StageFailed` for the
driver to catch.

Codes are allocated by range, one range per stage, so that a code says where it comes
from (every code has an entry in `compiler/explain/RCCxxxx.md`):

    RCC00xx load (text, YAML)          RCC05xx settings and overrides
    RCC01xx pipeline language          RCC06xx names, emit, manifest size
    RCC02xx configuration              RCC07xx files and command line
    RCC03xx variables                  RCC08xx Argo rules (verify, `rcc lint`)
    RCC04xx graph                      RCC09xx internal errors
                                       RCC10xx simulate
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file; lines and columns are 1-based, columns count characters."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def point(file: str, line: int, column: int) -> "Span":
        return Span(file, line, column, line, column + 1)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    span: Span | None = None
    help: str | None = None
    severity: Severity = "error"
    notes: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        """Diagnostics print in source order, so a user reads a file top to bottom."""
        s = self.span
        return (
            s.file if s else "",
            s.line if s else 0,
            s.column if s else 0,
            self.code,
            self.message,
        )


class StageFailed(Exception):
    """Raised by `Diagnostics.stop_if_errors` when a stage cannot hand on a usable result."""


@dataclass
class Diagnostics:
    """Collects diagnostics for one compilation; order of addition does not matter."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(
        self,
        code: str,
        message: str,
        span: Span | None = None,
        help: str | None = None,
        notes: Iterable[str] = (),
    ) -> None:
        self.items.append(Diagnostic(code, message, span, help, "error", tuple(notes)))

    def warning(
        self,
        code: str,
        message: str,
        span: Span | None = None,
        help: str | None = None,
        notes: Iterable[str] = (),
    ) -> None:
        self.items.append(Diagnostic(code, message, span, help, "warning", tuple(notes)))

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def error_count(self) -> int:
        return sum(1 for d in self.items if d.severity == "error")

    def stop_if_errors(self) -> None:
        if self.has_errors:
            raise StageFailed()

    def sorted(self) -> list[Diagnostic]:
        """Source order, with exact duplicates (same code, place and text) dropped."""
        seen: set[tuple] = set()
        out: list[Diagnostic] = []
        for d in sorted(self.items, key=Diagnostic.sort_key):
            key = (d.sort_key(), d.severity, d.help)
            if key not in seen:
                seen.add(key)
                out.append(d)
        return out


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt word, or None when nothing is close.

    Uses edit distance (insertions, deletions, substitutions, adjacent swaps) with a
    threshold that grows with the word, so `trian` finds `train` but `a` finds nothing.
    """
    best: tuple[int, str] | None = None
    limit = max(1, min(3, len(word) // 3))
    lowered = word.lower()
    for cand in sorted({c for c in candidates if isinstance(c, str)}):
        if cand == word:
            continue
        d = _distance(lowered, cand.lower())
        if d <= limit and (best is None or d < best[0]):
            best = (d, cand)
    return best[1] if best else None


def suggest(word: str, candidates: Iterable[str], otherwise: str) -> str:
    """The help line every "no such name" diagnostic shares: the closest candidate, else `otherwise`."""
    guess = did_you_mean(word, candidates)
    return f"did you mean `{guess}`?" if guess else otherwise


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance: Levenshtein plus adjacent transpositions."""
    if abs(len(a) - len(b)) > 3:
        return 99
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]
