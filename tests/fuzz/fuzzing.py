"""Mutation fuzzing of rcc's inputs, run in-process through the CLI entry (`compiler.cli.main`).

Why in-process: a subprocess per case costs ~0.3 s of interpreter start, so 100,000
cases would take hours; calling `main(argv)` with stdout/stderr captured exercises the
same code a user runs (argument parsing, the internal-error guard, rendering) at a few
milliseconds a case. A case *fails* when an exception escapes `main`, when rcc reports an
internal error (exit 3 or an RCC09xx diagnostic: a traceback turned into a message is
still a bug), or when it runs past its time limit (a hang). Used by `bin/fuzz` and by
the bounded sample in `test_fuzz_sample.py`.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import resource
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]


class CaseTimeout(BaseException):
    """A BaseException, so rcc's own `except Exception` guard cannot swallow it."""


@dataclass
class Case:
    name: str
    pipeline: bytes
    config: bytes | None = None
    parameters: bytes | None = None
    command: str = "check"


@dataclass
class Failure:
    case: Case
    kind: str  # traceback | internal | hang
    detail: str


@dataclass
class Report:
    cases: int = 0
    failures: list[Failure] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    exit_codes: dict[int, int] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(1 for f in self.failures if f.kind == kind)


def seeds() -> list[tuple[bytes, bytes | None, bytes | None]]:
    """Valid (pipeline, config, parameters) triples: the examples and golden build inputs."""
    out = []
    for folder in sorted([*(ROOT / "examples").glob("*"), *(ROOT / "golden" / "build").glob("*")]):
        p = folder / "pipeline.yaml"
        if not p.is_file():
            continue
        c, prm = folder / "argo-config.yaml", folder / "parameters.yaml"
        out.append((p.read_bytes(), c.read_bytes() if c.is_file() else None,
                    prm.read_bytes() if prm.is_file() else None))
    return out


# -- mutations -------------------------------------------------------------------------

def _lines(b: bytes) -> list[bytes]:
    return b.split(b"\n")


def m_delete_line(r: random.Random, b: bytes) -> bytes:
    ls = _lines(b)
    del ls[r.randrange(len(ls))]
    return b"\n".join(ls)


def m_duplicate_line(r: random.Random, b: bytes) -> bytes:
    ls = _lines(b)
    i = r.randrange(len(ls))
    ls.insert(i, ls[i])
    return b"\n".join(ls)


def m_swap_lines(r: random.Random, b: bytes) -> bytes:
    ls = _lines(b)
    i, j = r.randrange(len(ls)), r.randrange(len(ls))
    ls[i], ls[j] = ls[j], ls[i]
    return b"\n".join(ls)


_VALUES = [b"1", b"-1", b"0", b"99999999999999999999999999999999999999999", b"1e999", b"-1e999", b".nan", b".inf",
           b"-.inf", b"1e-400", b"null", b"~", b"true", b"no", b"[]", b"{}", b"[1, [2, [3]]]", b"{a: {b: c}}",
           b"''", b'"\\u0000"', b"!!binary aGVsbG8=", b"!!python/object:os.system x", b"&a x", b"*a", b"*nope",
           b"'{{workflow.name}}'", b"$(reboot)", b"`id`", b"\"a\\nb: c\"", b"- x", b"? x", b"| \n  block",
           b"0x1F", b"0o17", b"1_000", b"2001-12-14", b"'" + b"x" * 70_000 + b"'", b"<<: *a", b"!custom 1"]


def m_replace_value(r: random.Random, b: bytes) -> bytes:
    ls = _lines(b)
    candidates = [i for i, line in enumerate(ls) if b":" in line]
    if not candidates:
        return b
    i = r.choice(candidates)
    head = ls[i].split(b":", 1)[0]
    ls[i] = head + b": " + r.choice(_VALUES)
    return b"\n".join(ls)


def m_replace_key(r: random.Random, b: bytes) -> bytes:
    ls = _lines(b)
    candidates = [i for i, line in enumerate(ls) if b":" in line]
    if not candidates:
        return b
    i = r.choice(candidates)
    head, tail = ls[i].split(b":", 1)
    indent = head[: len(head) - len(head.lstrip())]
    key = r.choice([b"type", b"next", b"on_failure", b"steps", b"branches", b"branch", b"start_at", b"1", b"null",
                    b"true", b"[a]", b"? {a: b}", b"<<", b"x" * 300, b"\xc3\xa9t\xc3\xa9", b"dag", b"overrides"])
    ls[i] = indent + key + b":" + tail
    return b"\n".join(ls)


def m_bytes(r: random.Random, b: bytes) -> bytes:
    if not b:
        return bytes([r.randrange(256)])
    ba = bytearray(b)
    for _ in range(r.randint(1, 8)):
        op = r.randrange(3)
        i = r.randrange(len(ba) + 1)
        if op == 0:
            ba.insert(i, r.randrange(256))
        elif op == 1 and i < len(ba):
            del ba[i]
        elif i < len(ba):
            ba[i] = r.randrange(256)
    return bytes(ba)


_SPECIALS = [b"\xef\xbb\xbf", b"\t", b"\x00", b"\r", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x80\xa8", b"\xc2\x85",
             b"{{", b"}}", b"'", b'"', b"#", b"&", b"*", b"!", b"|", b">", b"%", b"@", b"`", b"---\n", b"...\n",
             b"\n  ", b": ", b"- ", b"\\", b"\xf0\x9f\x9a\x80"]


def m_insert_special(r: random.Random, b: bytes) -> bytes:
    i = r.randrange(len(b) + 1)
    return b[:i] + r.choice(_SPECIALS) + b[i:]


def m_truncate(r: random.Random, b: bytes) -> bytes:
    return b[: r.randrange(len(b) + 1)]


def m_bom(r: random.Random, b: bytes) -> bytes:
    return b"\xef\xbb\xbf" + b


def m_tabs(r: random.Random, b: bytes) -> bytes:
    return b.replace(b"  ", b"\t", r.randint(1, 5))


def m_splice(r: random.Random, b: bytes) -> bytes:
    ls = _lines(b)
    i, j = sorted((r.randrange(len(ls)), r.randrange(len(ls))))
    k = r.randrange(len(ls))
    return b"\n".join(ls[:k] + ls[i:j + 1] + ls[k:])


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    m_delete_line, m_duplicate_line, m_swap_lines, m_replace_value, m_replace_value, m_replace_key, m_bytes,
    m_insert_special, m_insert_special, m_truncate, m_bom, m_tabs, m_splice,
]


def mutated(r: random.Random, seed: tuple[bytes, bytes | None, bytes | None], index: int) -> Case:
    pipeline, config, params = seed
    roles = ["pipeline"] * 3 + (["config"] * 2 if config else []) + (["parameters"] if params else [])
    role = r.choice(roles)
    steps = r.choice([1, 1, 1, 2, 3, 5])
    data = {"pipeline": pipeline, "config": config, "parameters": params}[role] or b""
    names = []
    for _ in range(steps):
        m = r.choice(MUTATIONS)
        names.append(m.__name__[2:])
        data = m(r, data)
    parts = {"pipeline": pipeline, "config": config, "parameters": params, role: data}
    return Case(f"#{index} {role}:{'+'.join(names)}", parts["pipeline"], parts["config"], parts["parameters"],
                r.choice(["check", "check", "build"]))


# -- hostile shapes that no small mutation reaches ----------------------------------------

def big_cases() -> list[Case]:
    """Resource attacks; each must end in a diagnostic, within the per-case limit."""
    deep_flow = b"dag: " + b"[" * 1000 + b"]" * 1000 + b"\n"
    deep_block = b"".join(b"  " * i + b"a:\n" for i in range(1000)) + b"  " * 1000 + b"x\n"
    nested = _nested_parallel(150)
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n".encode() for i in range(9))
    bomb = b"dag:\n  start_at: s\n  steps: {}\n" + bomb
    return [
        Case("deep flow nesting x1000", deep_flow),
        Case("deep block nesting x1000", deep_block),
        Case("parallel nested 150 deep", nested, command="build"),
        Case("alias bomb 10^10", bomb),
        Case("10,000 sequential steps", _chain(10_000), command="build"),
        Case("huge int / float / nan", b"dag: {start_at: 99999999999999999999999999999999999999, steps: "
             b"{a: {type: task, command: 1e999, max_attempts: 1e999, next: .nan}}}\n"),
        Case("only a BOM", b"\xef\xbb\xbf"),
        Case("NUL bytes", b"dag:\x00\n  start_at: a\n"),
        Case("invalid UTF-8", b"dag:\n  start_at: \xff\xfe\n"),
        Case("empty", b""),
        Case("two documents", b"dag: {}\n---\ndag: {}\n"),
        Case("scalar root", b"42\n"),
    ]


def _chain(n: int) -> bytes:
    lines = ["dag:", "  start_at: s0", "  steps:"]
    for i in range(n):
        lines.append(f"    s{i}: {{type: task, command: pkg.f, next: {'s%d' % (i + 1) if i < n - 1 else 'success'}}}")
    lines += ["    success: {type: success}", "    fail: {type: fail}"]
    return ("\n".join(lines) + "\n").encode()


def _nested_parallel(depth: int) -> bytes:
    graph: dict = {"start_at": "leaf", "steps": {"leaf": {"type": "stub", "next": "s"}, "s": {"type": "success"},
                                                 "f": {"type": "fail"}}}
    for _ in range(depth):
        graph = {"start_at": "p", "steps": {"p": {"type": "parallel", "next": "s", "branches": {"b": graph}},
                                            "s": {"type": "success"}, "f": {"type": "fail"}}}
    return json.dumps({"dag": graph}).encode()


# -- running ---------------------------------------------------------------------------

def run_case(case: Case, folder: Path, config_default: bytes, timeout: float) -> tuple[int | None, str, float]:
    """(exit code or None if an exception escaped, captured stderr or the error, seconds)."""
    from compiler.cli import main

    pipeline = folder / "pipeline.yaml"
    pipeline.write_bytes(case.pipeline)
    config = folder / "argo-config.yaml"
    config.write_bytes(case.config if case.config is not None else config_default)
    argv = [case.command, str(pipeline), "-c", str(config), "--color", "never"]
    if case.parameters is not None:
        (folder / "parameters.yaml").write_bytes(case.parameters)
        argv += ["-p", str(folder / "parameters.yaml")]
    if case.command == "build":
        argv += ["-o", str(folder / "out.yaml")]
    out, err = io.StringIO(), io.StringIO()
    signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code: int | None = main(argv)
        text = err.getvalue()
    except CaseTimeout:
        code, text = -1, "timeout"
    except SystemExit as exc:  # argparse's usage errors are a legitimate exit
        code, text = int(exc.code or 0), err.getvalue()
    except BaseException as exc:  # noqa: BLE001 - this is what we are looking for
        import traceback

        code, text = None, "".join(traceback.format_exception(exc))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return code, text, time.perf_counter() - start


def _on_alarm(signum, frame):  # pragma: no cover - only on a hang
    raise CaseTimeout()


def fuzz(cases: int, seed: int, timeout: float, folder: Path, big: bool = True,
         progress: Callable[[int], None] | None = None) -> Report:
    signal.signal(signal.SIGALRM, _on_alarm)
    r = random.Random(seed)
    pool = seeds()
    default_config = pool[0][1] or b""
    report = Report()
    todo: list[Case] = big_cases() if big else []
    for i in range(cases):
        case = todo[i] if i < len(todo) else mutated(r, r.choice(pool), i)
        code, text, seconds = run_case(case, folder, default_config, timeout)
        report.cases += 1
        report.exit_codes[code if code is not None else -2] = report.exit_codes.get(code if code is not None else -2, 0) + 1
        if seconds > report.slowest[0]:
            report.slowest = (seconds, case.name)
        if code is None:
            report.failures.append(Failure(case, "traceback", text))
        elif code == -1:
            report.failures.append(Failure(case, "hang", f"over {timeout} s"))
        elif code == 3 or "RCC09" in text:
            report.failures.append(Failure(case, "internal", text))
        if progress and (i + 1) % 1000 == 0:
            progress(i + 1)
    return report


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
