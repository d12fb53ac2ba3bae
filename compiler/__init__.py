"""rcc: compile declarative pipeline YAML into Argo Workflows manifests.

Importing this package must stay cheap (rcc runs in pre-commit hooks), so it imports
nothing; each stage lives in its own module and is imported where it is used.
"""

__version__ = "0.1.0"


RUN_AS_COMMAND = False
"""True when this process is the `rcc` command (not a test or an embedding importing us)."""


def _startup_interrupt_handler() -> None:
    """Ctrl-C while the `rcc` entry point is still importing: one line, exit 130.

    Python's default handler would raise KeyboardInterrupt inside whatever module is
    being imported, and the entry-point script has no handler around its import, so
    the user would see a traceback. `cli.main` replaces this handler as soon as it runs.
    Installed only when this process is the `rcc` command, so importing the package
    (tests, embedding) leaves signals alone.
    """
    import os
    import signal
    import sys

    # argv[0] is "-m" while `python -m compiler.cli` is still locating its module.
    if os.path.basename(sys.argv[0] if sys.argv else "") not in ("rcc", "-m"):
        return
    global RUN_AS_COMMAND
    RUN_AS_COMMAND = True

    def interrupted(signum, frame):  # noqa: ARG001 - the signal handler's signature
        try:
            os.write(2, b"rcc: interrupted\n")
        except OSError:
            pass
        os._exit(130)

    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, interrupted)
    except ValueError:
        pass


_startup_interrupt_handler()
