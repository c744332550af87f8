#!/usr/bin/env python
"""Django's command-line utility for the demo site (run from this folder: `python manage.py ...`)."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
