"""Bring our record of a connected account in line with the provider (the worker's half of an
``account.updated`` webhook, or of the sandbox's own onboarding).

The event is a notification: the account is read back from the provider as it stands now, and
those facts, stamped with the moment they were asked for, replace the kept ones only if they are
newer. So the same event twice, or an old event after a newer one, ends in the same state; two
events applied at once are serialized by the row's version (the loser raises and its delivery
is retried, reading the provider again). The caller's unit of work is not committed here.
"""

from __future__ import annotations

import structlog

from devforge.application.billing.payout_account_ports import ConnectedAccounts, PayoutAccountRepository
from devforge.application.common.clock import Clock
from devforge.domain.billing.payout_account import AccountFacts

log = structlog.get_logger(__name__)


class SyncPayoutAccount:
    def __init__(self, accounts: PayoutAccountRepository, provider: ConnectedAccounts, clock: Clock) -> None:
        self._accounts, self._provider, self._clock = accounts, provider, clock

    async def __call__(self, provider_account_id: str) -> str:
        account = await self._accounts.get_by_provider_account(provider_account_id, for_update=True)
        if account is None:
            return "ignored: not a payout account of ours"
        asked_at = self._clock.now()
        found = await self._provider.facts(provider_account_id)
        if found is None:
            return "ignored: unknown to the provider"
        facts = AccountFacts(
            observed_at=asked_at,
            details_submitted=found.details_submitted,
            payouts_enabled=found.payouts_enabled,
            currently_due=found.currently_due,
            past_due=found.past_due,
            disabled_reason=found.disabled_reason,
        )
        before = account.state
        if not account.apply(facts):
            return f"unchanged: {account.state}"
        await self._accounts.update(account)
        log.info("payout_account_updated", publisher=str(account.publisher_id), before=before, after=account.state)
        return f"account {account.state}"
