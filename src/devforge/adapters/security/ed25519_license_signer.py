"""Ed25519 signing for licensing documents, under a ring of keys named by id.

Rotation adds a new active key; the older ones are retired: they sign nothing more but stay
published, so the files and keys they signed keep verifying until the key is removed. A key's id
is derived from its public key (``ed25519-`` and 16 hex digits of its SHA-256), so the same key
always has the same id.

On disk (embedded profile: under the data directory) a ring is ``keyring.json`` (the key ids,
oldest first, and which one is active) and one PKCS#8 PEM per key, readable by the owner only.
Key material never appears in ``repr`` or in logs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devforge.application.licensing.signing import PublicSigningKey, SigningKeyStatus

RING_FILE = "keyring.json"


def key_id_of(key: Ed25519PrivateKey) -> str:
    return "ed25519-" + hashlib.sha256(_raw_public(key)).hexdigest()[:16]


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class Ed25519LicenseSigner:
    def __init__(self, keys: list[Ed25519PrivateKey], *, active: str | None = None) -> None:
        if not keys:
            raise ValueError("a key ring needs at least one key")
        self._keys = {key_id_of(key): key for key in keys}
        self._active = active or key_id_of(keys[-1])
        if self._active not in self._keys:
            raise ValueError("the active key is not in the ring")

    @classmethod
    def generate(cls) -> Ed25519LicenseSigner:
        return cls([Ed25519PrivateKey.generate()])

    def __repr__(self) -> str:
        return f"Ed25519LicenseSigner(active={self._active!r}, keys={len(self._keys)})"

    # LicenseSigner -----------------------------------------------------------------------------

    def active_key_id(self) -> str:
        return self._active

    def sign(self, message: bytes) -> tuple[str, bytes]:
        key_id = self._active
        return key_id, self._keys[key_id].sign(message)

    def public_keys(self) -> list[PublicSigningKey]:
        ordered = [self._active, *(key_id for key_id in reversed(self._keys) if key_id != self._active)]
        return [
            PublicSigningKey(
                key_id,
                self._keys[key_id]
                .public_key()
                .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw),
                SigningKeyStatus.ACTIVE if key_id == self._active else SigningKeyStatus.RETIRED,
            )
            for key_id in ordered
        ]

    # Rotation ----------------------------------------------------------------------------------

    def rotate(self, new_key: Ed25519PrivateKey | None = None) -> str:
        """Make a new key the active one; the previous ones stay published as retired."""
        key = new_key or Ed25519PrivateKey.generate()
        key_id = key_id_of(key)
        self._keys[key_id] = key
        self._active = key_id
        return key_id

    def remove(self, key_id: str) -> None:
        """Stop publishing a retired key: what it signed no longer verifies."""
        if key_id == self._active:
            raise ValueError("rotate before removing the active key")
        self._keys.pop(key_id, None)

    # Storage -----------------------------------------------------------------------------------

    @classmethod
    def load(cls, directory: Path) -> Ed25519LicenseSigner:
        ring = json.loads((directory / RING_FILE).read_text(encoding="utf-8"))
        keys = [_read_key(directory / f"{key_id}.pem") for key_id in ring["keys"]]
        return cls(keys, active=ring["active"])

    @classmethod
    def load_or_create(cls, directory: Path) -> Ed25519LicenseSigner:
        """The embedded profile keeps its ring under the data directory, made on first start."""
        if (directory / RING_FILE).exists():
            return cls.load(directory)
        signer = cls.generate()
        signer.save(directory)
        return signer

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        for key_id, key in self._keys.items():
            pem = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            _write_private(directory / f"{key_id}.pem", pem)
        ring = {"active": self._active, "keys": list(self._keys)}
        _write_private(directory / RING_FILE, json.dumps(ring, indent=2).encode("utf-8"))


def _read_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path.name} is not an Ed25519 private key")
    return key


def _write_private(path: Path, data: bytes) -> None:
    """Written beside, then renamed: a crash never leaves half a key."""
    partial = path.with_suffix(path.suffix + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    partial.replace(path)
