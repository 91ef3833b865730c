"""The registry's signatures on every published artifact.

Two signatures, Ed25519 under a ring of keys named by id (exactly one active; retired keys stay
published so old artifacts keep verifying), made when a version is approved:

- over the artifact's raw 32-byte SHA-256 digest (the published download contract since the
  start): ``Ed25519PublicKey(key).verify(urlsafe_b64decode(signature + "=="), bytes.fromhex(sha256))``;
- over a manifest of the artifact's identity (``ArtifactManifest``: publisher, extension,
  version, target platform, digest, size, signing time and key id, canonical JSON), so a
  signature cannot be moved to another extension or version. ``devforge.client.artifact_verifier``
  checks it offline.

In-process, non-transactional, never logs key material.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

MANIFEST_FORMAT = "devforge-artifact-manifest/v1"


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


@dataclass(frozen=True, slots=True)
class ArtifactIdentity:
    """What a manifest says an artifact is."""

    publisher: str  # namespace
    extension: str  # name
    version: str
    target_platform: str
    sha256: str  # hex, lowercase
    size: int


@dataclass(frozen=True, slots=True)
class SignedManifest:
    text: str  # canonical JSON, exactly the bytes signed (UTF-8)
    key_id: str
    signature: str  # base64url (no padding) of the 64-byte Ed25519 signature over ``text``


def manifest_text(identity: ArtifactIdentity, *, signed_at: datetime, key_id: str) -> str:
    """The canonical manifest: sorted keys, no spaces, UTF-8; the signing time in whole seconds, UTC.
    The client verifier reads it back as JSON; the signature covers these exact bytes."""
    fields = {
        "format": MANIFEST_FORMAT,
        "publisher": identity.publisher,
        "extension": identity.extension,
        "version": identity.version,
        "target_platform": identity.target_platform,
        "sha256": identity.sha256.lower(),
        "size": identity.size,
        "signed_at": signed_at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "kid": key_id,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class ArtifactSigner(Protocol):
    def sign(self, data: bytes) -> ArtifactSignature: ...

    def sign_digest(self, sha256: str) -> ArtifactSignature:
        """Sign an artifact already hashed while it streamed (hex digest, as ``StoredBlob.sha256``)."""
        ...

    def sign_manifest(self, identity: ArtifactIdentity, signed_at: datetime) -> SignedManifest:
        """The identity's canonical manifest (``manifest_text``), signed with the active key."""
        ...

    def verify(self, signature: ArtifactSignature) -> bool:
        """True when a published key made this signature over this digest."""
        ...

    def public_keys(self) -> list[ArtifactSigningKey]:
        """Every published key, the active one first."""
        ...
