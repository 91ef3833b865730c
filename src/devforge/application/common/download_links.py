"""Signed download links for storage that cannot sign its own URLs (local disk, memory).

A link names one storage key, an optional download file name and an expiry, under a MAC only
the service can make, so a link cannot be forged, widened to another key or extended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import quote


class DownloadLinkInvalid(Exception):
    """Tampered, malformed or expired; ``expired`` tells which (410 vs 403)."""

    def __init__(self, reason: str, *, expired: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.expired = expired


@dataclass(frozen=True, slots=True)
class DownloadGrant:
    key: str
    filename: str | None
    expires_at: datetime


class DownloadLinks(Protocol):
    def url(self, key: str, *, expires_at: datetime, filename: str | None = None) -> str:
        """An absolute URL of ``GET /files/{token}``."""
        ...

    def redeem(self, token: str, now: datetime) -> DownloadGrant:
        """The grant inside a token this service made and that has not expired; else raises
        ``DownloadLinkInvalid``."""
        ...


def attachment_disposition(filename: str) -> str:
    """``Content-Disposition`` for a download (RFC 6266): an ASCII fallback without quotes,
    backslashes or control characters, and the exact name percent-encoded in ``filename*``."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\/;' else "_" for c in filename) or "download"
    encoded = quote(filename, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
