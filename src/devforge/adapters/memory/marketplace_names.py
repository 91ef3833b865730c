"""Name claims on the memory store (unit tests, and the memory leg of the contract)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.application.marketplace.name_ports import NameClaim, Scope
from devforge.domain.marketplace.errors import name_squatted


class InMemoryNameClaims:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[tuple[str, str], NameClaim] = store.table("marketplace_name_claims")

    async def claim(self, claims: Sequence[NameClaim]) -> None:
        for claim in claims:
            held = self._rows.get((claim.scope, claim.skeleton))
            if held is None:
                self._rows[claim.scope, claim.skeleton] = claim
            elif held.holder_id != claim.holder_id:
                raise name_squatted(claim.scope, claim.name, held.name, claim.field)

    async def release(self, scope: Scope, holder_id: UUID, *, keep: Sequence[str]) -> None:
        for key, held in list(self._rows.items()):
            if held.scope == scope and held.holder_id == holder_id and held.skeleton not in keep:
                del self._rows[key]

    async def holder_of(self, scope: Scope, skeleton: str) -> NameClaim | None:
        return self._rows.get((scope, skeleton))

    async def all_claims(self, scope: Scope) -> list[NameClaim]:
        return sorted((held for held in self._rows.values() if held.scope == scope), key=lambda held: held.skeleton)
