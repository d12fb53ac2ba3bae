"""The one way rcc reads a file the user names: a regular file, read with a bound.

Every command reads user files (pipeline, configuration, parameters, manifests for
lint and simulate, the OUT of `build --check`), and each of them could be /dev/zero
(grows until the kernel kills rcc), a FIFO (blocks forever), a directory or a 10 GB
file. So the file is opened without blocking, checked with fstat (a regular file, not
over the limit), and read with at most `limit + 1` bytes: whatever the path names,
rcc answers at once with a diagnostic that gives the limit and how to raise it.
"""

from __future__ import annotations

import os
import stat

from compiler.diagnostics import Diagnostics, Span

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)


def read_bounded(path: str, what: str, limit: int, diags: Diagnostics, raise_with: str,
                 limit_is: str = "the most rcc reads", too_large_help: str | None = None) -> bytes | None:
    """The bytes of `path`, or None after an RCC0701-RCC0704 diagnostic.

    `what` names the file in messages ("pipeline file", "manifest"); `raise_with` is
    the option that raises `limit` ("--max-size BYTES"), quoted in the help;
    `limit_is` says where the limit comes from, `too_large_help` replaces the help.
    """
    shown = printable_path(path)
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        diags.error("RCC0701", f"cannot read the {what} `{shown}`: no such file", None,
                    help="check the path (it is relative to the current directory)")
        return None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        diags.error("RCC0701", f"cannot read the {what} `{shown}`: {reason}", None,
                    help="check the path and its permissions")
        return None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            diags.error("RCC0702", f"the {what} `{shown}` is a directory, not a file", None,
                        help=f"name the {what} itself")
            return None
        if not stat.S_ISREG(info.st_mode):
            diags.error("RCC0703", f"the {what} `{shown}` is not a regular file", None,
                        help=f"name a {what} on disk (write a stream to a file first)")
            return None
        if info.st_size > limit:
            _too_large(shown, what, limit, diags, too_large_help or _raise_help(raise_with), limit_is)
            return None
        os.set_blocking(fd, True)
        data = _read_at_most(fd, limit + 1)
    except OSError as exc:
        diags.error("RCC0701", f"cannot read the {what} `{shown}`: {exc.strerror or exc}", None,
                    help="check the path and its permissions")
        return None
    finally:
        os.close(fd)
    if len(data) > limit:  # the file grew after fstat, or fstat under-reports (procfs)
        _too_large(shown, what, limit, diags, too_large_help or _raise_help(raise_with), limit_is)
        return None
    return data


def read_stream_bounded(stream, shown: str, what: str, limit: int, diags: Diagnostics, raise_with: str) -> bytes | None:
    """At most `limit` bytes of an open binary stream (stdin), or None after RCC0704."""
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        diags.error("RCC0701", f"cannot read the {what} `{shown}`: {exc.strerror or exc}", None,
                    help="check what is piped into rcc")
        return None
    if len(data) > limit:
        _too_large(shown, what, limit, diags, _raise_help(raise_with), "the most rcc reads")
        return None
    return data


def _read_at_most(fd: int, count: int) -> bytes:
    chunks: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _raise_help(raise_with: str) -> str:
    return f"check that the right file was named; split it, or raise the limit with {raise_with}"


def _too_large(shown: str, what: str, limit: int, diags: Diagnostics, help: str, limit_is: str) -> None:
    diags.error("RCC0704", f"the {what} `{shown}` is larger than {limit:,} bytes, {limit_is}",
                Span.point(shown, 1, 1), help=help)


def printable_path(path: str) -> str:
    """A path as text that can be printed and encoded: undecodable bytes become \\xNN.

    A file name is bytes on POSIX; Python carries the bytes that are not UTF-8 as lone
    surrogates, which no UTF-8 stream (stderr, JSON, the manifest) can encode.
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        raw = os.fsencode(path)
        return raw.decode("utf-8", "backslashreplace")
