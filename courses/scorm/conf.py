"""Settings of courses.scorm. Defaults live here; override any of them with ``LMS_<NAME>`` in Django settings.

Read lazily on every access, so ``override_settings(LMS_SCORM_...)`` works in tests.
"""

from typing import Any

from django.conf import settings

MIB = 1024 * 1024

DEFAULTS: dict[str, Any] = {
    # Upload limits, enforced while the archive is read (the same reader as H5P: courses.h5p.safezip).
    "SCORM_MAX_UPLOAD_BYTES": 500 * MIB,  # vendors' packages carry video
    "SCORM_MAX_FILES": 10000,
    "SCORM_MAX_FILE_BYTES": 256 * MIB,
    "SCORM_MAX_TOTAL_BYTES": 1024 * MIB,
    "SCORM_MAX_RATIO": 200,
    "SCORM_RATIO_MIN_BYTES": 1 * MIB,
    "SCORM_MAX_MANIFEST_BYTES": 4 * MIB,
    # Storage alias (settings.STORAGES) and prefix for extracted packages. An alias the site does not define is a
    # private file system at LMS_PRIVATE_ROOT (exams.private_files); never the public media storage.
    "SCORM_STORAGE": "lms_scorm",
    "SCORM_STORAGE_PREFIX": "lms_scorm",
    # One commit's body (the whole CMI of one SCO, interactions included).
    "SCORM_MAX_COMMIT_BYTES": 512 * 1024,
}


def __getattr__(name: str) -> Any:
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"LMS_{name}", DEFAULTS[name])
