"""Upload validators with clear, translated messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from lms import conf


@deconstructible
class MaxUploadSize:
    """Refuses a file larger than the ``LMS_<setting>`` limit in bytes (read when validating, so a site may
    change it without a migration)."""

    def __init__(self, setting: str = "PRIVATE_UPLOAD_MAX_BYTES") -> None:
        self.setting = setting

    def __call__(self, file) -> None:
        limit = getattr(conf, self.setting)
        size = getattr(file, "size", None)
        if size is not None and size > limit:
            raise ValidationError(
                _("The file is too large (%(size)s); at most %(limit)s is accepted.")
                % {"size": _megabytes(size), "limit": _megabytes(limit)},
                code="file_too_large",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxUploadSize) and other.setting == self.setting


def _megabytes(size: int) -> str:
    return _("%(mb).1f MB") % {"mb": size / 2**20}
