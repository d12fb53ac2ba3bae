"""Argo's `{{...}}` tags found in linear time.

The regex `\\{\\{(.*?)\\}\\}` tries every `{{` and, when no `}}` follows, scans to the end
of the text from each of them: a 40 KB value of `{{` and no `}}` took 21 s to lint.
These scanners find each tag with one forward search from the previous one; once no
`}}` follows a `{{`, none follows any later `{{` either, so the scan stops. Drop-in
for the regexes they replace: `.sub(repl, text)` and `.finditer(text)` with
`group(0)` (the whole tag) and `group(1)` (its inside).
"""

from __future__ import annotations

from typing import Callable, Iterator

OPEN, CLOSE = "{{", "}}"


class Tag:
    """One `{{...}}` in a text, shaped like the re.Match it replaces."""

    __slots__ = ("_text", "_start", "_end")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def group(self, index: int = 0) -> str:
        if index == 0:
            return self._text[self._start:self._end]
        return self._text[self._start + 2:self._end - 2]

    def span(self) -> tuple[int, int]:
        return self._start, self._end


class TagScanner:
    """Tags as Argo reads them; `no_brace_inside` gives the `\\{\\{[^}]*\\}\\}` variant."""

    def __init__(self, no_brace_inside: bool = False) -> None:
        self.no_brace_inside = no_brace_inside

    def finditer(self, text: str) -> Iterator[Tag]:
        at = 0
        brace = -1  # the next `}` at or after the current `{{` (variant only)
        while True:
            start = text.find(OPEN, at)
            if start < 0:
                return
            if self.no_brace_inside:
                if brace < start + 2:
                    brace = text.find("}", start + 2)
                if brace < 0:
                    return
                if text.startswith(CLOSE, brace):
                    yield Tag(text, start, brace + 2)
                    at = brace + 2
                else:  # a lone `}`: every `{{` before it meets it first, so none is a tag
                    at = brace + 1
                continue
            end = text.find(CLOSE, start + 2)
            if end < 0:
                return
            yield Tag(text, start, end + 2)
            at = end + 2

    def sub(self, repl: str | Callable[[Tag], str], text: str) -> str:
        if OPEN not in text:
            return text
        parts: list[str] = []
        at = 0
        for tag in self.finditer(text):
            start, end = tag.span()
            parts.append(text[at:start])
            parts.append(repl if isinstance(repl, str) else repl(tag))
            at = end
        parts.append(text[at:])
        return "".join(parts)


# The roots of the names Argo resolves in `{{...}}` (util/variables/keys; validate.go's
# GlobalVarValidWorkflowVariablePrefix plus the loop, retry and metric scopes).
ARGO_ROOTS = ("item", "steps", "inputs", "outputs", "pod", "workflow", "tasks", "node", "retries",
              "lastRetry", "cronworkflow", "status", "duration", "exitCode", "resourcesDuration")


def argo_would_resolve(text: str) -> str | None:
    """Why Argo would not keep `text` verbatim, or None when it would.

    Argo's template package (fasttemplate with `{{` / `}}`) pairs each `{{` with the next
    `}}`: a `{{` with no `}}` after it makes the whole substitution fail; a tag that
    starts with `=` is an expr-lang expression; a tag whose trimmed name is in scope is
    replaced (and one under a known root that is not in scope fails validation); a tag
    holding another `{{` has its inner tag resolved (nested tags). Any other tag, e.g.
    `{{ name }}` of a Jinja template, is written back unchanged.
    """
    at = 0
    while True:
        start = text.find(OPEN, at)
        if start < 0:
            return None
        end = text.find(CLOSE, start + 2)
        if end < 0:
            return "a `{{` with no `}}` after it makes Argo's substitution fail"
        tag = text[start + 2:end]
        if tag.startswith("="):
            return f"`{{{{{tag}}}}}` is an expression Argo evaluates"
        if OPEN in tag:
            return f"`{{{{{tag}}}}}` holds a nested tag Argo resolves"
        name = tag.strip()
        root = name.split(".", 1)[0]
        if root in ARGO_ROOTS:
            return f"`{{{{{tag}}}}}` names an Argo variable"
        at = end + 2
