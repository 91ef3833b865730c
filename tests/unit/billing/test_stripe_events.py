"""Stripe's event shapes become our normalized ``ProviderEvent``: type, order id (metadata or
client_reference_id), amount in our minor units, payment, subscription, period end, outcome."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.adapters.payments.stripe_events import provider_event
from devforge.application.billing.payment_gateway import WebhookRejected

ORDER = UUID("7d5b1c8e-4f7a-4a59-9d0e-2f1a8a6b3c21")
META = {"order_id": str(ORDER)}
END = 1_767_225_600  # 2026-01-01T00:00:00Z


def stripe_event(stripe_type: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {"id": "evt_1", "object": "event", "created": 1_764_000_000, "type": stripe_type, "data": {"object": obj}}


def test_checkout_completed_names_the_order_by_client_reference_and_the_payment() -> None:
    obj = {
        "id": "cs_1",
        "amount_total": 2380,
        "currency": "eur",
        "client_reference_id": str(ORDER),
        "payment_intent": "pi_1",
    }
    event = provider_event(stripe_event("checkout.session.completed", obj))
    assert (event.type, event.order_id, event.object_id, event.amount, event.currency, event.payment_id) == (
        "checkout.completed",
        ORDER,
        "cs_1",
        2380,
        "EUR",
        "pi_1",
    )
    assert event.created == datetime.fromtimestamp(1_764_000_000, UTC)


def test_a_subscription_checkout_carries_the_subscription() -> None:
    obj = {
        "id": "cs_1",
        "amount_total": 900,
        "currency": "usd",
        "metadata": META,
        "subscription": "sub_1",
        "payment_intent": None,
    }
    event = provider_event(stripe_event("checkout.session.completed", obj))
    assert (event.subscription_id, event.payment_id, event.order_id) == ("sub_1", None, ORDER)


@pytest.mark.parametrize(
    ("stripe_type", "ours"),
    [("payment_intent.succeeded", "payment.succeeded"), ("payment_intent.payment_failed", "payment.failed")],
)
def test_payment_intents(stripe_type: str, ours: str) -> None:
    obj = {"id": "pi_1", "amount": 500, "amount_received": 0, "currency": "jpy", "metadata": META}
    event = provider_event(stripe_event(stripe_type, obj))
    assert (event.type, event.payment_id, event.amount, event.currency, event.order_id) == (
        ours,
        "pi_1",
        500,
        "JPY",
        ORDER,
    )


def test_stripe_units_come_back_as_our_minor_units() -> None:
    """ISK is zero-decimal in ISO 4217 but Stripe counts it in hundredths."""
    obj = {"id": "pi_1", "amount": 50000, "amount_received": 50000, "currency": "isk", "metadata": META}
    assert provider_event(stripe_event("payment_intent.succeeded", obj)).amount == 500


def test_a_refund_reports_the_charges_cumulative_refunded_amount() -> None:
    obj = {
        "id": "ch_1",
        "amount": 2000,
        "amount_refunded": 1500,
        "currency": "eur",
        "payment_intent": "pi_1",
        "metadata": {},
    }
    event = provider_event(stripe_event("charge.refunded", obj))
    assert (event.type, event.object_id, event.amount, event.payment_id, event.order_id) == (
        "charge.refunded",
        "ch_1",
        1500,
        "pi_1",
        None,
    )


@pytest.mark.parametrize(("status", "outcome"), [("lost", "lost"), ("won", "won"), ("warning_closed", "won")])
def test_a_closed_dispute_says_whether_it_was_lost(status: str, outcome: str) -> None:
    obj = {"id": "dp_1", "amount": 2000, "currency": "eur", "payment_intent": "pi_1", "status": status}
    event = provider_event(stripe_event("charge.dispute.closed", obj))
    assert (event.type, event.outcome, event.payment_id) == ("dispute.closed", outcome, "pi_1")


def test_an_opened_dispute() -> None:
    obj = {"id": "dp_1", "amount": 2000, "currency": "eur", "payment_intent": "pi_1", "status": "needs_response"}
    event = provider_event(stripe_event("charge.dispute.created", obj))
    assert (event.type, event.outcome, event.amount) == ("dispute.opened", None, 2000)


def test_an_invoice_in_the_current_api_shape() -> None:
    obj = {
        "id": "in_1",
        "amount_paid": 900,
        "currency": "usd",
        "parent": {"subscription_details": {"subscription": "sub_1", "metadata": META}},
        "lines": {"data": [{"period": {"start": END - 86_400 * 31, "end": END}}]},
        "period_end": END - 86_400 * 31,
    }
    event = provider_event(stripe_event("invoice.paid", obj))
    assert (event.type, event.subscription_id, event.order_id, event.amount) == ("invoice.paid", "sub_1", ORDER, 900)
    assert event.period_end == datetime.fromtimestamp(END, UTC)


def test_an_invoice_in_the_older_api_shape() -> None:
    obj = {
        "id": "in_1",
        "amount_due": 900,
        "currency": "usd",
        "subscription": "sub_1",
        "subscription_details": {"metadata": META},
        "payment_intent": "pi_9",
        "period_end": END,
    }
    event = provider_event(stripe_event("invoice.payment_failed", obj))
    assert (event.type, event.subscription_id, event.order_id, event.payment_id, event.amount) == (
        "invoice.payment_failed",
        "sub_1",
        ORDER,
        "pi_9",
        900,
    )
    assert event.period_end == datetime.fromtimestamp(END, UTC)


@pytest.mark.parametrize(
    "obj",
    [
        {"id": "sub_1", "metadata": META, "current_period_end": END},
        {"id": "sub_1", "metadata": META, "items": {"data": [{"current_period_end": END}]}},
    ],
)
@pytest.mark.parametrize(
    ("stripe_type", "ours"),
    [
        ("customer.subscription.updated", "subscription.updated"),
        ("customer.subscription.deleted", "subscription.deleted"),
    ],
)
def test_subscriptions(obj: dict[str, Any], stripe_type: str, ours: str) -> None:
    event = provider_event(stripe_event(stripe_type, obj))
    assert (event.type, event.subscription_id, event.order_id) == (ours, "sub_1", ORDER)
    assert event.period_end == datetime.fromtimestamp(END, UTC)


def test_a_type_we_do_not_handle_passes_through_marked() -> None:
    event = provider_event(stripe_event("customer.created", {"id": "cus_1"}))
    assert (event.type, event.object_id, event.order_id) == ("stripe.customer.created", "cus_1", None)


@pytest.mark.parametrize(
    ("stripe_type", "obj"),
    [
        ("customer.subscription.pending_update_expired", {"id": "sub_1", "metadata": {"order_id": 7}}),
        ("customer.cash_balance_transaction.created", {"object": "x", "net_amount": [{"amount": 1.5}]}),
        ("payout.paid", {"id": "po_1", "amount": "lots", "currency": 3, "metadata": "x"}),
    ],
)
def test_a_type_we_do_not_handle_is_taken_whatever_its_object_holds(stripe_type: str, obj: dict[str, Any]) -> None:
    """Refusing it would make the provider retry it for days: it is stored and ignored."""
    event = provider_event(stripe_event(stripe_type, obj))
    assert event.type == f"stripe.{stripe_type}" and event.order_id is None and event.amount is None
    assert event.object_id == (obj.get("id") or "")


def test_charge_updated_and_balance_available_ask_for_the_processor_fee() -> None:
    """``charge.updated``: the charge's balance transaction (its real fee) may have arrived;
    ``balance.available``: the balance object, no id, amounts per currency (read nothing of it)."""
    charge = {"id": "ch_1", "amount": 1000, "currency": "usd", "payment_intent": "pi_1", "balance_transaction": "txn_1"}
    updated = provider_event(stripe_event("charge.updated", charge))
    assert (updated.type, updated.payment_id, updated.charge_id, updated.amount) == (
        "payment.updated",
        "pi_1",
        "ch_1",
        1000,
    )
    balance = {"object": "balance", "available": [{"amount": 1.5, "currency": "xxx"}], "pending": []}
    available = provider_event(stripe_event("balance.available", balance))
    assert (available.type, available.object_id, available.amount, available.currency) == (
        "balance.available",
        "balance.available",
        None,
        None,
    )


def test_an_order_id_that_is_not_ours_names_no_order() -> None:
    """Another integration on the same account may put its own ``order_id`` in the metadata."""
    obj = {"id": "pi_1", "amount": 10, "currency": "eur", "metadata": {"order_id": "not-a-uuid"}}
    event = provider_event(stripe_event("payment_intent.succeeded", obj))
    assert (event.type, event.order_id, event.payment_id) == ("payment.succeeded", None, "pi_1")


@pytest.mark.parametrize(
    "obj",
    [
        {"id": "pi_1", "amount": 10, "currency": "xxx"},
        {"id": "pi_1", "amount": 1.5, "currency": "eur"},
        {"amount": 10, "currency": "eur"},
    ],
)
def test_unreadable_objects_are_malformed(obj: dict[str, Any]) -> None:
    with pytest.raises(WebhookRejected):
        provider_event(stripe_event("payment_intent.succeeded", obj))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)


@given(
    obj=st.dictionaries(
        st.sampled_from(["id", "amount", "currency", "metadata", "lines", "items", "parent", "created"]), json_values
    ),
    stripe_type=st.sampled_from(
        ["invoice.paid", "charge.refunded", "customer.subscription.updated", "checkout.session.completed"]
    ),
)
def test_any_shape_is_read_or_rejected_never_crashes(obj: dict[str, Any], stripe_type: str) -> None:
    with contextlib.suppress(WebhookRejected):
        provider_event(stripe_event(stripe_type, obj))
