"""Install tokens in memory: what was issued is remembered, anything else is not an install."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4


class InMemoryInstallTokens:
    def __init__(self) -> None:
        self._issued: dict[str, UUID] = {}

    def issue(self, install_id: UUID, issued_at: datetime) -> str:
        token = f"mem-install-{uuid4().hex}"
        self._issued[token] = install_id
        return token

    def install_of(self, token: str) -> UUID | None:
        return self._issued.get(token)
