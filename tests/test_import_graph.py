"""The shape of the code (#15, ``tools/import_graph.py``): no import circle between files, no module over 400 lines.

One test per package, so a failure names the package it is in; the graph is built once for the module.
"""

import grimp
import pytest

from tools import import_graph


@pytest.fixture(scope="module")
def graph():
    return import_graph.build_graph()


@pytest.mark.parametrize("package", import_graph.PACKAGES)
def test_no_import_circle_between_files(graph, package):
    assert import_graph.import_circles(graph, within=[package]) == []


@pytest.mark.parametrize("package", import_graph.PACKAGES)
def test_no_module_over_the_limit(package):
    assert import_graph.long_modules([package]) == []


def test_circles_are_the_strongly_connected_sets_of_modules():
    graph = grimp.ImportGraph()
    for importer, imported in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.d", "p.a"), ("p.e", "p.f"),
                               ("p.f", "p.e"), ("q.x", "p.e")]:
        graph.add_import(importer=importer, imported=imported)
    graph.add_module("p.g")
    assert import_graph.import_circles(graph) == [["p.a", "p.b", "p.c"], ["p.e", "p.f"]]
    assert import_graph.import_circles(graph, within=["q"]) == []
    assert import_graph.import_circles(graph, within=["p"]) == [["p.a", "p.b", "p.c"], ["p.e", "p.f"]]


def test_long_modules_count_lines_and_leave_out_migrations(tmp_path):
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "long.py").write_text("x = 1\n" * 5)
    (tmp_path / "app" / "short.py").write_text("x = 1\n" * 4)
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 50)
    assert import_graph.long_modules(["app"], limit=4, root=tmp_path) == [("app/long.py", 5)]
