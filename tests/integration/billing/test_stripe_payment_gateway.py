"""What Stripe's API asks of our adapter, checked against a local fake of it on a real socket:
idempotency keys on every creating call, our order id on every object, inline prices in
Stripe's unit, one Stripe customer per buyer, and outcomes we cannot know mapped to
``PaymentProviderUnavailable``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from devforge.adapters.payments.stripe_events import StripeWebhookVerifier
from devforge.adapters.payments.stripe_payment_gateway import StripePaymentGateway, make_stripe_client
from devforge.application.billing.payment_gateway import (
    CheckoutLine,
    CheckoutRequest,
    PaymentProviderUnavailable,
    RefundRequest,
)
from devforge.domain.billing.errors import AmountNotRepresentable
from tests.fakes.stripe_server import FakeStripe, running_stripe

pytestmark = pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    with running_stripe() as stripe:
        yield stripe


@pytest.fixture
def gateway(fake: FakeStripe) -> StripePaymentGateway:
    return StripePaymentGateway(
        make_stripe_client(fake.api_key, fake.base_url, timeout=timedelta(seconds=2), retries=0)
    )


def checkout(
    currency: str = "EUR",
    *,
    unit: int = 1000,
    tax: int = 380,
    recurring: str | None = None,
    customer: str | None = None,
) -> CheckoutRequest:
    order_id = uuid4()
    return CheckoutRequest(
        order_id=order_id,
        currency=currency,
        lines=(CheckoutLine("Dev Forge Pro", unit_amount=unit, quantity=2, tax_amount=tax, recurring=recurring),),
        customer_email="buyer@example.com",
        customer_ref=customer,
        success_url="https://shop.test/paid",
        cancel_url="https://shop.test/cancelled",
        idempotency_key=f"order-{order_id}",
    )


def posted(fake: FakeStripe, path: str) -> list[dict[str, object]]:
    return [r.params for r in fake.requests if r.method == "POST" and r.path == path]


async def test_every_creating_call_carries_an_idempotency_key_from_our_ids(
    fake: FakeStripe, gateway: StripePaymentGateway
) -> None:
    request = checkout(customer="user-42")
    session = await gateway.create_checkout(request)
    payment_id = next(e for e in fake.complete(session.session_id) if e["type"] == "payment_intent.succeeded")["data"][
        "object"
    ]["id"]
    await gateway.refund(RefundRequest(payment_id, 500, "EUR", "refund-7", "asked"))

    keys = {(r.path, r.idempotency_key) for r in fake.requests if r.method == "POST"}
    assert keys == {
        ("/v1/customers", "customer-user-42"),
        ("/v1/checkout/sessions", request.idempotency_key),
        ("/v1/refunds", "refund-7"),
    }


async def test_a_one_time_checkout_names_the_order_everywhere_and_charges_tax_as_its_own_line(
    fake: FakeStripe, gateway: StripePaymentGateway
) -> None:
    request = checkout()
    await gateway.create_checkout(request)
    (params,) = posted(fake, "/v1/checkout/sessions")
    order = str(request.order_id)
    assert params["mode"] == "payment" and params["client_reference_id"] == order
    assert params["metadata"] == {"order_id": order}
    assert params["payment_intent_data"] == {"metadata": {"order_id": order}}
    assert params["customer_email"] == "buyer@example.com" and params["customer_creation"] == "always"
    assert params["line_items"] == [
        {
            "price_data": {"currency": "eur", "unit_amount": "1000", "product_data": {"name": "Dev Forge Pro"}},
            "quantity": "2",
        },
        {
            "price_data": {"currency": "eur", "unit_amount": "380", "product_data": {"name": "Tax: Dev Forge Pro"}},
            "quantity": "1",
        },
    ]


async def test_a_subscription_checkout_tags_the_subscription_and_recurs_the_tax_too(
    fake: FakeStripe, gateway: StripePaymentGateway
) -> None:
    request = checkout(recurring="year")
    await gateway.create_checkout(request)
    (params,) = posted(fake, "/v1/checkout/sessions")
    assert params["mode"] == "subscription"
    assert params["subscription_data"] == {"metadata": {"order_id": str(request.order_id)}}
    assert [item["price_data"]["recurring"] for item in params["line_items"]] == [{"interval": "year"}] * 2  # type: ignore[index]


async def test_a_buyer_keeps_one_stripe_customer(fake: FakeStripe, gateway: StripePaymentGateway) -> None:
    await gateway.create_checkout(checkout(customer="user-42"))
    await gateway.create_checkout(checkout(customer="user-42"))
    await gateway.create_checkout(checkout(customer="cus_existing"))
    sessions = posted(fake, "/v1/checkout/sessions")
    assert len(posted(fake, "/v1/customers")) == 1
    assert sessions[0]["customer"] == sessions[1]["customer"] == next(iter(fake.customers))
    assert sessions[2]["customer"] == "cus_existing"


@pytest.mark.parametrize(
    ("currency", "unit", "sent"), [("JPY", 1500, "1500"), ("ISK", 5, "500"), ("KWD", 5120, "5120")]
)
async def test_amounts_go_in_stripes_unit(
    fake: FakeStripe, gateway: StripePaymentGateway, currency: str, unit: int, sent: str
) -> None:
    await gateway.create_checkout(checkout(currency, unit=unit, tax=0))
    (params,) = posted(fake, "/v1/checkout/sessions")
    assert params["line_items"][0]["price_data"]["unit_amount"] == sent  # type: ignore[index]


async def test_an_amount_stripe_cannot_take_is_refused_before_calling_it(
    fake: FakeStripe, gateway: StripePaymentGateway
) -> None:
    with pytest.raises(AmountNotRepresentable):
        await gateway.create_checkout(checkout("KWD", unit=5125, tax=0))
    assert fake.requests == []


async def test_a_stripe_server_error_is_an_unknown_outcome(fake: FakeStripe, gateway: StripePaymentGateway) -> None:
    fake.fail_next = 500
    with pytest.raises(PaymentProviderUnavailable):
        await gateway.create_checkout(checkout())


async def test_a_refund_stripe_refuses_fails(gateway: StripePaymentGateway) -> None:
    refund = await gateway.refund(RefundRequest("pi_unknown", 100, "EUR", "refund-x", "asked"))
    assert refund.status == "failed"


async def test_stripes_signed_webhooks_verify_and_read(fake: FakeStripe, gateway: StripePaymentGateway) -> None:
    request = checkout(recurring="month")
    session = await gateway.create_checkout(request)
    verifier = StripeWebhookVerifier(["whsec_new", "whsec_old"])
    events = []
    for raw in fake.complete(session.session_id):
        body, header = fake.signed(raw, "whsec_old")
        events.append(verifier.verify(body, header, datetime.now(UTC)))
    assert [e.type for e in events] == [
        "checkout.completed",
        "payment.succeeded",
        "invoice.paid",
        "subscription.updated",
    ]
    # A subscription's payment intent carries no metadata: the gateway finds its order through its invoice.
    assert [e.order_id for e in events] == [request.order_id, None, request.order_id, request.order_id]
    assert events[2].period_end == events[3].period_end is not None
    assert (events[0].invoice_id, events[1].charge_id) == (events[2].invoice_id, events[1].charge_id)
    payment = await gateway.payment(events[1].payment_id or "")
    assert payment is not None and (payment.order_id, payment.invoice_id) == (request.order_id, events[2].invoice_id)
