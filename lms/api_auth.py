"""The API's token authentication: DRF's ``TokenAuthentication`` with its read compiled once per process
(``exams.prepared``). Every API request of a machine or of the exam page's client reads its token and user; when 250
people start an exam at once, building that query afresh each time is CPU the start needs (docs/exams.md, "The
synchronised start"). A key that matches no active person is refused by DRF itself, in its own words."""

from __future__ import annotations

from rest_framework import authentication
from rest_framework.authtoken.models import Token

from exams.prepared import Prepared

_TOKEN = Prepared(Token, lambda key: Token.objects.select_related("user").filter(key=key)[:1])


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``, as DRF's (a custom ``model`` falls back to DRF's own read)."""

    def authenticate_credentials(self, key):
        token = _TOKEN.first(key) if self.get_model() is Token and isinstance(key, str) else None
        if token is None or not token.user.is_active:
            return super().authenticate_credentials(key)  # refused, with DRF's message
        return token.user, token
