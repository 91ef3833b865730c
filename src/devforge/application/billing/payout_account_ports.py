"""The ports of payout accounts: our record of each publisher's connected account, and the
provider's side of it (Stripe Connect Express, the embedded sandbox, or memory).

``PayoutAccountRepository`` is transactional (the caller's unit of work). ``ConnectedAccounts``
talks to the provider: every call that creates something carries an idempotency key derived
from the publisher, so a retried or doubled call opens one account; reads are safe to repeat. A
provider that does not answer raises ``PaymentProviderUnavailable``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from devforge.domain.billing.payout_account import PayoutAccount


@dataclass(frozen=True, slots=True)
class NewConnectedAccount:
    publisher_id: UUID
    country: str  # ISO 3166-1 alpha-2, fixed for the account's life
    email: str | None  # the publisher owner's, to prefill the provider's form
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class ProviderAccountFacts:
    """A connected account as the provider holds it now."""

    account_id: str
    details_submitted: bool
    payouts_enabled: bool
    currently_due: tuple[str, ...] = ()
    past_due: tuple[str, ...] = ()
    disabled_reason: str | None = None


class ConnectedAccounts(Protocol):
    provider: str  # "stripe", "sandbox" or "memory": kept on our record

    async def create(self, request: NewConnectedAccount) -> str:
        """Opens an Express account; its id. The same ``idempotency_key`` answers the same account."""
        ...

    async def onboarding_link(self, account_id: str, return_url: str, refresh_url: str) -> str:
        """A fresh, single-use address of the provider's onboarding for the account. The provider
        sends the person back to ``return_url`` when they finish or leave, and to ``refresh_url``
        when the link expired or was used already (ask for a new one there)."""
        ...

    async def facts(self, account_id: str) -> ProviderAccountFacts | None:
        """The account as it stands now; None when the provider knows no such account."""
        ...


class PayoutAccountReads(Protocol):
    """Committed reads outside any unit of work (the developer dashboard's glance): no lock, never
    the caller's uncommitted writes."""

    async def by_publisher(self, publisher_id: UUID) -> PayoutAccount | None: ...

    async def list_all(self, *, limit: int, offset: int) -> list[PayoutAccount]:
        """Oldest first (an administrator's view)."""
        ...


class PayoutAccountRepository(Protocol):
    async def add(self, account: PayoutAccount) -> None:
        """Raises ``PayoutAccountExists`` when the publisher has one already."""
        ...

    async def get_by_publisher(self, publisher_id: UUID, *, for_update: bool = False) -> PayoutAccount | None: ...

    async def get_by_provider_account(
        self, provider_account_id: str, *, for_update: bool = False
    ) -> PayoutAccount | None: ...

    async def update(self, account: PayoutAccount) -> None:
        """Version-checked: raises ``PayoutAccountChanged`` when the row changed since it was read."""
        ...
