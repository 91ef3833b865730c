"""The ``Stripe-Signature`` webhook header: ``t=<unix seconds>,v1=<hex>[,v1=<hex>...]`` where each
``v1`` is HMAC-SHA256 of ``"<t>.<raw body>"`` under a webhook secret.

A request is genuine when one ``v1`` matches one of our secrets (several are accepted, so a secret
can be rotated without dropping events) and ``t`` lies within the tolerance of now, in either
direction: a stale timestamp is a replay, one from the future is forged or from a broken clock.
The sandbox signs its events the same way, so one verifier serves both providers.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime, timedelta

from devforge.application.billing.payment_gateway import WebhookRejected

SIGNATURE_HEADER = "Stripe-Signature"
DEFAULT_TOLERANCE = timedelta(minutes=5)


def compute_signature(payload: bytes, secret: str, timestamp: int) -> str:
    signed = str(timestamp).encode("ascii") + b"." + payload
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The header value a provider holding ``secret`` sends with ``payload`` at ``timestamp``."""
    return f"t={timestamp},v1={compute_signature(payload, secret, timestamp)}"


def verify_signature(
    payload: bytes,
    header: str | None,
    secrets: Sequence[str],
    now: datetime,
    tolerance: timedelta = DEFAULT_TOLERANCE,
) -> int:
    """Returns the signed timestamp; raises ``WebhookRejected`` naming what is wrong."""
    if not header:
        raise WebhookRejected("signature header missing")
    timestamp, candidates = _parse(header)
    if timestamp is None or not candidates:
        raise WebhookRejected("signature header malformed")
    age = now.timestamp() - timestamp
    if age > tolerance.total_seconds():
        raise WebhookRejected("timestamp too old")
    if -age > tolerance.total_seconds():
        raise WebhookRejected("timestamp in the future")
    expected = [compute_signature(payload, secret, timestamp).encode() for secret in secrets if secret]
    offered = [candidate.encode("utf-8") for candidate in candidates]
    if not any(hmac.compare_digest(mine, theirs) for mine in expected for theirs in offered):
        raise WebhookRejected("signature does not match")
    return timestamp


def _parse(header: str) -> tuple[int | None, list[str]]:
    timestamp: int | None = None
    candidates: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    return timestamp, candidates
