"""Every publisher's payout account, oldest first, for an administrator (``billing:admin``, an
admin's session with two-factor): who can be paid and what the provider still needs of the rest."""

from __future__ import annotations

from devforge.application.billing.get_payout_account import PayoutAccountView
from devforge.application.billing.payout_account_ports import PayoutAccountReads
from devforge.application.common.actor import Actor
from devforge.domain.billing.payout_account import PayoutAccountsAdminOnly
from devforge.domain.billing.permissions import BillingPermission

MAX_PAGE = 200


class ListPayoutAccounts:
    """A plain read of committed state (``PayoutAccountReads``: no unit of work, no session)."""

    def __init__(self, accounts: PayoutAccountReads) -> None:
        self._accounts = accounts

    async def __call__(self, actor: Actor, *, limit: int = 50, offset: int = 0) -> list[PayoutAccountView]:
        if not actor.may(BillingPermission.ADMIN):
            raise PayoutAccountsAdminOnly("Only an administrator sees every payout account.")
        found = await self._accounts.list_all(limit=max(1, min(limit, MAX_PAGE)), offset=max(0, offset))
        return [PayoutAccountView.of(account) for account in found]
