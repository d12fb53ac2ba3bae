"""Lineage to series-parallel structure (compiler/importers/lineage.py), without kedro.

The contract: the structure's order is exactly the lineage's reachability plus the waits
it reports (nothing runs before its inputs exist; every extra wait is named), none is
added for a series-parallel lineage, and the result does not depend on kedro's listing
order.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.importers.kedro_graph import KedroNode
from compiler.importers.lineage import Par, Seq, dependencies, structure


def _node(name: str, inputs=(), outputs=()) -> KedroNode:
    return KedroNode(name, tuple(inputs), tuple(outputs))


def _implied(shape) -> set[tuple[str, str]]:
    """(a, b): the structure runs b after a."""
    def names(s):
        return {s} if isinstance(s, str) else set().union(*(names(x) for x in (s.items if isinstance(s, Seq) else s.branches)))

    out: set[tuple[str, str]] = set()
    if isinstance(shape, Seq):
        for i, a in enumerate(shape.items):
            for b in shape.items[i + 1:]:
                out |= {(x, y) for x in names(a) for y in names(b)}
    if not isinstance(shape, str):
        for part in (shape.items if isinstance(shape, Seq) else shape.branches):
            out |= _implied(part)
    return out


def _closure(deps: dict[str, set[str]]) -> set[tuple[str, str]]:
    out = set()
    for n in deps:
        stack, seen = list(deps[n]), set()
        while stack:
            p = stack.pop()
            if p not in seen:
                seen.add(p)
                out.add((p, n))
                stack += deps[p]
    return out


@st.composite
def dags(draw):
    n = draw(st.integers(1, 9))
    nodes = []
    for i in range(n):
        reads = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=3)) if i else []
        nodes.append(_node(f"n{i}", [f"d{j}" for j in reads] + ["params:x"], [f"d{i}"]))
    return draw(st.permutations(nodes))


@settings(max_examples=300, deadline=None)
@given(dags())
def test_the_order_is_lineage_plus_the_reported_waits(nodes) -> None:
    result = structure(nodes)
    closure = _closure(dependencies(nodes))
    assert _implied(result.shape) == closure | set(result.added)
    assert not closure & set(result.added)
    assert structure(sorted(nodes, key=lambda n: n.name)) == result


def test_independent_nodes_run_in_parallel_and_a_chain_in_series() -> None:
    nodes = [_node("b", ["raw"], ["y"]), _node("a", ["raw"], ["x"]), _node("c", ["x", "y@spark"], ["z"])]
    result = structure(nodes)
    assert result.shape == Seq((Par(("a", "b")), "c")) and result.added == []


def test_the_n_costs_one_named_wait() -> None:
    nodes = [_node("a", [], ["x"]), _node("b", [], ["y"]), _node("c", ["x", "y"]), _node("d", ["y"])]
    result = structure(nodes)
    assert result.shape == Seq((Par(("a", "b")), Par(("c", "d"))))
    assert result.added == [("a", "d")]
