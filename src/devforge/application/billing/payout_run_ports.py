"""The ports a payout run uses besides the payee's account and tax status (``payout_ports``).

- ``PayeeBalances``: every payee's earnings in every currency, read from the ledger in one
  pass (transactional: it reads in the run's unit of work, so a payout posted in it counts);
- ``PayoutRepository``: the payouts and skipped payouts a run recorded, and its runs
  (transactional, written in the same unit of work as the ledger posting);
- ``PayoutHolds``: administrators' holds, with their audit trail (transactional);
- ``PayoutReader``: what the developer's pages show (plain reads outside any unit of work);
- ``PayoutTransfers``: the provider's transfers to connected accounts (not transactional: a
  call to the outside world, made only after the payout it pays is committed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.earnings import EarningsBalance
from devforge.domain.billing.money import Money
from devforge.domain.billing.payout import Payout, PayoutHoldChange, SkippedPayout
from devforge.domain.shared.errors import RuleViolated


@dataclass(frozen=True, slots=True)
class PayeeBalance:
    publisher_id: UUID
    balance: EarningsBalance

    @property
    def currency(self) -> Currency:
        return self.balance.currency


class PayeeBalances(Protocol):
    async def all(self, *, now: datetime, hold: timedelta) -> list[PayeeBalance]:
        """Each ``seller_payable`` account with any movement, as ``earnings_balance`` reads it:
        a sale's credit is pending until ``hold`` has passed; an open dispute holds the
        publisher's share of the disputed order's sale. By publisher, then currency."""
        ...

    async def of(self, publisher_id: UUID, currency: Currency, *, now: datetime, hold: timedelta) -> PayeeBalance:
        """One payee's balance (all zero when it has none)."""
        ...


@dataclass(frozen=True, slots=True)
class PayoutRun:
    id: str
    started_at: datetime
    finished_at: datetime | None = None


class PayoutRepository(Protocol):
    async def start_run(self, run_id: str, at: datetime) -> PayoutRun:
        """The run, started now unless it already was (then as it was)."""
        ...

    async def finish_run(self, run_id: str, at: datetime) -> None: ...

    async def run(self, run_id: str) -> PayoutRun | None: ...

    async def decided(self, run_id: str) -> set[tuple[UUID, str]]:
        """(publisher, currency code) of every payout and skip the run recorded."""
        ...

    async def add(self, payout: Payout) -> bool:
        """False (nothing stored) when a payout of that id exists: a concurrent run recorded it."""
        ...

    async def add_skip(self, skipped: SkippedPayout) -> bool:
        """False when the run already recorded a decision for that publisher and currency."""
        ...

    async def get(self, payout_id: str, *, for_update: bool = False) -> Payout | None: ...

    async def update(self, payout: Payout) -> None: ...

    async def mark_sent(self, payout_id: str, transfer_id: str | None, at: datetime) -> bool:
        """A pending payout becomes sent with its transfer (one statement; None: withheld in full,
        nothing was transferred); anything else is left as it is, and answers False."""
        ...

    async def pending(self, run_id: str | None = None) -> list[Payout]:
        """Payouts recorded but not yet confirmed by the provider (of one run, or of any)."""
        ...

    async def by_transfer(self, transfer_id: str) -> Payout | None: ...

    async def last_sent_to(self, account_id: str, currency: Currency) -> Payout | None:
        """The newest payout sent (not returned) to a connected account in ``currency`` by a
        transfer (one withheld in full moved nothing there)."""
        ...


class PayoutHolds(Protocol):
    async def held(self) -> set[UUID]:
        """The publishers whose payouts are held now."""
        ...

    async def change(self, change: PayoutHoldChange) -> None:
        """Appends to the trail; the newest change of a publisher says whether it is held."""
        ...

    async def trail(self, publisher_id: UUID) -> list[PayoutHoldChange]:
        """Oldest first."""
        ...


class PayoutReader(Protocol):
    async def payouts(self, publisher_id: UUID, *, limit: int) -> list[Payout]:
        """Newest first."""
        ...

    async def skipped(self, publisher_id: UUID, *, limit: int) -> list[SkippedPayout]:
        """Newest first."""
        ...

    async def hold_trail(self, publisher_id: UUID) -> list[PayoutHoldChange]:
        """The committed trail, oldest first (``PayoutHolds.trail`` within a unit of work)."""
        ...


@dataclass(frozen=True, slots=True)
class TransferRequest:
    idempotency_key: str
    destination: str  # the connected account
    amount: Money
    transfer_group: str
    description: str


@dataclass(frozen=True, slots=True)
class ProviderTransfer:
    id: str
    destination: str
    amount: Money
    reversed: bool = False


class TransferRefused(RuleViolated):
    """The provider refused the transfer outright (a closed account, insufficient platform
    funds): nothing was moved, and the payout is returned to the balance."""

    code = "transfer_refused"


class PayoutTransfers(Protocol):
    async def create(self, request: TransferRequest) -> ProviderTransfer:
        """The same ``idempotency_key`` answers the same transfer. Raises
        ``PaymentProviderUnavailable`` (the outcome is unknown: ask again with the same key) or
        ``TransferRefused``."""
        ...

    async def get(self, transfer_id: str) -> ProviderTransfer | None: ...

    async def reverse(self, transfer_id: str, idempotency_key: str) -> ProviderTransfer:
        """Takes the whole transfer back from the connected account (once per key)."""
        ...


@dataclass(frozen=True, slots=True)
class PayoutPolicy:
    """The settings a run applies (``payout_hold_days``, ``payout_minimum``, ``payout_day_of_month``)."""

    hold: timedelta
    minimums: dict[str, int]  # currency code -> minor units
    default_minimum: int
    day_of_month: int = 1

    def minimum(self, currency: Currency) -> Money:
        return Money(self.minimums.get(currency.code, self.default_minimum), currency)
