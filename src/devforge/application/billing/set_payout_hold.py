"""An administrator holds a publisher's payouts, or releases them, saying why. Every change is
appended to the publisher's audit trail (who, when, why); a held publisher is skipped by every
run with the reason ``held`` until released. Holding a held publisher again (or releasing a
released one) is recorded too: the trail is what the administrators did."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.payout_run_ports import PayoutHolds
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.payout import PayoutHoldChange, PublisherNotFound, hold_reason


@dataclass(frozen=True, slots=True)
class SetPayoutHold:
    publisher_id: UUID
    held: bool
    reason: str


class SetPayoutHoldHandler:
    def __init__(self, uow: UnitOfWork, holds: PayoutHolds, sellers: ExtensionSellers, clock: Clock) -> None:
        self._uow, self._holds, self._sellers, self._clock = uow, holds, sellers, clock

    async def __call__(self, actor: Actor, command: SetPayoutHold) -> list[PayoutHoldChange]:
        """The publisher's whole trail, this change last."""
        reason = hold_reason(command.reason)
        if await self._sellers.seller(command.publisher_id) is None:
            raise PublisherNotFound("No publisher has this id.")
        change = PayoutHoldChange(command.publisher_id, command.held, reason, actor.user_id, self._clock.now())
        await self._holds.change(change)
        trail = await self._holds.trail(command.publisher_id)
        await self._uow.commit()
        return trail
