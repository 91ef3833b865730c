"""``Stripe-Signature``: a body is taken only with a matching v1 HMAC under one of our secrets
and a timestamp within five minutes of now, in either direction."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.adapters.payments.stripe_events import StripeWebhookVerifier
from devforge.adapters.payments.stripe_signature import sign, verify_signature
from devforge.application.billing.payment_gateway import WebhookRejected

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SECRET, OLD_SECRET = "whsec_current", "whsec_previous"
EVENT = {
    "id": "evt_1",
    "object": "event",
    "created": int(NOW.timestamp()),
    "type": "payment_intent.succeeded",
    "data": {
        "object": {
            "id": "pi_1",
            "object": "payment_intent",
            "amount": 1999,
            "amount_received": 1999,
            "currency": "eur",
            "metadata": {"order_id": "7d5b1c8e-4f7a-4a59-9d0e-2f1a8a6b3c21"},
        }
    },
}
BODY = json.dumps(EVENT).encode()


def at(seconds: float) -> int:
    return int((NOW + timedelta(seconds=seconds)).timestamp())


def rejection(payload: bytes, header: str | None, secrets: list[str] | None = None) -> str:
    with pytest.raises(WebhookRejected) as caught:
        StripeWebhookVerifier(secrets or [SECRET]).verify(payload, header, NOW)
    return caught.value.reason


def test_a_genuine_event_is_read() -> None:
    event = StripeWebhookVerifier([SECRET]).verify(BODY, sign(BODY, SECRET, at(0)), NOW)
    assert (event.event_id, event.type, event.amount, event.currency) == ("evt_1", "payment.succeeded", 1999, "EUR")
    assert str(event.order_id) == "7d5b1c8e-4f7a-4a59-9d0e-2f1a8a6b3c21"


def test_a_signature_under_another_secret_is_refused() -> None:
    assert rejection(BODY, sign(BODY, "whsec_attacker", at(0))) == "signature does not match"


def test_a_changed_body_is_refused() -> None:
    tampered = BODY.replace(b"1999", b"1")
    assert rejection(tampered, sign(BODY, SECRET, at(0))) == "signature does not match"


@pytest.mark.parametrize("header", [None, "", "garbage", "t=,v1=", "v1=abc", "t=123", "t=abc,v1=00", "t=²,v1=00"])
def test_a_missing_or_malformed_header_is_refused(header: str | None) -> None:
    assert rejection(BODY, header).startswith("signature header")


def test_a_stale_timestamp_is_refused_even_when_signed_correctly() -> None:
    assert rejection(BODY, sign(BODY, SECRET, at(-301))) == "timestamp too old"


def test_a_future_timestamp_is_refused() -> None:
    assert rejection(BODY, sign(BODY, SECRET, at(301))) == "timestamp in the future"


@pytest.mark.parametrize("offset", [-300, -1, 0, 1, 300])
def test_the_tolerance_is_five_minutes_both_ways(offset: int) -> None:
    assert verify_signature(BODY, sign(BODY, SECRET, at(offset)), [SECRET], NOW) == at(offset)


def test_during_a_rotation_both_secrets_are_accepted() -> None:
    verifier = StripeWebhookVerifier([SECRET, OLD_SECRET])
    for secret in (SECRET, OLD_SECRET):
        assert verifier.verify(BODY, sign(BODY, secret, at(0)), NOW).event_id == "evt_1"


def test_a_header_with_several_v1_signatures_matches_any() -> None:
    header = f"t={at(0)},v1={'0' * 64},v0=ignored,v1={sign(BODY, SECRET, at(0)).split('v1=')[1]}"
    assert verify_signature(BODY, header, [SECRET], NOW) == at(0)


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b"{}",
        b'{"id": "evt_1", "type": "charge.refunded"}',
        b"\xff\xfe",
        b'{"id": 1, "type": "x", "data": {"object": {}}}',
    ],
)
def test_a_correctly_signed_but_malformed_body_is_refused(payload: bytes) -> None:
    assert rejection(payload, sign(payload, SECRET, at(0))).startswith("malformed body")


def test_a_verifier_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="webhook secret"):
        StripeWebhookVerifier(["", ""])


@given(payload=st.binary(max_size=200), secret=st.text(min_size=1, max_size=40), other=st.text(min_size=1, max_size=40))
def test_only_the_signing_secret_verifies(payload: bytes, secret: str, other: str) -> None:
    header = sign(payload, secret, at(0))
    assert verify_signature(payload, header, [secret], NOW) == at(0)
    if other != secret:
        with pytest.raises(WebhookRejected):
            verify_signature(payload, header, [other], NOW)


@given(header=st.text(max_size=120))
def test_any_header_text_is_refused_or_verified_never_crashes(header: str) -> None:
    with contextlib.suppress(WebhookRejected):
        verify_signature(BODY, header, [SECRET], NOW)


@given(payload=st.binary(max_size=300))
def test_any_signed_bytes_become_an_event_or_a_rejection(payload: bytes) -> None:
    reason = None
    try:
        StripeWebhookVerifier([SECRET]).verify(payload, sign(payload, SECRET, at(0)), NOW)
    except WebhookRejected as rejected:
        reason = rejected.reason
    assert reason is None or reason.startswith("malformed body")
