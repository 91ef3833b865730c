"""What a publisher's owner sees of its payout account: the onboarding state and, in plain
words, what the provider still needs and why payouts are off. A publisher that never started
onboarding is ``not_started``. Someone else's publisher answers 404 like a missing one; an
administrator (``billing:admin``, two-factor) may look at any."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.payout_account_ports import PayoutAccountReads
from devforge.application.common.actor import Actor
from devforge.domain.billing.payout_account import (
    OnboardingState,
    PayoutAccount,
    PayoutAccountNotFound,
    Requirement,
)
from devforge.domain.billing.permissions import BillingPermission


@dataclass(frozen=True, slots=True)
class PayoutAccountView:
    publisher_id: UUID
    state: OnboardingState
    provider: str | None = None
    provider_account_id: str | None = None
    country: str | None = None
    details_submitted: bool = False
    payouts_enabled: bool = False
    requirements: tuple[Requirement, ...] = ()
    disabled_reason: str | None = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, account: PayoutAccount) -> PayoutAccountView:
        return cls(
            publisher_id=account.publisher_id,
            state=account.state,
            provider=account.provider,
            provider_account_id=account.provider_account_id,
            country=account.country,
            details_submitted=account.facts.details_submitted,
            payouts_enabled=account.facts.payouts_enabled,
            requirements=account.requirements(),
            disabled_reason=account.disabled_reason(),
            updated_at=account.updated_at or account.created_at,
        )


class GetPayoutAccount:
    """A plain read of committed state (``PayoutAccountReads``: no unit of work, no session)."""

    def __init__(self, accounts: PayoutAccountReads, sellers: ExtensionSellers) -> None:
        self._accounts, self._sellers = accounts, sellers

    async def __call__(self, actor: Actor, publisher_id: UUID) -> PayoutAccountView:
        seller = await self._sellers.seller(publisher_id)
        if seller is None or not actor.owns_or_may(seller.owner_id, BillingPermission.ADMIN):
            raise PayoutAccountNotFound("No publisher you own has this id.", field="publisherId")
        account = await self._accounts.by_publisher(publisher_id)
        if account is None:
            return PayoutAccountView(publisher_id, OnboardingState.NOT_STARTED)
        return PayoutAccountView.of(account)
