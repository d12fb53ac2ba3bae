"""Command line: argument parsing and exit codes only.

Each subcommand lives in `compiler/commands/<name>.py` and exposes `register(sub)`,
which adds its parser and sets `run`, a function from parsed arguments to an exit code.
Command modules import their heavy stages inside `run`, so `rcc --help` and a
pre-commit `rcc check` pay only for what they use.

Exit codes: 0 ok, 1 the input has errors, 2 usage error, 3 internal error.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from compiler import __version__

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

# The subcommands, in the order `rcc --help` lists them.
COMMANDS = ("build", "check", "lint", "schema", "explain", "graph", "simulate", "importer")


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors, which is our code too; keep its message short."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"rcc: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rcc",
        description="Compile declarative pipeline YAML into Argo Workflows manifests.",
        epilog="Exit codes: 0 ok, 1 the input has errors, 2 usage error, 3 internal error. "
        "`rcc explain CODE` tells what a diagnostic means.",
    )
    parser.add_argument("--version", action="version", version=f"rcc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"compiler.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"compiler.commands.{name}":
                raise
            continue  # a command not built yet is simply absent from --help
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from compiler.streams import OutputLost, guard_standard_streams

    try:
        guard_standard_streams()
        _interrupt_as_exception()
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as stop:  # --help, --version or a usage error: argparse wrote its text
            sys.stdout.flush()  # a closed or full stdout is RCC0732 here, not a traceback at exit
            raise stop
        if not getattr(args, "run", None):
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        code = int(args.run(args))
        sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        _say("rcc: interrupted\n")
        _exit_now_if_command(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OutputLost as lost:
        _say(f"error[RCC0732]: cannot write to standard output: {lost.reason}\n"
             "  = help: send the output somewhere writable (a file with -o PATH, or a pipe)\n")
        return EXIT_INPUT
    except Exception as exc:  # the last line of defence: never a traceback
        from compiler.commands.common import report_internal_error

        return report_internal_error(exc)
    finally:
        _ignore_interrupts()


EXIT_INTERRUPTED = 130


def _interrupt_as_exception() -> None:
    """From here on Ctrl-C raises KeyboardInterrupt, which `main` turns into one line.

    Before `main` runs, compiler/__init__.py's start-up handler answers Ctrl-C (while
    the entry point is still importing); inside `main` an exception lets `finally`
    blocks (temporary files of an atomic write) run.
    """
    import signal

    try:
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.default_int_handler)
    except ValueError:  # not the main thread (an embedding); leave it as it is
        pass


def _exit_now_if_command(code: int) -> None:
    """Exit at once with `code` when this process is the rcc command.

    A KeyboardInterrupt that passed through code run by eval/exec (imports, dataclass
    and namedtuple creation) leaves the interpreter believing it went unhandled, and it
    then kills itself with SIGINT at exit (status -2) whatever `main` returned. Every
    `finally` inside the command has run by now; only the streams remain to flush.
    """
    import compiler

    if not compiler.RUN_AS_COMMAND:
        return
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)


def _ignore_interrupts() -> None:
    """The work is done and its exit code decided: a Ctrl-C now must not turn it into a
    KeyboardInterrupt in the interpreter's shutdown (exit -2, or a traceback)."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        pass


def _say(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
