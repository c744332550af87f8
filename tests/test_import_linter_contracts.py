"""The import-linter contracts of pyproject.toml (docs/architecture.md, "The layering") bite: on a copy of the code,
one upward import added fails ``lint-imports`` and names the contract it breaks, while the untouched copy passes.

The copy holds only the packages' Python files (a few hundred, copied once for the module); each test adds one
import to one file of it and puts the file back afterwards. Each run takes about a second."""

import shutil
import subprocess
import sys
import tomllib
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACTS = {c["id"]: c["name"] for c in CONFIG["contracts"]}
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """The root packages' Python files and pyproject.toml, in a folder of their own."""
    copy = tmp_path_factory.mktemp("tree")

    def not_python(folder, names):
        return [n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
                or n in ("__pycache__", "node_modules", "static", "templates", "locale")]

    for package in CONFIG["root_packages"]:
        shutil.copytree(ROOT / package, copy / package, ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--config", "pyproject.toml", "--no-cache"], cwd=tree,
                          capture_output=True, text=True, timeout=120)


def verdicts(output: str) -> dict[str, str]:
    """Each contract's verdict, by id: "KEPT" or "BROKEN" (the report wraps long names, so read it unwrapped)."""
    flat = " ".join(output.split())
    found = {}
    for key, name in CONTRACTS.items():
        for verdict in ("KEPT", "BROKEN"):
            if f"{' '.join(name.split())} {verdict}" in flat:
                found[key] = verdict
    return found


@contextmanager
def importing(tree: Path, module: str, imported: str):
    """``module`` (a dotted name in the copy) imports ``imported`` for the duration."""
    path = tree / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = tree / module.replace(".", "/") / "__init__.py"
    before = path.read_text(encoding="utf-8")
    path.write_text(before + f"\nimport {imported}  # an upward import, for the test\n", encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(before, encoding="utf-8")


def test_the_config_names_the_contracts_the_architecture_promises():
    assert {"house", "lms-apps", "audit-unimported", "lms-independent", "lms-binding", "lms-shared"} <= set(CONTRACTS)
    assert LINT_IMPORTS.exists()


def test_the_untouched_tree_keeps_every_contract(tree):
    result = lint(tree)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert verdicts(result.stdout) == dict.fromkeys(CONTRACTS, "KEPT")


@pytest.mark.parametrize(("module", "imported", "contract"), [
    # Inside lms: the archive sits below requirements.
    ("lms.archive.models", "lms.requirements.selectors", "lms-apps"),
    # Across the house: exams sits below courses (a pure module included).
    ("exams.scoring", "courses.models", "house"),
    # Agreements, appraisals and permits know nothing of each other.
    ("lms.agreements.services", "lms.permits.selectors", "lms-independent"),
    # An app never imports what binds them.
    ("lms.people.selectors", "lms.urls", "lms-binding"),
])
def test_an_upward_import_breaks_its_contract(tree, module, imported, contract):
    with importing(tree, module, imported):
        result = lint(tree)
    assert result.returncode != 0
    assert verdicts(result.stdout)[contract] == "BROKEN", result.stdout[-3000:]
    assert f"{module} -> {imported}" in result.stdout


@pytest.mark.parametrize("module", ["lms.dashboard", "lms.privacy.exports", "certificates.services"])
def test_nobody_may_import_the_audit_ledger(tree, module):
    """Not even a module that the layers leave free (lms.dashboard binds the apps and may read every one of them):
    only the API router may import lms.audit (its API)."""
    with importing(tree, module, "lms.audit.models"):
        result = lint(tree)
    assert result.returncode != 0
    assert verdicts(result.stdout)["audit-unimported"] == "BROKEN", result.stdout[-3000:]
    assert f"{module} -> lms.audit.models" in result.stdout


def test_the_api_router_may_import_only_the_audit_api(tree):
    with importing(tree, "lms.api_urls", "lms.audit.ledger"):
        result = lint(tree)
    assert verdicts(result.stdout)["audit-unimported"] == "BROKEN", result.stdout[-3000:]
