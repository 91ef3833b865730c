"""Who receives a notification: the published ``ContactDirectory`` port (identity serves it in
bootstrap; notifications never reads another context's tables)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Contact:
    """An account's owner. ``verified``: they proved the address; ``reachable``: the account is
    enabled (a disabled account's owner is not sent notices)."""

    user_id: UUID
    email: str
    verified: bool
    reachable: bool


class ContactDirectory(Protocol):
    """Reads in the caller's unit of work; ``None`` for an unknown account."""

    async def contact(self, user_id: UUID) -> Contact | None: ...

    async def administrators(self) -> list[Contact]:
        """Every enabled administrator (all reachable)."""
        ...
