"""The plugin's apps are listed in three places that must agree, in the same order (#15): the demo's own settings
(``demo/settings/base.py``, ``LMS_APPS``: what the project itself runs and tests), docs/install.md's
``INSTALLED_APPS`` (what a host site copies) and the host-site test's settings (``tests/host/settings.py``, which
proves that copy works). An app added to one and forgotten in another, or moved, fails here.

Read from the files' text, not imported: the host settings make a temporary folder and change with the
environment, and the docs are not Python."""

import ast
import re
from pathlib import Path

import pytest

from demo.settings.base import LMS_APPS
from tests.plugin_apps import PACKAGES

ROOT = Path(__file__).resolve().parents[2]
INSTALL_DOC = ROOT / "docs" / "install.md"
HOST_SETTINGS = ROOT / "tests" / "host" / "settings.py"


def plugin_apps(names) -> list[str]:
    """The plugin's own apps among ``names``, in their order (Wagtail's, Django's and the site's left out)."""
    return [name for name in names if name.split(".")[0] in PACKAGES]


def apps_in_python(source: str, name: str = "INSTALLED_APPS") -> list[str]:
    """The strings of the list literal assigned to ``name`` at the top of a Python module."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return [element.value for element in node.value.elts
                    if isinstance(element, ast.Constant) and isinstance(element.value, str)]
    raise AssertionError(f"no {name} = [...] in the module")


def apps_in_doc(text: str) -> list[str]:
    """The quoted names of the first ``INSTALLED_APPS = [...]`` in a Markdown code block."""
    found = re.search(r"INSTALLED_APPS = \[\n(.*?)\n\s*\]", text, re.DOTALL)
    assert found, "no INSTALLED_APPS = [...] in the text"
    return re.findall(r'^\s*"([\w.]+)",', found.group(1), re.MULTILINE)


def test_the_demo_lists_the_plugin_apps_it_has():
    assert LMS_APPS[0] == "exams" and LMS_APPS[-1] == "lms"
    assert {"courses.scorm", "lms.privacy", "lms.audit"} <= set(LMS_APPS)


def test_docs_install_lists_the_apps_the_project_installs_in_its_order():
    assert plugin_apps(apps_in_doc(INSTALL_DOC.read_text(encoding="utf-8"))) == LMS_APPS


def test_the_host_site_test_installs_the_apps_the_project_installs_in_its_order():
    assert plugin_apps(apps_in_python(HOST_SETTINGS.read_text(encoding="utf-8"))) == LMS_APPS


def test_privacy_comes_before_audit_which_nobody_imports():
    assert LMS_APPS.index("lms.privacy") < LMS_APPS.index("lms.audit") < LMS_APPS.index("lms")


DOC = '''Add them:

   ```python
   INSTALLED_APPS = [
       "exams",
       "courses",
       "lms",  # binds them
       # ... your apps
       "wagtail",
   ]
   ```
'''


@pytest.mark.parametrize("wrong", [
    ["exams", "lms"],  # courses missing
    ["courses", "exams", "lms"],  # out of order
    ["exams", "courses", "courses.scorm", "lms"],  # one more
])
def test_the_comparison_fails_on_a_missing_or_moved_app(wrong):
    listed = plugin_apps(apps_in_doc(DOC))
    assert listed == ["exams", "courses", "lms"]
    assert listed != wrong
    source = "import os\nINSTALLED_APPS = [\n" + "".join(f'    "{n}",\n' for n in wrong) + '    "wagtail",\n]\n'
    assert plugin_apps(apps_in_python(source)) == wrong != listed
