"""Production: everything that differs per deployment comes from the environment.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS (comma-separated), and PostgreSQL through the usual
PG* variables (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD). Optional: LMS_MEDIA_ROOT,
LMS_PRIVATE_ROOT, LMS_STATIC_ROOT, DJANGO_STORAGE_BACKEND (e.g. storages.backends.s3.S3Storage), LMS_PRIVATE_S3_BUCKET
(and LMS_PRIVATE_S3_ENDPOINT_URL, LMS_PRIVATE_S3_REGION, LMS_PRIVATE_SIGNED_URL_SECONDS), LMS_REDIS_URL (the shared
cache of several app servers), LMS_TRUSTED_PROXIES, LMS_EXAMS_PERMIT_NETWORKS (the exam room's default networks),
DJANGO_EMAIL_HOST and friends. See docs/operations.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from exams.room_rules import BadNetwork, parse_networks

from .base import *  # noqa: F403
from .base import STORAGES


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in env("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": env("PGDATABASE", "lms"),
        "USER": env("PGUSER", "lms"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "HOST": env("PGHOST", "127.0.0.1"),
        "PORT": env("PGPORT", "5432"),
        "CONN_MAX_AGE": int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
    }
}

MEDIA_ROOT = os.environ.get("LMS_MEDIA_ROOT", "/var/lib/lms/media")
LMS_PRIVATE_ROOT = os.environ.get("LMS_PRIVATE_ROOT", "/var/lib/lms/private")
STATIC_ROOT = os.environ.get("LMS_STATIC_ROOT", "/var/lib/lms/static")
STORAGES = dict(STORAGES)
if os.environ.get("DJANGO_STORAGE_BACKEND"):
    STORAGES["default"] = {"BACKEND": os.environ["DJANGO_STORAGE_BACKEND"]}
# Private files in a non-public S3-compatible bucket (django-storages[s3]) instead of LMS_PRIVATE_ROOT: one bucket for
# every kind (their names never collide: certificates/, evidence/, background/, exports/, imports/, lms_h5p/,
# lms_scorm/), never the media bucket. Credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID, an instance
# role, ...). Downloads redirect to URLs signed for LMS_PRIVATE_SIGNED_URL_SECONDS; H5P and SCORM files are always
# streamed by the app (their sandboxing CSP). See docs/operations.md, "Private files in object storage".
if os.environ.get("LMS_PRIVATE_S3_BUCKET"):
    _private = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["LMS_PRIVATE_S3_BUCKET"],
        "endpoint_url": os.environ.get("LMS_PRIVATE_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("LMS_PRIVATE_S3_REGION") or None,
        "default_acl": "private", "querystring_auth": True,
        "file_overwrite": False,  # two uploads named alike (scan.pdf) must not replace each other
    }}
    _downloads = ("lms_certificates", "lms_evidence", "lms_background", "lms_exports")
    STORAGES.update(dict.fromkeys((*_downloads, "lms_imports", "lms_h5p", "lms_scorm"), _private))
    LMS_PRIVATE_SIGNED_URL_SECONDS = dict.fromkeys(
        _downloads, int(os.environ.get("LMS_PRIVATE_SIGNED_URL_SECONDS", "60")))
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}

TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# The cache every process shares (rate limits, the door's copies, Wagtail's caches): Redis, e.g.
# LMS_REDIS_URL=redis://10.0.0.5:6379/0 (rediss:// for TLS; redis://:password@host:6379/0). Without it each process
# has its own local-memory cache: see docs/operations.md for what differs. Short timeouts: while Redis is
# unreachable, requests fall back (the door reads the database, rate limits count per process) instead of waiting.
if os.environ.get("LMS_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["LMS_REDIS_URL"],
            "KEY_PREFIX": os.environ.get("LMS_REDIS_KEY_PREFIX", "lms"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("LMS_REDIS_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("LMS_REDIS_TIMEOUT", "0.25")),
                "health_check_interval": 30,
            },
        }
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Our reverse proxies (comma-separated CIDRs): only their X-Forwarded-For is believed (docs/operations.md).
LMS_TRUSTED_PROXIES = [c.strip() for c in os.environ.get("LMS_TRUSTED_PROXIES", "").split(",") if c.strip()]
# The exam room's site default (docs/exams.md): the networks every exam that counts for a permit is sat from when it
# names none itself, e.g. LMS_EXAMS_PERMIT_NETWORKS=10.20.30.0/24,2001:db8:30::/48 (commas, spaces or newlines).
# A bad entry stops the start: it would close every such exam.
if os.environ.get("LMS_EXAMS_PERMIT_NETWORKS", "").strip():
    try:
        LMS_EXAMS_PERMIT_NETWORKS = [str(n) for n in parse_networks(os.environ["LMS_EXAMS_PERMIT_NETWORKS"])]
    except BadNetwork as exc:
        raise ImproperlyConfigured(
            f"LMS_EXAMS_PERMIT_NETWORKS: {exc.entry!r} is not a network address. Write addresses or CIDR networks "
            "separated by commas, e.g. 10.20.30.0/24,2001:db8:30::/48."
        ) from None
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail previews override this per view

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "lms@localhost")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "https://lms.example.invalid")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
