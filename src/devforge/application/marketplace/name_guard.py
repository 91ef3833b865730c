"""The name rules every publisher and extension name passes when it is given (registration,
creation, a new display name). Shared by the use cases that name things.

A name is refused (``NameSquatted``, naming the name it collides with) when:
- its confusable skeleton is a reserved name's, unless the caller is an administrator or holds
  a verified domain the reserved name lists;
- its skeleton is one edit or less from a skeleton another holder of the scope has;
- its skeleton is another holder's: the claim store refuses it, even against a concurrent claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

from devforge.application.common.actor import Actor
from devforge.application.marketplace.name_ports import Confusables, NameClaim, NameClaims, ReservedNames, Scope
from devforge.domain.marketplace.errors import NameSquatted, name_squatted
from devforge.domain.marketplace.naming import SQUAT_DISTANCE, edit_distance
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.marketplace.skeleton import skeleton


class NameGuard:
    def __init__(self, confusables: Confusables, reserved: ReservedNames, claims: NameClaims) -> None:
        self._confusables, self._reserved, self._claims = confusables, reserved, claims

    async def claim(
        self,
        actor: Actor,
        scope: Scope,
        holder_id: UUID,
        names: Sequence[tuple[str, str]],
        *,
        verified_domains: Iterable[str] = (),
    ) -> list[str]:
        """Claims each (field, name) for the holder; answers the skeletons the holder now has."""
        prototypes = self._confusables.prototypes()
        wanted = [NameClaim(scope, skeleton(name, prototypes), name, holder_id, field) for field, name in names]
        domains = tuple(verified_domains)
        for claim in wanted:
            self._ensure_not_reserved(actor, claim, domains)
        others = [held for held in await self._claims.all_claims(scope) if held.holder_id != holder_id]
        for claim in wanted:
            near = next((held for held in others if _near(claim.skeleton, held.skeleton)), None)
            if near is not None:
                raise name_squatted(scope, claim.name, near.name, claim.field)
        await self._claims.claim(sorted(wanted, key=lambda claim: claim.skeleton))  # one lock order: no deadlock
        return [claim.skeleton for claim in wanted]

    async def rename(
        self,
        actor: Actor,
        scope: Scope,
        holder_id: UUID,
        names: Sequence[tuple[str, str]],
        *,
        verified_domains: Iterable[str] = (),
    ) -> None:
        """The holder's names are now ``names``: new ones are claimed, the ones it dropped freed."""
        kept = await self.claim(actor, scope, holder_id, names, verified_domains=verified_domains)
        await self._claims.release(scope, holder_id, keep=kept)

    def _ensure_not_reserved(self, actor: Actor, claim: NameClaim, domains: tuple[str, ...]) -> None:
        reserved = self._reserved.holder(claim.skeleton)
        if reserved is None or actor.may(MarketplacePermission.EXTENSIONS_REVIEW):
            return
        if not reserved.claimable_through(domains):
            listed = " or ".join(reserved.domains) or "no domain: an administrator assigns it"
            message = f"'{claim.name}' is reserved ('{reserved.name}'); it needs a verified domain: {listed}."
            raise NameSquatted(message, collides_with=reserved.name, field=claim.field)


def _near(left: str, right: str) -> bool:
    return edit_distance(left, right) <= SQUAT_DISTANCE
