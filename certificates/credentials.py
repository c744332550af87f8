"""Signed credentials: Open Badges 3.0 / W3C Verifiable Credentials as compact JWS (EdDSA, Ed25519),
the JWKS that publishes the public keys, and the Bitstring Status List that publishes revocations.

No Django imports: signing and verification need only ``cryptography``, so ``verify`` also runs offline
against a saved JWKS and status list (``manage.py certificates_verify``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

STATUS_LIST_BITS = 131072  # the spec's minimum (16 KB), so that one entry says nothing about one person


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# -- keys -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewKey:
    kid: str
    private_key_pem: str
    public_x: str


def generate_key() -> NewKey:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    x = b64url(raw)
    kid = b64url(hashlib.sha256(raw).digest()[:16])  # a thumbprint-like id, stable for the key
    return NewKey(kid=kid, private_key_pem=pem, public_x=x)


def jwks(public_keys: list[tuple[str, str]]) -> dict:
    """A JSON Web Key Set from (kid, x) pairs."""
    return {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"}
                     for kid, x in public_keys]}


# -- signing --------------------------------------------------------------------------------------------


def sign(payload: dict, *, kid: str, private_key_pem: str, typ: str = "vc+jwt") -> str:
    header = {"alg": "EdDSA", "kid": kid, "typ": typ}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    )
    key = serialization.load_pem_private_key(private_key_pem.encode("ascii"), password=None)
    assert isinstance(key, Ed25519PrivateKey)  # noqa: S101  (only Ed25519 keys are ever stored)
    return signing_input + "." + b64url(key.sign(signing_input.encode("ascii")))


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class CredentialData:
    """What a certificate's credential says (plain values, filled in by the service)."""

    id: str  # URL of the public verification page
    issuer_id: str
    issuer_name: str
    holder_name: str
    holder_id: str  # an opaque, stable id of the holder (no e-mail, no employee number)
    achievement_id: str
    achievement_name: str
    achievement_description: str
    issued_at: datetime
    expires_at: datetime | None
    status_list_url: str
    status_index: int
    number: str


def credential_payload(data: CredentialData) -> dict:
    """An Open Badges 3.0 ``OpenBadgeCredential`` (W3C VC data model 2.0), with JWT registered claims
    mirroring it (iss, sub, jti, iat, nbf, exp) so that any JWT library checks the dates."""
    credential: dict = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": data.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": data.achievement_name,
        "issuer": {"id": data.issuer_id, "type": ["Profile"], "name": data.issuer_name},
        "validFrom": _iso(data.issued_at),
        "credentialSubject": {
            "id": data.holder_id,
            "type": ["AchievementSubject"],
            "name": data.holder_name,
            "achievement": {
                "id": data.achievement_id,
                "type": ["Achievement"],
                "name": data.achievement_name,
                "description": data.achievement_description,
                "criteria": {"narrative": data.achievement_description},
            },
            "identifier": [{"type": "IdentityObject", "identityHash": data.number, "identityType": "identifier",
                            "hashed": False}],
        },
        "credentialStatus": {
            "id": f"{data.status_list_url}#{data.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(data.status_index),
            "statusListCredential": data.status_list_url,
        },
    }
    if data.expires_at is not None:
        credential["validUntil"] = _iso(data.expires_at)
    claims = {"iss": data.issuer_id, "sub": data.holder_id, "jti": data.id, "iat": _ts(data.issued_at),
              "nbf": _ts(data.issued_at)}
    if data.expires_at is not None:
        claims["exp"] = _ts(data.expires_at)
    return {**credential, **claims}


# -- Bitstring Status List ----------------------------------------------------------------------------------


def encode_status_list(revoked_indexes: list[int], *, size: int = STATUS_LIST_BITS) -> str:
    """``encodedList``: multibase base64url ("u" prefix) of the GZIP-compressed bitstring; index 0 is the
    left-most bit of the first byte (W3C Bitstring Status List v1.0)."""
    size = max(size, ((max(revoked_indexes, default=0) // STATUS_LIST_BITS) + 1) * STATUS_LIST_BITS)
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip.compress(bytes(bits), mtime=0))


def status_bit(encoded_list: str, index: int) -> bool:
    raw = gzip.decompress(b64url_decode(encoded_list[1:] if encoded_list.startswith("u") else encoded_list))
    if index // 8 >= len(raw):
        raise ValueError("status index outside the list")
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def status_list_payload(*, url: str, issuer_id: str, encoded_list: str, issued_at: datetime) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": _iso(issued_at),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_list},
        "iss": issuer_id,
        "iat": _ts(issued_at),
    }


# -- verification -----------------------------------------------------------------------------------------


@dataclass
class Verification:
    is_valid: bool = False
    signature_ok: bool = False
    dates_ok: bool = False
    status_checked: bool = False
    is_revoked: bool = False
    errors: list[str] = field(default_factory=list)
    payload: dict = field(default_factory=dict)


def decode_unverified(token: str) -> tuple[dict, dict, bytes, bytes]:
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS")
    header = json.loads(b64url_decode(parts[0]))
    payload = json.loads(b64url_decode(parts[1]))
    return header, payload, (parts[0] + "." + parts[1]).encode("ascii"), b64url_decode(parts[2])


def verify_signature(token: str, key_set: dict) -> tuple[dict, dict]:
    """(header, payload) when the signature checks out against a key of ``key_set``; ValueError otherwise."""
    header, payload, signing_input, signature = decode_unverified(token)
    if header.get("alg") != "EdDSA":
        raise ValueError("unsupported algorithm")
    jwk = next((k for k in key_set.get("keys", []) if k.get("kid") == header.get("kid")), None)
    if jwk is None or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("unknown signing key")
    try:
        Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"])).verify(signature, signing_input)
    except (InvalidSignature, ValueError) as exc:
        raise ValueError("bad signature") from exc
    return header, payload


def verify(token: str, *, key_set: dict, now: datetime, status_list_token: str | None = None) -> Verification:
    """Check a credential offline: signature against the JWKS, validity dates, and (when a signed status
    list is given) its revocation bit. Every check that fails adds an error."""
    result = Verification()
    try:
        __, payload = verify_signature(token, key_set)
    except (ValueError, KeyError, json.JSONDecodeError) as exc:
        result.errors.append(f"signature: {exc}")
        return result
    result.signature_ok = True
    result.payload = payload
    stamp = now.timestamp()
    result.dates_ok = payload.get("nbf", 0) <= stamp and ("exp" not in payload or stamp < payload["exp"])
    if not result.dates_ok:
        result.errors.append("dates: not valid at this time")
    entry = payload.get("credentialStatus") or {}
    if status_list_token:
        try:
            __, status_payload = verify_signature(status_list_token, key_set)
            if status_payload.get("id") != entry.get("statusListCredential"):
                raise ValueError("status list is not the one the credential names")
            result.is_revoked = status_bit(status_payload["credentialSubject"]["encodedList"],
                                           int(entry["statusListIndex"]))
            result.status_checked = True
        except (ValueError, KeyError, TypeError, OSError) as exc:
            result.errors.append(f"status: {exc}")
        if result.is_revoked:
            result.errors.append("status: revoked")
    result.is_valid = result.signature_ok and result.dates_ok and not result.is_revoked and not (
        status_list_token and not result.status_checked
    )
    return result
