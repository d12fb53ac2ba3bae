"""What every pass receives besides the program: the diagnostics and the build options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from compiler.diagnostics import Diagnostics, Span


@dataclass
class Options:
    """Choices made on the command line (or their defaults)."""

    kind: str | None = None
    """workflow | workflow-template | cron-workflow; None: the configuration's choice
    (cron-workflow when it has a cron_schedule), else workflow."""
    runtime: str | None = None
    """runnable | native; None: the configuration's choice, else runnable."""
    max_size: int = 1024 * 1024
    """Largest manifest in bytes (Argo's 1 MiB by default)."""


@dataclass
class Context:
    diags: Diagnostics = field(default_factory=Diagnostics)
    options: Options = field(default_factory=Options)
    parameter_spans: Mapping[str, Span] = field(default_factory=dict)
    """Where each initial parameter's name was written (the parameters file), for
    diagnostics of passes that judge parameter names against the runtime's own."""
