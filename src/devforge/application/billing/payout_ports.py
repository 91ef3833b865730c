"""What a payout run needs to know about a payee, from the parts of billing that own it.

The payee of a marketplace sale is the extension's **publisher** (the ledger credits
``seller_payable:<publisher id>``); the publisher's owner manages its payouts. A payout run asks:

- ``PayeeAccounts`` (served by the payout accounts: Stripe Connect Express onboarding, or the
  sandbox's local walk through the same states): where the money goes and whether the provider
  lets it go there now;
- ``PayeeTaxStatus`` (served by the tax profiles): whether the payee has given a tax form, and
  what share of a payout must be withheld (24% backup withholding for a US person without a
  valid TIN; a per-country rate for others).

Each is a read: not transactional, no unit of work. In-memory versions live beside the use cases'
tests; the real ones read the payout account and tax profile tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from devforge.domain.billing.payout_account import OnboardingState  # the domain derives it


@dataclass(frozen=True, slots=True)
class PayeeAccount:
    publisher_id: UUID
    provider_account_id: str  # Stripe's ``acct_...``, or the sandbox's own id
    state: OnboardingState
    requirements: tuple[str, ...] = ()  # what the provider still needs, as the provider names it

    @property
    def payouts_enabled(self) -> bool:
        return self.state is OnboardingState.ENABLED


class PayeeAccounts(Protocol):
    async def account(self, publisher_id: UUID) -> PayeeAccount | None:
        """None: the publisher never started onboarding."""
        ...


@dataclass(frozen=True, slots=True)
class PayeeTax:
    has_profile: bool  # a W-9, W-8BEN or W-8BEN-E is on file
    withholding_basis_points: int  # of each payout, 0..10_000 (2400: US backup withholding)


class PayeeTaxStatus(Protocol):
    async def status(self, publisher_id: UUID) -> PayeeTax: ...
