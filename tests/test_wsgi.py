"""demo/wsgi.py, the module app servers load: it serves the site, and what it loaded is frozen out of the garbage
collector's passes (docs/operations.md, "Deploying")."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import gc
from demo.wsgi import application
print(type(application).__name__, gc.get_freeze_count() > 100_000)
"""


def test_the_wsgi_module_serves_the_site_with_what_it_loaded_frozen():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "demo.settings.dev", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.split()[-2:] == ["WSGIHandler", "True"]
