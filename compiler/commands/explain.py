"""`rcc explain CODE` / `rcc explain --list`: what a diagnostic means and how to fix it.

The entries are Markdown files, `compiler/explain/RCCxxxx.md`, shipped with the package
so the explanation matches the installed compiler. The first line of each is
`# RCCxxxx: title`, which `--list` shows. `tests/test_explain.py` keeps the entries and
the codes in the source in step.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from compiler.commands.common import EXIT_OK, EXIT_USAGE, add_format_option, print_diagnostics

EXPLAIN_DIR = Path(__file__).resolve().parent.parent / "explain"
_CODE = re.compile(r"RCC\d{4}")


def register(sub) -> None:
    p = sub.add_parser("explain", help="explain a diagnostic code, e.g. rcc explain RCC0402",
                       description="Print what a diagnostic code means, an example that triggers it and the fix. "
                                   "Codes may be written RCC0402, rcc0402 or 0402.")
    p.add_argument("code", nargs="?", metavar="CODE", help="the code, as printed in error[RCC0402]")
    p.add_argument("--list", action="store_true", help="list every code with its title")
    add_format_option(p)
    p.set_defaults(run=run)


def entries() -> dict[str, Path]:
    """Every documented code and its file, sorted by code."""
    return {p.stem: p for p in sorted(EXPLAIN_DIR.glob("RCC[0-9][0-9][0-9][0-9].md"))}


def title_of(path: Path) -> str:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    return first.split(":", 1)[1].strip() if ":" in first else first.lstrip("# ").strip()


def normalise(text: str) -> str:
    """`rcc0402`, `RCC402`, `0402`, `402`, `error[RCC0402]` all mean RCC0402."""
    found = re.search(r"(?i)rcc\s*(\d+)", text)
    digits = found.group(1) if found else re.sub(r"\D", "", text)
    if not digits or len(digits) > 4:
        return text.strip()
    return f"RCC{int(digits):04d}"


def run(args: argparse.Namespace) -> int:
    known = entries()
    if args.list:
        for code, path in known.items():
            sys.stdout.write(f"{code}  {title_of(path)}\n")
        return EXIT_OK
    if not args.code:
        sys.stderr.write("rcc: error: give a code, e.g. `rcc explain RCC0402`, or `rcc explain --list`\n")
        return EXIT_USAGE
    code = normalise(args.code)
    if code in known:
        sys.stdout.write(known[code].read_text(encoding="utf-8"))
        return EXIT_OK
    print_diagnostics([unknown_code(args.code, code, list(known))], args)
    return EXIT_USAGE


def unknown_code(given: str, code: str, known: list[str]):
    """RCC0707 with the nearest documented codes: same range first, then by edit distance."""
    from compiler.diagnostics import Diagnostic, did_you_mean

    if not _CODE.fullmatch(code):
        return Diagnostic("RCC0707", f"`{given}` is not a diagnostic code", None,
                          help="codes look like RCC0402; `rcc explain --list` shows them all")
    same_range = [k for k in known if k[:5] == code[:5]]
    # Digits are not letters: code 0499 is nearer 0409 (its own range) than 0849,
    # although difflib's ratio over all codes prefers the latter.
    guess = did_you_mean(code, same_range) or did_you_mean(code, known)
    if guess:
        help_ = f"did you mean `{guess}`? ({title_of(EXPLAIN_DIR / (guess + '.md'))})"
    elif same_range:
        help_ = f"documented codes near it: {', '.join(same_range[:8])}"
    else:
        help_ = "`rcc explain --list` shows every documented code"
    return Diagnostic("RCC0707", f"no diagnostic has the code {code}", None, help=help_)
