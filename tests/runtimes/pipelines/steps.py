"""Python tasks of the fidelity cases: they fail loudly when a parameter did not arrive.

One file for every case whose pipeline calls `steps.*`: test_real_programs copies it
into the case's directory unless the case has a `steps.py` of its own (returns_magnus05:
magnus 0.5 takes parameters from a returned pydantic model). The annotations are
needed: magnus 0.5 casts each parameter to its annotated type.
"""


def check_greeting(greeting: str) -> None:
    if greeting not in ("hello", "bonjour"):
        raise ValueError(f"unexpected greeting {greeting!r}")
    print(f"greeting: {greeting}")


def add_up(chunks: list) -> int:
    return sum(chunks)


def add_up_as_parameters(chunks: list) -> dict:
    return {"total": sum(chunks)}
