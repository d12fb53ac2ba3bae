"""CronWorkflow: schedules parse as standard cron, the timezone exists, policies are known.

Why our own parser: Argo's semantics. Argo checks every schedule with robfig/cron's
`ParseStandard` (workflow/validate/validate.go; workflow/cron/operator.go runs it the
same way): five fields, names, ranges, steps, lists, `@hourly`-style descriptors,
`@every <duration>` and a `TZ=`/`CRON_TZ=` prefix; a malformed schedule is refused at
creation. No library rcc depends on reads cron, and the usual Python one (croniter)
reads another grammar: it takes a sixth (seconds) field and `L` / `#`, which
`ParseStandard` refuses, and knows neither `@every` nor the `TZ=` prefix. So rcc keeps
this small parser of exactly `ParseStandard`'s grammar, which also gives the column of
the bad field.
"""

from __future__ import annotations

import re
from functools import lru_cache

from compiler.verify.findings import Report
from compiler.verify.model import Doc, mapping

FIELDS = (("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
          ("month", 1, 12, {m: i + 1 for i, m in enumerate(
              ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}),
          ("day of week", 0, 6, {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}))
DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
DURATION = re.compile(r"([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+\Z")
POLICIES = ("Allow", "Forbid", "Replace")


def parse_schedule(text: str) -> str | None:
    """None when `text` is a valid standard cron schedule, else what is wrong."""
    s = text.strip()
    if s.startswith(("TZ=", "CRON_TZ=")):
        tz, _, s = s.partition(" ")
        problem = timezone_problem(tz.split("=", 1)[1])
        if problem:
            return problem
        s = s.strip()
    if s.startswith("@"):
        if s in DESCRIPTORS:
            return None
        if s.startswith("@every "):
            return None if DURATION.match(s[7:].strip()) else f"`{s[7:].strip()}` is not a duration (e.g. 1h30m)"
        return f"unknown descriptor `{s}`"
    fields = s.split()
    if len(fields) != 5:
        return f"expected 5 fields (minute hour day-of-month month day-of-week), found {len(fields)}"
    for value, (name, lo, hi, names) in zip(fields, FIELDS):
        problem = _field(value, name, lo, hi, names)
        if problem:
            return problem
    return None


def _number(text: str, name: str, lo: int, hi: int, names: dict[str, int]) -> int | str:
    if text.lower() in names:
        return names[text.lower()]
    if not text.isdigit():
        return f"`{text}` is not a valid {name}"
    n = int(text)
    if not lo <= n <= hi:
        return f"{name} {n} is out of range {lo}-{hi}"
    return n


def _field(value: str, name: str, lo: int, hi: int, names: dict[str, int]) -> str | None:
    for part in value.split(","):
        base, slash, step = part.partition("/")
        if slash and (not step.isdigit() or int(step) == 0):
            return f"`{step}` is not a valid step in the {name} field"
        if base in ("*", "?"):
            continue
        first, dash, last = base.partition("-")
        a = _number(first, name, lo, hi, names)
        if isinstance(a, str):
            return a
        if dash:
            b = _number(last, name, lo, hi, names)
            if isinstance(b, str):
                return b
            if b < a:
                return f"range {base} in the {name} field runs backwards"
    return None


MAX_TIMEZONE = 255


@lru_cache(maxsize=64)
def timezone_problem(tz: str) -> str | None:
    if not tz:
        return None
    from zoneinfo import ZoneInfo, available_timezones

    if len(tz) > MAX_TIMEZONE or tz.count("/") > 8:  # IANA names are short; zoneinfo recurses on parts
        return f"unknown time zone `{tz[:60]}{'…' if len(tz) > 60 else ''}` (an IANA name is at most {MAX_TIMEZONE} characters)"
    try:
        ZoneInfo(tz)
        return None
    except (ValueError, KeyError, OSError, RecursionError):
        if not available_timezones():  # no time zone data on this machine: cannot tell
            return None
        return f"unknown time zone `{tz}`"


def check(doc: Doc, report: Report) -> None:
    if doc.kind != "CronWorkflow":
        return
    spec = mapping(doc.data.get("spec"))
    schedules = spec.get("schedules")
    if isinstance(schedules, list):
        if not schedules:
            report.error("RCC0865", "a CronWorkflow needs at least one schedule", ("spec", "schedules"),
                         help='add a schedule such as "0 * * * *"')
        for i, s in enumerate(schedules):
            if isinstance(s, str):
                problem = parse_schedule(s)
                if problem:
                    report.error("RCC0866", f"schedule `{s}` does not parse: {problem}", ("spec", "schedules", i),
                                 help="write five fields, e.g. `30 2 * * 1-5`, or a descriptor such as `@daily`")
    tz = spec.get("timezone")
    if isinstance(tz, str):
        problem = timezone_problem(tz)
        if problem:
            report.error("RCC0867", problem, ("spec", "timezone"), help="use an IANA name such as `Europe/Paris`")
    policy = spec.get("concurrencyPolicy")
    if isinstance(policy, str) and policy and policy not in POLICIES:
        report.error("RCC0868", f"unknown concurrencyPolicy `{policy}`", ("spec", "concurrencyPolicy"),
                     help="use Allow, Forbid or Replace")
    deadline = spec.get("startingDeadlineSeconds")
    if isinstance(deadline, int) and not isinstance(deadline, bool) and deadline < 0:
        report.error("RCC0869", "startingDeadlineSeconds cannot be negative", ("spec", "startingDeadlineSeconds"),
                     help="use 0 or a positive number of seconds")
