"""Download links as ``<base>/files/<payload>.<mac>``: the payload is base64url JSON
(``k`` key, ``f`` file name, ``e`` expiry in Unix seconds), the MAC HMAC-SHA256 over it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import UTC, datetime

from devforge.application.common.download_links import DownloadGrant, DownloadLinkInvalid

MAX_TOKEN_CHARS = 4096


class HmacDownloadLinks:
    def __init__(self, secret: bytes, base_url: str, *, path: str = "/files") -> None:
        if len(secret) < 16:
            raise ValueError("a download-link secret needs at least 16 bytes")
        self._secret = secret
        self._prefix = base_url.rstrip("/") + "/" + path.strip("/") + "/"

    def __repr__(self) -> str:
        return f"HmacDownloadLinks(prefix={self._prefix!r})"

    def url(self, key: str, *, expires_at: datetime, filename: str | None = None) -> str:
        return self._prefix + self.token(key, expires_at=expires_at, filename=filename)

    def token(self, key: str, *, expires_at: datetime, filename: str | None = None) -> str:
        claims: dict[str, object] = {"k": key, "e": int(expires_at.timestamp())}
        if filename:
            claims["f"] = filename
        payload = _b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        return f"{payload}.{_b64(self._mac(payload))}"

    def redeem(self, token: str, now: datetime) -> DownloadGrant:
        if len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
            raise DownloadLinkInvalid("The download link is malformed.")
        payload, mac = token.split(".")
        try:
            given = _unb64(mac)
        except (binascii.Error, ValueError):
            raise DownloadLinkInvalid("The download link is malformed.") from None
        if not hmac.compare_digest(given, self._mac(payload)):
            raise DownloadLinkInvalid("The download link's signature does not match.")
        claims = json.loads(_unb64(payload))  # ours (the MAC matched), so well-formed
        expires_at = datetime.fromtimestamp(int(claims["e"]), UTC)
        if now >= expires_at:
            raise DownloadLinkInvalid("The download link has expired.", expired=True)
        return DownloadGrant(str(claims["k"]), claims.get("f"), expires_at)

    def _mac(self, payload: str) -> bytes:
        return hmac.new(self._secret, payload.encode("utf-8"), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
