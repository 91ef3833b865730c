from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from devforge.application.common.deliveries import Delivery, DeliveryStatus

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def pending() -> Delivery:
    return Delivery(uuid4(), "consumer", DeliveryStatus.PENDING, 0, NOW)


@given(st.integers(min_value=1, max_value=20))
def test_the_nth_failure_moves_the_delivery_to_the_dead_letters(max_attempts: int) -> None:
    delivery = pending()
    for _ in range(max_attempts):
        assert delivery.status is DeliveryStatus.PENDING
        delivery.fail(error="boom", now=NOW, max_attempts=max_attempts, base_delay=timedelta(seconds=2))
    assert delivery.status is DeliveryStatus.DEAD
    assert delivery.attempts == max_attempts


def test_backoff_doubles_and_is_capped_at_an_hour() -> None:
    delivery = pending()
    delays = []
    for _ in range(14):
        delivery.fail(error="boom", now=NOW, max_attempts=100, base_delay=timedelta(seconds=2))
        delays.append(delivery.next_attempt_at - NOW)
    assert delays[:4] == [timedelta(seconds=s) for s in (2, 4, 8, 16)]
    assert delays[-1] == timedelta(hours=1)
    assert delays == sorted(delays)


def test_reviving_a_dead_letter_gives_it_a_fresh_round() -> None:
    delivery = pending()
    delivery.fail(error="boom", now=NOW, max_attempts=1, base_delay=timedelta(seconds=1))
    delivery.revive(NOW + timedelta(days=1))
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        DeliveryStatus.PENDING,
        0,
        NOW + timedelta(days=1),
    )
