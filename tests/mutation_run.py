"""`mutmut` as `make mutation` runs it: `python -m tests.mutation_run run`.

mutmut 3 leaves every decorated function alone, because copying a decorator such as a route
registration can have side effects. Here that would leave out the functions that matter most:
the HTTP wrapper, both clients and the lookups are all under `@sensitive_variables`, and
`mjadmin/vendors/apiframe/v1.py` would have no mutant at all. The decorators allowed below only
wrap the function they are given, with no side effect, so a function that carries only these is
mutated like any other: they stay on the trampoline mutmut puts under the function's name, and the
copies it dispatches to (the original and each mutant) are plain functions. Django's
`sensitive_variables` still hides their locals, since its filter walks up the callers.

This reaches into mutmut's internals, so requirements-dev.txt pins the version it was written
for and this refuses to run on another.
"""

import sys
from collections.abc import Iterable, Sequence
from importlib.metadata import version
from typing import Any

import libcst as cst
from libcst.metadata import PositionProvider

WRITTEN_FOR = "3.8.1"
ALLOWED_DECORATORS = frozenset(
    {"sensitive_variables", "property", "cached_property", "contextmanager"}
)


def _decorator_name(decorator: cst.Decorator) -> str | None:
    node = decorator.decorator
    if isinstance(node, cst.Call):
        node = node.func
    return node.value if isinstance(node, cst.Name) else None


def _only_allowed_decorators(node: cst.CSTNode) -> bool:
    return (
        isinstance(node, cst.FunctionDef)
        and bool(node.decorators)
        and all(_decorator_name(d) in ALLOWED_DECORATORS for d in node.decorators)
    )


def _plain(node: Any) -> Any:
    if not isinstance(node, cst.FunctionDef):
        return node
    kept = [d for d in node.decorators if _decorator_name(d) not in ALLOWED_DECORATORS]
    return node.with_changes(decorators=kept)


def allow_pure_decorators() -> None:
    installed = version("mutmut")
    if installed != WRITTEN_FOR:
        sys.exit(
            f"tests/mutation_run.py was written for mutmut {WRITTEN_FOR}, found {installed}: "
            "check that its two patches still fit, then update WRITTEN_FOR."
        )
    from mutmut.mutation import file_mutation

    visitor = file_mutation.MutationVisitor
    skip = visitor._skip_node_and_children

    def skip_unless_pure(self: Any, node: cst.CSTNode) -> bool:
        if not skip(self, node) or not _only_allowed_decorators(node):
            return skip(self, node)
        # Still honour `# pragma: no mutate` and the names mutmut never touches.
        assert isinstance(node, cst.FunctionDef)
        position = self.get_metadata(PositionProvider, node, None)
        return bool(
            (position and position.start.line in self._ignored_node_lines)
            or node.name.value in file_mutation.NEVER_MUTATE_FUNCTION_NAMES
            or node in self._enum_creation_hooks
        )

    arrange = file_mutation.function_trampoline_arrangement

    def arrange_plain_copies(
        function: cst.FunctionDef, mutants: Iterable[Any], class_name: str | None
    ) -> tuple[Sequence[Any], Sequence[Any], Sequence[Any], Sequence[str]]:
        declarations, nodes, assignments, names = arrange(function, mutants, class_name)
        trampoline, *copies = nodes
        return declarations, [trampoline, *map(_plain, copies)], assignments, names

    visitor._skip_node_and_children = skip_unless_pure  # type: ignore[method-assign]
    file_mutation.function_trampoline_arrangement = arrange_plain_copies


def main() -> None:
    allow_pure_decorators()
    # `python -m tests.mutation_run` imported this tree's `tests` package; forget it, so that
    # pytest imports the copy under mutants/ that mutmut runs, as it would for `mutmut run`.
    for name in [m for m in sys.modules if m == "tests" or m.startswith("tests.")]:
        del sys.modules[name]
    from mutmut.__main__ import cli

    cli(prog_name="mutmut")


if __name__ == "__main__":
    main()
