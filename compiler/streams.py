"""Standard streams that fail as a diagnostic, never as a traceback.

`rcc build -o - > /dev/full`, `rcc schema >&-` or a reader that went away: Python
raises from a write deep in a command, or again at exit when it flushes what is left
(and then exits 120 with "Exception ignored"). rcc puts a thin raw layer under stdout
and stderr: the first failed write raises `OutputLost` for `cli.main` to report once,
and every later write is dropped, so the final flush is silent.
"""

from __future__ import annotations

import io
import os
import sys


class OutputLost(Exception):
    """Standard output could not be written (closed, full, an I/O error)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _GuardedRaw(io.RawIOBase):
    def __init__(self, fd: int | None, name: str, loud: bool) -> None:
        self._fd = fd
        self._name = name
        self._loud = loud
        self.dead = fd is None

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if self._fd is None:
            raise OSError("standard stream is closed")
        return self._fd

    def isatty(self) -> bool:
        return self._fd is not None and not self.dead and os.isatty(self._fd)

    def write(self, data) -> int:
        size = len(data)
        if self.dead:
            if self._fd is None and self._loud:
                self._fd = -1  # report once
                raise OutputLost(f"{self._name} is closed")
            return size
        try:
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except BrokenPipeError:
            self.dead = True
            raise
        except OSError as exc:
            self.dead = True
            if self._loud:
                raise OutputLost(exc.strerror or str(exc)) from None
        return size


def _wrap(stream, fd: int, name: str, loud: bool):
    try:
        os.fstat(fd)
        usable: int | None = fd
    except OSError:
        usable = None
    raw = _GuardedRaw(usable, name, loud)
    encoding = getattr(stream, "encoding", None) or "utf-8"
    errors = getattr(stream, "errors", None) or "strict"
    line = bool(getattr(stream, "line_buffering", False))
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding, errors=errors, line_buffering=line,
                            write_through=False)


def guard_standard_streams() -> None:
    """Replace sys.stdout and sys.stderr with guarded equivalents (the real ones only).

    Test harnesses that swap in StringIO objects keep theirs: only a stream backed by
    fd 1 or 2, or a missing one (Python sets None when the fd was closed), is wrapped.
    """
    for attr, fd, name, loud in (("stdout", 1, "standard output", True), ("stderr", 2, "standard error", False)):
        stream = getattr(sys, attr)
        if stream is not None:
            try:
                if stream.fileno() != fd:
                    continue
            except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
                continue
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        setattr(sys, attr, _wrap(stream, fd, name, loud))
