"""The ``PaymentGateway`` contract, on every adapter: memory, the sandbox (on a memory store,
SQLite and PostgreSQL) and Stripe (the SDK against a local fake of its API on a real socket)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.adapters.payments.memory_sandbox_store import InMemorySandboxStore
from devforge.adapters.payments.sandbox_payment_gateway import SandboxPaymentGateway
from devforge.adapters.payments.sqla_sandbox_store import SqlaSandboxStore
from devforge.adapters.payments.stripe_payment_gateway import StripePaymentGateway, make_stripe_client
from devforge.adapters.persistence.engine import make_engine, make_sessionmaker
from devforge.adapters.persistence.loop_writes import LoopWrites
from devforge.adapters.persistence.read_path import ReadPath
from devforge.application.billing.payment_gateway import (
    CheckoutLine,
    CheckoutRequest,
    PaymentGateway,
    PaymentProviderUnavailable,
    RefundRequest,
)
from tests.fakes.stripe_server import FakeStripe, running_stripe
from tests.integration.backends import postgres_database, sqlite_database

# stripe-python posts its form body with httpx's ``data=`` (bytes), which httpx deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")

ADAPTERS = ("memory", "sandbox-memory", "sandbox-sqlite", "sandbox-postgres", "stripe")
REAL = ("sandbox-memory", "sandbox-sqlite", "sandbox-postgres", "stripe")


@dataclass
class Provider:
    """A gateway plus the provider-side hooks a test needs: the buyer pays; the bank opens a
    dispute (its id) and closes it; the provider goes away."""

    gateway: PaymentGateway
    pay: Callable[[str], Awaitable[None]]
    go_away: Callable[[], Awaitable[None]]
    dispute: Callable[[str], Awaitable[str]]
    close_dispute: Callable[[str, str, bool], Awaitable[None]]
    stripe: FakeStripe | None = None


@pytest.fixture(scope="module")
def stripe_fake() -> Iterator[FakeStripe]:
    with running_stripe() as fake:
        yield fake


def _database(manager: AbstractAsyncContextManager[str]) -> Iterator[str]:
    """A migrated database kept for the whole module (every test uses its own orders and keys),
    made and dropped on its own event loop."""
    with asyncio.Runner() as runner:
        url = runner.run(manager.__aenter__())
        try:
            yield url
        finally:
            runner.run(manager.__aexit__(None, None, None))


@pytest.fixture(scope="module")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _database(sqlite_database(tmp_path_factory.mktemp("sandbox")))


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    yield from _database(postgres_database())


@pytest.fixture
def sandbox_url(request: pytest.FixtureRequest) -> str | None:
    kind = request.node.callspec.params.get("provider")
    if kind in ("sandbox-sqlite", "sandbox-postgres"):
        return str(request.getfixturevalue("postgres_url" if kind == "sandbox-postgres" else "sqlite_url"))
    return None


@pytest.fixture(params=ADAPTERS)
async def provider(request: pytest.FixtureRequest, sandbox_url: str | None, tmp_path: Path) -> AsyncIterator[Provider]:
    async with AsyncExitStack() as stack:
        yield await _provider(request, request.param, sandbox_url, stack, tmp_path)


async def _provider(
    request: pytest.FixtureRequest, kind: str, url: str | None, stack: AsyncExitStack, tmp_path: Path
) -> Provider:
    if kind == "memory":
        memory = InMemoryPaymentGateway()

        async def pay_memory(session_id: str) -> None:
            memory.complete_checkout(session_id)

        async def memory_away() -> None:
            memory.time_out_next = 99

        async def memory_dispute(payment_id: str) -> str:
            return memory.open_dispute(payment_id).object_id

        async def memory_close(payment_id: str, dispute_id: str, lost: bool) -> None:
            memory.close_dispute(payment_id, lost=lost)

        return Provider(memory, pay_memory, memory_away, memory_dispute, memory_close)
    if kind == "stripe":
        fake: FakeStripe = request.getfixturevalue("stripe_fake")
        gateway = StripePaymentGateway(
            make_stripe_client(fake.api_key, fake.base_url, timeout=timedelta(milliseconds=500), retries=0)
        )

        async def pay_stripe(session_id: str) -> None:
            fake.complete(session_id)

        async def stripe_away() -> None:
            fake.delay_next = [1.0] * 5

        async def stripe_dispute(payment_id: str) -> str:
            return str(fake.dispute(payment_id)["data"]["object"]["id"])

        async def stripe_close(payment_id: str, dispute_id: str, lost: bool) -> None:
            fake.close_dispute(dispute_id, lost=lost)

        fake.delay_next = []
        return Provider(gateway, pay_stripe, stripe_away, stripe_dispute, stripe_close, fake)
    if kind == "sandbox-memory":
        store = InMemorySandboxStore()
        sandbox = SandboxPaymentGateway(store, "http://shop.test")

        async def memory_store_away() -> None:
            store.unavailable = True

        return Provider(sandbox, _pay_sandbox(sandbox), memory_store_away, *_sandbox_bank(sandbox))
    assert url is not None
    engine = make_engine(url)
    stack.push_async_callback(engine.dispose)
    writes = LoopWrites(engine)
    stack.callback(writes.close)
    holder = {"store": SqlaSandboxStore(make_sessionmaker(engine), ReadPath(engine), writes)}
    sandbox = SandboxPaymentGateway(_Delegating(holder), "http://shop.test")  # type: ignore[arg-type]

    async def database_away() -> None:
        broken = (
            "postgresql+asyncpg://nobody@127.0.0.1:1/nothing"
            if kind == "sandbox-postgres"
            else f"sqlite+aiosqlite:///{tmp_path / 'not-migrated.db'}"  # its tables are missing
        )
        dead = create_async_engine(broken)
        stack.push_async_callback(dead.dispose)
        holder["store"] = SqlaSandboxStore(make_sessionmaker(dead), ReadPath(dead), LoopWrites(dead))

    return Provider(sandbox, _pay_sandbox(sandbox), database_away, *_sandbox_bank(sandbox))


def _sandbox_bank(
    sandbox: SandboxPaymentGateway,
) -> tuple[Callable[[str], Awaitable[str]], Callable[[str, str, bool], Awaitable[None]]]:
    async def open_dispute(payment_id: str) -> str:
        return await sandbox.dispute(payment_id)

    async def close(payment_id: str, dispute_id: str, lost: bool) -> None:
        await sandbox.close_dispute(dispute_id, lost=lost)

    return open_dispute, close


class _Delegating:
    """Lets a test swap the sandbox's store for one whose database is gone."""

    def __init__(self, holder: dict[str, SqlaSandboxStore]) -> None:
        self._holder = holder

    def __getattr__(self, name: str) -> object:
        return getattr(self._holder["store"], name)


def _pay_sandbox(sandbox: SandboxPaymentGateway) -> Callable[[str], Awaitable[None]]:
    async def pay(session_id: str) -> None:
        await sandbox.pay(session_id)

    return pay


def checkout(order_id: UUID | None = None, *, key: str | None = None, recurring: str | None = None) -> CheckoutRequest:
    order_id = order_id or uuid4()
    return CheckoutRequest(
        order_id=order_id,
        currency="EUR",
        lines=(CheckoutLine("Dev Forge Pro", unit_amount=1000, quantity=2, tax_amount=380, recurring=recurring),),
        customer_email="buyer@example.com",
        customer_ref=None,
        success_url="https://shop.test/paid",
        cancel_url="https://shop.test/cancelled",
        idempotency_key=key or f"checkout-{order_id}",
    )


def a_while_ago() -> datetime:
    return datetime.now(UTC) - timedelta(seconds=5)


async def paid_payment_id(provider: Provider, request: CheckoutRequest) -> str:
    session = await provider.gateway.create_checkout(request)
    await provider.pay(session.session_id)
    events = await provider.gateway.events_since(a_while_ago())
    payment = next(e for e in events if e.type == "payment.succeeded" and e.order_id == request.order_id)
    assert payment.payment_id is not None
    return payment.payment_id


async def test_the_same_idempotency_key_answers_the_same_session(provider: Provider) -> None:
    request = checkout()
    first = await provider.gateway.create_checkout(request)
    again = await provider.gateway.create_checkout(request)
    other = await provider.gateway.create_checkout(checkout(key=f"other-{uuid4()}"))
    assert again == first
    assert other.session_id != first.session_id
    assert first.redirect_url.startswith("http")


async def test_find_checkout_finds_the_session_made_for_an_order(provider: Provider) -> None:
    request = checkout()
    assert await provider.gateway.find_checkout(request.order_id) is None
    session = await provider.gateway.create_checkout(request)
    found = await provider.gateway.find_checkout(request.order_id)
    assert found is not None and found.session_id == session.session_id and found.provider == session.provider


async def test_paying_produces_completed_and_succeeded_events_with_the_order_and_total(provider: Provider) -> None:
    since = a_while_ago()
    request = checkout()
    session = await provider.gateway.create_checkout(request)
    await provider.pay(session.session_id)
    events = [e for e in await provider.gateway.events_since(since) if e.order_id == request.order_id]
    assert [e.type for e in events] == ["checkout.completed", "payment.succeeded"]
    completed, succeeded = events
    assert (completed.object_id, completed.amount, completed.currency) == (session.session_id, 2380, "EUR")
    assert succeeded.payment_id is not None and (succeeded.amount, succeeded.currency) == (2380, "EUR")
    assert completed.created <= succeeded.created
    assert await provider.gateway.events_since(datetime.now(UTC) + timedelta(minutes=1)) == []


async def test_a_refund_with_the_same_key_is_made_once(provider: Provider) -> None:
    payment_id = await paid_payment_id(provider, checkout())
    refund = RefundRequest(payment_id, amount=1000, currency="EUR", idempotency_key=f"refund-{uuid4()}", reason="asked")
    first = await provider.gateway.refund(refund)
    again = await provider.gateway.refund(refund)
    assert first.status == "succeeded" and again == first


@pytest.mark.parametrize("provider", REAL, indirect=True)
async def test_a_refund_beyond_what_is_left_fails_and_a_refund_is_announced(provider: Provider) -> None:
    since = a_while_ago()
    request = checkout()
    payment_id = await paid_payment_id(provider, request)
    part = await provider.gateway.refund(RefundRequest(payment_id, 2000, "EUR", f"r-{uuid4()}", "partial"))
    too_much = await provider.gateway.refund(RefundRequest(payment_id, 381, "EUR", f"r-{uuid4()}", "too much"))
    rest = await provider.gateway.refund(RefundRequest(payment_id, 380, "EUR", f"r-{uuid4()}", "the rest"))
    assert (part.status, too_much.status, rest.status) == ("succeeded", "failed", "succeeded")
    refunds = [e for e in await provider.gateway.events_since(since) if e.type == "charge.refunded"]
    assert [(e.payment_id, e.amount) for e in refunds if e.payment_id == payment_id] == [
        (payment_id, 2000),
        (payment_id, 2380),
    ]


@pytest.mark.parametrize("provider", REAL, indirect=True)
async def test_a_subscription_checkout_announces_the_invoice_and_the_period(provider: Provider) -> None:
    since = a_while_ago()
    request = checkout(recurring="month")
    session = await provider.gateway.create_checkout(request)
    await provider.pay(session.session_id)
    events = {e.type: e for e in await provider.gateway.events_since(since) if e.order_id == request.order_id}
    assert {"checkout.completed", "invoice.paid", "subscription.updated"} <= set(events)
    subscription_id = events["checkout.completed"].subscription_id
    assert subscription_id and events["invoice.paid"].subscription_id == subscription_id
    period_end = events["subscription.updated"].period_end
    assert period_end is not None and period_end > datetime.now(UTC) + timedelta(days=27)
    assert events["invoice.paid"].amount == 2380


async def test_an_unreachable_provider_is_unavailable_not_an_error(provider: Provider) -> None:
    request = checkout()
    await provider.go_away()
    with pytest.raises(PaymentProviderUnavailable):
        await provider.gateway.create_checkout(request)
    with pytest.raises(PaymentProviderUnavailable):
        await provider.gateway.refund(RefundRequest("pi_x", 100, "EUR", f"r-{uuid4()}", "x"))
    with pytest.raises(PaymentProviderUnavailable):
        await provider.gateway.find_checkout(request.order_id)
    with pytest.raises(PaymentProviderUnavailable):
        await provider.gateway.events_since(a_while_ago())


@pytest.mark.parametrize("provider", ["memory", "stripe"], indirect=True)
async def test_a_checkout_that_timed_out_but_landed_is_found_by_the_reconciler(provider: Provider) -> None:
    request = checkout()
    gateway = provider.gateway
    if isinstance(gateway, InMemoryPaymentGateway):
        gateway.time_out_next, gateway.land_on_timeout = 1, True
    else:
        assert provider.stripe is not None
        provider.stripe.delay_next = [1.0]  # it answers late: the client gives up, the session exists
    with pytest.raises(PaymentProviderUnavailable):
        await gateway.create_checkout(request)
    if not isinstance(gateway, InMemoryPaymentGateway):
        await asyncio.sleep(1.2)
    found = await gateway.find_checkout(request.order_id)
    assert found is not None
    assert await gateway.create_checkout(request) == found  # the retry with the same key lands on it


async def test_concurrent_calls_with_one_key_make_one_session(provider: Provider) -> None:
    request = checkout()
    sessions = await asyncio.gather(*(provider.gateway.create_checkout(request) for _ in range(5)))
    assert len({session.session_id for session in sessions}) == 1


@pytest.mark.parametrize("provider", REAL, indirect=True)
async def test_concurrent_refunds_never_return_more_than_was_paid(provider: Provider) -> None:
    payment_id = await paid_payment_id(provider, checkout())
    refunds = [RefundRequest(payment_id, 2380, "EUR", f"r-{uuid4()}", "race") for _ in range(4)]
    outcomes = await asyncio.gather(*(provider.gateway.refund(r) for r in refunds), return_exceptions=True)
    succeeded = [o for o in outcomes if not isinstance(o, BaseException) and o.status == "succeeded"]
    assert len(succeeded) == 1
    assert all(isinstance(o, PaymentProviderUnavailable) or o.status in ("succeeded", "failed") for o in outcomes)


async def test_a_payment_reads_back_as_it_stands_now_by_its_id_or_its_charge(provider: Provider) -> None:
    since = a_while_ago()
    request = checkout()
    payment_id = await paid_payment_id(provider, request)
    paid = await provider.gateway.payment(payment_id)
    assert paid is not None and (paid.status, paid.amount, paid.currency, paid.refunded) == (
        "succeeded",
        2380,
        "EUR",
        0,
    )
    assert (paid.order_id, paid.payment_id, paid.disputes, paid.invoice_id) == (request.order_id, payment_id, (), None)
    await provider.gateway.refund(RefundRequest(payment_id, 1000, "EUR", f"r-{uuid4()}", "partial"))
    events = await provider.gateway.events_since(since)
    [refunded] = [e for e in events if e.type == "charge.refunded" and e.payment_id == payment_id]
    assert refunded.charge_id is not None and refunded.payment_id == payment_id
    by_charge = await provider.gateway.payment(refunded.charge_id)
    assert by_charge is not None and (by_charge.payment_id, by_charge.refunded) == (payment_id, 1000)
    assert await provider.gateway.payment("pi_nobody_knows") is None


async def test_a_dispute_names_only_its_payment_and_reads_back_through_it(provider: Provider) -> None:
    since = a_while_ago()
    payment_id = await paid_payment_id(provider, checkout())
    dispute_id = await provider.dispute(payment_id)
    events = await provider.gateway.events_since(since)
    [opened] = [e for e in events if e.type == "dispute.opened" and e.payment_id == payment_id]
    assert (opened.order_id, opened.payment_id, opened.object_id) == (None, payment_id, dispute_id)
    payment = await provider.gateway.payment(payment_id)
    assert payment is not None and [(d.dispute_id, d.status, d.amount, d.currency) for d in payment.disputes] == [
        (dispute_id, "open", 2380, "EUR")
    ]
    await provider.close_dispute(payment_id, dispute_id, True)
    events = await provider.gateway.events_since(since)
    closed = [e for e in events if e.type == "dispute.closed" and e.payment_id == payment_id]
    assert [(e.outcome, e.order_id) for e in closed] == [("lost", None)]
    payment = await provider.gateway.payment(payment_id)
    assert payment is not None and [d.status for d in payment.disputes] == ["lost"]


async def test_a_subscription_its_first_invoice_and_its_payment_read_back_and_it_cancels_once(
    provider: Provider,
) -> None:
    since = a_while_ago()
    request = checkout(recurring="month")
    session = await provider.gateway.create_checkout(request)
    await provider.pay(session.session_id)
    events = [e for e in await provider.gateway.events_since(since) if e.type == "checkout.completed"]
    [completed] = [e for e in events if e.order_id == request.order_id]
    assert completed.subscription_id and completed.invoice_id and completed.payment_id is None
    invoice = await provider.gateway.invoice(completed.invoice_id)
    assert invoice is not None and (invoice.first, invoice.status, invoice.amount, invoice.currency) == (
        True,
        "paid",
        2380,
        "EUR",
    )
    assert (invoice.subscription_id, invoice.order_id) == (completed.subscription_id, request.order_id)
    assert invoice.payment_id is not None and invoice.period_end is not None
    payment = await provider.gateway.payment(invoice.payment_id)
    assert payment is not None and (payment.order_id, payment.invoice_id, payment.subscription_id) == (
        request.order_id,
        invoice.invoice_id,
        completed.subscription_id,
    )
    subscription = await provider.gateway.subscription(completed.subscription_id)
    assert subscription is not None and (subscription.status, subscription.order_id) == ("active", request.order_id)
    assert subscription.current_period_end == invoice.period_end
    await provider.gateway.cancel_subscription(completed.subscription_id, f"cancel-{uuid4()}")
    await provider.gateway.cancel_subscription(completed.subscription_id, f"cancel-{uuid4()}")  # already ended
    ended = await provider.gateway.subscription(completed.subscription_id)
    assert ended is not None and ended.ended
    events = await provider.gateway.events_since(since)
    deleted = [e for e in events if e.type == "subscription.deleted" and e.subscription_id == completed.subscription_id]
    assert len(deleted) == 1
    assert await provider.gateway.subscription("sub_nobody_knows") is None
    assert await provider.gateway.invoice("in_nobody_knows") is None


async def test_a_paid_payment_has_a_balance_transaction_with_the_fee_the_provider_took(provider: Provider) -> None:
    since = a_while_ago()
    request = checkout()
    payment_id = await paid_payment_id(provider, request)
    found = await provider.gateway.balance_transaction(payment_id)
    assert found is not None
    assert (found.type, found.amount, found.currency, found.payment_id) == ("charge", 2380, "EUR", payment_id)
    assert 0 < found.fee < found.amount and found.net == found.amount - found.fee
    assert sum(amount for _, amount in found.fee_details) == found.fee
    [succeeded] = [
        e
        for e in await provider.gateway.events_since(since)
        if e.type == "payment.succeeded" and e.payment_id == payment_id
    ]
    if succeeded.charge_id is not None:
        assert await provider.gateway.balance_transaction(succeeded.charge_id) == found
    assert await provider.gateway.balance_transaction("pi_nobody_knows") is None


async def test_the_balance_transactions_of_a_period_are_its_charges_and_refunds(provider: Provider) -> None:
    since = a_while_ago()
    payment_id = await paid_payment_id(provider, checkout())
    await provider.gateway.refund(RefundRequest(payment_id, 1000, "EUR", f"r-{uuid4()}", "partial"))
    until = datetime.now(UTC) + timedelta(minutes=1)
    listed = [t for t in await provider.gateway.balance_transactions(since, until) if t.payment_id == payment_id]
    assert sorted((t.type, t.amount, t.currency) for t in listed) == [("charge", 2380, "EUR"), ("refund", -1000, "EUR")]
    assert next(t for t in listed if t.type == "refund").fee == 0
    assert [t.created for t in listed] == sorted(t.created for t in listed)
    assert await provider.gateway.balance_transactions(until, until + timedelta(hours=1)) == []
