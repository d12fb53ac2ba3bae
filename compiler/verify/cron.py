"""cron rules (being written)."""

from compiler.verify.findings import Report
from compiler.verify.model import Doc


def check(doc: Doc, report: Report) -> None:
    return None
