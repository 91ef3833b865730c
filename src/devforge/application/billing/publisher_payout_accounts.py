"""Billing's published read for other contexts (bootstrap wires it to them; contexts never
import each other): a publisher's payout account at a glance, for the developer dashboard: its
onboarding state and, in plain words, what the provider still needs. Plain values only. The
caller decides who may see which publisher (the dashboard asks only for the caller's own)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.billing.payout_account_ports import PayoutAccountReads
from devforge.domain.billing.payout_account import OnboardingState

ACCOUNT_PATH = "/api/payments/payouts/account"


@dataclass(frozen=True, slots=True)
class PayoutAccountGlance:
    publisher_id: UUID
    state: str  # "not_started" | "pending" | "restricted" | "enabled"
    payouts_enabled: bool
    missing: tuple[str, ...]  # what the provider still needs, in plain words, past due first
    account_url: str  # the full view, and where onboarding starts or resumes (POST)


class PublisherPayoutAccounts:
    def __init__(self, accounts: PayoutAccountReads) -> None:
        self._accounts = accounts

    async def glance(self, publisher_id: UUID) -> PayoutAccountGlance:
        url = f"{ACCOUNT_PATH}?publisherId={publisher_id}"
        account = await self._accounts.by_publisher(publisher_id)
        if account is None:
            return PayoutAccountGlance(publisher_id, OnboardingState.NOT_STARTED.value, False, (), url)
        missing = tuple(dict.fromkeys(requirement.description for requirement in account.requirements()))
        return PayoutAccountGlance(publisher_id, account.state.value, account.facts.payouts_enabled, missing, url)
