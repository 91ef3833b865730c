"""Ports for signing licensing documents and sealing license files.

Both are in-process and non-transactional: they hold key material, never touch the database,
and never log a key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from devforge.domain.licensing.signed_format import b64url


class SigningKeyStatus(StrEnum):
    """ACTIVE signs new documents; RETIRED no longer signs but is still published, so what it
    signed keeps verifying until the key is removed from the ring."""

    ACTIVE = "active"
    RETIRED = "retired"


@dataclass(frozen=True)
class PublicSigningKey:
    key_id: str
    public_key: bytes  # raw 32-byte Ed25519 public key
    status: SigningKeyStatus


class LicenseSigner(Protocol):
    """Ed25519 signatures under a ring of keys named by id; exactly one key is active."""

    def active_key_id(self) -> str:
        """The id ``sign`` will use now; documents name it inside what is signed."""
        ...

    def sign(self, message: bytes) -> tuple[str, bytes]:
        """(key id, signature) under the active key."""
        ...

    def public_keys(self) -> list[PublicSigningKey]:
        """Every published key, the active one first."""
        ...


class LicenseFileCipher(Protocol):
    """AES-256-GCM under a key derived from the license key and the machine fingerprint, so only
    that machine, holding that key, can read the file."""

    def seal(self, plaintext: bytes, *, license_key: str, fingerprint: str) -> bytes: ...

    def open(self, sealed: bytes, *, license_key: str, fingerprint: str) -> bytes:
        """Raises ``ValueError`` when the key or the fingerprint is not the one it was sealed for."""
        ...


def public_keys_document(keys: list[PublicSigningKey]) -> dict[str, list[dict[str, str]]]:
    """What the public-keys endpoint serves and ``devforge license verify --public-keys`` reads."""
    return {
        "keys": [
            {"kid": key.key_id, "alg": "Ed25519", "public_key": b64url(key.public_key), "status": key.status.value}
            for key in keys
        ]
    }
