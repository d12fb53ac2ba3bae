"""Python tasks of the fidelity cases: they fail loudly when a parameter did not arrive.

The annotations are needed: magnus 0.5 casts each parameter to its annotated type.
"""


def check_greeting(greeting: str) -> None:
    if greeting not in ("hello", "bonjour"):
        raise ValueError(f"unexpected greeting {greeting!r}")
    print(f"greeting: {greeting}")


def add_up(chunks: list) -> int:
    return sum(chunks)


def add_up_as_parameters(chunks: list) -> dict:
    return {"total": sum(chunks)}
