from __future__ import annotations

import base64
from uuid import UUID

from devforge.adapters.memory.store import Tables, detached
from devforge.domain.identity.errors import TwoFactorChangedConcurrently
from devforge.domain.identity.two_factor import TwoFactor


class InMemoryTwoFactorRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[UUID, TwoFactor] = store.table("two_factor")

    async def add(self, two_factor: TwoFactor) -> None:
        if two_factor.user_id in self._rows:
            raise TwoFactorChangedConcurrently("Two-factor changed meanwhile; try again.")
        self._rows[two_factor.user_id] = detached(two_factor)

    async def get(self, user_id: UUID, *, for_update: bool = False) -> TwoFactor | None:
        row = self._rows.get(user_id)
        return detached(row) if row else None

    async def update(self, two_factor: TwoFactor) -> None:
        stored = self._rows.get(two_factor.user_id)
        if stored is None or stored.version != two_factor.version:
            raise TwoFactorChangedConcurrently("Two-factor changed meanwhile; try again.")
        two_factor.version += 1
        self._rows[two_factor.user_id] = detached(two_factor)

    async def remove(self, user_id: UUID) -> None:
        self._rows.pop(user_id, None)


class InMemorySecretBox:
    """A stand-in that is not plain text and refuses another context, without real crypto."""

    def seal(self, plaintext: str, *, context: str) -> str:
        return "fake." + base64.urlsafe_b64encode(f"{context}\x00{plaintext}".encode()).decode()

    def open(self, sealed: str, *, context: str) -> str:
        prefix, _, body = sealed.partition(".")
        owner, _, plaintext = base64.urlsafe_b64decode(body).decode().partition("\x00")
        if prefix != "fake" or owner != context:
            raise ValueError("the sealed value does not open under this context")
        return plaintext
