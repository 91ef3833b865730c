"""One contract for ``PayoutTransfers`` on memory, the embedded sandbox (its SQL store) and
Stripe (the local fake, over HTTP): the same idempotency key answers the same transfer, a
transfer is read back, a reversal takes it back once, a refused destination moves nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from devforge.adapters.memory.payouts import InMemoryPayoutTransfers
from devforge.adapters.payments.sandbox_payout_transfers import SandboxPayoutTransfers
from devforge.adapters.payments.stripe_payout_transfers import StripePayoutTransfers
from devforge.application.billing.payout_run_ports import PayoutTransfers, TransferRefused, TransferRequest
from devforge.domain.billing.money import Money
from tests.fakes.stripe_server import running_stripe
from tests.integration.backends import sqlite_database


@pytest.fixture(params=["memory", "sandbox", "stripe"])
async def transfers(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[PayoutTransfers]:
    if request.param == "memory":
        memory = InMemoryPayoutTransfers()
        memory.refuse.add("acct_refuse_1")
        yield memory
    elif request.param == "sandbox":
        async with sqlite_database(tmp_path) as url:
            engine = create_async_engine(url)
            try:
                yield SandboxPayoutTransfers(async_sessionmaker(engine, expire_on_commit=False))
            finally:
                await engine.dispose()
    else:
        with running_stripe() as fake:
            stripe = StripePayoutTransfers.connect(fake.api_key, fake.base_url)
            try:
                yield stripe
            finally:
                await stripe.aclose()


def request(key: str, destination: str = "acct_1", amount: int = 12_345) -> TransferRequest:
    return TransferRequest(key, destination, Money.of(amount, "USD"), "payout-run-2026-11", f"payout {key}")


async def test_the_same_key_answers_the_same_transfer_and_another_key_a_new_one(transfers: PayoutTransfers) -> None:
    first = await transfers.create(request("payout-2026-11:a:USD"))
    again = await transfers.create(request("payout-2026-11:a:USD"))
    other = await transfers.create(request("payout-2026-11:b:USD", "acct_2", 500))

    assert again == first
    assert (first.destination, first.amount, first.reversed) == ("acct_1", Money.of(12_345, "USD"), False)
    assert other.id != first.id and other.amount == Money.of(500, "USD")
    assert await transfers.get(first.id) == first
    assert await transfers.get("tr_unknown") is None


async def test_a_reversal_takes_the_transfer_back_once(transfers: PayoutTransfers) -> None:
    made = await transfers.create(request("payout-2026-11:c:USD"))

    reversed_once = await transfers.reverse(made.id, "reverse-c")
    reversed_again = await transfers.reverse(made.id, "reverse-c-again")

    assert reversed_once.reversed and reversed_again.reversed
    found = await transfers.get(made.id)
    assert found is not None and found.reversed and found.amount == made.amount


async def test_a_destination_that_cannot_receive_is_refused(transfers: PayoutTransfers) -> None:
    with pytest.raises(TransferRefused):
        await transfers.create(request("payout-2026-11:d:USD", "acct_refuse_1"))
