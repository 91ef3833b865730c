"""Payout runs on the memory store: payouts, skipped payouts, runs, holds, the payees' balances
(read off the memory ledger) and a provider's transfers (unit tests, and the memory leg of the
contracts)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.application.billing.payment_gateway import PaymentProviderUnavailable
from devforge.application.billing.payout_run_ports import (
    PayeeBalance,
    PayoutRun,
    ProviderTransfer,
    TransferRefused,
    TransferRequest,
)
from devforge.domain.billing.currency import Currency
from devforge.domain.billing.ledger import LedgerTransaction
from devforge.domain.billing.payee_earnings import balance_of, payee_earnings
from devforge.domain.billing.payout import Payout, PayoutHoldChange, PayoutStatus, SkippedPayout


class InMemoryPayoutRepository:
    def __init__(self, store: Tables) -> None:
        self._payouts: dict[str, Payout] = store.table("billing_payouts")
        self._skips: dict[tuple[str, UUID, str], SkippedPayout] = store.table("billing_payout_skips")
        self._runs: dict[str, PayoutRun] = store.table("billing_payout_runs")

    async def start_run(self, run_id: str, at: datetime) -> PayoutRun:
        return self._runs.setdefault(run_id, PayoutRun(run_id, at))

    async def finish_run(self, run_id: str, at: datetime) -> None:
        run = self._runs.get(run_id)
        if run is not None and run.finished_at is None:
            self._runs[run_id] = replace(run, finished_at=at)

    async def run(self, run_id: str) -> PayoutRun | None:
        return self._runs.get(run_id)

    async def decided(self, run_id: str) -> set[tuple[UUID, str]]:
        paid = {(p.publisher_id, p.currency.code) for p in self._payouts.values() if p.run_id == run_id}
        return paid | {(publisher, code) for run, publisher, code in self._skips if run == run_id}

    async def add(self, payout: Payout) -> bool:
        if payout.id in self._payouts:
            return False
        self._payouts[payout.id] = payout
        return True

    async def add_skip(self, skipped: SkippedPayout) -> bool:
        key = (skipped.run_id, skipped.publisher_id, skipped.currency.code)
        if key in self._skips:
            return False
        self._skips[key] = skipped
        return True

    async def get(self, payout_id: str, *, for_update: bool = False) -> Payout | None:
        return self._payouts.get(payout_id)

    async def update(self, payout: Payout) -> None:
        self._payouts[payout.id] = payout

    async def mark_sent(self, payout_id: str, transfer_id: str | None, at: datetime) -> bool:
        payout = self._payouts.get(payout_id)
        if payout is None or payout.status is not PayoutStatus.PENDING:
            return False
        self._payouts[payout_id] = payout.sent(transfer_id, at)
        return True

    async def pending(self, run_id: str | None = None) -> list[Payout]:
        rows = [p for p in self._payouts.values() if p.status is PayoutStatus.PENDING]
        return sorted((p for p in rows if run_id in (None, p.run_id)), key=lambda p: (p.created_at, p.id))

    async def by_transfer(self, transfer_id: str) -> Payout | None:
        return next((p for p in self._payouts.values() if p.transfer_id == transfer_id), None)

    async def last_sent_to(self, account_id: str, currency: Currency) -> Payout | None:
        sent = [
            p
            for p in self._payouts.values()
            if p.account_id == account_id
            and p.currency == currency
            and p.status is PayoutStatus.SENT
            and p.transfer_id is not None
        ]
        return max(sent, key=lambda p: (p.sent_at or p.created_at, p.id), default=None)


class InMemoryPayoutReader:
    def __init__(self, store: Tables) -> None:
        self._payouts: dict[str, Payout] = store.table("billing_payouts")
        self._skips: dict[tuple[str, UUID, str], SkippedPayout] = store.table("billing_payout_skips")
        self._holds: dict[int, PayoutHoldChange] = store.table("billing_payout_holds")

    async def payouts(self, publisher_id: UUID, *, limit: int) -> list[Payout]:
        rows = [p for p in self._payouts.values() if p.publisher_id == publisher_id]
        return sorted(rows, key=lambda p: (p.created_at, p.id), reverse=True)[:limit]

    async def skipped(self, publisher_id: UUID, *, limit: int) -> list[SkippedPayout]:
        rows = [s for s in self._skips.values() if s.publisher_id == publisher_id]
        return sorted(rows, key=lambda s: (s.decided_at, s.run_id, s.currency.code), reverse=True)[:limit]

    async def hold_trail(self, publisher_id: UUID) -> list[PayoutHoldChange]:
        return [c for _, c in sorted(self._holds.items()) if c.publisher_id == publisher_id]


class InMemoryPayoutHolds:
    def __init__(self, store: Tables) -> None:
        self._changes: dict[int, PayoutHoldChange] = store.table("billing_payout_holds")

    async def held(self) -> set[UUID]:
        latest: dict[UUID, bool] = {}
        for _, change in sorted(self._changes.items()):
            latest[change.publisher_id] = change.held
        return {publisher for publisher, held in latest.items() if held}

    async def change(self, change: PayoutHoldChange) -> None:
        self._changes[len(self._changes) + 1] = change

    async def trail(self, publisher_id: UUID) -> list[PayoutHoldChange]:
        return [c for _, c in sorted(self._changes.items()) if c.publisher_id == publisher_id]


class InMemoryPayeeBalances:
    """Reads the memory ledger (``billing_ledger_transactions``) of the same store."""

    def __init__(self, store: Tables) -> None:
        self._ledger: dict[str, LedgerTransaction] = store.table("billing_ledger_transactions")

    async def all(self, *, now: datetime, hold: timedelta) -> list[PayeeBalance]:
        earnings = payee_earnings(list(self._ledger.values()), now=now, hold=hold)
        return [
            PayeeBalance(publisher, balance)
            for (publisher, _), balance in sorted(earnings.items(), key=lambda kv: (str(kv[0][0]), kv[0][1].code))
        ]

    async def of(self, publisher_id: UUID, currency: Currency, *, now: datetime, hold: timedelta) -> PayeeBalance:
        earnings = payee_earnings(list(self._ledger.values()), now=now, hold=hold)
        balance = earnings.get((publisher_id, currency)) or balance_of(currency, 0, 0, 0)
        return PayeeBalance(publisher_id, balance)


class InMemoryPayoutTransfers:
    """A provider's transfers in a dict: the same idempotency key answers the same transfer.
    Test hooks: ``unavailable`` (the next N calls have no answer, after the transfer was made
    when ``made_anyway``), ``refuse`` (destinations refused), ``calls`` (every create)."""

    def __init__(self) -> None:
        self.transfers: dict[str, ProviderTransfer] = {}
        self.by_key: dict[str, str] = {}
        self.calls: list[TransferRequest] = []
        self.unavailable = 0
        self.made_anyway = False
        self.refuse: set[str] = set()
        self._ids = itertools.count(1)

    async def create(self, request: TransferRequest) -> ProviderTransfer:
        self.calls.append(request)
        if self.unavailable and not self.made_anyway:
            self.unavailable -= 1
            raise PaymentProviderUnavailable("no answer")
        if request.destination in self.refuse:
            raise TransferRefused(f"{request.destination} cannot receive transfers.")
        if request.idempotency_key not in self.by_key:
            transfer = ProviderTransfer(f"tr_mem_{next(self._ids):06d}", request.destination, request.amount)
            self.transfers[transfer.id] = transfer
            self.by_key[request.idempotency_key] = transfer.id
        if self.unavailable:
            self.unavailable -= 1
            raise PaymentProviderUnavailable("made, but the answer was lost")
        return self.transfers[self.by_key[request.idempotency_key]]

    async def get(self, transfer_id: str) -> ProviderTransfer | None:
        return self.transfers.get(transfer_id)

    async def reverse(self, transfer_id: str, idempotency_key: str) -> ProviderTransfer:
        transfer = replace(self.transfers[transfer_id], reversed=True)
        self.transfers[transfer_id] = transfer
        return transfer

    def paid_to(self, destination: str) -> list[ProviderTransfer]:
        return [t for t in self.transfers.values() if t.destination == destination]
