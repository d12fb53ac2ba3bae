"""Loops: a step or task iterates in at most one way, and a sequence has one bound.

Why: Argo picks one of withItems / withParam / withSequence silently when several are
given in some versions and rejects the manifest in others; a sequence with both `count`
and `end` (or neither) is rejected at submission.
"""

from __future__ import annotations

from compiler.verify.findings import Report
from compiler.verify.model import Doc, each_call

LOOPS = ("withItems", "withParam", "withSequence")


def check(doc: Doc, report: Report) -> None:
    for path, call in each_call(doc):
        present = [k for k in LOOPS if call.get(k) is not None]
        if len(present) > 1:
            report.error("RCC0840", f"`{call.get('name', '?')}` loops in {len(present)} ways: " + ", ".join(present),
                         path + (present[1],), key=True, help="keep exactly one of withItems, withParam, withSequence")
        seq = call.get("withSequence")
        if isinstance(seq, dict):
            has_count, has_end = seq.get("count") is not None, seq.get("end") is not None
            if has_count == has_end:
                report.error("RCC0841", "withSequence needs exactly one of `count` and `end`"
                             + (", not both" if has_count else ""), path + ("withSequence",), key=True,
                             help="write `count: N` (from `start`) or `end: N`, not both")
