"""Suppressions: `# rcc: ignore[RCC0860]` (or a bare `# rcc: ignore`) in a linted file.

Why comments, as flake8's `noqa` and tugboat's ignores: a team accepts one finding where
it stands without silencing the rule everywhere. A comment silences its codes on its own
line, and for everything inside the mapping or list item that starts on that line (a
comment on `- name: legacy` covers the whole template). A suppression that silences
nothing is reported (RCC0710, a warning), so stale ones do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compiler.diagnostics import Diagnostic, Span

COMMENT = re.compile(r"(?:^|\s)#\s*rcc:\s*ignore(?:\[(?P<codes>[^\]]*)\])?")
ALL = "*"


@dataclass
class Suppressions:
    """The suppression comments of one file, by line, and which of them were used."""

    file: str
    by_line: dict[int, set[str]] = field(default_factory=dict)
    columns: dict[int, int] = field(default_factory=dict)
    used: set[tuple[int, str]] = field(default_factory=set)

    @staticmethod
    def scan(file: str, text: str) -> "Suppressions":
        out = Suppressions(file)
        if "rcc:" not in text:
            return out
        for number, line in enumerate(text.splitlines(), 1):
            m = COMMENT.search(line)
            if m is None:
                continue
            codes = m.group("codes")
            names = {c.strip().upper() for c in codes.split(",") if c.strip()} if codes is not None else {ALL}
            out.by_line[number] = names
            out.columns[number] = m.start() + (1 if line[m.start()].isspace() else 0) + 1
        return out

    def silences(self, code: str, lines: list[int]) -> bool:
        """True (and the suppression is marked used) when one of `lines` suppresses `code`."""
        for line in lines:
            codes = self.by_line.get(line)
            if codes and (code in codes or ALL in codes):
                self.used.add((line, code if code in codes else ALL))
                return True
        return False

    def unused(self) -> list[Diagnostic]:
        out = []
        for line, codes in sorted(self.by_line.items()):
            for code in sorted(codes):
                if (line, code) in self.used:
                    continue
                what = "`# rcc: ignore`" if code == ALL else f"`# rcc: ignore[{code}]`"
                out.append(Diagnostic("RCC0710", f"{what} suppresses nothing on this line or the mapping it starts",
                                      Span.point(self.file, line, self.columns[line]), severity="warning",
                                      help="remove it, or put it on the line the finding points at"))
        return out
