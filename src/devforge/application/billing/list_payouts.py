"""A publisher's owner sees its payouts (newest first: amount, tax withheld, status, the
transfer) and the runs that skipped it, each with its reason (held, negative balance, disputed,
below the minimum, account not enabled, tax form missing). A billing admin reads anyone's;
anyone else is told there is no such publisher (404), as for one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.payout_run_ports import PayoutReader
from devforge.application.common.actor import Actor
from devforge.domain.billing.payout import Payout, PublisherNotFound, SkippedPayout
from devforge.domain.billing.permissions import BillingPermission


@dataclass(frozen=True, slots=True)
class PublisherPayouts:
    publisher_id: UUID
    payouts: list[Payout]
    skipped: list[SkippedPayout]


class ListPayouts:
    def __init__(self, reader: PayoutReader, sellers: ExtensionSellers) -> None:
        self._reader, self._sellers = reader, sellers

    async def __call__(self, actor: Actor, publisher_id: UUID, *, limit: int = 50) -> PublisherPayouts:
        seller = await self._sellers.seller(publisher_id)
        if seller is None or not actor.owns_or_may(seller.owner_id, BillingPermission.ADMIN):
            raise PublisherNotFound("No publisher you own has this id.")
        payouts = await self._reader.payouts(publisher_id, limit=limit)
        skipped = await self._reader.skipped(publisher_id, limit=limit)
        return PublisherPayouts(publisher_id, payouts, skipped)
