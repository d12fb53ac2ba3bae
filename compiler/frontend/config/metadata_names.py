"""The workflow's name in a configuration (`argoWorkflow.metadata.name` / `generateName`),
checked where it is written with the API server's rules (RCC0877, verify/names.py).

Why in the frontend: the name passes into the manifest untouched, and a name Kubernetes
refuses (upper case, over 253 characters) would otherwise surface only in verify, as an
internal error with no position.
"""

from __future__ import annotations

from typing import Any

from compiler.diagnostics import Diagnostics
from compiler.frontend.load import Located


def check_metadata_names(doc: Located, diags: Diagnostics) -> None:
    from compiler.verify.names import dns_prefix_ok, dns_name_ok, dns_fix

    stack: list[tuple[tuple, Any]] = [((), doc.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))
        elif isinstance(value, dict):
            for key, sub in value.items():
                if key == "metadata" and isinstance(sub, dict):
                    for field, ok in (("name", dns_name_ok), ("generateName", dns_prefix_ok)):
                        text = sub.get(field)
                        if isinstance(text, str) and "{{" not in text and "$" not in text and not ok(text):
                            diags.error("RCC0877", f"`{field}: {text[:80]}{'...' if len(text) > 80 else ''}` is not a "
                                        "name Kubernetes accepts", doc.span(path + (key, field)),
                                        help="use at most 253 lower-case letters, digits, '-' and '.', starting and "
                                        f"ending with a letter or digit, e.g. `{dns_fix(text)[:63]}`")
                else:
                    stack.append((path + (key,), sub))
