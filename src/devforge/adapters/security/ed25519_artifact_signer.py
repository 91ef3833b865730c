"""The registry's Ed25519 signature on artifacts, under its own key ring (separate from
licensing's: ``DEVFORGE_REGISTRY_KEYS_DIR``, else ``<data dir>/registry_keys``).

The ring itself (ids derived from the public key, rotation, retired keys still published,
``keyring.json`` + one private PEM per key, mode 0600) is licensing's ring, reused as is. What is
signed is the artifact's raw 32-byte SHA-256 digest, and the manifest of its identity
(``manifest_text``: the exact UTF-8 bytes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from devforge.adapters.security.ed25519_license_signer import Ed25519LicenseSigner
from devforge.application.marketplace.artifact_signer import (
    ArtifactIdentity,
    ArtifactSignature,
    ArtifactSigningKey,
    SignedManifest,
    manifest_text,
)

SHA256_HEX_CHARS = 64


class Ed25519ArtifactSigner:
    def __init__(self, ring: Ed25519LicenseSigner) -> None:
        self._ring = ring

    @classmethod
    def generate(cls) -> Ed25519ArtifactSigner:
        return cls(Ed25519LicenseSigner.generate())

    @classmethod
    def load_or_create(cls, directory: Path) -> Ed25519ArtifactSigner:
        return cls(Ed25519LicenseSigner.load_or_create(directory))

    def __repr__(self) -> str:
        return f"Ed25519ArtifactSigner(active={self._ring.active_key_id()!r})"

    def sign(self, data: bytes) -> ArtifactSignature:
        return self.sign_digest(hashlib.sha256(data).hexdigest())

    def sign_digest(self, sha256: str) -> ArtifactSignature:
        digest = _digest(sha256)
        key_id, signature = self._ring.sign(digest)
        return ArtifactSignature(digest.hex(), key_id, _b64url(signature))

    def sign_manifest(self, identity: ArtifactIdentity, signed_at: datetime) -> SignedManifest:
        _digest(identity.sha256)
        key_id = self._ring.active_key_id()
        text = manifest_text(identity, signed_at=signed_at, key_id=key_id)
        signed_by, signature = self._ring.sign(text.encode("utf-8"))
        if signed_by != key_id:  # rotated between the two calls: sign again under the new key
            return self.sign_manifest(identity, signed_at)
        return SignedManifest(text, key_id, _b64url(signature))

    def verify(self, signature: ArtifactSignature) -> bool:
        keys = {key.key_id: key.public_key for key in self._ring.public_keys()}
        if signature.key_id not in keys:
            return False
        try:
            raw = base64.urlsafe_b64decode(signature.signature + "=" * (-len(signature.signature) % 4))
            Ed25519PublicKey.from_public_bytes(keys[signature.key_id]).verify(raw, _digest(signature.sha256))
        except (InvalidSignature, ValueError, binascii.Error):
            return False
        return True

    def public_keys(self) -> list[ArtifactSigningKey]:
        return [
            ArtifactSigningKey(key.key_id, "ed25519", _b64url(key.public_key), str(key.status))
            for key in self._ring.public_keys()
        ]

    def rotate(self, new_key: Ed25519PrivateKey | None = None) -> str:
        return self._ring.rotate(new_key)

    def save(self, directory: Path) -> None:
        self._ring.save(directory)


def _digest(sha256: str) -> bytes:
    if len(sha256) != SHA256_HEX_CHARS:
        raise ValueError("a SHA-256 digest is 64 hex digits")
    return bytes.fromhex(sha256)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
