"""Payout runs: the repositories on SQL or memory, the use cases, and the run's policy from the
settings. The transfers port is served with the payment provider (``providers/payments.py``);
the payee's account and tax status by the payout accounts and the tax profiles."""

from __future__ import annotations

from datetime import timedelta

from dishka import Provider, Scope, provide, provide_all

from devforge.adapters.memory.payouts import (
    InMemoryPayeeBalances,
    InMemoryPayoutHolds,
    InMemoryPayoutReader,
    InMemoryPayoutRepository,
)
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.payee_balance_reads import PayeeBalanceReads
from devforge.adapters.persistence.payouts import (
    SqlaPayeeBalances,
    SqlaPayoutHolds,
    SqlaPayoutReader,
    SqlaPayoutRepository,
)
from devforge.application.billing.get_payout_hold_trail import GetPayoutHoldTrail
from devforge.application.billing.list_payouts import ListPayouts
from devforge.application.billing.payout_run_ports import (
    PayeeBalances,
    PayoutHolds,
    PayoutPolicy,
    PayoutReader,
    PayoutRepository,
)
from devforge.application.billing.run_payouts import RunPayouts
from devforge.application.billing.set_payout_hold import SetPayoutHoldHandler
from devforge.bootstrap.settings.billing import BillingSettings


def payout_policy(billing: BillingSettings) -> PayoutPolicy:
    minimums = {}
    for entry in billing.payout_minimums:
        code, _, amount = entry.partition("=")
        minimums[code.strip().upper()] = int(amount)
    return PayoutPolicy(
        hold=timedelta(days=billing.payout_hold_days),
        minimums=minimums,
        default_minimum=billing.payout_minimum_default,
        day_of_month=billing.payout_day_of_month,
    )


class PayoutUseCasesProvider(Provider):
    """What needs neither the payee's account nor its tax status: the developer's page, the
    administrators' holds, the returned payouts."""

    scope = Scope.REQUEST
    use_cases = provide_all(ListPayouts, SetPayoutHoldHandler, GetPayoutHoldTrail)

    @provide(scope=Scope.APP)
    def policy(self, billing: BillingSettings) -> PayoutPolicy:
        return payout_policy(billing)


class PayoutRunProvider(Provider):
    """The run itself: it needs ``PayeeAccounts`` and ``PayeeTaxStatus`` served."""

    scope = Scope.REQUEST
    run = provide(RunPayouts)


class SqlaPayoutsProvider(Provider):
    scope = Scope.REQUEST
    payouts = provide(SqlaPayoutRepository, provides=PayoutRepository)
    holds = provide(SqlaPayoutHolds, provides=PayoutHolds)
    balances = provide(SqlaPayeeBalances, provides=PayeeBalances)
    one_balance = provide(PayeeBalanceReads, scope=Scope.APP)  # its statements prepared once
    reader = provide(SqlaPayoutReader, provides=PayoutReader, scope=Scope.APP)


class MemoryPayoutsProvider(Provider):
    scope = Scope.REQUEST

    @provide
    def payouts(self, transaction: InMemoryUnitOfWork) -> PayoutRepository:
        return InMemoryPayoutRepository(transaction.store)

    @provide
    def holds(self, transaction: InMemoryUnitOfWork) -> PayoutHolds:
        return InMemoryPayoutHolds(transaction.store)

    @provide
    def balances(self, transaction: InMemoryUnitOfWork) -> PayeeBalances:
        return InMemoryPayeeBalances(transaction.store)

    @provide(scope=Scope.APP)
    def reader(self, store: MemoryStore) -> PayoutReader:
        return InMemoryPayoutReader(store)
