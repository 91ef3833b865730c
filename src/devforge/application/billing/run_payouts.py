"""Run a period's payouts, safely restartable at any point.

1. **Decide** each payee (publisher, currency) the run has not decided yet, reading every
   balance in one pass: a payout is recorded ``pending`` *and* posted to the ledger in the same
   transaction (or a skip is recorded with its reason); batches of ``BATCH`` payees commit
   together, so a crash loses at most an uncommitted batch, which the restart decides again.
2. **Send** each pending payout of the run: the provider is called with the payout's own
   idempotency key (derived from the run, the payee and the currency; ``IN_FLIGHT`` calls at
   once), then the payout is marked sent (a chunk per commit). A crash between the two leaves
   it pending; the restart calls again with the same key and the provider answers the transfer
   it already made. A provider that does not answer leaves it pending for the next attempt;
   one that refuses the transfer gives the payout back.
3. The run is finished when nothing of it is pending.

``due`` is what the worker's periodic job calls: the month's run from the configured day of the
month (``payout_day_of_month``) until it has finished, and whatever earlier runs left pending.

Two runs of the same period at once (two workers) cannot pay twice either: a payout's id is
unique, and the second to record it records nothing and posts nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

import structlog

from devforge.application.billing.extension_sellers import ExtensionSellers
from devforge.application.billing.invoice_ports import LedgerRepository
from devforge.application.billing.payment_gateway import PaymentProviderUnavailable
from devforge.application.billing.payout_ports import PayeeAccounts, PayeeTaxStatus
from devforge.application.billing.payout_returns import give_back
from devforge.application.billing.payout_run_ports import (
    PayeeBalance,
    PayeeBalances,
    PayoutHolds,
    PayoutPolicy,
    PayoutRepository,
    PayoutTransfers,
    ProviderTransfer,
    TransferRefused,
    TransferRequest,
)
from devforge.application.billing.ports import ProductReader
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.payout import (
    Pay,
    PayeeStanding,
    Payout,
    SkippedPayout,
    check_run_id,
    decide,
    run_id_for,
)

log = structlog.get_logger(__name__)
BATCH = 200  # payees decided per commit
IN_FLIGHT = 8  # transfers asked of the provider at once
CHUNK = 64  # transfers marked sent per commit


@dataclass(frozen=True, slots=True)
class PayoutRunReport:
    run_id: str
    paid: int  # payouts recorded by this call
    skipped: int
    sent: int  # transfers confirmed by this call
    still_pending: int  # the provider did not answer: tried again later
    returned: int  # refused by the provider

    @property
    def finished(self) -> bool:
        return self.still_pending == 0


@dataclass(slots=True)
class _Counts:
    paid: int = 0
    skipped: int = 0


class RunPayouts:
    def __init__(
        self,
        uow: UnitOfWork,
        balances: PayeeBalances,
        payouts: PayoutRepository,
        holds: PayoutHolds,
        accounts: PayeeAccounts,
        tax: PayeeTaxStatus,
        ledger: LedgerRepository,
        transfers: PayoutTransfers,
        outbox: Outbox,
        sellers: ExtensionSellers,
        clock: Clock,
        policy: PayoutPolicy,
        products: ProductReader,
    ) -> None:
        self._uow, self._balances, self._payouts, self._holds = uow, balances, payouts, holds
        self._accounts, self._tax, self._ledger, self._transfers = accounts, tax, ledger, transfers
        self._outbox, self._sellers, self._clock, self._policy = outbox, sellers, clock, policy
        self._products = products

    async def __call__(self, run_id: str) -> PayoutRunReport:
        run_id = check_run_id(run_id)
        now = self._clock.now()
        run = await self._payouts.start_run(run_id, now)
        await self._uow.commit()
        counts = _Counts()
        if run.finished_at is None:
            await self._decide_all(run_id, counts)
        sent, pending, returned = await self._send(run_id)
        if pending == 0 and run.finished_at is None:
            await self._payouts.finish_run(run_id, self._clock.now())
            await self._uow.commit()
        report = PayoutRunReport(run_id, counts.paid, counts.skipped, sent, pending, returned)
        log.info("payout_run", **{k: getattr(report, k) for k in PayoutRunReport.__slots__})
        return report

    async def due(self) -> list[PayoutRunReport]:
        """The scheduler's call: from the configured day of the month, this month's run until it
        has finished; and, any day, the sending of whatever an earlier run left pending."""
        now = self._clock.now()
        current = run_id_for(now.date())
        earlier = sorted({payout.run_id for payout in await self._payouts.pending()} - {current})
        run = await self._payouts.run(current)
        await self._uow.rollback()
        reports = [await self(run_id) for run_id in earlier]
        if now.day >= self._policy.day_of_month and (run is None or run.finished_at is None):
            reports.append(await self(current))
        return reports

    async def _decide_all(self, run_id: str, counts: _Counts) -> None:
        decided = await self._payouts.decided(run_id)
        held = await self._holds.held()
        balances = await self._balances.all(now=self._clock.now(), hold=await self._hold())
        await self._uow.rollback()
        todo = [b for b in balances if (b.publisher_id, b.currency.code) not in decided]
        for start in range(0, len(todo), BATCH):
            for payee in todo[start : start + BATCH]:
                await self._decide(run_id, payee, payee.publisher_id in held, counts)
            await self._uow.commit()

    async def _hold(self) -> timedelta:
        """``payout_hold_days``, or the longest refund window of the catalog's products if longer:
        no sale is paid out while its buyer may still be refunded (the longest window holds every
        sale: conservative, where a per-sale hold would need each sale's product)."""
        windows = [product.refund_window_days for product in await self._products.active_products()]
        return max(self._policy.hold, timedelta(days=max(windows, default=0)))

    async def _decide(self, run_id: str, payee: PayeeBalance, held: bool, counts: _Counts) -> None:
        standing = await self._standing(payee.publisher_id, held)
        decision = decide(payee.balance, standing, self._policy.minimum(payee.currency))
        now = self._clock.now()
        if decision is None:
            return
        if isinstance(decision, Pay):
            assert standing.account_id is not None
            payout = Payout.record(run_id, payee.publisher_id, decision, standing.account_id, now)
            if await self._payouts.add(payout):
                posting = ledger_postings.payout(
                    payout.id, payout.publisher_id, payout.amount, now, withheld=payout.withheld
                )
                await self._ledger.post(posting)
                counts.paid += 1
            return
        skipped = SkippedPayout(run_id, payee.publisher_id, decision.reason, payee.balance.available, now)
        if await self._payouts.add_skip(skipped):
            counts.skipped += 1

    async def _standing(self, publisher_id: UUID, held: bool) -> PayeeStanding:
        account = await self._accounts.account(publisher_id)
        tax = await self._tax.status(publisher_id)
        enabled = account.provider_account_id if account is not None and account.payouts_enabled else None
        return PayeeStanding(held, enabled, tax.has_profile, tax.withholding_basis_points)

    async def _send(self, run_id: str) -> tuple[int, int, int]:
        """``IN_FLIGHT`` provider calls at once (a provider answers in tenths of a second); the
        answers of each chunk are marked sent in one commit, so a crash re-sends at most a chunk,
        with the same keys."""
        sent = pending = returned = 0
        waiting = await self._payouts.pending(run_id)
        await self._uow.rollback()
        limit = asyncio.Semaphore(IN_FLIGHT)
        for start in range(0, len(waiting), CHUNK):
            chunk = waiting[start : start + CHUNK]
            answers = await asyncio.gather(*(self._transfer(payout, limit) for payout in chunk))
            refused = []
            for payout, answer in zip(chunk, answers, strict=True):
                if answer is None:  # withheld in full: nothing to transfer
                    sent += await self._payouts.mark_sent(payout.id, None, self._clock.now())
                elif isinstance(answer, ProviderTransfer):
                    sent += await self._payouts.mark_sent(payout.id, answer.id, self._clock.now())
                elif isinstance(answer, TransferRefused):
                    log.warning("payout_transfer_refused", payout=payout.id, reason=str(answer))
                    refused.append(payout.id)
                else:
                    pending += 1
            await self._uow.commit()
            for payout_id in refused:
                returned += await self._give_back(payout_id)
        return sent, pending, returned

    async def _transfer(
        self, payout: Payout, limit: asyncio.Semaphore
    ) -> ProviderTransfer | TransferRefused | PaymentProviderUnavailable | None:
        if payout.amount.is_zero:
            return None
        request = TransferRequest(
            idempotency_key=payout.idempotency_key,
            destination=payout.account_id,
            amount=payout.amount,
            transfer_group=payout.transfer_group,
            description=f"Dev Forge payout {payout.id}",
        )
        async with limit:
            try:
                return await self._transfers.create(request)
            except (PaymentProviderUnavailable, TransferRefused) as outcome:
                return outcome

    async def _give_back(self, payout_id: str) -> int:
        payout = await self._payouts.get(payout_id, for_update=True)
        if payout is None:
            return 0
        changed = await give_back(
            payout,
            "transfer_refused",
            self._clock.now(),
            payouts=self._payouts,
            ledger=self._ledger,
            outbox=self._outbox,
            sellers=self._sellers,
        )
        await self._uow.commit()
        return int(changed)
