"""Ports of two-factor authentication: where enrolments live, how secrets are sealed, how
time-based codes are made and checked."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.application.common.secret_box import SecretBox
from devforge.domain.identity.two_factor import TwoFactor

__all__ = ["SecretBox", "TotpCodes", "TwoFactorRepository"]


class TwoFactorRepository(Protocol):
    """Transactional (joins the unit of work). One record per user, with its recovery codes."""

    async def add(self, two_factor: TwoFactor) -> None: ...

    async def get(self, user_id: UUID, *, for_update: bool = False) -> TwoFactor | None: ...

    async def update(self, two_factor: TwoFactor) -> None:
        """Raises ``TwoFactorChangedConcurrently`` when another transaction changed the record
        first, so one code (or one recovery code) cannot be spent by two racing requests."""
        ...

    async def remove(self, user_id: UUID) -> None: ...


class TotpCodes(Protocol):
    """RFC 6238 codes: 6 digits, 30-second steps, one step of drift allowed either way."""

    def new_secret(self) -> str:
        """A fresh base32 secret (160 bits)."""
        ...

    def provisioning_uri(self, secret: str, *, account: str, issuer: str) -> str:
        """The ``otpauth://totp/...`` URI an authenticator app scans."""
        ...

    def matching_step(self, secret: str, code: str, *, now: datetime) -> int | None:
        """The time step whose code ``code`` is (now, one before or one after), or None."""
        ...
