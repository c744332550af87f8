"""Production settings read everything from the environment and pass `check --deploy` with no warnings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "demo.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "-production-like-secret-with-enough-entropy-9f8e7d6c5b4a",
    "DJANGO_ALLOWED_HOSTS": "lms.example.com",
    "PGHOST": "127.0.0.1",
    "PGDATABASE": "lms",
    "PGUSER": "lms",
}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, str(ROOT / "demo" / "manage.py"), *args],
        env={**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PG"))}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_is_a_clear_error():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set the environment variable DJANGO_SECRET_KEY" in result.stderr


CACHE_BACKEND = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"


def test_redis_url_makes_redis_the_shared_cache():
    """LMS_REDIS_URL configures Django's own RedisCache (docs/operations.md); without it, the per-process default."""
    with_redis = run_manage("shell", "-c", CACHE_BACKEND, env={**PRODUCTION_ENV, "LMS_REDIS_URL": "redis://10.0.0.5:6379/0"})
    assert with_redis.stdout.splitlines()[-1] == "django.core.cache.backends.redis.RedisCache", with_redis.stderr
    without = run_manage("shell", "-c", CACHE_BACKEND, env=PRODUCTION_ENV)
    assert without.stdout.splitlines()[-1] == "django.core.cache.backends.locmem.LocMemCache", without.stderr
