"""``/api/analytics/erasures``: one person's events erased on request, with what is stitched to
them, by an administrator with two-factor on; the install cannot bring them back."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.clock import ManualClock
from devforge.domain.identity.roles import Role
from tests.access_world import add_account, start_session
from tests.conftest import manual_clock_provider
from tests.integration.http.analytics_steps import an_event, ingestion_key, sending, stored
from tests.integration.http.conftest import build_client

PERSON = UUID("7d0a6f9e-2f7b-4c55-9a37-0b1b0c3b9b61")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_an_admin_erases_a_person_and_their_install_stays_out() -> None:
    clock = ManualClock()
    client, container, _ = build_client(manual_clock_provider(clock))
    async with client:
        key = await ingestion_key(container)
        batch = [
            an_event(who="laptop"),
            an_event("$identify", who="laptop", properties={"$user_id": str(PERSON)}),
            an_event(who="desktop"),
            an_event("$identify", who="desktop", properties={"$user_id": str(PERSON)}),
            an_event(who="someone-else"),
        ]
        sent = await client.post("/api/analytics/events", json={"batch": batch}, headers=sending(key.secret))
        assert sent.json()["accepted"] == 5
        store = await stored(container)
        admin_id = await add_account(container, "dpo@example.com", Role.ADMIN, two_factor=True)
        admin, _ = await start_session(container, admin_id, Role.ADMIN)

        erased = await client.post("/api/analytics/erasures", json={"distinctId": "laptop"}, headers=bearer(admin))

        assert erased.status_code == 201, erased.text
        body = erased.json()
        assert body["erasedDistinctIds"] == sorted(["laptop", "desktop", str(PERSON)])
        assert (body["erasedUserIds"], body["events"], body["requestedBy"]) == ([str(PERSON)], 4, str(admin_id))
        assert sorted(event.distinct_id for event in store.events.values()) == ["someone-else"]
        again = await client.post("/api/analytics/events", json=an_event(who="desktop"), headers=sending(key.secret))
        assert again.json()["events"][0]["reason"] == "opted_out"
        listed = await client.get("/api/analytics/erasures", headers=bearer(admin))
        assert [each["id"] for each in listed.json()] == [body["id"]]


async def test_an_erasure_names_someone_and_only_an_admin_asks_for_it() -> None:
    client, container, _ = build_client()
    async with client:
        admin_id = await add_account(container, "dpo@example.com", Role.ADMIN, two_factor=True)
        admin, _ = await start_session(container, admin_id, Role.ADMIN)
        nobody = await client.post("/api/analytics/erasures", json={}, headers=bearer(admin))
        assert nobody.status_code == 422 and nobody.json()["errors"][0]["field"] == "distinctId"
        analyst_id = await add_account(container, "numbers@example.com", Role.ANALYST, two_factor=True)
        analyst, _ = await start_session(container, analyst_id, Role.ANALYST)
        refused = await client.post("/api/analytics/erasures", json={"userId": str(PERSON)}, headers=bearer(analyst))
        assert refused.status_code == 403
        without_two_factor = await add_account(container, "admin2@example.com", Role.ADMIN)
        plain, _ = await start_session(container, without_two_factor, Role.ADMIN)
        assert (await client.get("/api/analytics/erasures", headers=bearer(plain))).status_code == 403
