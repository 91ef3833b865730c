"""Signed license keys: ``key/<base64url JSON>.<base64url Ed25519 signature>``.

A client that holds only the public keys can read and trust what the key grants, offline. The
JSON names the license, its product, its entitlements (sorted), its expiry (``null`` when
perpetual or not started), when it was signed and the id of the signing key; the signature
covers ``key/<base64url JSON>`` exactly as written. Unlike the readable ``DF-`` key it is not a
secret that unlocks anything on the server: it is a statement the server made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.licensing.license import License
from devforge.domain.licensing.signed_format import FORMAT_VERSION, b64url, canonical_json, utc_text

SIGNED_KEY_PREFIX = "key/"


@dataclass(frozen=True, kw_only=True)
class SignedKeyPayload:
    license_id: UUID
    product_id: UUID
    entitlements: frozenset[str]
    expires_at: datetime | None
    issued_at: datetime
    key_id: str

    @classmethod
    def of(cls, license: License, *, issued_at: datetime, key_id: str) -> SignedKeyPayload:
        return cls(
            license_id=license.id,
            product_id=license.product_id,
            entitlements=license.terms.entitlements,
            expires_at=license.expires_at,
            issued_at=issued_at,
            key_id=key_id,
        )

    def to_json(self) -> bytes:
        return canonical_json(
            {
                "v": FORMAT_VERSION,
                "license_id": str(self.license_id),
                "product_id": str(self.product_id),
                "entitlements": sorted(self.entitlements),
                "expires_at": utc_text(self.expires_at) if self.expires_at else None,
                "issued_at": utc_text(self.issued_at),
                "kid": self.key_id,
            }
        )

    def signing_input(self) -> bytes:
        """What the signature covers: the ``key/<data>`` part of the finished key."""
        return (SIGNED_KEY_PREFIX + b64url(self.to_json())).encode("ascii")


def signed_key_text(payload: SignedKeyPayload, signature: bytes) -> str:
    return f"{payload.signing_input().decode('ascii')}.{b64url(signature)}"
