from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PublicUrl:
    """The configured public base URL. Links in mails are built from it, never from a request's
    Host header, which an attacker controls."""

    base: str

    def to(self, path: str) -> str:
        return self.base.rstrip("/") + "/" + path.lstrip("/")
