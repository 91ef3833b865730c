"""Offline licensing: license files, signed keys, signed validation answers, the revocation list.

Every document names the key that signed it inside what is signed. The active key could change
between reading its id and signing (a rotation), so a mismatch signs once more with the new key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import UUID

from devforge.application.licensing.signing import LicenseFileCipher, LicenseSigner, PublicSigningKey
from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_file import DEFAULT_TTL, ENCRYPTED, PLAIN, LicenseFile, armored, signing_input
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.revocation_list import LABEL, TITLE, RevocationList
from devforge.domain.licensing.signed_format import b64url
from devforge.domain.licensing.signed_key import SignedKeyPayload, signed_key_text

T = TypeVar("T")
LICENSE_FILE_TITLE = "DEVFORGE LICENSE FILE"
RESPONSE_SIGNATURE_HEADER = "Devforge-Signature"


def response_signing_input(body: bytes, timestamp: int, nonce: str) -> bytes:
    """The client sent ``nonce``; signing it with the time and the body makes a replayed or
    edited answer fail verification. The nonce travels base64url-encoded, so a ``/`` in it cannot
    shift where the body starts."""
    return f"response/{timestamp}/{b64url(nonce.encode())}/".encode() + body


class OfflineLicenses:
    def __init__(self, signer: LicenseSigner, cipher: LicenseFileCipher) -> None:
        self._signer = signer
        self._cipher = cipher

    def public_keys(self) -> list[PublicSigningKey]:
        return self._signer.public_keys()

    def license_file(
        self,
        license: License,
        *,
        fingerprint: str,
        now: datetime,
        ttl: timedelta = DEFAULT_TTL,
        encrypt_for: LicenseKey | None = None,
    ) -> str:
        """A signed file for one active machine; sealed for that machine when the caller proved
        the key (``encrypt_for``). Revoked and suspended licenses are refused by the domain."""

        def build(key_id: str) -> tuple[str, bytes]:
            file = LicenseFile.check_out(license, fingerprint=fingerprint, now=now, ttl=ttl, key_id=key_id)
            if encrypt_for is None:
                return PLAIN, file.to_json()
            sealed = self._cipher.seal(file.to_json(), license_key=str(encrypt_for), fingerprint=file.fingerprint)
            return ENCRYPTED, sealed

        key_id, (alg, enc), signature = self._signed(build, lambda built: signing_input("license", *_b64(built)))
        return armored(LICENSE_FILE_TITLE, alg=alg, enc=enc, key_id=key_id, signature=signature)

    def signed_key(self, license: License, *, now: datetime) -> str:
        _, payload, signature = self._signed(
            lambda key_id: SignedKeyPayload.of(license, issued_at=now, key_id=key_id),
            lambda payload: payload.signing_input(),
        )
        return signed_key_text(payload, signature)

    def revocation_list(self, revoked: Iterable[UUID], *, now: datetime, suspended: Iterable[UUID] = ()) -> str:
        ids, held = frozenset(revoked), frozenset(suspended)
        key_id, listed, signature = self._signed(
            lambda key_id: RevocationList.of(ids, suspended=held, issued_at=now, key_id=key_id),
            lambda listed: signing_input(LABEL, PLAIN, b64url(listed.to_json())),
        )
        return armored(TITLE, alg=PLAIN, enc=listed.to_json(), key_id=key_id, signature=signature)

    def response_signature(self, body: bytes, *, now: datetime, nonce: str) -> str:
        """The value of the ``Devforge-Signature`` header of a validation answer."""
        timestamp = int(now.timestamp())
        key_id, signature = self._signer.sign(response_signing_input(body, timestamp, nonce))
        return f"kid={key_id};ts={timestamp};sig={b64url(signature)}"

    def _signed(self, build: Callable[[str], T], message: Callable[[T], bytes]) -> tuple[str, T, bytes]:
        for _ in range(2):
            expected = self._signer.active_key_id()
            document = build(expected)
            key_id, signature = self._signer.sign(message(document))
            if key_id == expected:
                return key_id, document, signature
        raise RuntimeError("the signing key kept changing while signing")


def _b64(built: tuple[str, bytes]) -> tuple[str, str]:
    return built[0], b64url(built[1])
