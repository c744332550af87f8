"""The cluster test's app servers and workers: the production settings (PostgreSQL from PG*, Redis from
LMS_REDIS_URL, the database task backend), served over plain http on 127.0.0.1 (no TLS in the test, so cookies
are not marked secure), with static files without a manifest (no collectstatic) and a fast password hasher.
LMS_CLUSTER_INVALIDATION=0 turns the door copies' cross-process invalidation off: the test must then fail."""

import os

from demo.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en"
LMS_PERMIT_DECISION_RATE = (int(os.environ.get("LMS_CLUSTER_RATE", "40")), 60)
LMS_PERMIT_CACHE_INVALIDATION = os.environ.get("LMS_CLUSTER_INVALIDATION", "1") == "1"
LMS_CERTIFICATE_BASE_URL = "http://127.0.0.1"
SILENCED_SYSTEM_CHECKS = ["lms_certificates.W003"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(process)d %(name)s %(levelname)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
