"""The demo site served by `make run`: SQLite (WAL) in the demo folder, console e-mail."""

from .base import *  # noqa: F403
from .base import DEMO_DIR

DEBUG = True
SECRET_KEY = "demo-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DEMO_DIR / "db.sqlite3",
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
