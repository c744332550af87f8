"""courses.h5p keeps the layering: pure modules import no Django; nothing imports certificates or lms."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "courses" / "h5p"
PURE = ["safezip.py", "validation.py", "svg.py", "scoring.py", "errors.py", "content_filter.py"]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_import_no_django(name):
    assert not {m for m in imports(PACKAGE / name) if m.split(".")[0] in ("django", "wagtail", "rest_framework")}


def test_no_import_of_higher_layers():
    for path in PACKAGE.rglob("*.py"):
        assert not {m for m in imports(path) if m.split(".")[0] in ("certificates", "lms")}, path
