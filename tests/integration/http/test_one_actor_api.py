"""One Actor, shown on real records of each context: an admin reaches someone else's license,
invoice and extension only through a session with two-factor on; the same admin without
two-factor is refused (403 ``two_factor_required``, never quietly treated as a plain user); the
admin's API key acts as its owner and finds nothing of anyone else's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from dishka import AsyncContainer, Provider, Scope
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.application.billing.invoice_ports import OrderRefunds, PaidOrders
from devforge.application.billing.when_order_paid_issue_invoice import WhenOrderPaidIssueInvoice
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.identity.roles import Role
from tests.access_world import Actor, key_actor, session_actor
from tests.integration.http.conftest import build_client
from tests.integration.http.marketplace_steps import open_studio
from tests.integration.http.test_licensing_api import issued, signed_in
from tests.unit.billing.documents import order_paid_event, paid_order

KEY_SCOPES = ["licenses:read_own", "invoices:read_own", "orders:place", "extensions:publish"]


class Admins:
    def __init__(self, client: AsyncTestClient, without_2fa: Actor, with_2fa: Actor, key: Actor) -> None:
        self.client, self.without_2fa, self.with_2fa, self.key = client, without_2fa, with_2fa, key

    async def answers(self, method: str, path: str, **kwargs: Any) -> dict[str, tuple[int, str | None]]:
        """What each of the admin's three credentials gets from the same request."""
        found: dict[str, tuple[int, str | None]] = {}
        for name, actor in (("without_2fa", self.without_2fa), ("with_2fa", self.with_2fa), ("key", self.key)):
            answer = await self.client.request(
                method, path, headers={"Authorization": f"Bearer {actor.token}"}, **kwargs
            )
            code = answer.json().get("code") if answer.status_code >= 400 else None
            found[name] = (answer.status_code, code)
        return found


async def admins(client: AsyncTestClient, container: AsyncContainer) -> Admins:
    without_2fa = await session_actor(container, "plain-admin", Role.ADMIN)
    with_2fa = await session_actor(container, "admin", Role.ADMIN, two_factor=True)
    return Admins(client, without_2fa, with_2fa, await key_actor(container, "admin-key", with_2fa, KEY_SCOPES))


@pytest.fixture
async def world() -> AsyncIterator[tuple[AsyncTestClient, AsyncContainer, InMemoryPaidOrders]]:
    orders = InMemoryPaidOrders()
    fakes = Provider(scope=Scope.APP)
    fakes.provide(lambda: orders, provides=PaidOrders)
    fakes.provide(lambda: orders, provides=OrderRefunds)
    client, container, _ = build_client(fakes)
    async with client:
        yield client, container, orders


async def test_someone_elses_license(world: tuple[AsyncTestClient, AsyncContainer, InMemoryPaidOrders]) -> None:
    client, container, _ = world
    developer, _ = await signed_in(client, "dev@example.com", "developer")
    _, customer_id = await signed_in(client, "ada@example.com", "customer")
    key = (await issued(client, developer, customer_id))["key"]
    admin = await admins(client, container)
    assert await admin.answers("GET", f"/api/licenses/{key}") == {
        "without_2fa": (403, "two_factor_required"),
        "with_2fa": (200, None),
        "key": (404, "LICENSE_NOT_FOUND"),
    }
    revoked = await admin.answers("DELETE", f"/api/licenses/{key}", params={"reason": "fraud"})
    assert revoked["without_2fa"] == (403, "two_factor_required") and revoked["key"][1] == "permission_denied"
    assert revoked["with_2fa"] == (200, None)


async def test_someone_elses_invoice(world: tuple[AsyncTestClient, AsyncContainer, InMemoryPaidOrders]) -> None:
    client, container, orders = world
    owner = await session_actor(container, "owner", Role.CUSTOMER)
    order = replace(paid_order(user_id=owner.user_id), paid_at=(await container.get(Clock)).now())
    orders.add(order)
    async with container() as scope:
        await (await scope.get(WhenOrderPaidIssueInvoice)).handle(order_paid_event(order))
        await (await scope.get(UnitOfWork)).commit()
    headers = {"Authorization": f"Bearer {owner.token}"}
    [invoice] = (await client.get("/api/payments/invoices", headers=headers)).json()["items"]
    admin = await admins(client, container)
    assert await admin.answers("GET", f"/api/payments/invoices/{invoice['id']}") == {
        "without_2fa": (403, "two_factor_required"),
        "with_2fa": (200, None),
        "key": (404, "invoice_not_found"),
    }
    listed = await admin.answers("GET", "/api/payments/invoices")
    assert listed == {"without_2fa": (403, "two_factor_required"), "with_2fa": (200, None), "key": (200, None)}
    keyed = await client.get("/api/payments/invoices", headers={"Authorization": f"Bearer {admin.key.token}"})
    assert keyed.json()["items"] == []  # the key lists its owner's invoices: none


async def test_someone_elses_extension(world: tuple[AsyncTestClient, AsyncContainer, InMemoryPaidOrders]) -> None:
    client, container, _ = world
    studio = await open_studio(client, container)
    admin = await admins(client, container)
    change = {"json": {"displayName": "Renamed by an admin"}}
    answers = await admin.answers("PUT", f"/api/extensions/{studio.extension_id}", **change)
    assert answers == {
        "without_2fa": (403, "two_factor_required"),
        "with_2fa": (200, None),
        "key": (404, "extension_not_found"),
    }
