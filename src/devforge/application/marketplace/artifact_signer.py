"""The registry's signature on every published artifact.

The signature is Ed25519 over the artifact's raw 32-byte SHA-256 digest, under a ring of
keys named by id (exactly one active; retired keys stay published so old artifacts keep
verifying). A client verifies with the key named by ``key_id`` from the public signing-keys
endpoint: ``Ed25519PublicKey(key).verify(urlsafe_b64decode(signature + "=="), bytes.fromhex(sha256))``.
In-process, non-transactional, never logs key material.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ArtifactSignature:
    sha256: str  # hex, lowercase
    key_id: str
    signature: str  # base64url (no padding) of the 64-byte Ed25519 signature


@dataclass(frozen=True, slots=True)
class ArtifactSigningKey:
    key_id: str
    algorithm: str  # "ed25519"
    public_key: str  # base64url (no padding) of the raw 32-byte public key
    status: str  # "active" | "retired"


class ArtifactSigner(Protocol):
    def sign(self, data: bytes) -> ArtifactSignature: ...

    def sign_digest(self, sha256: str) -> ArtifactSignature:
        """Sign an artifact already hashed while it streamed (hex digest, as ``StoredBlob.sha256``)."""
        ...

    def verify(self, signature: ArtifactSignature) -> bool:
        """True when a published key made this signature over this digest."""
        ...

    def public_keys(self) -> list[ArtifactSigningKey]:
        """Every published key, the active one first."""
        ...
