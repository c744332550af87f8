"""The signed token with which the H5P player saves a person's resume state (H5P core posts without a CSRF
header, so this per-user, per-activity token in the URL replaces it). Made where the player is configured
(``blocks.H5PActivityBlock``), checked by ``views.state``."""

from __future__ import annotations

from django.core import signing

SALT = "lms_h5p.state"
MAX_AGE_SECONDS = 24 * 3600


def state_token(*, user, activity) -> str:
    return signing.dumps({"u": user.pk, "a": activity.pk}, salt=SALT)


def state_token_matches(token: str, *, user, activity) -> bool:
    """Whether ``token`` was made for this person and activity within the last day."""
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS) == {"u": user.pk, "a": activity.pk}
    except signing.BadSignature:
        return False
