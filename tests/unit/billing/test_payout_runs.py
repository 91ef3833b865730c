"""A payout run on the memory adapters: who is paid, who is skipped and why, withholding, and a
run interrupted at any point and run again paying each payee once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.payouts import InMemoryPayoutHolds
from devforge.application.billing.payout_run_ports import ProviderTransfer, TransferRequest
from devforge.domain.billing import ledger_postings
from devforge.domain.billing.ledger import CLEARING, TAX_WITHHELD, LedgerTransaction
from devforge.domain.billing.money import Money
from devforge.domain.billing.payout import PayoutHoldChange, PayoutPeriodMalformed, PayoutStatus, SkipReason
from devforge.domain.billing.tax import TaxedAmount
from tests.unit.billing.payout_world import EUR, USD, PayoutWorld


async def test_a_payee_over_the_minimum_is_paid_its_available_balance_once_with_a_key_from_the_run() -> None:
    world = PayoutWorld()
    publisher = world.publisher()
    world.sell(publisher, 30_000)
    world.sell(publisher, 5_000, days_ago=3)  # still pending: not paid by this run

    report = await world.run("2026-10")

    assert (report.paid, report.sent, report.finished) == (1, 1, True)
    [transfer] = world.transfers.transfers.values()
    assert transfer.amount == Money(30_000, USD)
    [request] = world.transfers.calls
    assert request.idempotency_key == f"payout-2026-10:{publisher}:USD"
    assert request.transfer_group == "payout-run-2026-10"
    assert world.balance(publisher).available == Money.zero(USD)
    assert world.balance(publisher).pending == Money(5_000, USD)
    [payout] = await world.reader().payouts(publisher, limit=10)
    assert (payout.status, payout.transfer_id) == (PayoutStatus.SENT, transfer.id)

    again = await world.run("2026-10")  # the same period again: nothing new
    assert (again.paid, again.sent) == (0, 0) and len(world.transfers.calls) == 1


async def test_each_reason_to_skip_is_recorded_for_the_developer() -> None:
    world = PayoutWorld()
    below = world.publisher()
    world.sell(below, 9_999)
    no_account = world.publisher(enabled=False)
    world.sell(no_account, 20_000)
    restricted = world.publisher()
    world.accounts.restrict(restricted)
    world.sell(restricted, 20_000)
    no_tax = world.publisher(tax_form=False)
    world.sell(no_tax, 20_000)
    negative = world.publisher()
    world.post(_refund_after_payout(negative))
    disputed = world.publisher()
    order = world.sell(disputed, 20_000)
    world.post(_dispute_opened(order))
    held = world.publisher()
    world.sell(held, 20_000)
    await _hold(world, held)
    only_pending = world.publisher()
    world.sell(only_pending, 50_000, days_ago=1)

    report = await world.run()

    assert (report.paid, report.skipped) == (0, 8)
    reasons = {}
    for publisher in (below, no_account, restricted, no_tax, negative, disputed, held, only_pending):
        [skip] = await world.reader().skipped(publisher, limit=5)
        reasons[publisher] = skip.reason
    assert reasons == {
        below: SkipReason.BELOW_MINIMUM,
        no_account: SkipReason.ACCOUNT_NOT_ENABLED,
        restricted: SkipReason.ACCOUNT_NOT_ENABLED,
        no_tax: SkipReason.TAX_FORM_MISSING,
        negative: SkipReason.NEGATIVE_BALANCE,
        disputed: SkipReason.DISPUTED,
        held: SkipReason.HELD,
        only_pending: SkipReason.BELOW_MINIMUM,
    }
    assert world.transfers.calls == []


async def test_withholding_is_floored_and_goes_to_tax_withheld_the_rest_is_transferred() -> None:
    world = PayoutWorld()
    publisher = world.publisher(withholding_bp=2_400)
    world.sell(publisher, 12_345)

    await world.run()

    # floor(12345 * 2400 / 10000) = floor(2962.8) = 2962 withheld; 9383 transferred
    [transfer] = world.transfers.transfers.values()
    assert transfer.amount == Money(9_383, USD)
    assert world.account(TAX_WITHHELD) == -2_962
    assert world.balance(publisher).total == Money.zero(USD)


async def test_one_payout_per_currency() -> None:
    world = PayoutWorld()
    publisher = world.publisher()
    world.sell(publisher, 20_000, USD)
    world.sell(publisher, 6_000, EUR)

    report = await world.run()

    assert report.paid == 2
    assert sorted(t.amount.currency.code for t in world.transfers.transfers.values()) == ["EUR", "USD"]


@pytest.mark.parametrize("made_anyway", [False, True])
async def test_a_provider_that_does_not_answer_leaves_the_payout_pending_and_the_next_attempt_pays_once(
    made_anyway: bool,
) -> None:
    world = PayoutWorld()
    publisher = world.publisher()
    world.sell(publisher, 20_000)
    world.transfers.unavailable, world.transfers.made_anyway = 1, made_anyway

    first = await world.run()
    assert (first.paid, first.sent, first.still_pending, first.finished) == (1, 0, 1, False)
    assert world.balance(publisher).total == Money.zero(USD)  # posted with the pending payout

    second = await world.run()
    assert (second.paid, second.sent, second.finished) == (0, 1, True)
    assert len(world.transfers.transfers) == 1
    assert len({call.idempotency_key for call in world.transfers.calls}) == 1


async def test_a_crash_after_recording_before_calling_the_provider_is_resumed_with_the_same_key() -> None:
    world = PayoutWorld()
    payees = [world.publisher() for _ in range(5)]
    for payee in payees:
        world.sell(payee, 20_000)

    class Crash(Exception):
        pass

    class CrashingAfter:
        def __init__(self, calls: int) -> None:
            self.calls = calls

        async def create(self, request: TransferRequest) -> ProviderTransfer:
            if self.calls == 0:
                raise Crash
            self.calls -= 1
            return await world.transfers.create(request)

        async def get(self, transfer_id: str) -> ProviderTransfer | None:
            return await world.transfers.get(transfer_id)

        async def reverse(self, transfer_id: str, idempotency_key: str) -> ProviderTransfer:
            return await world.transfers.reverse(transfer_id, idempotency_key)

    with pytest.raises(Crash):
        await world.run_payouts(CrashingAfter(2))("2026-10")
    assert len(world.transfers.transfers) == 2

    report = await world.run()

    # the crash lost the chunk's marks: all five are sent again, the two made answered by their keys
    assert report.finished and report.paid == 0 and report.sent == 5
    assert len(world.transfers.transfers) == 5
    for payee in payees:
        assert [t.amount for t in world.transfers.paid_to(world.accounts.accounts[payee].provider_account_id)] == [
            Money(20_000, USD)
        ]
        assert world.balance(payee).total == Money.zero(USD)


async def test_a_refused_transfer_gives_the_payout_back_and_tells_the_owner() -> None:
    world = PayoutWorld()
    publisher = world.publisher(withholding_bp=1_000)
    world.sell(publisher, 20_000)
    world.transfers.refuse.add(world.accounts.accounts[publisher].provider_account_id)

    report = await world.run()

    assert (report.returned, report.finished) == (1, True)
    assert world.balance(publisher).available == Money(20_000, USD)
    assert world.account(CLEARING) == 40_000 and world.account(TAX_WITHHELD) == 0
    [payout] = await world.reader().payouts(publisher, limit=1)
    assert (payout.status, payout.return_reason) == (PayoutStatus.RETURNED, "transfer_refused")
    assert world.outbox_names() == ["billing.payout_returned"]


async def test_a_period_that_is_not_a_month_is_refused_naming_the_field() -> None:
    with pytest.raises(PayoutPeriodMalformed) as refused:
        await PayoutWorld().run("2026-13")
    assert refused.value.field == "period"


async def test_a_later_run_pays_what_matured_since() -> None:
    world = PayoutWorld()
    publisher = world.publisher()
    world.sell(publisher, 20_000)
    world.sell(publisher, 15_000, days_ago=10)
    await world.run("2026-10")
    world.clock.advance(timedelta(days=31))

    report = await world.run("2026-11")

    assert report.paid == 1
    assert sorted(t.amount.amount_minor for t in world.transfers.transfers.values()) == [15_000, 20_000]


def _refund_after_payout(publisher: UUID) -> LedgerTransaction:
    """A refund giving back 1,500 of a share already paid out: the balance is -1,500."""
    taken = TaxedAmount.of(Money(3_000, USD), Money.zero(USD))
    return ledger_postings.refund(uuid4(), taken, datetime(2026, 9, 1, tzinfo=UTC), {publisher: Money(1_500, USD)})


def _dispute_opened(order: UUID) -> LedgerTransaction:
    return ledger_postings.dispute_opened(str(order), Money(40_000, USD), datetime(2026, 9, 20, tzinfo=UTC))


async def _hold(world: PayoutWorld, publisher: UUID) -> None:
    change = PayoutHoldChange(publisher, True, "fraud review", uuid4(), world.clock.now())
    await InMemoryPayoutHolds(world.store).change(change)


async def test_a_product_whose_refund_window_is_longer_than_the_hold_holds_the_sales_that_long() -> None:
    world = PayoutWorld()  # the hold is 30 days
    publisher = world.publisher()
    world.sell(publisher, 20_000, days_ago=40)
    world.product_with_refund_window(60)

    held = await world.run("2026-10")
    world.clock.advance(timedelta(days=21))
    paid = await world.run("2026-11")

    assert (held.paid, held.skipped) == (0, 1)
    [skip] = await world.reader().skipped(publisher, limit=1)
    assert skip.reason is SkipReason.BELOW_MINIMUM and skip.available == Money.zero(USD)
    assert paid.paid == 1


async def test_a_payout_withheld_in_full_transfers_nothing_and_is_sent() -> None:
    world = PayoutWorld()
    publisher = world.publisher(withholding_bp=10_000)
    world.sell(publisher, 20_000)

    report = await world.run()

    assert (report.paid, report.sent, report.returned, report.finished) == (1, 1, 0, True)
    assert world.transfers.calls == []
    [payout] = await world.reader().payouts(publisher, limit=1)
    assert (payout.status, payout.transfer_id, payout.withheld) == (PayoutStatus.SENT, None, Money(20_000, USD))
    assert world.account(TAX_WITHHELD) == -20_000 and world.balance(publisher).total == Money.zero(USD)
