"""The write stage's last step: put the manifest text on disk (or stdout) safely.

Why this is more than ``path.write_text``: rcc runs in CI and pre-commit hooks, and its
output is usually a checked-in file that Argo is later pointed at. Writing it in place
means an interrupted run (Ctrl-C, a killed CI job, a full disk) leaves a truncated
manifest that still parses as YAML and gets applied. So the text goes to a temporary
file in the target's own directory (``rename`` is only atomic within one filesystem),
is flushed and fsynced (so a crash after the rename cannot expose an empty file), and
only then replaces the target with ``os.replace``. Readers see the old file or the new
one, never a mixture, and any failure removes the temporary file and re-raises.

On Linux the temporary file is first created *anonymous* (``O_TMPFILE``): it has no
name until all the data is written and synced, so even SIGKILL mid-write, which no
cleanup code can catch, leaves nothing behind. It is then given a name and renamed over
the target. Where that is unavailable (other systems, filesystems without O_TMPFILE,
no ``/proc``) a uniquely named hidden temporary file is used instead.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

__all__ = ["write_atomic", "write_stdout"]

# Requested permission bits. The kernel masks them with the user's umask (so a umask of
# 0o077 gives 0o600); 0o644 itself carries no group/other write bit, so the result is
# never world-writable, even with a umask of 0o000.
_MODE = 0o644

_CHUNK = 1 << 20

# errno values meaning "this directory cannot do O_TMPFILE / linking it by /proc": fall
# back to a named temporary file. Anything else (EACCES, ENOSPC, EROFS ...) is a real
# failure that the named path would hit too, so it propagates.
_NO_ANONYMOUS = frozenset(
    {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.EXDEV, errno.ENOSYS}
)

_O_TMPFILE = getattr(os, "O_TMPFILE", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _write_all(fd: int, data: bytes) -> None:
    """os.write may write less than asked (signals, pipes, quotas): loop until done."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:_CHUNK])
        view = view[written:]


def _temp_name(target: str, attempt: int) -> str:
    # Hidden, recognisably ours, and unique per process and attempt.
    return f".{target}.{os.getpid()}.{attempt}.rcc-tmp"


def _open_named(dir_fd: int, target: str) -> tuple[int, str]:
    for attempt in range(1000):
        name = _temp_name(target, attempt)
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_CLOEXEC
            return os.open(name, flags, _MODE, dir_fd=dir_fd), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", target)


def _link_anonymous(fd: int, dir_fd: int, target: str) -> str | None:
    """Give the anonymous file a name in the directory; None if this system cannot.

    ``dst_dir_fd`` makes Python call linkat(2) with AT_SYMLINK_FOLLOW, which resolves
    the ``/proc/self/fd`` magic link to the open file (plain link(2) does not).
    """
    for attempt in range(1000):
        name = _temp_name(target, attempt)
        try:
            os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=dir_fd, follow_symlinks=True)
            return name
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno in _NO_ANONYMOUS or exc.errno == errno.ENOENT:
                return None
            raise
    raise FileExistsError(errno.EEXIST, "no free temporary file name", target)


def _write_file(dir_fd: int, target: str, data: bytes, anonymous: bool) -> str | None:
    """Write `data` to a synced temporary file in the directory; return its name.

    Returns None when `anonymous` was asked for but the system turned out unable to
    name the file (the caller then retries with a named temporary file). On failure,
    any temporary file this created is removed before the exception propagates.
    """
    name: str | None = None
    if anonymous:
        fd = os.open(".", os.O_WRONLY | _O_TMPFILE | _O_CLOEXEC, _MODE, dir_fd=dir_fd)
    else:
        fd, name = _open_named(dir_fd, target)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
            if anonymous:
                name = _link_anonymous(fd, dir_fd, target)
        finally:
            os.close(fd)
    except BaseException:
        if name is not None:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=dir_fd)
        raise
    return name


def write_atomic(path: Path, text: str) -> None:
    """Replace the file at `path` with UTF-8 `text`, all or nothing.

    Afterwards the file holds exactly `text`, with mode 0o644 masked by the umask; if
    anything fails (full disk, permission denied, read-only filesystem, Ctrl-C) the
    exception propagates, the previous file is untouched and no temporary file is left.
    A symlink at `path` is followed, so the file it points to is replaced and the link
    survives (output paths are sometimes links into a deployment repository).
    """
    data = text.encode("utf-8")  # before touching the disk: an encoding error changes nothing
    target = os.path.realpath(path)
    if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):
        # A device or pipe (`-o /dev/null`, `-o /dev/stdout`): renaming over it would
        # replace the device node itself, so write into it instead.
        with open(target, "wb") as f:
            f.write(data)
        return
    directory, name = os.path.split(target)
    dir_fd = os.open(directory or ".", os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    try:
        temp: str | None = None
        if _O_TMPFILE and os.path.isdir("/proc/self/fd"):
            try:
                temp = _write_file(dir_fd, name, data, anonymous=True)
            except OSError as exc:
                if exc.errno not in _NO_ANONYMOUS:
                    raise
        if temp is None:
            temp = _write_file(dir_fd, name, data, anonymous=False)
        try:
            os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=dir_fd)
            raise
        # Make the rename itself durable. Best effort: some filesystems refuse to fsync
        # a directory, and the new content is already safely in place either way.
        with contextlib.suppress(OSError):
            os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_stdout(text: str, stream: BinaryIO | None = None) -> None:
    """Write `text` as UTF-8 to stdout (``-o -``), whatever the locale's encoding.

    The manifest is UTF-8 by definition, so the bytes are written to the binary stream
    rather than through a text layer that might encode for a C/POSIX locale and fail on
    the first non-ASCII character. If the reader has gone away (``rcc build -o - |
    head``), BrokenPipeError propagates for the CLI to turn into an exit code; stdout is
    first pointed at /dev/null so that Python's final flush at exit does not print a
    second, confusing traceback.
    """
    if stream is None:
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # stdout replaced by a text-only object (tests, embedding)
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        stream = buffer
    try:
        stream.write(text.encode("utf-8"))
        stream.flush()
    except BrokenPipeError:
        if stream is getattr(sys.stdout, "buffer", None):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        raise
