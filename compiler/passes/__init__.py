"""The passes, in order. Each is a module exporting one function of the same name,
`pass(program, ctx) -> program`; this tuple is the one place that says the order.

Variable substitution is not here: it must happen before the configuration is
validated (a variable may stand for a number), so the frontend does it (ARCHITECTURE.md).
"""

from compiler.passes.check_graph import check_graph
from compiler.passes.check_runtime import check_runtime
from compiler.passes.resolve_overrides import resolve_overrides
from compiler.passes.choose_backend import choose_backend
from compiler.passes.check_parameters import check_parameters
from compiler.passes.flatten import flatten
from compiler.passes.name import name
from compiler.passes.hash_dag import hash_dag

# Passes that only check: they run even after earlier errors (so one run reports the
# mistakes of the graph, the overrides and the runtime together); the driver stops
# before the first pass not listed here if any error has been found.
CHECKS = frozenset({check_graph, resolve_overrides, check_runtime, choose_backend, check_parameters})

PASSES = (
    check_graph,
    resolve_overrides,
    check_runtime,
    choose_backend,
    check_parameters,
    flatten,
    name,
    hash_dag,
)
