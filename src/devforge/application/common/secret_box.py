"""Sealing secrets that must be read back: a TOTP seed, a license key on its way to a receipt."""

from __future__ import annotations

from typing import Protocol


class SecretBox(Protocol):
    """Authenticated encryption for secrets that must be read back (a TOTP seed). ``context``
    binds a sealed value to its owner: opening it under another context fails."""

    def seal(self, plaintext: str, *, context: str) -> str: ...

    def open(self, sealed: str, *, context: str) -> str:
        """Raises ``ValueError`` when the value was tampered with or sealed for another context."""
        ...
