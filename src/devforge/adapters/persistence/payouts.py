"""Payout runs on SQL (SQLite and PostgreSQL): runs, payouts, skips and holds in the unit of
work's session; the developer's pages on the common read path; the payees' balances summed by
the database over the ledger's entries (one grouped statement for every payee, however many
sale lines there are), with the rules of ``payee_earnings``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, case, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.engine import dialect_of
from devforge.adapters.persistence.payee_balance_reads import PayeeBalanceReads
from devforge.adapters.persistence.read_path import ReadPath, Row
from devforge.adapters.persistence.tables.billing_documents import (
    billing_ledger_entries,
    billing_ledger_transactions,
)
from devforge.adapters.persistence.tables.billing_payouts import (
    billing_payout_holds,
    billing_payout_runs,
    billing_payout_skips,
    billing_payouts,
)
from devforge.application.billing.payout_run_ports import PayeeBalance, PayoutRun
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import AccountKind
from devforge.domain.billing.money import Money
from devforge.domain.billing.payee_earnings import balance_of
from devforge.domain.billing.payout import Payout, PayoutHoldChange, PayoutStatus, SkippedPayout, SkipReason

_SELLER = f"{AccountKind.SELLER_PAYABLE.value}:"


def payout_of(row: Row | Any) -> Payout:
    currency = Currency(row["currency"])
    return Payout(
        id=row["id"],
        run_id=row["run_id"],
        publisher_id=row["publisher_id"],
        amount=Money(int(row["amount"]), currency),
        withheld=Money(int(row["withheld"]), currency),
        account_id=row["account_id"],
        status=PayoutStatus(row["status"]),
        created_at=row["created_at"],
        transfer_id=row["transfer_id"],
        sent_at=row["sent_at"],
        returned_at=row["returned_at"],
        return_reason=row["return_reason"],
    )


def skip_of(row: Row | Any) -> SkippedPayout:
    currency = Currency(row["currency"])
    return SkippedPayout(
        row["run_id"], row["publisher_id"], SkipReason(row["reason"]), Money(int(row["available"]), currency),
        row["decided_at"],
    )  # fmt: skip


def _payout_row(payout: Payout) -> dict[str, Any]:
    return {
        "id": payout.id,
        "run_id": payout.run_id,
        "publisher_id": payout.publisher_id,
        "currency": payout.currency.code,
        "amount": payout.amount.amount_minor,
        "withheld": payout.withheld.amount_minor,
        "account_id": payout.account_id,
        "status": payout.status.value,
        "created_at": payout.created_at,
        "transfer_id": payout.transfer_id,
        "sent_at": payout.sent_at,
        "returned_at": payout.returned_at,
        "return_reason": payout.return_reason,
    }


class SqlaPayoutRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _insert(self, table: Any) -> Any:
        return (pg_insert if dialect_of(self._session) == "postgresql" else sqlite_insert)(table)

    async def start_run(self, run_id: str, at: datetime) -> PayoutRun:
        start = self._insert(billing_payout_runs).values(id=run_id, started_at=at).on_conflict_do_nothing()
        await self._session.execute(start)
        found = await self.run(run_id)
        assert found is not None
        return found

    async def finish_run(self, run_id: str, at: datetime) -> None:
        runs = billing_payout_runs
        await self._session.execute(
            update(runs).where(runs.c.id == run_id, runs.c.finished_at.is_(None)).values(finished_at=at)
        )

    async def run(self, run_id: str) -> PayoutRun | None:
        row = (
            await self._session.execute(select(billing_payout_runs).where(billing_payout_runs.c.id == run_id))
        ).first()
        return PayoutRun(row.id, row.started_at, row.finished_at) if row else None

    async def decided(self, run_id: str) -> set[tuple[UUID, str]]:
        paid = select(billing_payouts.c.publisher_id, billing_payouts.c.currency).where(
            billing_payouts.c.run_id == run_id
        )
        skipped = select(billing_payout_skips.c.publisher_id, billing_payout_skips.c.currency).where(
            billing_payout_skips.c.run_id == run_id
        )
        rows = list(await self._session.execute(paid)) + list(await self._session.execute(skipped))
        return {(publisher, currency) for publisher, currency in rows}

    async def add(self, payout: Payout) -> bool:
        added = await self._session.execute(
            self._insert(billing_payouts).values(_payout_row(payout)).on_conflict_do_nothing(index_elements=["id"])
        )
        return bool(added.rowcount)  # type: ignore[attr-defined]

    async def add_skip(self, skipped: SkippedPayout) -> bool:
        values = {
            "run_id": skipped.run_id,
            "publisher_id": skipped.publisher_id,
            "currency": skipped.currency.code,
            "reason": skipped.reason.value,
            "available": skipped.available.amount_minor,
            "decided_at": skipped.decided_at,
        }
        added = await self._session.execute(self._insert(billing_payout_skips).values(values).on_conflict_do_nothing())
        return bool(added.rowcount)  # type: ignore[attr-defined]

    async def get(self, payout_id: str, *, for_update: bool = False) -> Payout | None:
        return await self._one(billing_payouts.c.id == payout_id, for_update)

    async def _one(self, condition: Any, for_update: bool = False) -> Payout | None:
        if for_update and dialect_of(self._session) == "sqlite":  # the single writer lock, taken first
            await self._session.execute(update(billing_payouts).where(condition).values(id=billing_payouts.c.id))
        query = select(billing_payouts).where(condition)
        if for_update and dialect_of(self._session) == "postgresql":
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return payout_of(row) if row else None

    async def update(self, payout: Payout) -> None:
        values = _payout_row(payout)
        await self._session.execute(update(billing_payouts).where(billing_payouts.c.id == payout.id).values(values))

    async def mark_sent(self, payout_id: str, transfer_id: str | None, at: datetime) -> bool:
        table = billing_payouts
        still_pending = (table.c.id == payout_id) & (table.c.status == PayoutStatus.PENDING.value)
        values = {"status": PayoutStatus.SENT.value, "transfer_id": transfer_id, "sent_at": at}
        marked = await self._session.execute(update(table).where(still_pending).values(values))
        return bool(marked.rowcount)  # type: ignore[attr-defined]

    async def pending(self, run_id: str | None = None) -> list[Payout]:
        table = billing_payouts
        query = select(table).where(table.c.status == PayoutStatus.PENDING.value)
        if run_id is not None:
            query = query.where(table.c.run_id == run_id)
        rows = (await self._session.execute(query.order_by(table.c.created_at, table.c.id))).mappings().all()
        return [payout_of(row) for row in rows]

    async def by_transfer(self, transfer_id: str) -> Payout | None:
        return await self._one(billing_payouts.c.transfer_id == transfer_id)

    async def last_sent_to(self, account_id: str, currency: Currency) -> Payout | None:
        table = billing_payouts
        query = (
            select(table)
            .where(
                table.c.account_id == account_id,
                table.c.currency == currency.code,
                table.c.status == PayoutStatus.SENT.value,
                table.c.transfer_id.is_not(None),
            )
            .order_by(table.c.sent_at.desc(), table.c.id.desc())
            .limit(1)
        )
        row = (await self._session.execute(query)).mappings().first()
        return payout_of(row) if row else None


class SqlaPayoutHolds:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def held(self) -> set[UUID]:
        holds = billing_payout_holds
        latest = select(holds.c.publisher_id, func.max(holds.c.id).label("id")).group_by(holds.c.publisher_id)
        latest_ids = latest.subquery()
        query = select(holds.c.publisher_id).join(latest_ids, latest_ids.c.id == holds.c.id).where(holds.c.held)
        return {publisher for (publisher,) in await self._session.execute(query)}

    async def change(self, change: PayoutHoldChange) -> None:
        values = {
            "publisher_id": change.publisher_id,
            "held": change.held,
            "reason": change.reason,
            "actor_id": change.actor_id,
            "at": change.at,
        }
        await self._session.execute(insert(billing_payout_holds).values(values))

    async def trail(self, publisher_id: UUID) -> list[PayoutHoldChange]:
        holds = billing_payout_holds
        query = select(holds).where(holds.c.publisher_id == publisher_id).order_by(holds.c.id)
        return [hold_change_of(row) for row in (await self._session.execute(query)).mappings()]


def hold_change_of(row: Any) -> PayoutHoldChange:
    return PayoutHoldChange(row["publisher_id"], row["held"], row["reason"], row["actor_id"], row["at"])


_PAYOUTS = (
    select(billing_payouts)
    .where(billing_payouts.c.publisher_id == bindparam("publisher"))
    .order_by(billing_payouts.c.created_at.desc(), billing_payouts.c.id.desc())
    .limit(bindparam("limit"))
)
_SKIPS = (
    select(billing_payout_skips)
    .where(billing_payout_skips.c.publisher_id == bindparam("publisher"))
    .order_by(
        billing_payout_skips.c.decided_at.desc(),
        billing_payout_skips.c.run_id.desc(),
        billing_payout_skips.c.currency.desc(),
    )
    .limit(bindparam("limit"))
)


class SqlaPayoutReader:
    def __init__(self, reads: ReadPath) -> None:
        self._payouts, self._skips = reads.prepare(_PAYOUTS), reads.prepare(_SKIPS)
        holds = billing_payout_holds
        self._trail = reads.prepare(
            select(holds).where(holds.c.publisher_id == bindparam("publisher")).order_by(holds.c.id)
        )

    async def payouts(self, publisher_id: UUID, *, limit: int) -> list[Payout]:
        return [payout_of(row) for row in await self._payouts.rows(publisher=publisher_id, limit=limit)]

    async def skipped(self, publisher_id: UUID, *, limit: int) -> list[SkippedPayout]:
        return [skip_of(row) for row in await self._skips.rows(publisher=publisher_id, limit=limit)]

    async def hold_trail(self, publisher_id: UUID) -> list[PayoutHoldChange]:
        return [hold_change_of(row) for row in await self._trail.rows(publisher=publisher_id)]


class SqlaPayeeBalances:
    """Two statements: every seller account's total and pending in one grouped pass over the
    entries; then, if any dispute is open, the sellers' credits of the disputed orders' sales.
    One payee's balance (``of``: the revenue page, the dashboard) reads on the common read path."""

    def __init__(self, session: AsyncSession, one: PayeeBalanceReads) -> None:
        self._session, self._one = session, one

    async def all(self, *, now: datetime, hold: timedelta) -> list[PayeeBalance]:
        return await self._balances(billing_ledger_entries.c.account.like(f"{_SELLER}%"), now, hold)

    async def of(self, publisher_id: UUID, currency: Currency, *, now: datetime, hold: timedelta) -> PayeeBalance:
        return await self._one.of(publisher_id, currency, now=now, hold=hold)

    async def _balances(self, condition: Any, now: datetime, hold: timedelta) -> list[PayeeBalance]:
        entries, transactions = billing_ledger_entries, billing_ledger_transactions
        matured_before = now - hold
        young_sale = and_(
            entries.c.amount < 0,
            transactions.c.idempotency_id.like("sale:%"),
            transactions.c.occurred_at > matured_before,
        )
        query = (
            select(
                entries.c.account,
                entries.c.currency,
                func.sum(entries.c.amount).label("total"),
                func.sum(case((young_sale, entries.c.amount), else_=0)).label("pending"),
            )
            .select_from(entries.join(transactions, transactions.c.id == entries.c.transaction_id))
            .where(condition)
            .group_by(entries.c.account, entries.c.currency)
        )
        sums = (await self._session.execute(query)).all()
        held = await self._disputed(condition)
        balances = []
        for account, code, total, pending in sums:
            key = (account, code)
            currency = Currency(code)
            balance = balance_of(currency, -int(total), -int(pending or 0), held.get(key, 0))
            balances.append(PayeeBalance(UUID(account.removeprefix(_SELLER)), balance))
        return sorted(balances, key=lambda b: (str(b.publisher_id), b.currency.code))

    async def _disputed(self, condition: Any) -> dict[tuple[str, str], int]:
        transactions, entries = billing_ledger_transactions, billing_ledger_entries
        disputes = select(transactions.c.idempotency_id).where(transactions.c.idempotency_id.like("dispute_%"))
        opened: set[str] = set()
        closed: set[str] = set()
        for (key,) in await self._session.execute(disputes):
            kind, _, dispute = key.partition(":")
            (opened if kind == "dispute_opened" else closed).add(dispute)
        sales = [f"sale:{dispute}" for dispute in opened - closed]
        if not sales:
            return {}
        query = (
            select(entries.c.account, entries.c.currency, func.sum(entries.c.amount))
            .select_from(entries.join(transactions, transactions.c.id == entries.c.transaction_id))
            .where(condition, entries.c.amount < 0, transactions.c.idempotency_id.in_(sales))
            .group_by(entries.c.account, entries.c.currency)
        )
        return {(account, code): -int(total) for account, code, total in await self._session.execute(query)}
