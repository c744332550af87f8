"""``GET /healthz``: whether this app server can reach its database, for a load balancer (docs/operations.md).

200 ``{"status": "ok"}`` or 503 ``{"status": "unavailable"}``; no authentication, no data, no session, nothing
cached by a proxy. One ``SELECT 1`` on the default database: a read, so it answers at once even while another
connection holds SQLite's write lock (denies are queued then; see docs/permits.md)."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
OK = b'{"status":"ok"}'
UNAVAILABLE = b'{"status":"unavailable"}'


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
        return response
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure to reach the database: take this server out of rotation
        logger.warning("health check: the database is unavailable", exc_info=True)
        return HttpResponse(UNAVAILABLE, status=503, content_type="application/json")
    return HttpResponse(OK, content_type="application/json")
