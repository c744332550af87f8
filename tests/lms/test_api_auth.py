"""lms.api_auth.TokenAuthentication: DRF's token authentication with its read compiled once per process. A token
acts as its own person only; an unknown key, an inactive person or a malformed header is refused as DRF refuses it."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient, APIRequestFactory

from lms.api_auth import TokenAuthentication
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def who(header):
    request = APIRequestFactory().get("/api/archive/records/", HTTP_AUTHORIZATION=header)
    found = TokenAuthentication().authenticate(request)
    return None if found is None else (found[0].username, found[1].user.username)


@pytest.fixture
def tokens():
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    return Token.objects.create(user=ann).key, Token.objects.create(user=bob).key


def test_each_token_is_its_own_person(tokens):
    ann, bob = tokens
    for __ in range(2):  # the second round runs the kept query
        assert who(f"Token {ann}") == ("ann", "ann")
        assert who(f"Token {bob}") == ("bob", "bob")
    assert who("Basic abc") is None  # not a token: left to the next authentication class


def test_an_unknown_key_or_an_inactive_person_is_refused_in_drfs_words(tokens):
    ann, bob = tokens
    who(f"Token {ann}")
    with pytest.raises(exceptions.AuthenticationFailed, match="Invalid token"):
        who("Token " + "0" * 40)
    with pytest.raises(exceptions.AuthenticationFailed, match="Invalid token"):
        who(f"Token {ann}' OR '1'='1")
    get_user_model().objects.filter(username="bob").update(is_active=False)
    with pytest.raises(exceptions.AuthenticationFailed, match="inactive"):
        who(f"Token {bob}")
    assert who(f"Token {ann}") == ("ann", "ann")


def test_a_malformed_header_is_refused():
    with pytest.raises(exceptions.AuthenticationFailed):
        who("Token a b")


def test_the_site_authenticates_api_tokens_with_it(tokens):
    ann, __ = tokens
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ann}")
    assert client.get("/api/archive/records/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/archive/records/").status_code == 401
