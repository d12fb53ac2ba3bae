"""The small programs the native runtime's containers run (`python -c` / `sh -c` text).

Why generated text and not a helper package: the image holds only the user's code, so
everything a pod needs travels in its command. Each program is short, written out in
full in the manifest (reviewable in the Argo UI), and the same bytes on every build.

The value encoding is the one initial parameters already use (runtimes/runnable.py
`scalar_text`): a string that does not parse as JSON is written as itself, anything
else as JSON; a reader JSON-decodes and falls back to the text. A shell task's exported
text therefore reads back exactly as runnable's `json.loads`-or-text reads it.
"""

from __future__ import annotations

import shlex

OUTPUTS_DIR = "/tmp/rcc-outputs"
"""Where a step writes its returned values, one file per name (also `$RCC_OUTPUTS`)."""
FAN_DIR = "/tmp/rcc-fan"
"""Where a fan-out writes the map's list or the conditional's choice."""

_READ = (
    "import json, os, sys\n"
    "def _value(text):\n"
    "    try:\n"
    "        return json.loads(text)\n"
    "    except ValueError:\n"
    "        return text\n"
)
_PRELUDE = _READ + (
    "def _text(value):\n"
    "    if isinstance(value, str):\n"
    "        try:\n"
    "            json.loads(value)\n"
    "        except ValueError:\n"
    "            return value\n"
    "    return json.dumps(value)\n"
    "def _write(folder, name, text):\n"
    "    os.makedirs(folder, exist_ok=True)\n"
    "    with open(os.path.join(folder, name), 'w') as fh:\n"
    "        fh.write(text)\n"
)


def python_task(command: str, names: list[str], returns: list[str]) -> str:
    """Call `module.function` with the visible values its signature names; write its returns.

    runnable 0.50 (runnable/tasks.py): with `returns`, a value that is not a tuple is made
    a one-tuple, and a tuple of another length fails the step; a pydantic model is
    dumped; without `returns` the return value is dropped.
    """
    module, _, function = command.rpartition(".")
    text = (_PRELUDE if returns else _READ) + (
        "import importlib, inspect\n"
        f"f = getattr(importlib.import_module({module!r}), {function!r})\n"
        f"names = {names!r}\n"
        + ("r = " if returns else "")
        + "f(**{k: _value(os.environ[k]) for k in inspect.signature(f).parameters\n"
        f"     if k in names and os.environ.get(k, {ABSENT!r}) != {ABSENT!r}}})\n"
    )
    if returns:
        text += (
            f"returns = {returns!r}\n"
            "r = r if isinstance(r, tuple) else (r,)\n"
            "if len(r) != len(returns):\n"
            "    sys.exit(f'rcc: {len(r)} values returned, `returns` names {len(returns)}')\n"
            "for n, v in zip(returns, r):\n"
            "    v = v.model_dump(by_alias=True) if hasattr(v, 'model_dump') else v\n"
            "    _write(os.environ['RCC_OUTPUTS'], n, _text(v))\n"
        )
    return text


ABSENT = "<rcc: absent>"
"""dataflow.ABSENT: a value a branch may end without; readers treat it as not set."""


def shell_task(command: str, returns: list[str], names: list[str] = ()) -> str:
    """The command, then each returned name's exported value written to its file.

    runnable 0.50 runs `COMMAND && env` and keeps the exported variables `returns` names;
    here a name the command did not export fails the step (runnable would drop it)."""
    absent = "".join(f'[ "${{{n}-}}" = {shlex.quote(ABSENT)} ] && unset {n}\n' for n in names if n.isidentifier())
    if not returns:
        return absent + command
    quoted = " ".join(shlex.quote(n) for n in returns)
    return (
        absent + command.rstrip("\n") + "\n"
        'rc=$?; [ "$rc" -eq 0 ] || exit "$rc"\n'
        'mkdir -p "$RCC_OUTPUTS"\n'
        f"for n in {quoted}; do\n"
        '  printenv "$n" > "$RCC_OUTPUTS/$n" || { echo "rcc: the command did not export $n, which returns names" >&2; exit 1; }\n'
        "done\n"
    )


def map_fan_out(step: str, parameter: str) -> str:
    """The list to loop over, checked as runnable's fan-out asserts it (a non-empty list)."""
    return _PRELUDE + (
        "v = _value(os.environ['RCC_VALUE'])\n"
        "if not isinstance(v, list) or not v:\n"
        f"    sys.exit('rcc: map {step} iterates on {parameter}, which is not a non-empty list: ' + repr(v))\n"
        f"_write({FAN_DIR!r}, 'iterate-on', json.dumps(v))\n"
    )


def conditional_fan_out(step: str, parameter: str, keys: list[str], has_default: bool) -> str:
    """runnable's choice: the branch whose key equals `str(value)`; none is an error.

    The choice is written as a JSON string, so the branches' `when` compares strings."""
    return _PRELUDE + (
        "v = _value(os.environ['RCC_VALUE'])\n"
        "if not isinstance(v, (int, float, bool, str)):\n"
        f"    sys.exit('rcc: conditional {step}: {parameter} must be int, float, bool or str, not ' + type(v).__name__)\n"
        f"if str(v) not in {keys!r} and not {has_default!r}:\n"
        f"    sys.exit('rcc: conditional {step}: no branch for {parameter} = ' + str(v))\n"
        f"_write({FAN_DIR!r}, 'case', json.dumps(str(v), ensure_ascii=False))\n"
    )


def map_fan_in(returns: list[str], reducer: str | None, ok: tuple[str, ...]) -> str:
    """Fail when an iteration failed; else reduce each returned name over the iterations.

    Argo's `{{tasks.B.outputs.parameters}}` of a loop is a JSON list, in loop order, of
    each succeeded iteration's outputs (name -> text). runnable 0.50 (extensions/nodes/
    map.py) reduces the values the iterations hold (`lambda *x: list(x)` by default; a
    `reducer` is a lambda's text or a dotted path), and sets "" when none holds one."""
    return _PRELUDE + (
        f"if any(s not in {list(ok)!r} for s in os.environ['RCC_BRANCH_STATUSES'].split()):\n"
        "    sys.exit('rcc: an iteration of the map failed')\n"
        "rows = json.loads(os.environ['RCC_RESULTS'])\n"
        f"reducer = {reducer!r}\n"
        "if not reducer:\n"
        "    f = lambda *x: list(x)\n"
        "else:\n"
        "    try:\n"
        "        f = eval(reducer)\n"
        "    except SyntaxError:\n"
        "        f = None\n"
        "    if not callable(f):\n"
        "        import importlib\n"
        "        m, _, a = reducer.rpartition('.')\n"
        "        f = getattr(importlib.import_module(m), a)\n"
        f"for n in {returns!r}:\n"
        f"    vals = [_value(r[n]) for r in rows if r.get(n, {ABSENT!r}) != {ABSENT!r}]\n"
        "    _write(os.environ['RCC_OUTPUTS'], n, _text(f(*vals) if vals else ''))\n"
    )
