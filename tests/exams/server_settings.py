"""Settings for tests that run a real server process (crash recovery): the test settings with a SQLite file
database in WAL mode, as the demo site runs it. The file comes from LMS_SERVER_DB."""

import os

from tests.settings import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["LMS_SERVER_DB"],
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
