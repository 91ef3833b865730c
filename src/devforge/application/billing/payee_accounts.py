"""``PayeeAccounts`` (what a payout run asks of a payee) served by the payout accounts' own
records: where the money goes and whether the provider lets it go there now."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.payout_account_ports import PayoutAccountRepository
from devforge.application.billing.payout_ports import PayeeAccount


class RecordedPayeeAccounts:
    def __init__(self, accounts: PayoutAccountRepository) -> None:
        self._accounts = accounts

    async def account(self, publisher_id: UUID) -> PayeeAccount | None:
        found = await self._accounts.get_by_publisher(publisher_id)
        if found is None:
            return None
        return PayeeAccount(
            publisher_id=found.publisher_id,
            provider_account_id=found.provider_account_id,
            state=found.state,
            requirements=found.facts.requirements,
        )
