"""Issue 14's property: over any sequence of marketplace sales (several currencies, several sellers
and the platform's own plans in one cart), partial and full refunds, disputes won and lost, fee
true-ups, payout runs (repeated; each payee's balance read, decided and withheld by the run's own
rules) and returned payouts, the ledger always balances, each
developer's account holds exactly what the revenue-share rules owe them, no payout takes more
than the available balance, and no money is created or lost.

The model beside the ledger is deliberately naive: per line, the split and how much of its gross
went back; per developer, what was paid and returned. The ledger must agree with it to the minor
unit after every step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from devforge.domain.billing import ledger_postings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.earnings import EarningsBalance, earnings_balance
from devforge.domain.billing.ledger import (
    CLEARING,
    DISPUTES,
    PROCESSOR_FEES,
    TAX_WITHHELD,
    Account,
    AccountKind,
    LedgerTransaction,
    balances,
)
from devforge.domain.billing.money import Money
from devforge.domain.billing.payee_earnings import payee_earnings
from devforge.domain.billing.payout import Pay, PayeeStanding, decide
from devforge.domain.billing.revenue_share import (
    CommissionRule,
    CommissionSchedule,
    LineSplit,
    developer_shares,
    split_line,
)
from devforge.domain.billing.tax import TaxedAmount, tax_from_net

CURRENCIES = (Currency.of("EUR"), Currency.of("USD"), Currency.of("JPY"))
DEVELOPERS = (UUID(int=1), UUID(int=2), UUID(int=3))
HOLD = timedelta(days=30)
START = datetime(2026, 1, 1, tzinfo=UTC)
SCHEDULE = CommissionSchedule(
    rules=(
        CommissionRule(1_500, first_days=365),  # a lower first-year rate for every publisher
        CommissionRule(2_000, publisher=DEVELOPERS[2]),  # a negotiated rate for one
    )
)


@dataclass
class Line:
    seller: UUID | None  # None: the platform's own plan
    split: LineSplit
    taken: Money  # cumulative gross gone back to the buyer

    def remaining(self) -> Money:
        return self.split.gross - self.taken


@dataclass
class Sale:
    id: UUID
    currency: Currency
    at: datetime
    lines: list[Line]
    fee_estimate: Money
    fee_actual: Money | None = None  # the real fee, once the provider reported it
    dispute: str | None = None  # the open dispute's id
    disputed_shares: dict[UUID, Money] = field(default_factory=dict)
    disputed_amounts: dict[int, Money] = field(default_factory=dict)  # line index -> held gross
    was_disputed: bool = False  # billing keys a dispute by its order (``dispute_opened:<order>``): once a sale


def stripe_like_fee(gross: Money) -> Money:
    return Money(gross.amount_minor * 290 // 10_000 + 30, gross.currency)


def taxed_back(line: Line, after: Money) -> TaxedAmount:
    """The tax part of a refund step, proportional and cumulative like the developer's share."""
    gross = line.split.gross.amount_minor
    tax_before = line.split.tax.amount_minor * line.taken.amount_minor // gross if gross else 0
    tax_after = line.split.tax.amount_minor * after.amount_minor // gross if gross else 0
    step = after - line.taken
    tax = Money(tax_after - tax_before, step.currency)
    return TaxedAmount.of(step - tax, tax)


class Marketplace(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.ledger: dict[str, LedgerTransaction] = {}
        self.sales: list[Sale] = []
        self.paid: dict[tuple[UUID, str], Money] = {}  # (developer, currency) -> paid less returned
        self.payouts: list[tuple[LedgerTransaction, str]] = []
        self.returned: set[str] = set()
        self.withheld: dict[tuple[UUID, str], Money] = {}  # (developer, currency) -> withheld less returned
        self.runs = 0

    def post(self, transaction: LedgerTransaction | None) -> None:
        if transaction is None:
            return
        known = self.ledger.get(transaction.idempotency_id)
        if known is not None:  # a redelivered fact posts once, and must tell the same story
            assert known.same_movement_as(transaction)
            return
        self.ledger[transaction.idempotency_id] = transaction

    # -- what happens -------------------------------------------------------------------------

    @rule(
        currency=st.sampled_from(CURRENCIES),
        lines=st.lists(
            st.tuples(
                st.sampled_from((None, *DEVELOPERS)),
                st.integers(min_value=0, max_value=500_000),
                st.sampled_from((0, 700, 1_900, 2_000, 8_875)),
            ),
            min_size=1,
            max_size=4,
        ),
        publisher_joined_days_ago=st.integers(min_value=0, max_value=800),
    )
    def sell(
        self, currency: Currency, lines: list[tuple[UUID | None, int, int]], publisher_joined_days_ago: int
    ) -> None:
        joined = self.now - timedelta(days=publisher_joined_days_ago)
        sold: list[Line] = []
        for seller, net, tax_bp in lines:
            amounts = tax_from_net(Money(net, currency), tax_bp)
            rate = SCHEDULE.commission_bp(seller, joined, self.now) if seller else 10_000
            sold.append(Line(seller, split_line(amounts, rate), Money.zero(currency)))
        total = TaxedAmount.of(
            Money.total((line.split.gross - line.split.tax for line in sold), currency),
            Money.total((line.split.tax for line in sold), currency),
        )
        if total.gross.is_zero:
            return  # a free order moves no money and posts nothing
        sale = Sale(uuid4(), currency, self.now, sold, stripe_like_fee(total.gross))
        shares = developer_shares((line.seller, line.split) for line in sold if line.seller)
        self.post(ledger_postings.sale(sale.id, total, self.now, shares))
        self.post(ledger_postings.processor_fee(str(sale.id), sale.fee_estimate, self.now))
        self.sales.append(sale)

    @precondition(lambda self: self.sales)
    @rule(data=st.data(), off_by=st.integers(min_value=-25, max_value=25))
    def true_up_fee(self, data: st.DataObject, off_by: int) -> None:
        sale = data.draw(st.sampled_from(self.sales))
        # the provider reports the real fee once; a redelivery repeats the same figure
        actual = sale.fee_actual or Money(max(0, sale.fee_estimate.amount_minor + off_by), sale.currency)
        self.post(ledger_postings.fee_true_up(str(sale.id), sale.fee_estimate, actual, self.now))
        sale.fee_actual = actual

    @precondition(lambda self: any(sale.dispute is None for sale in self.sales))
    @rule(data=st.data(), full=st.booleans())
    def refund(self, data: st.DataObject, full: bool) -> None:
        sale = data.draw(st.sampled_from([sale for sale in self.sales if sale.dispute is None]))
        index = data.draw(st.integers(min_value=0, max_value=len(sale.lines) - 1))
        line = sale.lines[index]
        remaining = line.remaining().amount_minor
        if remaining == 0:
            return
        amount = remaining if full else data.draw(st.integers(min_value=1, max_value=remaining))
        after = line.taken + Money(amount, sale.currency)
        given = {line.seller: line.split.given_back_between(line.taken, after)} if line.seller else {}
        self.post(ledger_postings.refund(uuid4(), taxed_back(line, after), self.now, given))
        line.taken = after

    @precondition(lambda self: any(not sale.was_disputed for sale in self.sales))
    @rule(data=st.data())
    def open_dispute(self, data: st.DataObject) -> None:
        sale = data.draw(st.sampled_from([sale for sale in self.sales if not sale.was_disputed]))
        held = {index: line.remaining() for index, line in enumerate(sale.lines)}
        total = Money.total(held.values(), sale.currency)
        if total.is_zero:
            return
        sale.dispute, sale.was_disputed = str(sale.id), True  # as RecordDispute keys it: by the order
        sale.disputed_amounts = held
        for line in sale.lines:
            if line.seller:
                share = line.split.given_back_between(line.taken, line.split.gross)
                sale.disputed_shares[line.seller] = (
                    sale.disputed_shares.get(line.seller, Money.zero(sale.currency)) + share
                )
        self.post(ledger_postings.dispute_opened(sale.dispute, total, self.now))

    @precondition(lambda self: any(sale.dispute for sale in self.sales))
    @rule(data=st.data(), won=st.booleans())
    def close_dispute(self, data: st.DataObject, won: bool) -> None:
        sale = data.draw(st.sampled_from([sale for sale in self.sales if sale.dispute]))
        assert sale.dispute is not None
        opened = self.ledger[f"dispute_opened:{sale.dispute}"]
        if won:
            self.post(ledger_postings.dispute_won(opened, sale.dispute, self.now))
        else:
            lost = TaxedAmount.zero(sale.currency)
            given: dict[UUID, Money] = {}
            for index, line in enumerate(sale.lines):
                after = line.taken + sale.disputed_amounts[index]
                lost = lost + taxed_back(line, after)
                if line.seller:
                    step = line.split.given_back_between(line.taken, after)
                    given[line.seller] = given.get(line.seller, Money.zero(sale.currency)) + step
                line.taken = after
            self.post(ledger_postings.dispute_lost(sale.dispute, lost, self.now, given))
        sale.dispute, sale.disputed_shares, sale.disputed_amounts = None, {}, {}

    @rule(days=st.integers(min_value=1, max_value=45))
    def time_passes(self, days: int) -> None:
        self.now += timedelta(days=days)

    @rule(
        minimum=st.sampled_from((0, 100, 5_000)),
        again=st.booleans(),
        withholding_bp=st.sampled_from((0, 2_400, 3_000, 10_000)),
    )
    def payout_run(self, minimum: int, again: bool, withholding_bp: int) -> None:
        """The run's own rules: each payee's balance as the run reads the ledger
        (``payee_earnings``), its decision (``decide``) and withholding; ``again``: the run is
        interrupted and started over, and must pay nobody twice."""
        self.runs += 1
        run = f"run-{self.runs}"
        standing = PayeeStanding(False, "acct", True, withholding_bp)
        for _ in range(2 if again else 1):
            read = payee_earnings(list(self.ledger.values()), now=self.now, hold=HOLD)
            for (developer, currency), balance in sorted(read.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
                payout_id = f"{run}:{developer}:{currency}"
                decision = decide(balance, standing, Money(max(1, minimum), currency))
                if f"payout:{payout_id}" in self.ledger or not isinstance(decision, Pay):
                    continue
                amount = decision.payable
                assert amount <= balance.available
                # the model's truth: matured shares less given back, paid and disputed (a returned
                # payout is owed at once: it had matured before it was paid)
                assert amount <= self.matured_by_the_model(developer, currency)
                paid = ledger_postings.payout(
                    payout_id, developer, decision.transferred, self.now, withheld=decision.withheld
                )
                self.post(paid)
                self.payouts.append((paid, payout_id))
                key = (developer, str(currency))
                self.paid[key] = self.paid.get(key, Money.zero(currency)) + amount
                self.withheld[key] = self.withheld.get(key, Money.zero(currency)) + decision.withheld

    @precondition(lambda self: self.payouts)
    @rule(data=st.data())
    def payout_returned(self, data: st.DataObject) -> None:
        paid, payout_id = data.draw(st.sampled_from(self.payouts))
        if payout_id in self.returned:
            return
        self.post(ledger_postings.payout_returned(paid, payout_id, self.now))
        self.returned.add(payout_id)
        [owed] = [entry for entry in paid.entries if entry.account.kind is AccountKind.SELLER_PAYABLE]
        key = (UUID(owed.account.party), str(paid.currency))
        self.paid[key] = self.paid[key] - owed.amount
        for entry in paid.entries:
            if entry.account == TAX_WITHHELD:
                self.withheld[key] = self.withheld[key] + entry.amount  # the entry credits: negative

    # -- reading the ledger -------------------------------------------------------------------

    def balance(self, developer: UUID, currency: Currency) -> EarningsBalance:
        account = Account.seller_payable(developer)
        movements = [
            (-entry.amount, transaction.occurred_at)
            for transaction in self.ledger.values()
            if transaction.currency == currency
            for entry in transaction.entries
            if entry.account == account
        ]
        disputed = Money.total(
            (s.disputed_shares.get(developer, Money.zero(currency)) for s in self.sales if s.currency == currency),
            currency,
        )
        return earnings_balance(movements, currency=currency, hold=HOLD, disputed=disputed, now=self.now)

    def owed_by_the_model(self, developer: UUID, currency: Currency) -> Money:
        shares = Money.total(
            (
                line.split.developer - line.split.given_back(line.taken)
                for sale in self.sales
                if sale.currency == currency
                for line in sale.lines
                if line.seller == developer
            ),
            currency,
        )
        return shares - self.paid.get((developer, str(currency)), Money.zero(currency))

    def matured_by_the_model(self, developer: UUID, currency: Currency) -> Money:
        """What may leave: shares of sales past the hold, less everything given back, paid or
        under an open dispute."""
        ours = [sale for sale in self.sales if sale.currency == currency]
        matured = Money.total(
            (
                line.split.developer
                for s in ours
                if s.at + HOLD <= self.now
                for line in s.lines
                if line.seller == developer
            ),
            currency,
        )
        given_back = Money.total(
            (line.split.given_back(line.taken) for s in ours for line in s.lines if line.seller == developer), currency
        )
        disputed = Money.total((s.disputed_shares.get(developer, Money.zero(currency)) for s in ours), currency)
        return matured - given_back - self.paid.get((developer, str(currency)), Money.zero(currency)) - disputed

    # -- what must always hold ----------------------------------------------------------------

    @invariant()
    def the_ledger_balances_in_every_currency(self) -> None:
        transactions = list(self.ledger.values())
        for currency in CURRENCIES:
            assert sum(m.amount_minor for m in balances(transactions, currency).values()) == 0

    @invariant()
    def every_developer_holds_exactly_what_the_rules_owe(self) -> None:
        for developer in DEVELOPERS:
            for currency in CURRENCIES:
                balance = self.balance(developer, currency)
                assert balance.total == self.owed_by_the_model(developer, currency)
                assert balance.total == balance.pending + balance.held + balance.available

    @invariant()
    def cash_is_what_was_charged_less_what_left(self) -> None:
        """Processor clearing + disputes = charged - given back - fees - paid out: the split of every
        charge (developer + commission + fee + tax) accounts for all of it and for nothing more."""
        transactions = list(self.ledger.values())
        for currency in CURRENCIES:
            ours = [s for s in self.sales if s.currency == currency]
            charged = sum(line.split.gross.amount_minor for s in ours for line in s.lines)
            taken = sum(line.taken.amount_minor for s in ours for line in s.lines)
            fees = balances(transactions, currency).get(PROCESSOR_FEES, Money.zero(currency)).amount_minor
            paid = sum(m.amount_minor for (_, c), m in self.paid.items() if c == str(currency))
            withheld = sum(m.amount_minor for (_, c), m in self.withheld.items() if c == str(currency))
            held = balances(transactions, currency)
            cash = held.get(CLEARING, Money.zero(currency)) + held.get(DISPUTES, Money.zero(currency))
            assert cash.amount_minor == charged - taken - fees - (paid - withheld)
            assert -held.get(TAX_WITHHELD, Money.zero(currency)).amount_minor == withheld
            for s in ours:
                for line in s.lines:
                    split = line.split
                    assert split.developer + split.commission + split.tax == split.gross
            owed = sum(-m.amount_minor for account, m in held.items() if account.kind is AccountKind.SELLER_PAYABLE)
            assert owed == sum(self.owed_by_the_model(d, currency).amount_minor for d in DEVELOPERS)


Marketplace.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
test_the_revenue_share_ledger = Marketplace.TestCase
