"""`rcc explain`: every code the compiler can emit is explained, and exercised by a golden case.

Codes are found in the source the way a reader finds them: string literals `RCCxxxx`,
plus the codes the validation-error mapper builds from a prefix (`f"{prefix}01"` with
`code_prefix="RCC02"` is RCC0201). An entry for a code that no longer appears in the
source is an error too, so the explanations cannot drift from the compiler.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from compiler.commands.explain import EXPLAIN_DIR, entries, normalise

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"RCC\d{4}")

# Codes that a golden case cannot trigger on purpose: internal errors (a golden case that
# makes rcc crash would be a bug to fix, not a test), inputs that are not regular files
# (tests/fuzz drives /dev/zero and a directory), Argo's 1 MiB limit in
# `rcc lint` (tests/verify builds the megabyte), and the configuration counterparts of
# pipeline-only mapper codes that no configuration model can produce.
UNTRIGGERABLE = {
    "RCC0900", "RCC0901", "RCC0902", "RCC0703", "RCC0870", "RCC0871",
    "RCC0204", "RCC0205", "RCC0207",
    "RCC0732",  # standard output closed or full: tests/hostile drive >&- and /dev/full
}
# Codes still waiting for a golden case. Keep this SHORT: add the case
# (golden/<suite>/<case>/ with expected.err naming the code) and delete the entry.
MISSING_GOLDEN: set[str] = set()
MISSING_GOLDEN_RANGES: dict[str, str] = {}


def source_codes() -> set[str]:
    """Every code the compiler can emit, from its Python source."""
    codes: set[str] = set()
    prefixes: set[str] = set()
    suffixes: set[str] = set()
    for path in (ROOT / "compiler").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes.update(CODE.findall(text))
        suffixes.update(re.findall(r'f"\{prefix\}(\d\d)"', text))
        prefixes.update(re.findall(r'code_prefix(?:: str)?\s*=\s*"(RCC\d\d)"', text))
    codes.update(p + s for p in prefixes for s in suffixes)
    return codes


def golden_codes() -> set[str]:
    found: set[str] = set()
    for path in ROOT.glob("golden/*/*/expected.err"):
        found.update(CODE.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_source_scan_sees_the_mapper_codes() -> None:
    codes = source_codes()
    assert {"RCC0101", "RCC0109", "RCC0201", "RCC0208", "RCC0402"} <= codes


def test_every_code_in_the_source_has_an_entry() -> None:
    missing = sorted(source_codes() - set(entries()))
    assert not missing, ("write compiler/explain/<CODE>.md (title line, meaning, ## Example, ## Fix) for: "
                         + ", ".join(missing))


def test_every_entry_names_a_code_in_the_source() -> None:
    stale = sorted(set(entries()) - source_codes())
    assert not stale, f"entries for codes the compiler no longer emits: {', '.join(stale)}"


@pytest.mark.parametrize("code", sorted(entries()))
def test_entry_format(code: str) -> None:
    text = (EXPLAIN_DIR / f"{code}.md").read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    assert re.fullmatch(rf"# {code}: \S.*", first), f"{code}.md must start with `# {code}: <title>`"
    assert "## Example" in text and "## Fix" in text, f"{code}.md needs `## Example` and `## Fix` sections"


def test_every_code_has_a_golden_case() -> None:
    wanted = {c for c in source_codes() - UNTRIGGERABLE - MISSING_GOLDEN if c[:5] not in MISSING_GOLDEN_RANGES}
    missing = sorted(wanted - golden_codes())
    assert not missing, ("no golden/*/*/expected.err mentions: " + ", ".join(missing)
                         + " — add a case that triggers each (see golden/README.md)")


def test_the_allow_lists_hold_no_covered_or_unknown_codes() -> None:
    covered = MISSING_GOLDEN & golden_codes()
    assert not covered, f"these now have golden cases; remove them from MISSING_GOLDEN: {sorted(covered)}"
    assert (UNTRIGGERABLE | MISSING_GOLDEN) <= source_codes()


def _rcc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compiler.cli", *args], capture_output=True, text=True,
                          env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})


def test_explain_prints_the_entry() -> None:
    proc = _rcc("explain", "rcc0402")
    assert proc.returncode == 0
    assert proc.stdout == (EXPLAIN_DIR / "RCC0402.md").read_text(encoding="utf-8")


def test_unknown_code_suggests_the_nearest() -> None:
    proc = _rcc("explain", "RCC0499")
    assert proc.returncode == 2
    assert "error[RCC0707]" in proc.stderr and "RCC0409" in proc.stderr
    assert proc.stdout == ""


def test_not_a_code_at_all() -> None:
    proc = _rcc("explain", "hello")
    assert proc.returncode == 2 and "not a diagnostic code" in proc.stderr


def test_list_shows_every_code_with_its_title() -> None:
    proc = _rcc("explain", "--list")
    lines = proc.stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(entries())
    assert "RCC0402  next names no step" in lines


@pytest.mark.parametrize("given", ["RCC0402", "rcc0402", "0402", "402", "error[RCC0402]", "RCC402"])
def test_spellings_of_a_code(given: str) -> None:
    assert normalise(given) == "RCC0402"
