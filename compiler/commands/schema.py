"""`rcc schema pipeline|config`: print the JSON Schema an editor validates files with.

The schema is generated from the very models the parser uses (compiler/schemagen.py),
so yaml-language-server's red squiggles and `rcc check` agree on what is allowed.
"""

from __future__ import annotations

import argparse
import sys

from compiler.commands.common import EXIT_OK

KINDS = ("pipeline", "config")


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of pipelines or configurations",
                       description="Print the JSON Schema of a pipeline file (`pipeline`) or an executor "
                                   "configuration (`config`), for editors such as yaml-language-server. "
                                   "The same schemas are published in the repository under schemas/.")
    p.add_argument("kind", choices=KINDS, help="which schema: pipeline or config")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from compiler.schemagen import dumps, schema_for

    sys.stdout.write(dumps(schema_for(args.kind)))
    return EXIT_OK
