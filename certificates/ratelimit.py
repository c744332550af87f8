"""The certificate verification limit (per client address), on the shared limiter in ``exams.ratelimit``."""

from __future__ import annotations

from certificates import conf
from exams.ratelimit import client_ip, hit


def verify_allowed(request) -> bool:
    limit, window = conf.CERTIFICATE_VERIFY_RATE
    return hit(scope="verify", key=client_ip(request), limit=limit, window=window)
