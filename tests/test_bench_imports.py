"""The benchmarks run outside the test suite (make bench), and their set-up code is a string run in a subprocess,
so a module moved in the code (lms.models -> lms.people.models, #15) breaks them unseen. Every ``from X import Y``
of bench/, in code and in those strings, must resolve."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
IMPORT = re.compile(r"^\s*from ((?:exams|courses|certificates|lms|demo|bench)[\w.]*) import ([\w, ]+)$", re.M)


def imports():
    for path in sorted(BENCH.rglob("*.py")):
        for module, names in IMPORT.findall(path.read_text(encoding="utf-8")):
            wanted = [n.split(" as ")[0].strip() for n in names.split(",") if n.strip()]
            yield path.relative_to(BENCH.parent), module, wanted


@pytest.mark.parametrize(("path", "module", "names"), list(imports()), ids=lambda v: str(v))
def test_every_import_of_the_benchmarks_resolves(path, module, names):
    loaded = importlib.import_module(module)
    for name in names:
        if not hasattr(loaded, name):
            importlib.import_module(f"{module}.{name}")  # a submodule: raises if it is not one either
