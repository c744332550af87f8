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


PERMIT_NETWORKS = "from django.conf import settings; print(settings.LMS_EXAMS_PERMIT_NETWORKS)"


def test_the_exam_rooms_default_networks_come_from_the_environment():
    """LMS_EXAMS_PERMIT_NETWORKS (docs/exams.md, the exam room's site default) is read as CIDRs separated by commas,
    spaces or newlines; unset, the exams' own default (none) stays."""
    given = run_manage("shell", "-c", PERMIT_NETWORKS,
                       env={**PRODUCTION_ENV, "LMS_EXAMS_PERMIT_NETWORKS": "10.20.30.0/24, 2001:db8:30::/48 192.0.2.7"})
    assert given.stdout.splitlines()[-1] == "['10.20.30.0/24', '2001:db8:30::/48', '192.0.2.7/32']", given.stderr
    unset = run_manage("shell", "-c", "from exams import conf; print(conf.EXAMS_PERMIT_NETWORKS)", env=PRODUCTION_ENV)
    assert unset.stdout.splitlines()[-1] == "()", unset.stderr


def test_a_bad_network_in_the_environment_stops_the_start_naming_it():
    result = run_manage("check", env={**PRODUCTION_ENV, "LMS_EXAMS_PERMIT_NETWORKS": "10.20.30.0/24,room-301"})
    assert result.returncode != 0
    assert "LMS_EXAMS_PERMIT_NETWORKS: 'room-301' is not a network address" in result.stderr
