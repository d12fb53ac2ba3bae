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
COMMANDS = ("build", "check", "lint", "schema", "explain", "graph", "simulate")


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
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        sys.stderr.write("rcc: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: never a traceback
        from compiler.commands.common import report_internal_error

        return report_internal_error(exc)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
