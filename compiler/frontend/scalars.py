"""Plain YAML scalars resolved by the YAML 1.2 core schema, as runnable itself reads them.

`yes`, `on` and `1:20` stay strings (YAML 1.1 would make them booleans and numbers);
`true`, `null`, `0x1F`, `.inf` are what the core schema says.
"""

from __future__ import annotations

import math
import re
from typing import Any

_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})

# Python refuses to turn an integer of more than 4,300 decimal digits into text (or text
# into it): a longer number is refused at its position instead of reaching that limit
# deep inside rcc. Hex and octal digits are counted so their decimal form stays below it.
MAX_DIGITS = 4000
_MAX_HEX = 3300  # 3,300 hex digits < 4,000 decimal digits
_MAX_OCT = 4400  # 4,400 octal digits < 4,000 decimal digits


class NumberTooLong(ValueError):
    """A plain scalar that reads as an integer with more digits than rcc handles."""

    def __init__(self, digits: int) -> None:
        super().__init__(f"{digits} digits")
        self.digits = digits


def resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema.

    Raises NumberTooLong for an integer beyond MAX_DIGITS (callers give it a span)."""
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    first = value[0]
    if first.isdigit() or first in "-+.":
        if _INT.match(value):
            if len(value) > MAX_DIGITS:
                raise NumberTooLong(len(value.lstrip("+-")))
            return int(value)
        if _OCT.match(value):
            if len(value) - 2 > _MAX_OCT:
                raise NumberTooLong(len(value) - 2)
            return int(value[2:], 8)
        if _HEX.match(value):
            if len(value) - 2 > _MAX_HEX:
                raise NumberTooLong(len(value) - 2)
            return int(value[2:], 16)
        if _FLOAT.match(value):
            return float(value)
        if _INF.match(value):
            return -math.inf if value.startswith("-") else math.inf
        if _NAN.match(value):
            return math.nan
    return value


def too_long_help(value: str) -> str:
    """The fix for a NumberTooLong: quoted, it is text; no count or size needs it."""
    return (f"quote it to make it text ('{value[:12]}…'); no field rcc or Argo reads as a number "
            f"takes more than {MAX_DIGITS:,} digits")
