"""The rules of collection: what an event may be, how its time is corrected, and what each event
of a batch is answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

OPT_OUT_EVENT = "$opt_out"
"""An install that sends it is dropped at the door from then on."""
IDENTIFY_EVENT = "$identify"
"""Stitches the install's anonymous ``distinct_id`` to the user named in ``properties.$user_id``."""


@dataclass(frozen=True, slots=True)
class IngestionLimits:
    """Segment's sizes: 32 KB per event, 500 KB per batch; at most ``max_events`` in one batch,
    and properties nested at most ``max_depth`` deep."""

    max_events: int = 1000
    max_event_bytes: int = 32 * 1024
    max_batch_bytes: int = 500 * 1024
    max_depth: int = 8


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class Rejection(StrEnum):
    """Why an event was not accepted (``reason`` of a rejected event in the answer)."""

    TOO_LARGE = "too_large"
    TOO_DEEP = "too_deep"
    INVALID = "invalid"
    OPTED_OUT = "opted_out"
    TOO_OLD = "too_old"


def valid_name(value: str) -> bool:
    """An event name or a distinct id: 1-200 printable characters (no control characters)."""
    return 0 < len(value) <= 200 and value.isprintable()


def corrected_timestamp(
    timestamp: datetime | None, sent_at: datetime | None, now: datetime, max_future: timedelta
) -> datetime:
    """PostHog's rule: the client's clock may be off, but the gap between when the event happened
    and when the client sent it is right, so ``now + (timestamp - sent_at)``. Without ``sent_at``
    the timestamp is taken as sent; without a timestamp, now. Anything further ahead than
    ``max_future`` is clamped to now."""
    if timestamp is None:
        return now
    at = now + (timestamp - sent_at) if sent_at is not None else timestamp
    return now if at > now + max_future else at


def batch_too_large(count: int, size: int, limits: IngestionLimits) -> str | None:
    """Why a batch is too large to be taken at all, or None."""
    if count > limits.max_events:
        return f"A batch holds at most {limits.max_events} events."
    if size > limits.max_batch_bytes:
        return f"A batch is at most {limits.max_batch_bytes} bytes."
    return None


def event_problem(size: int, depth: int, limits: IngestionLimits) -> tuple[Rejection, str] | None:
    """Too large or too deep, as the client sent it (bytes of its JSON)."""
    if size > limits.max_event_bytes:
        return Rejection.TOO_LARGE, f"An event is at most {limits.max_event_bytes} bytes."
    if depth > limits.max_depth:
        return Rejection.TOO_DEEP, f"Properties nest at most {limits.max_depth} levels."
    return None
