"""The executor configuration: one module per dialect, normalised into `compiler.config.Config`.

`read.py` reads a file in any dialect (`parse_config`, `default_config`, the pydantic
models). This package module imports none of it: importing any submodule runs it first,
and the light ones (`dialects.is_argo_kedro`, `quantities`, `metadata_names`,
`omegaconf_text`) are asked on every `rcc check`, whose fast path must not pay for
pydantic (measured: a pydantic import here made `rcc check` of a 20-step pipeline 2.2x
slower, bin/bench). The names below load `read.py` on first use (PEP 562).
"""

from __future__ import annotations

from typing import Any

_FROM_READ = frozenset({"parse_config", "default_config", "model_at", "SERVICE_KEYS",
                        "DocumentedFile", "Runnable050File", "MagnusFile"})


def __getattr__(name: str) -> Any:
    if name in _FROM_READ:
        from compiler.frontend.config import read

        return getattr(read, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
