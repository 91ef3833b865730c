"""Install tokens as ``dfi1.<payload>.<mac>``: the payload is base64url of the install id (16
bytes) and the issue time (8 bytes, Unix seconds), the MAC HMAC-SHA256 over ``dfi1.<payload>``
under a key derived from the secret key. Nothing is stored: the MAC is the proof of issue."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from datetime import datetime
from uuid import UUID

PREFIX = "dfi1."
MAX_TOKEN_CHARS = 128


class HmacInstallTokens:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("an install-token secret needs at least 16 bytes")
        self._secret = secret

    def __repr__(self) -> str:
        return "HmacInstallTokens()"

    def issue(self, install_id: UUID, issued_at: datetime) -> str:
        payload = _b64(install_id.bytes + int(issued_at.timestamp()).to_bytes(8, "big"))
        return f"{PREFIX}{payload}.{_b64(self._mac(payload))}"

    def install_of(self, token: str) -> UUID | None:
        if len(token) > MAX_TOKEN_CHARS or not token.startswith(PREFIX) or token.count(".") != 2:
            return None
        payload, mac = token[len(PREFIX) :].split(".")
        try:
            raw, given = _unb64(payload), _unb64(mac)
        except (binascii.Error, ValueError):
            return None
        if len(raw) != 24 or not hmac.compare_digest(given, self._mac(payload)):
            return None
        return UUID(bytes=raw[:16])

    def _mac(self, payload: str) -> bytes:
        return hmac.new(self._secret, (PREFIX + payload).encode("ascii"), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
