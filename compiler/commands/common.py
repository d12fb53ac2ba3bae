"""What every subcommand shares: output options and how diagnostics reach the user."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Iterable

from compiler.diagnostics import Diagnostic

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


FORMATS = ("human", "json", "github", "sarif")

# Sizes given on the command line: at least one byte, at most 1 TiB (beyond that no
# read or comparison is meaningful, and Python's read() refuses the number anyway).
MAX_SIZE_CEILING = 1 << 40
MANIFEST_INPUT_LIMIT = 4 * 1024 * 1024


def size_argument(text: str) -> int:
    """argparse type for BYTES options: a positive whole number up to 1 TiB (else exit 2)."""
    digits = text.strip().replace("_", "")
    if not digits.isdigit() or len(digits) > 20:
        raise argparse.ArgumentTypeError(f"expected a number of bytes, not {text[:40]!r}")
    value = int(digits)
    if not 1 <= value <= MAX_SIZE_CEILING:
        raise argparse.ArgumentTypeError(f"{digits[:40]} bytes is out of range: give 1 to {MAX_SIZE_CEILING:,}")
    return value


def add_input_limit_option(parser: argparse.ArgumentParser) -> None:
    """`--max-input BYTES` for commands that read manifests (lint, simulate)."""
    parser.add_argument("--max-input", type=size_argument, default=MANIFEST_INPUT_LIMIT, metavar="BYTES",
                        help=f"largest file read, in bytes (default: {MANIFEST_INPUT_LIMIT:,}, four times "
                             "Argo's 1 MiB object limit)")


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="human",
        help="how diagnostics are printed: human (default, on stderr), json (one object per line), "
        "github (workflow commands that annotate a pull request), sarif (SARIF 2.1.0, for code "
        "scanning); the last three go to stdout, where CI reads them",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in human output: auto (only on a terminal; NO_COLOR turns it off, FORCE_COLOR on)",
    )


def use_color(args: argparse.Namespace, stream=None) -> bool:
    """--color, then the conventions of https://no-color.org and FORCE_COLOR, then the terminal.

    A non-empty NO_COLOR wins over FORCE_COLOR (both set is a user asking for no colour
    somewhere up the chain); FORCE_COLOR=0 or "false" means not forced, as in Node's tools.
    """
    stream = stream or sys.stderr
    choice = getattr(args, "color", "auto")
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force.strip().lower() not in ("0", "false"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def print_diagnostics(diagnostics: Iterable[Diagnostic], args: argparse.Namespace, sources=None,
                      stdout_taken: bool = False) -> None:
    """Write diagnostics in the chosen format.

    Why two streams: a person reads the human rendering beside the program's output, so it
    goes to stderr; json, github and sarif are reports a program reads, and GitHub reads
    workflow commands from stdout only, so they go to stdout, unless stdout already carries
    the product (`build -o -`), where they fall back to stderr.
    """
    from compiler import render

    items = list(diagnostics)
    fmt = getattr(args, "format", "human")
    stream = sys.stderr
    if fmt == "human":
        lookup = sources or render.read_source
        text = render.render_human(items, lookup, use_color(args)) + render.summary_line(items)
    else:
        text = render.RENDERERS[fmt](items)
        stream = sys.stderr if stdout_taken else sys.stdout
    if text:
        stream.write(text)
        stream.flush()


def print_notes(notes: Iterable[str], args: argparse.Namespace) -> None:
    """What a person should know after a build (the configuration used, where the file went).

    Human output only, on stderr: json and github output are read by programs, which
    want findings, not narration.
    """
    if getattr(args, "format", "human") != "human":
        return
    from compiler.render import inert

    text = "".join(f"note: {inert(n)}\n" for n in notes)
    if text:
        sys.stderr.write(text)
        sys.stderr.flush()


def exit_code_for(diagnostics: Iterable[Diagnostic]) -> int:
    items = list(diagnostics)
    if any(d.code.startswith("RCC09") for d in items):
        return EXIT_INTERNAL
    if any(d.severity == "error" for d in items):
        return EXIT_INPUT
    return EXIT_OK


def internal_error_diagnostic(exc: BaseException) -> Diagnostic:
    """An unexpected exception as a diagnostic: where it happened, and a plea for a report."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}compiler{os.sep}" in f.filename] or frames
    where = f"{os.path.basename(ours[-1].filename)}:{ours[-1].lineno}" if ours else "?"
    return Diagnostic(
        "RCC0900",
        f"internal error: {type(exc).__name__}: {exc} (at {where})",
        None,
        help="this is a bug in rcc, not in your pipeline; please report it with the input that caused it",
    )


def report_internal_error(exc: BaseException) -> int:
    if os.environ.get("RCC_DEBUG"):
        traceback.print_exception(exc)
    sys.stderr.write(f"error[RCC0900]: {internal_error_diagnostic(exc).message}\n"
                     "  = help: this is a bug in rcc, not in your pipeline; please report it "
                     "with the input that caused it\n")
    return EXIT_INTERNAL
