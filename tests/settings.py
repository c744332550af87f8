"""Test settings: the demo's base settings, an in-memory SQLite database, or PostgreSQL when
LMS_TEST_DATABASE=postgres (connection from the PG* environment variables, as .ci/run sets them)."""

import os
import tempfile

from demo.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "tests-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "en"

if os.environ.get("LMS_TEST_DATABASE") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "lms"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5433"),
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

_tmp = tempfile.mkdtemp(prefix="lms-tests-")
MEDIA_ROOT = os.path.join(_tmp, "media")
LMS_PRIVATE_ROOT = os.path.join(_tmp, "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LMS_DEMO_DATA_ALLOWED = True  # lms_load_demo runs with DEBUG off here (demo/management/commands/lms_load_demo.py)
LMS_PERMIT_TALLY_FLUSH_SECONDS = 0  # write allow counts at once, so tests can read them

# The test site is served on 127.0.0.1 on purpose; its certificates' loopback address is not a finding here
# (tests/certificates/test_rendering.py calls the check itself).
SILENCED_SYSTEM_CHECKS = ["lms_certificates.W003"]
