"""The shape of our code, as #15 asks it to stay: no import circle between files, no module over 400 lines.

Built on grimp, the graph import-linter checks its layering contracts on, so both read the same imports: every
import counts (also one inside a function), except those under ``if TYPE_CHECKING:``. Migrations are left out of
the line count (Django writes them).

Usage::

    .venv/bin/python tools/import_graph.py

prints the circles (each a set of modules that import one another, directly or not) and the long modules, and
exits with 1 when it lists anything. ``tests/test_import_graph.py`` asserts both lists are empty.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lms", "courses", "exams", "certificates")
MAX_LINES = 400


def build_graph(packages: Sequence[str] = PACKAGES) -> grimp.ImportGraph:
    """The import graph of ``packages`` (imported from ``ROOT``), without third-party modules."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return grimp.build_graph(*packages, include_external_packages=False, exclude_type_checking_imports=True)


def _in(module: str, packages: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def import_circles(graph: grimp.ImportGraph, *, within: Sequence[str] | None = None) -> list[list[str]]:
    """The file-level import circles: strongly connected components of more than one module, each sorted, largest
    first. With ``within`` (package names) only the circles that hold a module of those packages."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        # Tarjan's algorithm, iteratively: a package's graph can be deeper than Python's recursion limit.
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.find_modules_directly_imported_by(successor)))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        circles.append(sorted(component))
    if within is not None:
        circles = [c for c in circles if any(_in(m, within) for m in c)]
    return sorted(circles, key=lambda c: (-len(c), c))


def long_modules(
    packages: Sequence[str] = PACKAGES, *, limit: int = MAX_LINES, root: Path = ROOT
) -> list[tuple[str, int]]:
    """(path relative to ``root``, lines) of every Python module of ``packages`` over ``limit`` lines, longest
    first; migrations are left out."""
    found = []
    for package in packages:
        for path in (root / package).rglob("*.py"):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > limit:
                found.append((relative.as_posix(), lines))
    return sorted(found, key=lambda item: (-item[1], item[0]))


def report(circles: list[list[str]], long: list[tuple[str, int]], *, limit: int = MAX_LINES) -> str:
    lines = [f"Import circles between files: {len(circles)}"]
    lines += [f"  {len(c)}: {', '.join(c)}" for c in circles]
    lines.append(f"Modules over {limit} lines (migrations aside): {len(long)}")
    lines += [f"  {lines_count:5d}  {path}" for path, lines_count in long]
    return "\n".join(lines)


def main() -> int:
    circles = import_circles(build_graph())
    long = long_modules()
    print(report(circles, long))
    return 1 if circles or long else 0


if __name__ == "__main__":
    sys.exit(main())
