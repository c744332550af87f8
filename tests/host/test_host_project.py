"""docs/install.md really works: a plain Wagtail site (with its own app labelled "courses") adds the plugin,
migrates from nothing, and serves a course page, the dashboard and the admin."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_plugin_installs_into_a_plain_wagtail_site():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.host.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "tests.host.run_host_check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "OK migrate" in result.stdout and "OK pages" in result.stdout


def test_plugin_pages_build_on_a_swapped_base_page_model():
    """Wagtail 8 lets a site swap its base page (WAGTAIL_PAGE_MODEL): the plugin's pages and migrations follow it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.host.settings", "PYTHONPATH": str(ROOT),
           "LMS_HOST_SWAPPED_PAGE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.host.run_host_check"], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "OK pages" in result.stdout and "OK swapped page model" in result.stdout
