"""Settings of the server benchmarks (bench/exam_load.py, bench/permit.py): the demo settings with a SQLite (WAL)
database in a temp folder, or PostgreSQL when PG* variables are set (PGHOST); DEBUG off; persistent
connections as in production; a bare JSON view as the baseline; Redis as the shared cache when
LMS_BENCH_REDIS_URL is set (bench/permit.py --redis), configured as demo/settings/production.py does."""

import os

from demo.settings.dev import *  # noqa: F403

DEBUG = False
LMS_DEMO_DATA_ALLOWED = True  # a throwaway benchmark site: lms_load_demo may run with DEBUG off
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.site.urls"
LMS_PERMIT_DECISION_RATE = (10_000_000, 60)  # measure the endpoint, not the rate limiter
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

if os.environ.get("PGHOST"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "lms_bench"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ["PGHOST"],
            "PORT": os.environ.get("PGPORT", "5432"),
            "CONN_MAX_AGE": 60,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["LMS_BENCH_DB"],
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

if os.environ.get("LMS_BENCH_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["LMS_BENCH_REDIS_URL"],
            "KEY_PREFIX": "lms",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "health_check_interval": 30},
        }
    }
