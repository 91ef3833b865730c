from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class AesGcmSecretBox:
    """AES-256-GCM under a key derived (HKDF-SHA256) from the server secret and a purpose label.
    Each seal has a fresh 96-bit nonce; ``context`` is authenticated data, so a value sealed for
    one user does not open for another. Stored as ``v1.<base64url(nonce + ciphertext)>``."""

    def __init__(self, secret: bytes, purpose: bytes) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"devforge:" + purpose).derive(secret)
        self._aead = AESGCM(key)

    def seal(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(12)
        sealed = nonce + self._aead.encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
        return "v1." + base64.urlsafe_b64encode(sealed).decode("ascii")

    def open(self, sealed: str, *, context: str) -> str:
        version, _, body = sealed.partition(".")
        try:
            if version != "v1":
                raise ValueError("unknown sealed-value version")
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            return self._aead.decrypt(raw[:12], raw[12:], context.encode("utf-8")).decode("utf-8")
        except (InvalidTag, ValueError) as error:
            raise ValueError("the sealed value does not open under this key and context") from error
