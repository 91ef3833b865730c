"""One contract for the payout run's storage on memory, SQLite and PostgreSQL: the payouts and
skips a run recorded, its runs, the hold trail, the developer's reads, and the payees' balances
summed over the ledger (which must agree with ``payee_earnings`` to the minor unit)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from devforge.adapters.memory.billing_documents import InMemoryLedgerRepository
from devforge.adapters.memory.payouts import (
    InMemoryPayeeBalances,
    InMemoryPayoutHolds,
    InMemoryPayoutReader,
    InMemoryPayoutRepository,
)
from devforge.adapters.memory.store import MemoryStore
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.billing_documents import SqlaLedgerRepository
from devforge.adapters.persistence.payee_balance_reads import PayeeBalanceReads
from devforge.adapters.persistence.payouts import (
    SqlaPayeeBalances,
    SqlaPayoutHolds,
    SqlaPayoutReader,
    SqlaPayoutRepository,
)
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.unit_of_work import SqlaUnitOfWork
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.payout_run_ports import PayeeBalances, PayoutHolds, PayoutReader, PayoutRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.payee_earnings import payee_earnings
from devforge.domain.billing.payout import (
    Pay,
    Payout,
    PayoutHoldChange,
    PayoutStatus,
    SkippedPayout,
    SkipReason,
)
from devforge.domain.billing.tax import TaxedAmount
from tests.integration.backends import postgres_database, sqlite_database

USD, EUR = Currency("USD"), Currency("EUR")
NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
HOLD = timedelta(days=30)


@dataclass
class Unit:
    uow: UnitOfWork
    payouts: PayoutRepository
    holds: PayoutHolds
    balances: PayeeBalances
    ledger: LedgerRepository


@dataclass
class Backend:
    unit: Callable[[], Any]
    reader: PayoutReader


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "memory":
        store = MemoryStore()

        @asynccontextmanager
        async def memory_unit() -> AsyncIterator[Unit]:
            uow = InMemoryUnitOfWork(store)
            tables = uow.store
            yield Unit(
                uow,
                InMemoryPayoutRepository(tables),
                InMemoryPayoutHolds(tables),
                InMemoryPayeeBalances(tables),
                InMemoryLedgerRepository(tables),
            )
            await uow.close()

        yield Backend(memory_unit, InMemoryPayoutReader(store))
        return
    database = postgres_database() if request.param == "postgres" else sqlite_database(tmp_path)
    async with database as url:
        engine = create_async_engine(url)
        maker = async_sessionmaker(engine, expire_on_commit=False)
        reads = ReadPath(engine)
        one_balance = PayeeBalanceReads(reads)

        @asynccontextmanager
        async def sql_unit() -> AsyncIterator[Unit]:
            async with maker() as session:
                yield Unit(
                    SqlaUnitOfWork(session),
                    SqlaPayoutRepository(session),
                    SqlaPayoutHolds(session),
                    SqlaPayeeBalances(session, one_balance),
                    SqlaLedgerRepository(session),
                )

        try:
            yield Backend(sql_unit, SqlaPayoutReader(reads))
        finally:
            reads.close()
            await engine.dispose()


def payout(run: str, publisher: Any = None, amount: int = 10_000, currency: Currency = USD) -> Payout:
    pay = Pay(Money(amount, currency), Money(0, currency))
    return Payout.record(run, publisher or uuid4(), pay, "acct_1", NOW)


async def test_a_payout_is_recorded_once_and_read_back_field_by_field(backend: Backend) -> None:
    recorded = payout("2026-11")
    async with backend.unit() as unit:
        assert await unit.payouts.add(recorded) is True
        assert await unit.payouts.add(recorded) is False
        await unit.uow.commit()
    async with backend.unit() as unit:
        assert await unit.payouts.get(recorded.id) == recorded
        assert await unit.payouts.get(recorded.id, for_update=True) == recorded
        assert await unit.payouts.pending("2026-11") == [recorded]
        assert await unit.payouts.pending("2026-10") == []
        assert await unit.payouts.decided("2026-11") == {(recorded.publisher_id, "USD")}
    assert await backend.reader.payouts(recorded.publisher_id, limit=5) == [recorded]


async def test_a_sent_payout_is_found_by_its_transfer_and_its_account_and_leaves_pending(backend: Backend) -> None:
    first, second = payout("2026-10"), payout("2026-11")
    async with backend.unit() as unit:
        await unit.payouts.add(first)
        await unit.payouts.add(second)
        await unit.payouts.update(first.sent("tr_1", NOW))
        await unit.payouts.update(second.sent("tr_2", NOW + timedelta(days=30)))
        await unit.uow.commit()
    async with backend.unit() as unit:
        found = await unit.payouts.by_transfer("tr_2")
        assert found is not None and (found.id, found.status) == (second.id, PayoutStatus.SENT)
        assert (await unit.payouts.last_sent_to("acct_1", USD)) == found
        assert await unit.payouts.last_sent_to("acct_1", EUR) is None
        assert await unit.payouts.pending() == []
        await unit.payouts.update(found.returned("payout_failed", NOW))
        await unit.uow.commit()
    async with backend.unit() as unit:
        last = await unit.payouts.last_sent_to("acct_1", USD)
        assert last is not None and last.id == first.id
        withheld_in_full = payout("2026-12")
        await unit.payouts.add(withheld_in_full)
        assert await unit.payouts.mark_sent(withheld_in_full.id, None, NOW + timedelta(days=40))
        await unit.uow.commit()
    async with backend.unit() as unit:  # it moved nothing to the account: not what a failed payout took back
        last = await unit.payouts.last_sent_to("acct_1", USD)
        assert last is not None and last.id == first.id


async def test_marking_sent_takes_a_pending_payout_only(backend: Backend) -> None:
    recorded = payout("2026-11")
    async with backend.unit() as unit:
        await unit.payouts.add(recorded)
        assert await unit.payouts.mark_sent(recorded.id, "tr_9", NOW) is True
        assert await unit.payouts.mark_sent(recorded.id, "tr_other", NOW) is False
        assert await unit.payouts.mark_sent("2026-11:nobody:USD", "tr_x", NOW) is False
        await unit.uow.commit()
    async with backend.unit() as unit:
        assert await unit.payouts.get(recorded.id) == recorded.sent("tr_9", NOW)


async def test_a_skip_is_recorded_once_per_run_publisher_and_currency(backend: Backend) -> None:
    publisher = uuid4()
    skipped = SkippedPayout("2026-11", publisher, SkipReason.BELOW_MINIMUM, Money(4_000, USD), NOW)
    async with backend.unit() as unit:
        assert await unit.payouts.add_skip(skipped) is True
        assert await unit.payouts.add_skip(skipped) is False
        await unit.payouts.add_skip(SkippedPayout("2026-11", publisher, SkipReason.HELD, Money(1, EUR), NOW))
        await unit.uow.commit()
    async with backend.unit() as unit:
        assert await unit.payouts.decided("2026-11") == {(publisher, "USD"), (publisher, "EUR")}
    read = await backend.reader.skipped(publisher, limit=5)
    assert sorted(read, key=lambda s: s.currency.code) == [
        SkippedPayout("2026-11", publisher, SkipReason.HELD, Money(1, EUR), NOW),
        skipped,
    ]


async def test_a_run_starts_once_and_finishes_once(backend: Backend) -> None:
    async with backend.unit() as unit:
        started = await unit.payouts.start_run("2026-11", NOW)
        again = await unit.payouts.start_run("2026-11", NOW + timedelta(hours=1))
        assert started.started_at == again.started_at == NOW and again.finished_at is None
        await unit.payouts.finish_run("2026-11", NOW + timedelta(hours=2))
        await unit.payouts.finish_run("2026-11", NOW + timedelta(hours=3))
        await unit.uow.commit()
    async with backend.unit() as unit:
        run = await unit.payouts.run("2026-11")
        assert run is not None and run.finished_at == NOW + timedelta(hours=2)
        assert await unit.payouts.run("2026-12") is None


async def test_the_newest_hold_change_says_whether_a_publisher_is_held_and_the_trail_keeps_all(
    backend: Backend,
) -> None:
    held, released, admin = uuid4(), uuid4(), uuid4()
    changes = [
        PayoutHoldChange(held, True, "fraud review", admin, NOW),
        PayoutHoldChange(released, True, "chargebacks", admin, NOW),
        PayoutHoldChange(released, False, "cleared", admin, NOW + timedelta(hours=1)),
    ]
    async with backend.unit() as unit:
        for change in changes:
            await unit.holds.change(change)
        await unit.uow.commit()
    async with backend.unit() as unit:
        assert await unit.holds.held() == {held}
        assert await unit.holds.trail(released) == changes[1:]
    assert await backend.reader.hold_trail(released) == changes[1:]  # committed, no unit of work
    assert await backend.reader.hold_trail(held) == changes[:1] and await backend.reader.hold_trail(uuid4()) == []


async def test_the_payees_balances_agree_with_the_ledger_rules(backend: Backend) -> None:
    a, b = uuid4(), uuid4()
    disputed_order = uuid4()
    postings: list[LedgerTransaction] = [
        _sale(uuid4(), {a: 10_000}, NOW - timedelta(days=40)),
        _sale(uuid4(), {a: 2_500, b: 7_000}, NOW - timedelta(days=5)),  # pending
        _sale(disputed_order, {b: 3_000}, NOW - timedelta(days=45)),
        ledger_postings.dispute_opened(str(disputed_order), Money(6_000, USD), NOW - timedelta(days=2)),
        _sale(uuid4(), {a: 900}, NOW - timedelta(days=60), EUR),
        ledger_postings.payout("2026-10:x", a, Money(4_000, USD), NOW - timedelta(days=20)),
    ]
    async with backend.unit() as unit:
        for posting in postings:
            await unit.ledger.post(posting)
        await unit.uow.commit()
    expected = payee_earnings(postings, now=NOW, hold=HOLD)
    async with backend.unit() as unit:
        found = await unit.balances.all(now=NOW, hold=HOLD)
        assert {(p.publisher_id, p.currency): p.balance for p in found} == expected
        one = await unit.balances.of(b, USD, now=NOW, hold=HOLD)
        assert one.balance == expected[(b, USD)]
        assert (one.balance.pending, one.balance.held) == (Money(7_000, USD), Money(3_000, USD))
        none = await unit.balances.of(uuid4(), USD, now=NOW, hold=HOLD)
        assert none.balance.total == Money.zero(USD)


def _sale(order: Any, shares: dict[Any, int], at: datetime, currency: Currency = USD) -> LedgerTransaction:
    total = sum(shares.values()) * 2
    amounts = TaxedAmount.of(Money(total, currency), Money.zero(currency))
    return ledger_postings.sale(order, amounts, at, {p: Money(s, currency) for p, s in shares.items()})
