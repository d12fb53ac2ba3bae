"""load: bytes → plain Python data plus a table of where every value came from.

Why not `YAML().load`: the round-trip loader is slow (pre-commit hooks wait on it),
silently keeps the last of duplicate keys, expands alias bombs without limit, and
loses positions once data is converted. Here the YAML *events* (with their marks) are
read from ruamel.yaml's C parser when present and the data is composed by hand, so that
every value gets a span keyed by its path (`("dag", "steps", "train", "next")`), duplicate
keys, unsupported tags, over-deep nesting and alias bombs become diagnostics, and scalars
resolve by the YAML 1.2 core schema that runnable itself reads with (`yes` is a string).
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Diagnostics, Span
from compiler.frontend.scalars import MAX_DIGITS, NumberTooLong, resolve_plain, too_long_help

Path = tuple  # of str keys and int indices

MAX_DEPTH = 200
# Values that aliases may add beyond what is written: generous for shared branches
# (a 20-step branch reused 100 times is 10,000), fatal for an alias bomb (10^9).
ALIAS_BUDGET_FLOOR = 50_000

@dataclass
class Located:
    """A loaded document: its data and, for every path in it, where it was written."""

    file: str
    text: str
    data: Any
    spans: dict[Path, Span] = field(default_factory=dict)
    key_spans: dict[Path, Span] = field(default_factory=dict)

    def span(self, path: Path) -> Span:
        """The span of the value at `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            s = self.spans.get(p)
            if s is not None:
                return s
            p = p[:-1]
        return self.spans.get((), Span.point(self.file, 1, 1))

    def key_span(self, path: Path) -> Span:
        """The span of the key that introduces `path` (falls back to the value's span)."""
        s = self.key_spans.get(tuple(path))
        return s if s is not None else self.span(path)


def _events(text: str):
    """YAML events from the C parser if installed, else from ruamel's pure parser."""
    try:
        from _ruamel_yaml import CParser  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - exercised only without the C wheel
        CParser = None
    if CParser is not None:
        parser = CParser(text)
        while True:
            event = parser.get_event()
            if event is None:
                return
            yield event
    else:  # pragma: no cover
        from ruamel.yaml import YAML

        yield from YAML(typ="safe", pure=True).parse(text)


def decode(data: bytes, file: str, diags: Diagnostics) -> str | None:
    """Strict UTF-8 (a BOM is allowed and dropped); a bad byte is RCC0001 at its position."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        diags.error(
            "RCC0001",
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            Span.point(file, line, column),
            help="save the file as UTF-8",
        )
        return None
    return text[1:] if text.startswith("\ufeff") else text


def load_documents(text: str, file: str, diags: Diagnostics) -> list[Located]:
    """Every document of a YAML stream; on a syntax error, the documents before it."""
    composer = _Composer(text, file, diags)
    try:
        composer.run()
    except _Abort:
        pass
    except Exception as exc:  # ruamel's ScannerError, ParserError, ReaderError …
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        position = getattr(exc, "position", None)
        if mark is not None:
            span = Span.point(file, mark.line + 1, mark.column + 1)
        elif isinstance(position, int):
            before = text[:position]
            span = Span.point(file, before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1)
        else:
            span = Span.point(file, 1, 1)
        source_lines = text.splitlines()
        if 1 <= span.line <= len(source_lines) and "\t" in source_lines[span.line - 1]:
            problem = f"{problem} (a tab character)"

        diags.error(
            "RCC0002",
            f"invalid YAML: {problem}",
            span,
            notes=[context] if context else (),
            help=_over_indented_help(problem, source_lines, span.line) or _syntax_help(problem),
        )
        return composer.documents
    return composer.documents


_ENTRY = re.compile(r"^( *)(?:- +)?([^\s:#][^:#]*?):(?:\s|$)")


def _over_indented_help(problem: str, lines: list[str], line: int) -> str | None:
    """`next: success` indented deeper than `type: stub` above it makes YAML read it as the
    rest of `type`'s value, and the parser's complaint is about the colon. Name the real
    mistake: the indentation, and the key it should line up with."""
    if "mapping values are not allowed" not in problem or not 1 <= line <= len(lines):
        return None
    here = _ENTRY.match(lines[line - 1])
    if here is None:
        return None
    for above_no in range(line - 2, -1, -1):
        text = lines[above_no]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        above = _ENTRY.match(text)
        if above is None or above.start(2) >= here.start(2):
            return None
        if not text[above.end():].split("#", 1)[0].strip():
            return None  # `key:` opening a mapping: the deeper line belongs under it
        width = above.start(2)  # the key's column, after any `- `
        return (f"`{here.group(2)}:` is indented more than `{above.group(2)}:` on line {above_no + 1}, so YAML "
                f"reads it as part of `{above.group(2)}`'s value; indent it by {width} spaces, like `{above.group(2)}:`")
    return None


def _syntax_help(problem: str) -> str | None:
    if "control characters" in problem or "special characters" in problem:
        return "remove the control character (a NUL, an ESC or similar) from the file"
    if "tab" in problem:
        return "indent with spaces; YAML does not allow tabs for indentation"
    if "control characters" in problem or "special characters" in problem:
        return "remove the control character (a NUL or similar) from the file"
    if "mapping values are not allowed" in problem:
        return "put a space after the colon, or quote the value if it contains ': '"
    return None


def load_mapping(text: str, file: str, diags: Diagnostics, what: str) -> Located | None:
    """A file that must hold exactly one document whose root is a mapping."""
    docs = load_documents(text, file, diags)
    if diags.has_errors:
        return None
    if not docs or (len(docs) == 1 and docs[0].data is None):
        diags.error("RCC0006", f"the {what} file is empty", Span.point(file, 1, 1),
                    help=f"a {what} file is a YAML mapping; see the examples/ folder")
        return None
    if len(docs) > 1:
        diags.error("RCC0010", f"the {what} file holds {len(docs)} YAML documents; rcc reads one",
                    docs[1].span(()), help="remove the `---` separator and the second document")
        return None
    doc = docs[0]
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__ if doc.data is not None else "null"
        diags.error("RCC0005", f"the {what} file must be a mapping at the top level, not a {_kind_name(kind)}",
                    doc.span(()), help="start the file with a key, e.g. `dag:`")
        return None
    return doc


def _kind_name(kind: str) -> str:
    return {"list": "list", "str": "string", "int": "number", "float": "number", "bool": "boolean"}.get(kind, kind)


class _Abort(Exception):
    pass


class _Composer:
    """Builds data from events with an explicit stack (no recursion, any depth)."""

    def __init__(self, text: str, file: str, diags: Diagnostics) -> None:
        self.text = text
        self.file = file
        self.diags = diags
        self.documents: list[Located] = []
        self.budget = 0
        self.log: list[tuple[Path, Span, bool]] = []

    def _span(self, start, end) -> Span:
        return Span(self.file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def run(self) -> None:
        events = _events(self.text)
        self.budget = ALIAS_BUDGET_FLOOR + len(self.text) // 2
        doc: Located | None = None
        anchors: dict[str, tuple[Any, dict, dict]] = {}
        # Stack frames: [container, path, pending_key, key_span, anchor, start_span, seen_keys, merges]
        stack: list[list] = []
        for ev in events:
            name = type(ev).__name__
            if name == "DocumentStartEvent":
                doc = Located(self.file, self.text, None)
                anchors = {}
                stack = []
            elif name == "DocumentEndEvent":
                assert doc is not None
                self.documents.append(doc)
                doc = None
            elif name in ("MappingStartEvent", "SequenceStartEvent"):
                assert doc is not None
                path = self._child_path(stack)
                if path is None:
                    continue
                if len(stack) >= MAX_DEPTH:
                    self.diags.error("RCC0009", f"the document nests deeper than {MAX_DEPTH} levels",
                                     self._span(ev.start_mark, ev.end_mark),
                                     help="flatten the structure; no pipeline needs this depth")
                    raise _Abort()
                self._check_tag(ev)
                container: Any = {} if name == "MappingStartEvent" else []
                start = self._span(ev.start_mark, ev.end_mark)
                mark = len(self.log) if ev.anchor is not None else -1
                # A mapping or list in key position (`[a]: 1`, `? {a: b}`): composed like any
                # value, then reported as a non-string key when it ends.
                as_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is None
                stack.append([container, path, None, None, ev.anchor, start, {}, [], mark, as_key])
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                assert doc is not None
                frame = stack.pop()
                container, path, _, _, anchor, start, _, merges, mark, as_key = frame
                if merges:
                    container = self._apply_merges(container, merges, path, doc)
                end = ev.end_mark
                whole = Span(self.file, start.line, start.column, end.line + 1, end.column + 1)
                doc.spans[path] = whole
                self.log.append((path, whole, False))
                if anchor is not None:
                    anchors[anchor] = self._snapshot(container, path, mark)
                if as_key:
                    self._take_key(stack[-1], container, whole, ev)
                    continue
                self._place(stack, doc, container, path)
            elif name == "ScalarEvent":
                assert doc is not None
                value = self._scalar(ev)
                span = self._span(ev.start_mark, ev.end_mark)
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    self._take_key(stack[-1], value, span, ev)
                    continue
                path = self._child_path(stack)
                if path is None:
                    continue
                doc.spans[path] = span
                self.log.append((path, span, False))
                if ev.anchor is not None:
                    anchors[ev.anchor] = (value, {(): span}, {})
                self._place(stack, doc, value, path)
            elif name == "AliasEvent":
                assert doc is not None
                span = self._span(ev.start_mark, ev.end_mark)
                if ev.anchor not in anchors:  # the parser reports this, but be safe
                    self.diags.error("RCC0011", f"unknown alias *{ev.anchor}", span)
                    raise _Abort()
                value, rel_spans, rel_keys = anchors[ev.anchor]
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    self._take_key(stack[-1], value, span, ev)
                    continue
                path = self._child_path(stack)
                if path is None:
                    continue
                self._charge(len(rel_spans), span)
                for rel, s in rel_spans.items():
                    doc.spans[path + rel] = s
                    self.log.append((path + rel, s, False))
                for rel, s in rel_keys.items():
                    doc.key_spans[path + rel] = s
                    self.log.append((path + rel, s, True))
                doc.spans[path] = span
                self._place(stack, doc, value, path)

    # -- helpers -------------------------------------------------------------------

    def _charge(self, amount: int, span: Span) -> None:
        self.budget -= amount
        if self.budget < 0:
            self.diags.error("RCC0008", "YAML aliases expand to far more data than the file holds (an alias bomb?)",
                             span, help="use fewer nested aliases; rcc bounds expansion to protect CI")
            raise _Abort()

    def _check_tag(self, ev) -> None:
        tag = ev.tag
        if tag is None or tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"):
            return
        self.diags.error("RCC0007", f"unsupported YAML tag {tag}", self._span(ev.start_mark, ev.end_mark),
                         help="remove the tag; rcc reads plain YAML data only")

    def _scalar(self, ev) -> Any:
        tag = ev.tag
        value = ev.value
        plain = ev.implicit[0] if ev.implicit else False
        if tag is None or tag == "!":
            if not (plain and tag is None):
                return value
            try:
                return resolve_plain(value)
            except NumberTooLong as exc:
                self.diags.error("RCC0733", f"a number of {exc.digits:,} digits is too long to read",
                                 self._span(ev.start_mark, ev.end_mark), help=too_long_help(value))
                return value
        std = {
            "tag:yaml.org,2002:str": str,
            "tag:yaml.org,2002:int": int,
            "tag:yaml.org,2002:float": float,
            "tag:yaml.org,2002:bool": lambda v: resolve_plain(v),
            "tag:yaml.org,2002:null": lambda v: None,
        }
        conv = std.get(tag)
        span = self._span(ev.start_mark, ev.end_mark)
        if conv is None:
            self.diags.error("RCC0007", f"unsupported YAML tag {tag}", span,
                             help="remove the tag; rcc reads plain YAML data only")
            return value
        try:
            if conv is int and len(value) > MAX_DIGITS:
                raise NumberTooLong(len(value))
            return conv(value)
        except NumberTooLong as exc:
            self.diags.error("RCC0733", f"a number of {exc.digits:,} digits is too long to read", span,
                             help=too_long_help(value))
            return value
        except ValueError:
            self.diags.error("RCC0007", f"the value {value!r} does not fit its tag {tag}", span,
                             help="remove the tag or fix the value")
            return value

    def _take_key(self, frame: list, key: Any, span: Span, ev) -> None:
        if key == "<<" and getattr(ev, "style", None) in (None, "", ) and type(ev).__name__ == "ScalarEvent":
            frame[2], frame[3] = _MERGE, span
            return
        if isinstance(key, (list, dict)):
            kind = "list" if isinstance(key, list) else "mapping"
            self.diags.error("RCC0004", f"mapping keys must be strings; this key is a {kind}", span,
                             help="write a plain name as the key")
            key = f"<{kind} key at {span.line}:{span.column}>"
        elif not isinstance(key, str):
            shown = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
            self.diags.error("RCC0004", f"mapping keys must be strings; `{shown}` is read as a "
                             f"{_kind_name(type(key).__name__) if key is not None else 'null'}",
                             span, help=f"quote the key: '{shown}'")
            key = shown
        seen: dict = frame[6]
        if key in seen:
            self.diags.error("RCC0003", f"duplicate key `{key}`", span,
                             notes=[f"first written at {seen[key]}"],
                             help="remove one of the two; YAML readers disagree on which one wins")
        else:
            seen[key] = span
        frame[2], frame[3] = key, span

    def _child_path(self, stack: list) -> Path | None:
        if not stack:
            return ()
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, list):
            return frame[1] + (len(container),)
        key = frame[2]
        if key is _MERGE:
            return frame[1] + ("<<",)
        return frame[1] + (key,)

    def _place(self, stack: list, doc: Located, value: Any, path: Path) -> None:
        if not stack:
            doc.data = value
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
            return
        key, key_span = frame[2], frame[3]
        frame[2] = None
        if key is _MERGE:
            frame[7].append((value, key_span))
            return
        if key not in container:
            container[key] = value
        doc.key_spans[path] = key_span
        self.log.append((path, key_span, True))

    def _apply_merges(self, container: dict, merges: list, path: Path, doc: Located) -> dict:
        """`<<: *defaults` (YAML 1.1 merge keys, used by real pipelines): explicit keys win."""
        merged: dict = {}
        for value, span in merges:
            sources = value if isinstance(value, list) else [value]
            for src in sources:
                if not isinstance(src, dict):
                    self.diags.error("RCC0012", "a merge key `<<` needs a mapping or a list of mappings", span,
                                     help="merge an anchored mapping: `<<: *name`")
                    continue
                for k, v in src.items():
                    merged.setdefault(k, v)
        for k, v in container.items():
            merged[k] = v
        return merged

    def _snapshot(self, value: Any, path: Path, mark: int) -> tuple[Any, dict, dict]:
        """Spans of an anchored subtree relative to its root, to replay at each alias.

        The span log is appended in document order, so the subtree's entries are exactly
        those written since the anchored node started: no scan of the whole table.
        """
        n = len(path)
        rel_spans: dict = {}
        rel_keys: dict = {}
        for p, s, is_key in self.log[mark:]:
            if p[:n] == path:
                (rel_keys if is_key else rel_spans)[p[n:]] = s
        rel_keys.pop((), None)
        self._charge(len(rel_spans), rel_spans.get((), Span.point(self.file, 1, 1)))
        return value, rel_spans, rel_keys


_MERGE = object()
