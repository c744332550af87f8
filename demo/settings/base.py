"""Settings shared by the demo site (dev) and production. The plugin's own settings are ``LMS_*`` (lms/conf.py)."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DEMO_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = DEMO_DIR.parent

# The apps of the plugin, in layering order (exams ◄ courses ◄ certificates ◄ lms; inside lms: people ◄ archive ◄
# requirements ◄ {agreements, appraisals, permits} ◄ privacy (reads and erases through all of them) ◄ audit (listens to
# all of them, nobody imports it). docs/architecture.md; tests/host/test_app_lists.py keeps docs/install.md and the
# host-site test's settings in step with this list.
LMS_APPS = [
    "exams",
    "courses",
    "courses.h5p",
    "courses.scorm",
    "certificates",
    "lms.people",
    "lms.archive",
    "lms.requirements",
    "lms.agreements",
    "lms.appraisals",
    "lms.permits",
    "lms.privacy",  # personal information: the registry, a person's own copy, retention, erasure
    "lms.audit",  # listens to every app's signals; nobody imports it
    "lms",  # binds them: URLs, API router, settings, role groups, admin menu
]

INSTALLED_APPS = [
    *LMS_APPS,
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",  # "Translate" in the admin: copies a page or snippet into another locale
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.language.PreferredLanguageMiddleware",  # the person's language, else LANGUAGE_CODE (lms/language.py)
    "lms.audit.context.AuditActorMiddleware",  # who acts, for audit ledger entries (docs/audit.md)
    "django.contrib.messages.middleware.MessageMiddleware",
    "lms.session_idle.SessionIdleTimeoutMiddleware",  # LMS_SESSION_IDLE_SECONDS (docs/install.md)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lms.middleware.LoginRateLimitMiddleware",
    "lms.middleware.ContentSecurityPolicyMiddleware",  # LMS_CSP / LMS_CSP_ADMIN on every HTML page
]

# A session ends 8 hours after its last save (Django's default is two weeks), and earlier when idle:
# LMS_SESSION_IDLE_SECONDS (30 min for admin users) and LMS_SESSION_IDLE_SECONDS_LEARNER (4 h), lms/conf.py.
SESSION_COOKIE_AGE = 8 * 3600

ROOT_URLCONF = "demo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [DEMO_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "demo.wsgi.application"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [DEMO_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DEMO_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = DEMO_DIR / "media"
# Private files (certificate PDFs, evidence, background checks) never live under MEDIA_ROOT/MEDIA_URL.
LMS_PRIVATE_ROOT = DEMO_DIR / "private"
# The lower apps ask lms about people through these hooks (see docs/install.md).
LMS_CERTIFICATE_HOLDER = "lms.people.hooks.certificate_holder"
LMS_CERTIFICATE_CONTACTS = "lms.people.hooks.certificate_contacts"
LMS_CERTIFICATE_DEPARTMENTS = "lms.people.hooks.certificate_departments"
LMS_CERTIFICATE_DEPARTMENT_USERS = "lms.people.hooks.certificate_department_users"
LMS_CERTIFICATE_VISIBLE_USERS = "lms.people.hooks.certificate_visible_users"  # managers see their direct reports'

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # The private files (certificate PDFs, evidence, background checks, exports, H5P and SCORM packages) have their
    # own aliases (lms_certificates, lms_evidence, ...: docs/operations.md); undefined here, each is a file system
    # at LMS_PRIVATE_ROOT, served only by permission-checked views. production.py can put them in object storage.
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "lms_login"
LOGIN_REDIRECT_URL = "lms_my_learning"
LOGOUT_REDIRECT_URL = "lms_login"

WAGTAIL_SITE_NAME = _("Operations training")
# The address people reach the site at: printed on certificate PDFs and their QR codes, and in e-mails. `make run`
# sets it from ADDR and PORT; a demo served on 127.0.0.1 is reachable from this machine only (lms_certificates.W003).
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Content in both languages (docs/translation.md): pages and snippets (questions, certifications, areas,
# departments, positions) have a copy per locale; a reader gets the copy in their language, else the source (in
# LANGUAGE_CODE) with a note that says so, at the same address whatever the reader's language.
WAGTAIL_I18N_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Documents always go through Wagtail's serve view, where lms.documents.signed_in_only refuses anonymous visitors
# (a "redirect" to a storage URL would skip it); uploads above the size are refused (lesson videos included).
# No Gravatar avatars in the admin: a closed-area site does not send its staff's e-mail hashes elsewhere (and the
# admin's Content-Security-Policy, LMS_CSP_ADMIN, loads images from this site only).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask wagtail.org for the latest release (docs/operations.md, "No internet").
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

REST_FRAMEWORK = {
    # People use their session (with CSRF); machines a token ("Authorization: Token <key>", see docs/api.md).
    # Token first, so a request with neither gets 401 with "WWW-Authenticate: Token" rather than a bare 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lms.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "lms.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Closed-area LMS API",
    "DESCRIPTION": "Every route under /api/. Authentication, errors, pagination, filters and rate limits: docs/api.md.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["lms.api_schema.only_lms_endpoints"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "lms.api_schema.add_error_responses"],
    # The documentation page loads ReDoc from our own static files (drf-spectacular-sidecar), not from a CDN.
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Request bodies other than files (form fields, JSON) are refused above this; uploads above it go to a temporary
# file rather than memory. Each kind of upload has its own limit (LMS_PRIVATE_UPLOAD_MAX_BYTES, LMS_IMPORT_MAX_BYTES,
# LMS_H5P_MAX_UPLOAD_BYTES, WAGTAILIMAGES_MAX_UPLOAD_SIZE); the reverse proxy caps the whole body (docs/operations.md).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
