"""Fuzz strategies from outside the language: bytes, scalars, files, paths, streams, manifests.

Why separate from fuzzing.py: those mutations are written in rcc's own language, and
100,000 of them found nothing, while an attack from outside it found 38 internal errors
and 7 kinds of hang. These cases reach rcc the way an attacker's input would: as a file
of any bytes, as a special file, as a path or an argument, as a closed or full stream,
as a manifest rcc did not write. Each case is a whole `rcc` process (streams and special
files need one) under a memory and a CPU bound (setrlimit in the child) and a wall-time
bound; it fails when it exits with anything but 0, 1 or 2, prints a traceback or an
internal error (RCC09xx), is killed by a bound, or hangs. `bin/fuzz --hostile` runs them
and prints per-strategy figures; `test_hostile_sample.py` runs a bounded sample.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
MEMORY_BOUND = 1024 * 1024 * 1024  # bytes of address space per rcc process
CPU_BOUND = 30  # seconds of CPU per rcc process
WALL_BOUND = 45.0  # seconds of wall time per rcc process (the machine is shared)

# The child reports its own peak RSS (RUSAGE_CHILDREN would be a maximum over all cases).
_CHILD = ("import resource, sys\nfrom compiler.cli import main\ncode = main(sys.argv[1:])\n"
          "sys.stderr.write('\\nRSS_KB %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
          "sys.exit(code)\n")


@dataclass
class Case:
    strategy: str
    name: str
    argv: list  # str or bytes (a path that is not UTF-8)
    stdout: str = "pipe"  # pipe | closed | full
    files: dict = field(default_factory=dict)  # relative name -> bytes, written in the case folder


@dataclass
class Figures:
    """What one strategy did: inputs, exit codes, the slowest case, the peak RSS."""

    inputs: int = 0
    exit_codes: dict = field(default_factory=dict)
    slowest: tuple = (0.0, "")
    peak_rss_mb: float = 0.0
    failures: list = field(default_factory=list)  # (case name, reason, stderr tail)


def _bounds() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOUND, MEMORY_BOUND))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_BOUND, CPU_BOUND))


def _bounds_stdout_closed() -> None:
    _bounds()
    os.close(1)


def run_case(case: Case, folder: Path, wall: float = WALL_BOUND) -> tuple[int | None, float, float, str]:
    """(exit code or None on a hang, wall seconds, peak RSS MB, stderr) of one bounded process."""
    for name, data in case.files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if case.stdout == "full":
        out = open("/dev/full", "wb")
    elif case.stdout == "closed":
        out = None
    else:
        out = subprocess.PIPE
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    try:
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, *case.argv], cwd=folder, env=env,
                                stdin=subprocess.DEVNULL, stdout=out if out is not None else subprocess.DEVNULL,
                                stderr=subprocess.PIPE, close_fds=True,
                                preexec_fn=_bounds_stdout_closed if case.stdout == "closed" else _bounds)
        try:
            _, err = proc.communicate(timeout=wall)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return None, time.perf_counter() - start, 0.0, ""
    finally:
        if case.stdout == "full" and out is not None:
            out.close()
    text = err.decode("utf-8", "replace")
    lines = text.rstrip().splitlines()
    peak = int(lines.pop()[len("RSS_KB "):]) / 1024 if lines and lines[-1].startswith("RSS_KB ") else 0.0
    return proc.returncode, time.perf_counter() - start, peak, "\n".join(lines)


def judge(code: int | None, stderr: str) -> str | None:
    """Why a case failed, or None."""
    if code is None:
        return "hang"
    if code < 0:
        return f"killed by signal {-code} (a bound?)"
    if code not in (0, 1, 2):
        return f"exit {code}"
    if "Traceback" in stderr:
        return "traceback"
    if "RCC09" in stderr or "MemoryError" in stderr:
        return "internal error"
    return None


# -- seeds -------------------------------------------------------------------------------

def _projects() -> list[tuple[bytes, bytes | None, bytes | None]]:
    out = []
    for folder in sorted([*(ROOT / "examples").glob("*"), *(ROOT / "golden" / "build").glob("*")]):
        p = folder / "pipeline.yaml"
        if p.is_file():
            c, prm = folder / "argo-config.yaml", folder / "parameters.yaml"
            out.append((p.read_bytes(), c.read_bytes() if c.is_file() else None,
                        prm.read_bytes() if prm.is_file() else None))
    return out


def _manifests() -> list[bytes]:
    return [p.read_bytes() for p in sorted([*(ROOT / "golden" / "lint").glob("*/manifest.yaml"),
                                            *(ROOT / "golden" / "simulate").glob("*/manifest.yaml")])]


def _build_case(strategy: str, name: str, pipeline: bytes, config: bytes | None, params: bytes | None,
                command: str = "build") -> Case:
    files = {"pipeline.yaml": pipeline}
    argv: list = [command, "pipeline.yaml"]
    if config is not None:
        files["argo-config.yaml"] = config
        argv += ["-c", "argo-config.yaml"]
    if params is not None:
        files["parameters.yaml"] = params
        argv += ["-p", "parameters.yaml"]
    if command == "build":
        argv += ["-o", "out.yaml"]
    return Case(strategy, name, argv, files=files)


# -- strategies ----------------------------------------------------------------------------

_BYTES = [b"\x00", b"\x1b]0;t\x07", b"\xff", b"\xc3", b"\t", b"\r", b"{{", b"}}", b"'", b'"', b":", b"- ",
          b"&a ", b"*a", b"!!", b"%", b"\xef\xbb\xbf", b"\xe2\x80\xae", b"\n" * 3, b"#", b"[", b"{"]


def _mutate_bytes(r: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(r.randint(1, 8)):
        op = r.randrange(5)
        i = r.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(i, len(b) - 1)] = r.randrange(256)
        elif op == 1:
            b[i:i] = r.choice(_BYTES)
        elif op == 2 and b:
            del b[i:i + r.randint(1, 16)]
        elif op == 3:
            j = r.randrange(len(b) + 1)
            b[i:i] = b[j:j + r.randint(1, 64)] * r.randint(1, 50)
        else:
            b = b[:i]
    return bytes(b)


def s_bytes(r: random.Random) -> Iterator[Case]:
    """Byte-level mutation of the examples, the golden inputs and the golden manifests."""
    projects, manifests = _projects(), _manifests()
    n = 0
    while True:
        n += 1
        if r.random() < 0.6:
            p, c, prm = r.choice(projects)
            which = r.randrange(3 if prm is not None else 2 if c is not None else 1)
            p = _mutate_bytes(r, p) if which == 0 else p
            c = _mutate_bytes(r, c) if which == 1 and c is not None else c
            prm = _mutate_bytes(r, prm) if which == 2 and prm is not None else prm
            yield _build_case("bytes", f"bytes-{n}", p, c, prm, r.choice(["build", "check"]))
        else:
            m = _mutate_bytes(r, r.choice(manifests))
            yield Case("bytes", f"bytes-manifest-{n}", [r.choice(["lint", "simulate"]), "manifest.yaml"],
                       files={"manifest.yaml": m})


_SCALARS = [b"9" * 5000, b"-" + b"9" * 5000, b"0x" + b"f" * 5000, b"0o" + b"7" * 6000, b"99999999999999999999999",
            b"-9223372036854775809", b"9223372036854775807", b"1e999", b"-.inf", b".nan", b"NaN", b"-Infinity",
            b"'{{workflow.name}}'", b"'{{'", b"'" + b"{{" * 20000 + b"'", b"'\\e]0;x\\a'", b"\"\\e[2J\"",
            b"'" + b"x" * 300_000 + b"'", b"\"\\u0000\"", b"\"\\ud800\"", b"'run_id'", b"node", b"'--log-level=DEBUG'",
            b"'" + b"/".join([b"a"] * 3000) + b"'", b"[" * 150 + b"]" * 150, b"''", b"~", b"-1", b"0"]


def s_scalars(r: random.Random) -> Iterator[Case]:
    """Huge and hostile scalars in place of a value (or a key) of a valid input."""
    projects = _projects()
    n = 0
    while True:
        n += 1
        p, c, prm = r.choice(projects)
        target = r.randrange(3)
        doc = [p, c, prm][target]
        if doc is None:
            doc, target = p, 0
        lines = doc.split(b"\n")
        spots = [i for i, line in enumerate(lines) if b": " in line or line.rstrip().endswith(b":")]
        if spots:
            i = r.choice(spots)
            head, _, _ = lines[i].partition(b":")
            value = r.choice(_SCALARS)
            if r.random() < 0.2:  # as a key
                indent = head[:len(head) - len(head.lstrip())]
                lines.insert(i, indent + value[:200] + b": x")
            else:
                lines[i] = head + b": " + value
        doc = b"\n".join(lines)
        parts = [p, c, prm]
        parts[target] = doc
        yield _build_case("scalars", f"scalars-{n}", parts[0], parts[1], parts[2], r.choice(["build", "check"]))


_SPECIAL = ["/dev/zero", "/dev/null", "/dev/urandom", "FIFO", "DIR", "LOOP", "MISSING", "/proc/self/mem", "/dev/stdin"]


def _special_path(name: str, folder_hint: str) -> str:
    return {"FIFO": "fifo.yaml", "DIR": "dir", "LOOP": "loop.yaml", "MISSING": "missing.yaml"}.get(name, name)


def s_special(r: random.Random) -> Iterator[Case]:
    """Special files in every role: a FIFO, a directory, /dev/zero, a symlink loop, ..."""
    p, c, _ = _projects()[0]
    n = 0
    while True:
        n += 1
        special = r.choice(_SPECIAL)
        path = _special_path(special, "")
        role = r.choice(["pipeline", "-c", "-p", "lint", "simulate", "build-check"])
        files = {"pipeline.yaml": p, "argo-config.yaml": c or b"{}\n", ".setup": special.encode()}
        if role == "pipeline":
            argv = ["build", path, "-c", "argo-config.yaml", "-o", "out.yaml"]
        elif role in ("-c", "-p"):
            argv = ["build", "pipeline.yaml", role, path, "-o", "out.yaml"]
        elif role == "build-check":
            argv = ["build", "pipeline.yaml", "-c", "argo-config.yaml", "--check", "-o", path]
        else:
            argv = [role, path]
        yield Case("special", f"special-{special}-{role}-{n}", argv, files=files)


_HOSTILE_DIRS = [b"{{workflow.name}}", b"--log-level=DEBUG", b"-rf", b"d\xff", b"a b", b"new\nline", b"x" * 200,
                 b"$(id)", b"`id`", b"\x1b]0;t\x07", b"..", b"\xe2\x80\xae"]
_HOSTILE_ARGS = [["--max-size", "-5"], ["--max-size", "9" * 40], ["--max-size", "0"], ["--var", b"x=\xff"],
                 ["--var", "=x"], ["--var", "x"], ["--var", "x=" + "9" * 5000], ["--max-size", "1"],
                 ["--kind", "nope"], ["--runtime", "\x1b[2J"], ["--project-root", "/dev/null"],
                 ["--project-root", "missing"], ["--format", "sarif"], ["--format", "github"], ["--", "-x"]]
_SIM_ARGS = [["--max-nodes", "0"], ["--max-nodes", "9" * 30], ["--max-time", "nan"], ["--max-time", "-1"],
             ["--max-time", "1e999"], ["--param", "x"], ["--param", b"run_id=\xff"], ["--output", "a.b=" + "[" * 5000],
             ["--fail", "\x1b[2J"], ["--max-input", "1"], ["--uid", "{{workflow.name}}"]]


def s_paths(r: random.Random) -> Iterator[Case]:
    """Hostile directory names around the pipeline, and hostile arguments."""
    projects, manifests = _projects(), _manifests()
    n = 0
    while True:
        n += 1
        p, c, prm = r.choice(projects[:8])
        if r.random() < 0.5:
            d = r.choice(_HOSTILE_DIRS)
            files = {".git/HEAD": b"ref: x\n", os.fsdecode(d + b"/pipeline.yaml"): p}
            argv: list = ["build", d + b"/pipeline.yaml", "-o", "-"]
            if c is not None:
                files[os.fsdecode(d + b"/argo-config.yaml")] = c
            yield Case("paths", f"paths-dir-{n}", argv, files=files)
        elif r.random() < 0.6:
            case = _build_case("paths", f"paths-arg-{n}", p, c, prm, r.choice(["build", "check"]))
            case.argv += list(r.choice(_HOSTILE_ARGS))
            yield case
        else:
            yield Case("paths", f"paths-sim-arg-{n}", ["simulate", "manifest.yaml", *r.choice(_SIM_ARGS)],
                       files={"manifest.yaml": r.choice(manifests)})


def s_streams(r: random.Random) -> Iterator[Case]:
    """stdout closed or full under every command that writes to it."""
    p, c, _ = _projects()[0]
    manifest = _manifests()[0]
    n = 0
    while True:
        n += 1
        files = {"pipeline.yaml": p, "argo-config.yaml": c or b"{}\n", "manifest.yaml": manifest}
        argv = r.choice([["build", "pipeline.yaml", "-o", "-"], ["schema", "pipeline"], ["schema", "config"],
                         ["lint", "manifest.yaml", "--format", "json"], ["simulate", "manifest.yaml"],
                         ["graph", "pipeline.yaml"], ["explain", "RCC0402"], ["explain", "--list"],
                         ["check", "pipeline.yaml", "--format", "sarif"], ["--help"]])
        yield Case("streams", f"streams-{n}", argv, stdout=r.choice(["closed", "full"]), files=files)


def _hostile_manifest(r: random.Random) -> bytes:
    import json

    def wf(templates, entry="main", **spec):
        return json.dumps({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
                           "metadata": {"generateName": "h-"}, "spec": {"entrypoint": entry, "templates": templates, **spec}})

    leaf = {"name": "leaf", "container": {"image": "busybox", "command": ["true"]}}
    dag = lambda name, tasks: {"name": name, "dag": {"tasks": tasks}}  # noqa: E731
    shapes: list[Callable[[], str]] = [
        lambda: wf([dag("main", [{"name": "a", "template": "main"}])]),
        lambda: wf([dag("main", [{"name": "a", "template": "o"}]), dag("o", [{"name": "b", "template": "main"}])]),
        lambda: wf([dag("main", [{"name": f"t{i}", "template": "leaf"} for i in range(r.choice([100, 3000, 20000]))]), leaf]),
        lambda: wf([dag("main", [{"name": "t", "template": "leaf", "withItems": list(range(r.choice([10, 100000])))}]), leaf]),
        lambda: wf([dag("main", [{"name": f"t{i}", "template": "leaf", **({"depends": f"t{i - 1}"} if i else {})}
                                 for i in range(r.choice([50, 3000]))]), leaf]),
        lambda: wf([dag("main", [{"name": "a", "template": "leaf", "depends": "a"}]), leaf]),
        lambda: wf([dag("main", "abc"), leaf]),  # type: ignore[arg-type]
        lambda: wf([dag("main", [{"name": ["x"], "template": "leaf"}]), leaf]),
        lambda: wf([dag("main", 5), leaf]),  # type: ignore[arg-type]
        lambda: wf(5),  # type: ignore[arg-type]
        lambda: wf([dag("main", [{"name": "a"}]), leaf]),
        lambda: wf([dag("main", [{"name": "a", "template": "leaf", "arguments": {"parameters": True}}]), leaf]),
        lambda: wf([dag("main", [{"name": "a", "template": "leaf"}]), leaf], parallelism=10 ** 30),
        lambda: wf([dag("main", [{"name": "a", "template": "leaf", "when": "{{" * 20000}]), leaf]),
        lambda: wf([dag("main", [{"name": "a", "template": "bad"}]),
                    {"name": "bad", "retryStrategy": {"limit": 10 ** 9}, "container": {"image": "b", "command": ["false"]}}]),
        lambda: wf([dag("main", [{"name": "a", "template": "leaf", "depends": "(" * 3000 + "b" + ")" * 3000}]), leaf]),
        lambda: wf([dag("main", [{"name": "a", "template": "leaf", "withParam": "[" * 3000}]), leaf]),
        lambda: wf([dag("bye", [{"name": "x", "template": "leaf", "onExit": "bye"}]), dag("main", [{"name": "a", "template": "leaf"}]), leaf], onExit="bye"),
    ]
    return r.choice(shapes)().encode()


def s_manifests(r: random.Random) -> Iterator[Case]:
    """Hostile manifests for lint and simulate: recursion, width, depth, wrong types, huge values."""
    n = 0
    while True:
        n += 1
        command = r.choice(["lint", "simulate", "simulate"])
        extra = ["--exec", "--max-time", "5"] if command == "simulate" and r.random() < 0.2 else []
        yield Case("manifests", f"manifests-{n}", [command, "manifest.json", *extra],
                   files={"manifest.json": _hostile_manifest(r)})


STRATEGIES: dict[str, Callable[[random.Random], Iterator[Case]]] = {
    "bytes": s_bytes, "scalars": s_scalars, "special": s_special, "paths": s_paths,
    "streams": s_streams, "manifests": s_manifests,
}


def prepare(case: Case, folder: Path) -> None:
    """Make the special files a case names (a FIFO, a directory, a symlink loop)."""
    setup = case.files.pop(".setup", b"").decode()
    if setup == "FIFO":
        os.mkfifo(folder / "fifo.yaml")
    elif setup == "DIR":
        (folder / "dir").mkdir()
    elif setup == "LOOP":
        os.symlink("loop.yaml", folder / "loop.yaml")


def run_strategies(names: list[str], per_strategy: int, seed: int, root: Path,
                   budget: float | None = None, progress: Callable[[str], None] | None = None) -> dict[str, Figures]:
    """Run `per_strategy` cases of each strategy (or until `budget` seconds, shared evenly)."""
    import tempfile

    out: dict[str, Figures] = {}
    share = budget / len(names) if budget else None
    for name in names:
        r = random.Random(f"{seed}-{name}")
        figures = Figures()
        started = time.perf_counter()
        for case in STRATEGIES[name](r):
            if figures.inputs >= per_strategy or (share and time.perf_counter() - started > share):
                break
            with tempfile.TemporaryDirectory(prefix="case-", dir=root) as tmp:
                folder = Path(tmp)
                prepare(case, folder)
                code, wall, peak, err = run_case(case, folder)
            figures.inputs += 1
            figures.exit_codes[code] = figures.exit_codes.get(code, 0) + 1
            if wall > figures.slowest[0]:
                figures.slowest = (wall, case.name + " " + " ".join(os.fsdecode(a) if isinstance(a, bytes) else a
                                                                     for a in case.argv)[:120])
            figures.peak_rss_mb = max(figures.peak_rss_mb, peak)
            why = judge(code, err)
            if why:
                figures.failures.append((case, why, err[-1500:]))
        out[name] = figures
        if progress:
            progress(f"  {name}: {figures.inputs} inputs, {len(figures.failures)} failures")
    return out
