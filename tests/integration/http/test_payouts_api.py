"""The payout routes over HTTP in the embedded profile (SQLite on disk): the owner of a publisher
reads its payouts and skipped payouts with their reasons; another developer is told there is no
such publisher; an administrator with two-factor holds and releases the publisher's payouts with
a reason, kept in an audit trail; without two-factor, or as a developer, that is refused."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from litestar.testing import AsyncTestClient

from devforge.application.billing.payout_run_ports import PayoutRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.domain.billing.money import Money
from devforge.domain.billing.payout import Pay, Payout, SkippedPayout, SkipReason
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.app import create_app
from tests.access_world import add_account, start_session
from tests.conftest import settings_for_tests
from tests.integration.http.authentication_steps import bearer
from tests.integration.http.test_tax_profile_api import a_publisher

AT = datetime(2026, 12, 1, 6, tzinfo=UTC)


async def test_the_owner_sees_payouts_and_skip_reasons_and_an_admin_holds_with_a_trail(tmp_path: Path) -> None:
    settings = settings_for_tests(profile="embedded", data_dir=str(tmp_path))
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)
    try:
        async with AsyncTestClient(app=create_app(container, settings)) as client:
            acme, acme_id = await a_publisher(client, container, "acme")
            globex, _ = await a_publisher(client, container, "globex")
            admin_id = await add_account(container, "boss@example.com", Role.ADMIN, two_factor=True)
            admin = bearer((await start_session(container, admin_id, Role.ADMIN))[0])
            lax_id = await add_account(container, "lax@example.com", Role.ADMIN)
            lax = bearer((await start_session(container, lax_id, Role.ADMIN))[0])
            async with container() as scope:
                payouts = await scope.get(PayoutRepository)
                pay = Pay(Money.of(52_668, "USD"), Money.of(16_632, "USD"))
                paid = Payout.record("2026-11", UUID(acme_id), pay, "acct_acme", AT).sent("tr_1", AT)
                await payouts.add(paid)
                skip = SkippedPayout("2026-12", UUID(acme_id), SkipReason.BELOW_MINIMUM, Money.of(4_200, "EUR"), AT)
                await payouts.add_skip(skip)
                await (await scope.get(UnitOfWork)).commit()

            query = {"publisherId": acme_id}
            read = await client.get("/api/payments/payouts", params=query, headers=acme)
            assert read.status_code == 200, read.text
            [payout] = read.json()["payouts"]
            assert (payout["period"], payout["amount"], payout["withheld"], payout["status"]) == (
                "2026-11", 52_668, 16_632, "sent"
            )  # fmt: skip
            assert read.json()["skipped"] == [
                {
                    "period": "2026-12",
                    "currency": "EUR",
                    "reason": "below_minimum",
                    "available": 4_200,
                    "decidedAt": "2026-12-01T06:00:00Z",
                }
            ]
            assert (await client.get("/api/payments/payouts", params=query, headers=globex)).status_code == 404
            assert (await client.get("/api/payments/payouts", params=query, headers=admin)).status_code == 200

            hold = f"/api/payments/admin/payout-holds/{acme_id}"
            body = {"held": True, "reason": "Chargeback review"}
            assert (await client.put(hold, json=body, headers=acme)).status_code == 403
            assert (await client.put(hold, json=body, headers=lax)).status_code == 403  # no two-factor
            blank = await client.put(hold, json={"held": True, "reason": "   "}, headers=admin)
            assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "reason", blank.text
            unknown = "/api/payments/admin/payout-holds/00000000-0000-4000-8000-000000000000"
            assert (await client.put(unknown, json=body, headers=admin)).status_code == 404

            held = await client.put(hold, json=body, headers=admin)
            assert held.status_code == 200, held.text
            assert held.json()["held"] is True
            released = await client.put(hold, json={"held": False, "reason": "Cleared"}, headers=admin)
            trail = (await client.get(hold, headers=admin)).json()
            assert released.json() == trail
            assert trail["held"] is False
            assert [(c["held"], c["reason"], c["actorId"]) for c in trail["trail"]] == [
                (True, "Chargeback review", str(admin_id)),
                (False, "Cleared", str(admin_id)),
            ]
    finally:
        await container.close()
