"""A plain Wagtail site, as `wagtail start` makes it, with the plugin added the way docs/install.md says.

Nothing here comes from demo/settings: this is the "install into an existing site" path.
"""

import os
import tempfile

BASE_DIR = tempfile.mkdtemp(prefix="lms-host-")
SECRET_KEY = "host-test-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    # the plugin (docs/install.md, step 2)
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
    "lms.privacy",
    "lms.audit",
    "lms",  # binds them: URLs, API router, settings, role groups, admin menu
    # the host site's own apps, one of them labelled "courses"
    "tests.host.hostcourses",
    # a plain Wagtail site
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
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
    "drf_spectacular_sidecar",  # ReDoc for /api/docs/ from static files (docs/install.md)
    "django_tasks",
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
    "lms.language.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "tests.host.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE_DIR, "host.sqlite3")}}
LANGUAGE_CODE = "en"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
MEDIA_ROOT = os.path.join(BASE_DIR, "media")
MEDIA_URL = "/media/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
WAGTAIL_SITE_NAME = "Host site"
WAGTAILADMIN_BASE_URL = "http://example.com"
# A closed area has no internet (docs/install.md, step 5): no Gravatar avatars, no release check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
LOGIN_URL = "lms_login"
LOGIN_REDIRECT_URL = "lms_my_learning"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SPECTACULAR_SETTINGS = {"PREPROCESSING_HOOKS": ["lms.api_schema.only_lms_endpoints"]}

if os.environ.get("LMS_HOST_SWAPPED_PAGE"):
    # The site swaps Wagtail's base page (Wagtail 8's WAGTAIL_PAGE_MODEL) for one with its own fields; the
    # plugin's pages must build on it. Wagtail ships such a model for its own tests.
    INSTALLED_APPS.insert(0, "wagtail.test.basepage")
    WAGTAIL_PAGE_MODEL = "basepage.BasePage"
