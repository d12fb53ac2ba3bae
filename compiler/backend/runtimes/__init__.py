"""Runtime strategies: how a leaf runs inside its container.

Each module offers the same functions (`command`, `env`, `outputs`, `secret_env`,
`workflow_arguments`, `extra_inputs`, `task_arguments`) so `emit` never names one; the
`choose_backend` pass writes the chosen runtime into `Config.workflow["runtime"]`.
"""

from __future__ import annotations

from types import ModuleType

NAMES = ("runnable", "native")


def pick(program) -> ModuleType:
    name = program.config.workflow.get("runtime") or "runnable"
    if name == "native":
        from compiler.backend.runtimes import native

        return native
    from compiler.backend.runtimes import runnable

    return runnable
