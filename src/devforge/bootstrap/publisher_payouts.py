"""Where the marketplace meets billing's payout accounts: the marketplace's
``PublisherPayoutStatus`` port (the developer dashboard's payout account), served by billing's
published ``PublisherPayoutAccounts``. Only the composition root sees both contexts."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from devforge.application.billing.publisher_payout_accounts import PublisherPayoutAccounts
from devforge.application.marketplace.publisher_payouts import PayoutAccountAtAGlance


class BillingPublisherPayoutStatus:
    def __init__(self, accounts: PublisherPayoutAccounts) -> None:
        self._accounts = accounts

    async def payout_account(self, publisher_id: UUID) -> PayoutAccountAtAGlance:
        return PayoutAccountAtAGlance(**asdict(await self._accounts.glance(publisher_id)))
