"""The collection's rules on their own: the clock-skew correction, the sizes, names, buckets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.analytics.ingestion import (
    IngestionLimits,
    Rejection,
    batch_too_large,
    corrected_timestamp,
    event_problem,
    valid_name,
)
from devforge.domain.analytics.queries import Interval, bucket_of
from devforge.domain.analytics.visitors import visitor_hash

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
MAX_FUTURE = timedelta(hours=23)
offsets = st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400))


@given(client_clock_off=offsets, age=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)))
def test_a_client_clock_off_by_any_amount_does_not_move_the_event(client_clock_off: timedelta, age: timedelta) -> None:
    sent_at = NOW + client_clock_off
    assert corrected_timestamp(sent_at - age, sent_at, NOW, MAX_FUTURE) == NOW - age


@given(timestamp=offsets, sent_at=st.none() | offsets)
def test_no_event_lands_further_ahead_than_the_clamp(timestamp: timedelta, sent_at: timedelta | None) -> None:
    at = corrected_timestamp(NOW + timestamp, None if sent_at is None else NOW + sent_at, NOW, MAX_FUTURE)
    assert at <= NOW + MAX_FUTURE


def test_without_a_timestamp_an_event_happened_now() -> None:
    assert corrected_timestamp(None, NOW - timedelta(hours=5), NOW, MAX_FUTURE) == NOW


def test_segment_sizes_and_the_depth_limit() -> None:
    limits = IngestionLimits()
    assert batch_too_large(1000, 500 * 1024, limits) is None
    assert batch_too_large(1001, 10, limits) is not None
    assert batch_too_large(1, 500 * 1024 + 1, limits) is not None
    assert event_problem(32 * 1024, 8, limits) is None
    assert event_problem(32 * 1024 + 1, 1, limits) == (Rejection.TOO_LARGE, "An event is at most 32768 bytes.")
    assert event_problem(10, 9, limits) is not None and event_problem(10, 9, limits)[0] is Rejection.TOO_DEEP  # type: ignore[index]


def test_names_are_printable_and_short() -> None:
    assert valid_name("extension_installed") and valid_name("é" * 200)
    assert not valid_name("") and not valid_name("x" * 201) and not valid_name("tab\there")


def test_the_same_address_hashes_alike_within_a_day_only() -> None:
    today, tomorrow = b"a" * 32, b"b" * 32
    assert visitor_hash(today, "203.0.113.7") == visitor_hash(today, "203.0.113.7")
    assert visitor_hash(today, "203.0.113.7") != visitor_hash(tomorrow, "203.0.113.7")
    assert "203.0.113.7" not in visitor_hash(today, "203.0.113.7")


def test_buckets_start_on_the_hour_day_monday_and_first_of_the_month() -> None:
    at = datetime(2026, 6, 4, 15, 42, 7, tzinfo=UTC)  # a Thursday
    assert bucket_of(at, Interval.HOUR) == datetime(2026, 6, 4, 15, tzinfo=UTC)
    assert bucket_of(at, Interval.DAY) == datetime(2026, 6, 4, tzinfo=UTC)
    assert bucket_of(at, Interval.WEEK) == datetime(2026, 6, 1, tzinfo=UTC)
    assert bucket_of(at, Interval.MONTH) == datetime(2026, 6, 1, tzinfo=UTC)
