"""Any sequence of postings on developers' accounts (sales split between sellers, refunds and
lost disputes giving back, payouts with tax withheld, returned payouts, in two currencies, over
months) yields monthly statements that chain (one month's closing balance is the next one's
opening) and equal the ledger's ``seller_payable`` balance before and after each month."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from devforge.adapters.memory.billing_documents import InMemoryLedgerRepository
from devforge.adapters.memory.billing_statements import InMemorySellerLedger
from devforge.adapters.memory.store import MemoryStore
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import Account, LedgerTransaction, balances
from devforge.domain.billing.money import Money
from devforge.domain.billing.statement import StatementMonth, build_statement
from devforge.domain.billing.tax import TaxedAmount

START = datetime(2026, 1, 1, tzinfo=UTC)
CURRENCIES = (Currency("EUR"), Currency("USD"))
SELLERS = (UUID(int=1), UUID(int=2))

step = st.tuples(
    st.sampled_from(("sale", "refund", "dispute_lost", "payout", "payout_returned")),
    st.integers(min_value=0, max_value=1),  # currency
    st.integers(min_value=0, max_value=1),  # seller
    st.integers(min_value=1, max_value=50_000),  # amount
    st.integers(min_value=0, max_value=24 * 120),  # hours after 2026-01-01
    st.integers(min_value=0, max_value=5_000),  # withheld
)


def posting(
    kind: str,
    currency: Currency,
    seller: UUID,
    amount: int,
    at: datetime,
    withheld: int,
    paid: list[tuple[LedgerTransaction, str]],
) -> LedgerTransaction | None:
    money = Money(amount, currency)
    if kind == "sale":
        gross = TaxedAmount.of(money * 2, Money(amount // 5, currency))
        return ledger_postings.sale(uuid4(), gross, at, {seller: money})
    if kind in ("refund", "dispute_lost"):
        taken = TaxedAmount.of(money, Money.zero(currency))
        if kind == "refund":
            return ledger_postings.refund(uuid4(), taken, at, {seller: Money(amount // 2, currency)})
        return ledger_postings.dispute_lost(str(uuid4()), taken, at, {seller: Money(amount // 2, currency)})
    if kind == "payout":
        key = str(uuid4())
        transaction = ledger_postings.payout(key, seller, money, at, withheld=Money(withheld, currency))
        paid.append((transaction, key))
        return transaction
    returnable = [(t, key) for t, key in paid if t.currency == currency]
    if not returnable:
        return None
    transaction, key = returnable[0]
    paid.remove((transaction, key))
    return ledger_postings.payout_returned(transaction, key, at)


def owed(posted: list[LedgerTransaction], account: Account, currency: Currency, before: datetime) -> Money:
    """The ledger's word: the account's balance over everything posted before ``before``, negated."""
    earlier = [t for t in posted if t.occurred_at < before]
    return -balances(earlier, currency).get(account, Money.zero(currency))


@settings(max_examples=60, deadline=None)
@given(st.lists(step, min_size=1, max_size=40))
def test_statements_chain_and_match_the_ledger(steps: list[tuple[str, int, int, int, int, int]]) -> None:
    store = MemoryStore()
    ledger, reads = InMemoryLedgerRepository(store), InMemorySellerLedger(store)
    paid: list[tuple[LedgerTransaction, str]] = []
    posted: list[LedgerTransaction] = []
    for kind, currency, seller, amount, hours, withheld in steps:
        at = START + timedelta(hours=hours)
        made = posting(kind, CURRENCIES[currency], SELLERS[seller], amount, at, withheld, paid)
        if made is not None:
            asyncio.run(ledger.post(made))
            posted.append(made)

    for seller in SELLERS:
        for currency in CURRENCIES:
            account = Account.seller_payable(seller)

            previous = None
            for month in StatementMonth(2025, 12).until(StatementMonth(2026, 6)):
                before = asyncio.run(reads.balance_before(seller, currency, month.start))
                moved = asyncio.run(reads.transactions(seller, currency, start=month.start, end=month.end))
                statement = build_statement(seller, currency, month, before, moved)
                assert statement.opening == owed(posted, account, currency, month.start)
                assert statement.closing == owed(posted, account, currency, month.end)
                if previous is not None:
                    assert statement.opening == previous.closing
                parts = (
                    statement.sales
                    + statement.refunds
                    + statement.chargebacks
                    + statement.adjustments
                    + statement.payouts
                    + statement.tax_withheld
                )
                assert statement.closing == statement.opening + parts
                assert not statement.sales.is_negative and not statement.refunds.amount_minor > 0
                assert statement.adjustments.is_zero and statement.fees.is_zero
                previous = statement
