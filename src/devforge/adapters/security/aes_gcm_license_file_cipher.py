from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

INFO = b"devforge:license-file:v1"


def license_file_key(license_key: str, fingerprint: str) -> bytes:
    """HKDF-SHA256 of the license key, salted with the fingerprint: one key per (license, machine).
    ``devforge.client.license_verifier`` derives the same key; keep the two in step."""
    salt = hashes.Hash(hashes.SHA256())
    salt.update(fingerprint.encode("utf-8"))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt.finalize(), info=INFO).derive(
        license_key.encode("utf-8")
    )


class AesGcmLicenseFileCipher:
    """AES-256-GCM with a fresh 96-bit nonce per file; sealed bytes are ``nonce + ciphertext``."""

    def seal(self, plaintext: bytes, *, license_key: str, fingerprint: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(license_file_key(license_key, fingerprint)).encrypt(nonce, plaintext, INFO)

    def open(self, sealed: bytes, *, license_key: str, fingerprint: str) -> bytes:
        try:
            return AESGCM(license_file_key(license_key, fingerprint)).decrypt(sealed[:12], sealed[12:], INFO)
        except InvalidTag as error:
            raise ValueError("the license file does not open with this key and fingerprint") from error
