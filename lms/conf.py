"""Plugin settings. Defaults live here; override any of them with ``LMS_<NAME>`` in Django settings.

Read on first use and kept until a setting changes (Django's ``setting_changed``, which ``override_settings``
and pytest-django's ``settings`` fixture send), so overrides work in tests and a door's decision does not pay
for a settings lookup that misses::

    from lms import conf
    conf.DUE_SOON_DAYS
"""

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

DEFAULTS: dict[str, Any] = {
    # An assignment is "due soon" this many days before its due date.
    "DUE_SOON_DAYS": 7,
    # Days after the hire date by which the induction program must be finished, when the program says nothing.
    "INDUCTION_DUE_DAYS": 30,
    # Name of the induction program assigned automatically to new hires ("" to assign none).
    "DEFAULT_INDUCTION_PROGRAM": "",
    # The browser's Accept-Language picks the language for people who have not chosen one (lms.language); by
    # default the company's LANGUAGE_CODE does.
    "LANGUAGE_FROM_BROWSER": False,
    # Sign-in attempts (POSTs to the login page): (requests, per seconds), per client address and per username.
    "LOGIN_RATE_PER_IP": (30, 300),
    "LOGIN_RATE_PER_USERNAME": (10, 900),
    # "Forgot your password?" requests: (requests, per seconds), per client IP and per e-mail address.
    "PASSWORD_RESET_RATE": (5, 900),
    # Sign a session out after this many seconds without a request (lms.session_idle; 0: never): people who can
    # open the admin, and everyone else (a learner may watch a long video without a request).
    "SESSION_IDLE_SECONDS": 1800,
    "SESSION_IDLE_SECONDS_LEARNER": 14400,
    # Decision requests one door controller may make: (requests, per seconds).
    "PERMIT_DECISION_RATE": (600, 60),
    # Seconds a controller's token and an area's requirements stay cached on the decision path.
    "PERMIT_CACHE_SECONDS": 30,
    # With a shared cache (Redis): how often each process reads the version key that every change to those
    # entries rewrites, dropping its copies when it moved; a change reaches every app server within this time.
    "PERMIT_CACHE_CHECK_SECONDS": 0.25,
    # The version key itself (False: each process keeps its copies until they expire, as without a shared cache;
    # only to show that the cluster test catches a missing invalidation).
    "PERMIT_CACHE_INVALIDATION": True,
    # Allowed entries are counted in memory and written at most this often (denies are written at once).
    "PERMIT_TALLY_FLUSH_SECONDS": 0.5,
    # How long a door's own write (a deny row, the allowed-entry counts) waits for SQLite's write lock, in ms,
    # before the row goes to the deny queue (docs/permits.md); the door never waits the connection's timeout.
    "PERMIT_DOOR_LOCK_WAIT_MS": 50,
    # PostgreSQL: the door's statements are prepared once per connection (lms/permits/rows.py). Turn off behind a
    # connection pooler that cannot keep prepared statements (PgBouncer before 1.21 in transaction mode).
    "PERMIT_PREPARED_STATEMENTS": True,
    # Folder of the deny queue (decision rows the database could not take at once); None: a folder
    # "permit-deny-queue" under LMS_PRIVATE_ROOT. On a disk that survives restarts (docs/operations.md).
    "PERMIT_DENY_QUEUE_DIR": None,
    # Access-control endpoints (pushes): allow plain http URLs, and the hosts that may resolve to loopback,
    # private, link-local or reserved addresses (an internal access-control system); see docs/permits.md.
    "PERMIT_WEBHOOK_ALLOW_HTTP": False,
    "PERMIT_WEBHOOK_ALLOWED_HOSTS": [],
    # Folder for private files (evidence, export workbooks); never under MEDIA_ROOT. Read as LMS_PRIVATE_ROOT.
    "PRIVATE_ROOT": None,
    # Largest accepted private upload (session evidence, background-check certificates), in bytes.
    "PRIVATE_UPLOAD_MAX_BYTES": 20 * 1024 * 1024,
    # Largest accepted Excel upload (roster, attendance sheet), in bytes.
    "IMPORT_MAX_BYTES": 5 * 1024 * 1024,
    # Largest number of data rows accepted in one Excel import.
    "IMPORT_MAX_ROWS": 5000,
    # Rows fetched per database round trip by the streaming exporter.
    "EXPORT_CHUNK_SIZE": 2000,
    # Exports expected to have more rows than this run as a background task (admin); smaller ones stream at once.
    "EXPORT_BACKGROUND_ROWS": 5000,
    # Wrong passwords accepted when signing the confidentiality agreement: (attempts, per seconds), per person.
    "AGREEMENT_PASSWORD_ATTEMPTS": (5, 900),
    # Content-Security-Policy of every HTML page (lms.middleware.ContentSecurityPolicyMiddleware; "" for none). Our
    # pages run no inline script; the one inline script allowed (by hash) is the line h5p core writes into each H5P
    # player frame; 'unsafe-eval' because H5P content libraries compile templates with eval (EmbeddedJS, used by
    # H5P.MultiChoice). Scripts injected into a page or loaded from elsewhere never run. Responses that set their
    # own policy (the H5P file views) keep it.
    "CSP": (
        "default-src 'self'; script-src 'self' 'unsafe-eval' 'sha256-8CniZYrnO46q7MvZ3m08Wom1HH/ZhyXmm29kBKTV1rk='; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
        "font-src 'self' data:; connect-src 'self'; frame-src 'self'; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    ),
    # ... and of the Wagtail and Django admin and the API docs page, whose own templates use inline scripts.
    "CSP_ADMIN": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; media-src 'self' blob:; "
        "font-src 'self' data:; connect-src 'self'; frame-src 'self'; worker-src 'self' blob:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    ),
    # The language of the archive, personal-file and training-matrix exports (headers and values): "" for the
    # language of whoever asks for them; "zh-hans" or "en" to force one (e.g. for a regulator's fixed format).
    "EXPORT_LANGUAGE": "",
    # Personal information (docs/privacy.md): how long each kind is kept ("3y", "18m", "90d"), counted from the
    # date each model's declaration names (lms/privacy/registry.py); ``lms_privacy_sweep`` erases what is past it.
    # People who left are erased whole PEOPLE_AFTER_LEAVING after their leaving date. A person on legal hold is
    # never swept.
    "PRIVACY_RETENTION": {
        "exam_answers": "3y",  # exam attempts, their answers and room events, from the attempt's end
        "learning_activity": "3y",  # H5P and SCORM state and results, from their last change
        "door_decisions": "6m",  # each door's allow/deny, from the decision
        "visitors": "1y",  # visitor registrations, from the visit
        "background_checks": "3y",  # from the end of the person's last permit (or the check, if none)
        "exports": "30d",  # finished export workbooks (many people's data), from the export
        "people_after_leaving": "3y",  # everything else about a person, from their leaving date
    },
    # Appraisals (考核): the weights of the total, of the training component, and the grade bands
    # ([minimum total, grade, below standard?] from the top, ending at 0). A new period copies them.
    "APPRAISAL_WEIGHTS": {"training": "0.25", "performance": "0.35", "attitude": "0.20", "ability": "0.20"},
    "APPRAISAL_TRAINING_WEIGHTS": {
        "coverage": "0.35",
        "on_time": "0.20",
        "first_pass": "0.15",
        "exam_average": "0.15",
        "currency": "0.15",
    },
    "APPRAISAL_BANDS": [[90, "A", False], [80, "B", False], [70, "C", False], [60, "D", True], [0, "E", True]],
    # Slug of the course assigned to a below-standard person who lacks no certification ("" for none).
    "APPRAISAL_REMEDIAL_COURSE": "",
    # Remedial training is due this many days after the period closes.
    "APPRAISAL_REMEDIAL_DUE_DAYS": 30,
}


_values: dict[str, Any] = {}


def __getattr__(name: str) -> Any:
    try:
        return _values[name]
    except KeyError:
        pass
    if name not in DEFAULTS:
        raise AttributeError(name)
    value = _values[name] = getattr(settings, f"LMS_{name}", DEFAULTS[name])
    return value


def _forget(*, setting: str, **kwargs) -> None:
    if setting.startswith("LMS_"):
        _values.clear()


setting_changed.connect(_forget, dispatch_uid="lms.conf")
