"""hash_dag: a digest of the pipeline's meaning, written into the manifest as an annotation.

The digest is taken over the *parsed* pipeline (defaults filled in, keys sorted), not
over its text, so key order, comments, formatting and anchors do not change it, while
any semantic edit does. (runnable's own dag_hash digests its model dump the same way
but never puts it in the manifest; here a reviewer can see which pipeline a manifest
came from.)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

from compiler.context import Context
from compiler.ir import Program


def hash_dag(program: Program, ctx: Context) -> Program:
    text = json.dumps(program.canonical, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return replace(program, dag_hash=hashlib.sha1(text.encode("ascii")).hexdigest())
