"""Payout runs: what a run decides for each payee and currency, and the payout it makes.

A run is one period (``run_id_for``: the month, ``"2026-12"``). For each publisher and currency
with something owed, the run either **pays** the payable balance (one transfer) or **skips** it
with a reason the developer sees (``SkipReason``). The checks, in order: an administrator's hold;
a negative balance once pending sales are left out (recovered from later earnings first); an
open dispute leaving less than the minimum available; the minimum for the currency (also when
nothing is available); no connected account able to receive payouts; no tax form on file.

Withholding: ``withheld = floor(payable * bp / 10_000)`` minor units go to the tax authority
(``tax_withheld`` in the ledger) and the rest is transferred, so the payee's balance goes down by
exactly ``payable`` and the floor's remainder (less than one minor unit) stays with the payee.

A payout's id is ``<run>:<publisher>:<currency>``: its ledger posting (``payout:<id>``) and the
provider's idempotency key both derive from it, so a run restarted at any point pays each
payee once. Its life: ``pending`` (recorded and posted, the transfer not yet confirmed) ->
``sent`` (the provider made the transfer) -> ``returned`` (reversed, or its bank payout failed;
the ledger posts ``payout_returned`` and the balance is owed again).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.earnings import EarningsBalance
from devforge.domain.billing.money import Money
from devforge.domain.shared.errors import Conflict, NotFound, RuleViolated
from devforge.domain.shared.events import DomainEvent


class SkipReason(StrEnum):
    HELD = "held"  # an administrator holds this publisher's payouts
    NEGATIVE_BALANCE = "negative_balance"  # refunds after a payout: later earnings pay it back first
    DISPUTED = "disputed"  # an open dispute holds what would have been available
    BELOW_MINIMUM = "below_minimum"
    ACCOUNT_NOT_ENABLED = "account_not_enabled"  # no connected account, or payouts disabled on it
    TAX_FORM_MISSING = "tax_form_missing"


class PayoutStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    RETURNED = "returned"


class PayoutNotPending(Conflict):
    code = "payout_not_pending"


class PayoutPeriodMalformed(RuleViolated):
    code = "payout_period_malformed"


def run_id_for(day: date) -> str:
    """The run of the month ``day`` falls in: ``YYYY-MM``."""
    return f"{day.year:04d}-{day.month:02d}"


def check_run_id(run_id: str) -> str:
    """A period as an operator types it (``2026-12``); anything else is refused naming the field."""
    year, dash, month = run_id.partition("-")
    if not (dash and len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        raise PayoutPeriodMalformed("A payout period is YYYY-MM.", field="period")
    if not 1 <= int(month) <= 12:
        raise PayoutPeriodMalformed("A payout period's month is 01 to 12.", field="period")
    return run_id


def payout_id(run_id: str, publisher_id: UUID, currency: Currency) -> str:
    return f"{run_id}:{publisher_id}:{currency.code}"


def withholding(payable: Money, basis_points: int) -> tuple[Money, Money]:
    """(transferred, withheld): the withheld part floored in minor units, the rest transferred."""
    if not 0 <= basis_points <= 10_000:
        raise ValueError("withholding is 0 to 10000 basis points")
    withheld = Money(payable.amount_minor * basis_points // 10_000, payable.currency)
    return payable - withheld, withheld


@dataclass(frozen=True, slots=True)
class PayeeStanding:
    """What a run knows about a payee besides the balance, gathered before it decides."""

    held: bool  # an administrator's hold
    account_id: str | None  # the connected account payouts go to; None: none enabled
    has_tax_form: bool
    withholding_basis_points: int


@dataclass(frozen=True, slots=True)
class Pay:
    transferred: Money
    withheld: Money

    @property
    def payable(self) -> Money:
        return self.transferred + self.withheld


@dataclass(frozen=True, slots=True)
class Skip:
    reason: SkipReason


def decide(balance: EarningsBalance, standing: PayeeStanding, minimum: Money) -> Pay | Skip | None:
    """The run's decision for one payee in one currency; None when nothing is owed at all (no
    record: there is nothing to tell the developer)."""
    if balance.total.is_zero and balance.pending.is_zero and balance.held.is_zero:
        return None
    if standing.held:
        return Skip(SkipReason.HELD)
    if (balance.total - balance.pending).is_negative:  # what has matured is owed by the payee
        return Skip(SkipReason.NEGATIVE_BALANCE)
    payable = balance.payable
    if not balance.held.is_zero and payable < minimum:
        return Skip(SkipReason.DISPUTED)
    if payable.is_zero or payable < minimum:
        return Skip(SkipReason.BELOW_MINIMUM)
    if standing.account_id is None:
        return Skip(SkipReason.ACCOUNT_NOT_ENABLED)
    if not standing.has_tax_form:
        return Skip(SkipReason.TAX_FORM_MISSING)
    transferred, withheld = withholding(payable, standing.withholding_basis_points)
    return Pay(transferred, withheld)


@dataclass(frozen=True, slots=True)
class Payout:
    id: str  # <run>:<publisher>:<currency>
    run_id: str
    publisher_id: UUID
    amount: Money  # transferred
    withheld: Money
    account_id: str  # the connected account it goes to
    status: PayoutStatus
    created_at: datetime
    transfer_id: str | None = None
    sent_at: datetime | None = None
    returned_at: datetime | None = None
    return_reason: str | None = None  # "transfer_reversed" | "payout_failed" | "transfer_refused"

    @classmethod
    def record(cls, run_id: str, publisher_id: UUID, pay: Pay, account_id: str, at: datetime) -> Payout:
        currency = pay.transferred.currency
        return cls(
            id=payout_id(run_id, publisher_id, currency),
            run_id=run_id,
            publisher_id=publisher_id,
            amount=pay.transferred,
            withheld=pay.withheld,
            account_id=account_id,
            status=PayoutStatus.PENDING,
            created_at=at,
        )

    @property
    def currency(self) -> Currency:
        return self.amount.currency

    @property
    def idempotency_key(self) -> str:
        """What the provider dedups the transfer on: the same run, payee and currency, the same key."""
        return f"payout-{self.id}"

    @property
    def transfer_group(self) -> str:
        return f"payout-run-{self.run_id}"

    def sent(self, transfer_id: str | None, at: datetime) -> Payout:
        """Idempotent: a payout already sent stays as it was."""
        if self.status is not PayoutStatus.PENDING:
            return self
        return replace(self, status=PayoutStatus.SENT, transfer_id=transfer_id, sent_at=at)

    def returned(self, reason: str, at: datetime) -> Payout:
        if self.status is PayoutStatus.RETURNED:
            return self
        return replace(self, status=PayoutStatus.RETURNED, returned_at=at, return_reason=reason)


@dataclass(frozen=True, slots=True)
class SkippedPayout:
    """A run's recorded decision not to pay, with the balance it saw (shown to the developer)."""

    run_id: str
    publisher_id: UUID
    reason: SkipReason
    available: Money
    decided_at: datetime

    @property
    def currency(self) -> Currency:
        return self.available.currency


@dataclass(frozen=True, slots=True)
class PayoutHoldChange:
    """One line of a publisher's hold audit trail: who held or released it, why, when."""

    publisher_id: UUID
    held: bool
    reason: str
    actor_id: UUID
    at: datetime


@dataclass(frozen=True, kw_only=True)
class PayoutReturned(DomainEvent):
    """A payout's money is owed to the publisher again: its transfer was reversed, its bank
    payout failed, or the provider refused the transfer. ``user_id``: the publisher's owner."""

    payout_id: str
    publisher_id: UUID
    user_id: UUID
    amount: int  # transferred, minor units
    withheld: int
    currency: str
    reason: str


class PublisherNotFound(NotFound):
    """No such publisher, or (for a developer) not one they own: the same answer either way."""

    code = "publisher_not_found"


class PayoutHoldReasonMissing(RuleViolated):
    code = "payout_hold_reason_missing"


def hold_reason(text: str) -> str:
    """An administrator's reason, as the audit trail keeps it: 1 to 500 characters."""
    reason = text.strip()
    if not reason or len(reason) > 500:
        raise PayoutHoldReasonMissing("Say why, in 1 to 500 characters.", field="reason")
    return reason
