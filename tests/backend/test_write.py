"""Tests for atomic output writing: the previous output survives every failure."""

from __future__ import annotations

import errno
import io
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from compiler.backend import write as write_mod
from compiler.backend.write import write_atomic, write_stdout

REPO = Path(__file__).resolve().parents[2]
OLD = "apiVersion: v1\nkind: Old\n"
NEW = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: é漢字\n"


def anonymous_supported(directory: Path) -> bool:
    """Whether this machine can create and then name an O_TMPFILE file in `directory`."""
    if not getattr(os, "O_TMPFILE", 0):
        return False
    try:
        fd = os.open(directory, os.O_WRONLY | os.O_TMPFILE, 0o600)
    except OSError:
        return False
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.link(f"/proc/self/fd/{fd}", ".probe", dst_dir_fd=dir_fd, follow_symlinks=True)
            os.unlink(".probe", dir_fd=dir_fd)
            return True
        except OSError:
            return False
        finally:
            os.close(dir_fd)
    finally:
        os.close(fd)


@pytest.fixture(params=["anonymous", "named"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Run a test through both temp-file strategies (O_TMPFILE and named hidden file)."""
    if request.param == "anonymous" and not anonymous_supported(tmp_path):
        pytest.skip("O_TMPFILE + linkat not available here")
    if request.param == "named":
        monkeypatch.setattr(write_mod, "_O_TMPFILE", 0)
    return request.param


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "out.yaml"
    path.write_text(OLD, encoding="utf-8")
    return path


def assert_untouched(target: Path) -> None:
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(os.listdir(target.parent)) == [target.name], "temporary file left behind"


# --- success ----------------------------------------------------------------------------


def test_writes_new_file_as_utf8(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "fresh.yaml"
    write_atomic(path, NEW)
    assert path.read_bytes() == NEW.encode("utf-8")
    assert os.listdir(tmp_path) == ["fresh.yaml"]


def test_replaces_existing_file(target: Path, mode: str) -> None:
    write_atomic(target, NEW)
    assert target.read_text(encoding="utf-8") == NEW
    assert os.listdir(target.parent) == [target.name]


@pytest.mark.parametrize(("mask", "expected"), [(0o000, 0o644), (0o022, 0o644), (0o077, 0o600)])
def test_mode_is_0644_masked_by_umask_never_world_writable(
    tmp_path: Path, mode: str, umask: None, mask: int, expected: int
) -> None:
    """Even with umask 0 and a world-writable previous file, o+w is never set."""
    path = tmp_path / "out.yaml"
    path.write_text(OLD)
    path.chmod(0o666)
    os.umask(mask)
    write_atomic(path, NEW)
    file_mode = stat.S_IMODE(path.stat().st_mode)
    assert file_mode == expected
    assert not file_mode & stat.S_IWOTH


def test_symlink_is_followed_and_kept(tmp_path: Path, mode: str) -> None:
    real = tmp_path / "deploy" / "pipeline.yaml"
    real.parent.mkdir()
    real.write_text(OLD)
    link = tmp_path / "out.yaml"
    link.symlink_to(real)
    write_atomic(link, NEW)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == NEW


# --- failures ---------------------------------------------------------------------------


def _enospc_after_first_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write
    calls = []

    def fake_write(fd: int, data: bytes) -> int:
        calls.append(fd)
        if len(calls) == 1:
            return real_write(fd, bytes(data)[:10])  # a partial write, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", fake_write)


def _raise_in(name: str, exc: BaseException):  # noqa: ANN202 - test helper
    def install(monkeypatch: pytest.MonkeyPatch) -> None:
        def fake(*args: object, **kwargs: object) -> None:
            raise exc

        monkeypatch.setattr(os, name, fake)

    return install


FAILURES = {
    "write ENOSPC": _enospc_after_first_chunk,
    "fsync ENOSPC": _raise_in("fsync", OSError(errno.ENOSPC, "No space left on device")),
    "write KeyboardInterrupt": _raise_in("write", KeyboardInterrupt()),
    "fsync EIO": _raise_in("fsync", OSError(errno.EIO, "Input/output error")),
    "replace EACCES": _raise_in("replace", PermissionError(errno.EACCES, "Permission denied")),
    "replace KeyboardInterrupt": _raise_in("replace", KeyboardInterrupt()),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_failure_keeps_previous_output_and_leaves_no_temp_file(
    target: Path, mode: str, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    FAILURES[failure](monkeypatch)
    with pytest.raises(BaseException) as info:
        write_atomic(target, NEW * 1000)
    monkeypatch.undo()
    assert isinstance(info.value, (OSError, KeyboardInterrupt))
    assert_untouched(target)


def test_unencodable_text_changes_nothing(target: Path, mode: str) -> None:
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "bad \ud800")
    assert_untouched(target)


def test_directory_that_is_a_file_raises_enotdir(tmp_path: Path, mode: str) -> None:
    """A parent path component that is a regular file: ENOTDIR, and nothing created."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(NotADirectoryError):
        write_atomic(blocker / "out.yaml", NEW)
    assert os.listdir(tmp_path) == ["file"]
    assert blocker.read_text() == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_by_permissions(target: Path, mode: str) -> None:
    target.parent.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            write_atomic(target, NEW)
    finally:
        target.parent.chmod(0o755)
    assert_untouched(target)


def test_read_only_filesystem_simulated(
    target: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only directory, simulated: EROFS on every attempt to create a file.

    The suite runs as root in CI, where ``chmod 0o555`` does not stop writes (see the
    permission test above, which only runs as a normal user), so creation is made to
    fail the way a read-only mount fails it.
    """
    real_open = os.open
    tmpfile = getattr(os, "O_TMPFILE", 0)

    def fake_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & os.O_CREAT or (tmpfile and flags & tmpfile == tmpfile):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake_open)
    with pytest.raises(OSError) as info:
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert info.value.errno == errno.EROFS
    assert_untouched(target)


_KILLED_CHILD = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, sys.argv[1])
    from compiler.backend import write as write_mod
    if sys.argv[4] == "named":
        write_mod._O_TMPFILE = 0
    real_write = os.write
    def slow_write(fd, data):
        n = real_write(fd, data)
        open(sys.argv[3], "w").close()   # tell the parent: data is going out now
        time.sleep(60)                   # ... and stay mid-write until killed
        return n
    os.write = slow_write
    write_mod.write_atomic(__import__("pathlib").Path(sys.argv[2]), "x: 1\\n" * 800_000)
    """
)


@pytest.mark.parametrize("strategy", ["anonymous", "named"])
def test_sigkill_mid_write_keeps_previous_output(tmp_path: Path, strategy: str) -> None:
    """SIGKILL cannot be caught, so cleanup code cannot help: the design must.

    With O_TMPFILE the temporary file has no name until it is complete, so nothing is
    left behind. The named fallback necessarily leaves its hidden ``.rcc-tmp`` file (the
    target is still intact, which is the promise that matters).
    """
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "out.yaml"
    target.write_text(OLD)
    marker = tmp_path / "started"
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_CHILD, str(REPO), str(target), str(marker), strategy]
    )
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert child.poll() is None, "child exited before it started writing"
            assert time.monotonic() < deadline, "child never started writing"
            time.sleep(0.01)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert target.read_text() == OLD
    leftovers = sorted(set(os.listdir(out_dir)) - {"out.yaml"})
    if strategy == "anonymous" and anonymous_supported(out_dir):
        assert leftovers == []
    else:
        assert all(name.startswith(".out.yaml.") and name.endswith(".rcc-tmp") for name in leftovers)


# --- stdout -----------------------------------------------------------------------------


def test_write_stdout_writes_utf8_bytes() -> None:
    stream = io.BytesIO()
    write_stdout(NEW, stream)
    assert stream.getvalue() == NEW.encode("utf-8")


def test_write_stdout_is_utf8_even_in_an_ascii_locale() -> None:
    script = (
        f"import sys; sys.path.insert(0, {str(REPO)!r});"
        "from compiler.backend.write import write_stdout; write_stdout('name: é漢字\\n')"
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "name: é漢字\n".encode("utf-8")
