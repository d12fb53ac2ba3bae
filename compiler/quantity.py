"""Kubernetes resource quantities: one grammar for everything rcc reads or writes.

Why a regular expression and not a .lark grammar: the grammar of
k8s.io/apimachinery/pkg/api/resource (quantity.go) is regular and tiny,

    <quantity>  ::= <sign>? <number> <suffix>
    <number>    ::= <digits> | <digits> "." <digits>? | "." <digits>
    <suffix>    ::= "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"      (binary SI)
                  | "m" | "k" | "M" | "G" | "T" | "P" | "E"         (decimal SI)
                  | ("e" | "E") <sign>? <digits>                     (decimal exponent)

so one anchored pattern states it exactly, with no parser to build or import on the
configuration fast path. The API server also refuses a negative request or limit, and
a request above its limit; `problem` and `request_over_limit` say so with the fix.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

QUANTITY = re.compile(r"(?P<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
                      r"(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[mkMGTPE])?\Z")
BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
DECIMAL = {"m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_UNIT_WORDS = re.compile(r"(?i)\s*(v?cpus?|cores?)\s*\Z")
_BYTES = re.compile(r"(?P<n>[0-9.]+)\s*(?P<p>[kKmMgGtTpPeE])(?:i?[bB])\Z")


def value(q: Any) -> Decimal | None:
    """The quantity's value as a number, or None when it is not a quantity (or is a placeholder)."""
    if isinstance(q, bool):
        return None
    if isinstance(q, (int, float)):
        try:
            return Decimal(str(q))
        except InvalidOperation:
            return None
    if not isinstance(q, str):
        return None
    m = QUANTITY.match(q)
    if m is None:
        return None
    number = Decimal(m.group("number"))
    suffix = m.group("suffix") or ""
    if suffix in BINARY:
        return number * (Decimal(1024) ** BINARY[suffix])
    if suffix[:1] in ("e", "E") and len(suffix) > 1:
        return number.scaleb(int(suffix[1:]))
    return number.scaleb(DECIMAL[suffix])


def suggestion(q: Any, resource: str = "") -> str | None:
    """The quantity the user most likely meant: `4GB` -> `4Gi`, `2 cores` -> `2`."""
    if not isinstance(q, str):
        return None
    text = q.strip()
    words = _UNIT_WORDS.search(text)
    if words:
        text = text[:words.start()]
    m = _BYTES.match(text)
    if m:
        prefix = m.group("p").upper()
        text = f"{m.group('n')}{'Ki' if prefix == 'K' else prefix + 'i'}"
    text = re.sub(r"\s+", "", text)
    if text.startswith("-"):
        text = text[1:]
    return text if QUANTITY.match(text) and text != q else None


def problem(q: Any, resource: str = "") -> tuple[str, str] | None:
    """(what is wrong, help) for a value that is not a valid non-negative quantity, else None.

    A string holding an Argo placeholder (`{{inputs.parameters.mem}}`) is left to run time.
    """
    if isinstance(q, str) and "{{" in q:
        return None
    v = value(q)
    shown = f"`{q}`" if isinstance(q, str) else f"`{q!r}`"
    fix = suggestion(q, resource)
    if fix is not None and re.fullmatch(r"[0-9.]+", fix):
        fix = f'"{fix}"'
    if v is None:
        what = f"{shown} is not a Kubernetes quantity"
        hint = f"write `{fix}`" if fix else "write a number with an optional suffix"
        if resource == "cpu":
            hint += " (cores, e.g. \"2\", or millicores, e.g. 500m)"
        elif resource in ("memory", "storage", "ephemeral-storage") or resource.startswith("hugepages-"):
            hint += " (bytes with a suffix: Ki Mi Gi Ti for powers of 1024, k M G T for powers of 1000)"
        return what, hint
    if v < 0:
        return f"{shown} is negative; the API server refuses negative requests and limits", \
            f"write `{fix}`" if fix else "write zero or more"
    return None


def request_over_limit(request: Any, limit: Any) -> bool:
    """True when both parse and the request is above the limit (Kubernetes refuses the pod)."""
    r, lim = value(request), value(limit)
    return r is not None and lim is not None and r > lim
