"""The money ledger: append-only double entry, one ledger per currency.

Every movement of money (a sale, a processor fee, a refund, a dispute) is one
``LedgerTransaction``: two or more entries in one currency whose signed amounts sum to zero
(debits positive, credits negative). A transaction that does not balance cannot be built, so
the ledger balances by construction, and so does the sum of all its accounts' balances: zero
per currency. Transactions are never edited or deleted: a correction is a new transaction that
reverses an earlier one (``reversal``). Balances are derived from the entries, never stored.

Each transaction carries an ``idempotency_id`` derived from the fact it records
(``"sale:<order id>"``, ``"refund:<refund id>"``), so recording the same fact twice posts once.

Accounts are a kind plus, for a seller's payable, the party it is owed to: the marketplace's
70/30 split credits ``seller_payable:<developer id>`` for the developer's share.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.billing.currency import Currency
from devforge.domain.billing.errors import CurrencyMismatch
from devforge.domain.billing.money import Money
from devforge.domain.shared.errors import Conflict, RuleViolated


class LedgerTransactionUnbalanced(RuleViolated):
    """Entries that do not sum to zero, mix currencies, move nothing, or lack an idempotency id."""

    code = "ledger_transaction_unbalanced"


class LedgerIdempotencyConflict(Conflict):
    """An idempotency id already posted a different movement: one fact, two stories."""

    code = "ledger_idempotency_conflict"


class AccountKind(StrEnum):
    PROCESSOR_CLEARING = "processor_clearing"  # cash held by the payment processor for us
    REVENUE = "revenue"
    TAX_PAYABLE = "tax_payable"
    PROCESSOR_FEES = "processor_fees"
    REFUNDS = "refunds"  # contra-revenue: what went back to buyers
    DISPUTES = "disputes"  # funds the processor holds while a dispute is open
    SELLER_PAYABLE = "seller_payable"  # owed to a marketplace developer
    TAX_WITHHELD = "tax_withheld"  # withheld from developers' payouts, owed to a tax authority
    SERVICES = "services"  # expense: what the platform pays publishers for services (Form 1099-NEC)


@dataclass(frozen=True, slots=True, order=True)
class Account:
    kind: AccountKind
    party: str | None = None

    def __post_init__(self) -> None:
        if (self.kind is AccountKind.SELLER_PAYABLE) != (self.party is not None):
            raise ValueError("Only a seller's payable account names a party, and it always does.")

    @classmethod
    def seller_payable(cls, developer_id: UUID) -> Account:
        return cls(AccountKind.SELLER_PAYABLE, str(developer_id))

    @classmethod
    def parse(cls, code: str) -> Account:
        kind, _, party = code.partition(":")
        return cls(AccountKind(kind), party or None)

    @property
    def code(self) -> str:
        return f"{self.kind.value}:{self.party}" if self.party else self.kind.value

    def __str__(self) -> str:
        return self.code


CLEARING = Account(AccountKind.PROCESSOR_CLEARING)
REVENUE = Account(AccountKind.REVENUE)
TAX_PAYABLE = Account(AccountKind.TAX_PAYABLE)
PROCESSOR_FEES = Account(AccountKind.PROCESSOR_FEES)
REFUNDS = Account(AccountKind.REFUNDS)
DISPUTES = Account(AccountKind.DISPUTES)
TAX_WITHHELD = Account(AccountKind.TAX_WITHHELD)
SERVICES = Account(AccountKind.SERVICES)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A signed amount on one account: positive debits it, negative credits it."""

    account: Account
    amount: Money


@dataclass(frozen=True, slots=True)
class LedgerTransaction:
    id: UUID
    idempotency_id: str
    currency: Currency
    entries: tuple[LedgerEntry, ...]
    description: str
    occurred_at: datetime
    reverses: UUID | None = None

    def __post_init__(self) -> None:
        if not self.idempotency_id:
            raise LedgerTransactionUnbalanced("A transaction needs an idempotency id.", field="idempotency_id")
        if len(self.entries) < 2:
            raise LedgerTransactionUnbalanced("A transaction has at least two entries.", field="entries")
        for entry in self.entries:
            if entry.amount.currency != self.currency:
                raise CurrencyMismatch(f"A {self.currency} transaction cannot carry {entry.amount.currency}.")
            if entry.amount.is_zero:
                raise LedgerTransactionUnbalanced("An entry moves a non-zero amount.", field="entries")
        if sum(entry.amount.amount_minor for entry in self.entries) != 0:
            raise LedgerTransactionUnbalanced("Debits and credits must sum to zero.", field="entries")

    @classmethod
    def of(
        cls,
        *,
        id: UUID,
        idempotency_id: str,
        entries: Iterable[tuple[Account, Money]],
        description: str,
        occurred_at: datetime,
        reverses: UUID | None = None,
    ) -> LedgerTransaction:
        """Build from (account, signed amount) pairs; zero amounts are dropped, and amounts on the
        same account are merged, so callers can pass every leg without special cases."""
        merged: dict[Account, Money] = {}
        for account, amount in entries:
            merged[account] = merged[account] + amount if account in merged else amount
        kept = tuple(LedgerEntry(account, amount) for account, amount in merged.items() if not amount.is_zero)
        if not kept:
            raise LedgerTransactionUnbalanced("A transaction moves some money.", field="entries")
        return cls(id, idempotency_id, kept[0].amount.currency, kept, description, occurred_at, reverses)

    def reversal(self, *, id: UUID, idempotency_id: str, occurred_at: datetime, description: str) -> LedgerTransaction:
        """The correction of this transaction: every entry negated, pointing back at it."""
        entries = tuple(LedgerEntry(entry.account, -entry.amount) for entry in self.entries)
        return LedgerTransaction(id, idempotency_id, self.currency, entries, description, occurred_at, self.id)

    def same_movement_as(self, other: LedgerTransaction) -> bool:
        """Two postings of one fact: the same legs, whatever their order and ids."""
        return self.currency == other.currency and sorted(_legs(self)) == sorted(_legs(other))


def _legs(transaction: LedgerTransaction) -> list[tuple[str, int]]:
    return [(entry.account.code, entry.amount.amount_minor) for entry in transaction.entries]


def balances(transactions: Sequence[LedgerTransaction], currency: Currency) -> dict[Account, Money]:
    """Each account's balance (debits less credits) over ``transactions`` in ``currency``."""
    result: dict[Account, Money] = {}
    for transaction in transactions:
        if transaction.currency != currency:
            continue
        for entry in transaction.entries:
            result[entry.account] = result.get(entry.account, Money.zero(currency)) + entry.amount
    return result
