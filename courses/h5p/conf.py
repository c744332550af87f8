"""Settings of courses.h5p. Defaults live here; override any of them with ``LMS_<NAME>`` in Django settings.

Read lazily on every access, so ``override_settings(LMS_H5P_...)`` works in tests::

    from courses.h5p import conf
    conf.H5P_MAX_FILES
"""

from typing import Any

from django.conf import settings

MIB = 1024 * 1024

DEFAULTS: dict[str, Any] = {
    # Upload limits, enforced while the archive is read (not only from its headers).
    "H5P_MAX_UPLOAD_BYTES": 200 * MIB,  # the .h5p file itself
    "H5P_MAX_FILES": 5000,  # entries in the archive
    "H5P_MAX_FILE_BYTES": 64 * MIB,  # one uncompressed entry
    "H5P_MAX_TOTAL_BYTES": 256 * MIB,  # all uncompressed entries together
    "H5P_MAX_RATIO": 200,  # uncompressed / compressed size of an entry larger than H5P_RATIO_MIN_BYTES
    "H5P_RATIO_MIN_BYTES": 1 * MIB,
    # Every JSON file the server parses (content/content.json, h5p.json, library.json, semantics.json,
    # language files): its size, checked before it is read (parsing costs ~14x the file size in memory),
    # and how deeply lists and objects may nest (real packages nest about 12 levels).
    "H5P_MAX_CONTENT_JSON_BYTES": 8 * MIB,
    "H5P_MAX_JSON_DEPTH": 100,
    # SVG files in content/: "sanitise" (scripts, handlers and foreign objects removed) or "refuse".
    "H5P_CONTENT_SVG": "sanitise",
    # Storage alias (settings.STORAGES) for libraries and extracted content. An alias the site does not define is a
    # private file system at LMS_PRIVATE_ROOT (exams.private_files); never the public media storage.
    "H5P_STORAGE": "lms_h5p",
    "H5P_STORAGE_PREFIX": "lms_h5p",
    # Resume state and xAPI statements posted by the player.
    "H5P_MAX_STATE_BYTES": 64 * 1024,
    "H5P_MAX_STATEMENT_BYTES": 64 * 1024,
    # Statements kept per person and activity (a runaway player cannot fill the database).
    "H5P_MAX_STATEMENTS": 2000,
}


def __getattr__(name: str) -> Any:
    if name not in DEFAULTS:
        raise AttributeError(name)
    return getattr(settings, f"LMS_{name}", DEFAULTS[name])
