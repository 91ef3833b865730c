"""``POST /api/analytics/events``: batches answered event by event, duplicates never stored
twice, clocks corrected, opted-out installs dropped at the door, no address stored."""

from __future__ import annotations

import json
from datetime import timedelta
from uuid import UUID, uuid4

from dishka import Provider, Scope

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.ports import EventClaims
from devforge.application.analytics.revoke_ingestion_key import RevokeIngestionKey
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.application.licensing.key_holders import LicenseKeyLookup
from devforge.domain.analytics.queries import SeriesQuery
from tests.conftest import manual_clock_provider
from tests.integration.http.analytics_steps import ADMIN, an_event, hours, ingestion_key, sending, stored
from tests.integration.http.conftest import build_client


def everything(clock: ManualClock) -> SeriesQuery:
    return SeriesQuery(start=clock.now() - timedelta(days=30), end=clock.now() + timedelta(days=2))


async def test_a_batch_is_answered_event_by_event_and_a_uuid_is_stored_once() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        key = await ingestion_key(container)
        first = [an_event(), an_event(), an_event("extension_installed")]
        resent = first[1]
        answer = await client.post("/api/analytics/events", json={"batch": first}, headers=sending(key.secret))
        assert answer.status_code == 200, answer.text
        assert answer.json()["accepted"] == 3
        again = await client.post(
            "/api/analytics/events", json={"batch": [resent, an_event(), resent]}, headers=sending(key.secret)
        )
        body = again.json()
        assert [each["status"] for each in body["events"]] == ["duplicate", "accepted", "duplicate"]
        assert (body["accepted"], body["duplicate"], body["rejected"]) == (1, 2, 0)
        one = await client.post("/api/analytics/events", json=an_event(), headers=sending(key.secret))
        assert one.json()["accepted"] == 1  # a single event, not in a batch
        store = await stored(container)
        assert store.rows == 5
        assert await store.count(everything(clock)) == 5


async def test_a_client_clock_an_hour_off_is_corrected_and_the_far_future_clamped() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        key = await ingestion_key(container)
        client_now = clock.now() + hours(1)  # the editor's clock runs an hour fast
        happened = an_event("file_opened", at=client_now - timedelta(seconds=30))
        happened["sent_at"] = client_now.isoformat()
        slow_clock = an_event("file_saved", at=clock.now() - hours(1))  # and another one an hour slow
        slow_clock["timestamp"] = (clock.now() - hours(1) - timedelta(seconds=5)).isoformat()
        future = an_event("app_started", timestamp=(clock.now() + timedelta(days=3)).isoformat())
        answer = await client.post(
            "/api/analytics/events", json={"batch": [happened, slow_clock, future]}, headers=sending(key.secret)
        )
        assert answer.json()["accepted"] == 3
        store = await stored(container)
        times = {event.event: event.timestamp for event in store.events.values()}
        assert times["file_opened"] == clock.now() - timedelta(seconds=30)
        assert times["file_saved"] == clock.now() - timedelta(seconds=5)
        assert times["app_started"] == clock.now()  # no sent_at, three days ahead: clamped to now


async def test_an_install_that_opted_out_is_dropped_at_the_door() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        key = await ingestion_key(container)
        before = an_event(who="install-9")
        batch = [
            before,
            an_event("$opt_out", who="install-9", properties={"why": "privacy"}),
            an_event(who="install-9"),
        ]
        answer = (await client.post("/api/analytics/events", json={"batch": batch}, headers=sending(key.secret))).json()
        assert [(e["status"], e["reason"]) for e in answer["events"]] == [
            ("rejected", "opted_out"),  # the whole batch of an install that opts out is dropped
            ("accepted", None),
            ("rejected", "opted_out"),
        ]
        later = await client.post(
            "/api/analytics/events",
            json={"batch": [an_event(who="install-9"), an_event(who="install-10")]},
            headers=sending(key.secret),
        )
        assert [e["status"] for e in later.json()["events"]] == ["rejected", "accepted"]
        store = await stored(container)
        kept = sorted((event.distinct_id, event.event, event.properties) for event in store.events.values())
        assert kept == [("install-10", "app_started", "{}"), ("install-9", "$opt_out", "{}")]


async def test_the_address_is_never_stored_only_a_daily_salted_hash() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        key = await ingestion_key(container)
        for _ in range(2):
            await client.post("/api/analytics/events", json=an_event(), headers=sending(key.secret))
        clock.advance(timedelta(days=1))
        await client.post("/api/analytics/events", json=an_event(), headers=sending(key.secret))
        store = await stored(container)
        visitors = [event.visitor for event in sorted(store.events.values(), key=lambda e: e.received_at)]
        assert visitors[0] == visitors[1] != visitors[2]  # same day, same hash; the next day's salt differs
        assert all(len(visitor) == 16 for visitor in visitors)
        assert not any("testclient" in repr(event) or "127.0.0.1" in repr(event) for event in store.events.values())


async def test_limits_and_bad_events_are_answered_naming_what_is_wrong() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        key = await ingestion_key(container)
        headers = sending(key.secret)
        too_many = await client.post("/api/analytics/events", json={"batch": [an_event()] * 1001}, headers=headers)
        assert too_many.status_code == 413
        assert too_many.json()["errors"][0]["field"] == "batch"
        deep: object = "bottom"
        for _ in range(10):
            deep = {"nested": deep}
        batch = [
            an_event(properties={"blob": "x" * 33_000}),
            an_event(properties=deep),
            {"event": "app_started", "uuid": str(uuid4())},  # no distinct_id
            an_event(uuid="not-a-uuid"),
            an_event(properties=[1, 2]),
            an_event(),
        ]
        answer = (await client.post("/api/analytics/events", json={"batch": batch}, headers=headers)).json()
        assert [e["reason"] for e in answer["events"]] == [
            "too_large",
            "too_deep",
            "invalid",
            "invalid",
            "invalid",
            None,
        ]
        assert "distinct_id" in answer["events"][2]["detail"]
        assert "uuid" in answer["events"][3]["detail"]
        assert (answer["accepted"], answer["duplicate"], answer["rejected"]) == (1, 0, 5)
        broken = await client.post(
            "/api/analytics/events",
            content=b'{"event": "x\xff\xfe", "distinct_id": "a", "uuid": "b"}',
            headers={**headers, "Content-Type": "application/json"},
        )
        assert broken.status_code == 400
        assert broken.json()["errors"][0]["field"] == "body"
        assert (await client.post("/api/analytics/events", json={"batch": []}, headers=headers)).status_code == 422
        assert (await stored(container)).rows == 1


async def test_a_stranger_or_a_revoked_key_is_refused() -> None:
    client, container, _ = build_client()
    async with client:
        assert (await client.post("/api/analytics/events", json=an_event())).status_code == 401
        wrong = await client.post("/api/analytics/events", json=an_event(), headers=sending("dfi_pub_nope"))
        assert wrong.status_code == 401
        assert wrong.json()["code"] == "ingestion_credential_refused"
        key = await ingestion_key(container)
        async with container() as scope:
            await (await scope.get(RevokeIngestionKey))(ADMIN, key.key.id)
        revoked = await client.post("/api/analytics/events", json=an_event(), headers=sending(key.secret))
        assert revoked.status_code == 401


async def test_a_license_key_sends_and_stitches_the_install_to_its_holder() -> None:
    holder = uuid4()

    class OneLicense(LicenseKeyLookup):
        def __init__(self) -> None:
            pass

        async def holder_of(self, license_key: str) -> UUID | None:
            return holder if license_key == "DF-GOOD" else None

    licenses = Provider(scope=Scope.REQUEST)
    licenses.provide(OneLicense, provides=LicenseKeyLookup)
    client, container, _ = build_client(licenses)
    async with client:
        refused = await client.post(
            "/api/analytics/events", json=an_event(), headers={"Authorization": "License DF-BAD"}
        )
        assert refused.status_code == 401
        answer = await client.post(
            "/api/analytics/events", json=an_event(who="install-3"), headers={"Authorization": "License DF-GOOD"}
        )
        assert answer.json()["accepted"] == 1
        store = await stored(container)
        assert await store.user_of("install-3") == holder
        assert [event.user_id for event in store.events.values()] == [holder]


async def test_identify_links_an_anonymous_install_to_its_user() -> None:
    client, container, _ = build_client()
    async with client:
        key = await ingestion_key(container)
        user = uuid4()
        identify = an_event("$identify", who="install-7", properties={"$user_id": str(user)})
        await client.post("/api/analytics/events", json=identify, headers=sending(key.secret))
        store = await stored(container)
        assert await store.user_of("install-7") == user
        assert json.loads(next(iter(store.events.values())).properties) == {"$user_id": str(user)}


class RedisAway:
    """The dedup window's adapter while Redis is down (what ``RedisEventClaims`` raises then)."""

    async def claim(self, uuids: object, window_seconds: int) -> list[bool]:
        raise ServiceUnavailable("Redis is not answering.")

    async def release(self, uuids: object) -> None:
        raise ServiceUnavailable("Redis is not answering.")


async def test_without_the_dedup_window_a_batch_is_refused_with_503_and_nothing_is_stored() -> None:
    away = Provider(scope=Scope.APP)
    away.provide(RedisAway, provides=EventClaims)
    client, container, _ = build_client(away)
    async with client:
        key = await ingestion_key(container)
        answer = await client.post("/api/analytics/events", json={"batch": [an_event()]}, headers=sending(key.secret))
        assert answer.status_code == 503
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert (await stored(container)).rows == 0


async def test_the_endpoint_has_its_own_rate_limit_per_address() -> None:
    client, container, _ = build_client(rate_limit_analytics_per_minute=2)
    async with client:
        key = await ingestion_key(container)
        answers = [
            (await client.post("/api/analytics/events", json=an_event(), headers=sending(key.secret))).status_code
            for _ in range(3)
        ]
        assert answers == [200, 200, 429]
        assert (await client.get("/api/auth/me")).status_code == 401  # the other groups keep their own windows


async def test_no_request_waits_for_the_store_and_a_full_buffer_answers_503_with_retry_after() -> None:
    client, container, _ = build_client(analytics_flush_events=2)  # the buffer holds 6 at most
    async with client:
        key = await ingestion_key(container)
        store = await container.get(InMemoryAnalyticsStore)
        first = await client.post(
            "/api/analytics/events", json={"batch": [an_event() for _ in range(5)]}, headers=sending(key.secret)
        )
        assert first.json()["accepted"] == 5
        assert store.rows == 0  # past the old flush point: still only buffered, the request wrote nothing
        full = await client.post(
            "/api/analytics/events", json={"batch": [an_event(), an_event()]}, headers=sending(key.secret)
        )
        assert full.status_code == 503
        assert full.headers["retry-after"] == "2"
        assert full.headers["content-type"].startswith("application/problem+json")
        assert (await stored(container)).rows == 5  # the job's flush writes them; nothing of the refused batch
        again = await client.post(
            "/api/analytics/events", json={"batch": [an_event(), an_event()]}, headers=sending(key.secret)
        )
        assert again.json()["accepted"] == 2
