"""Invoices, credit notes and refunds over HTTP: JSON and PDF, pages, 404 for someone else's,
problem+json for bad input, and refunds that stop at what is refundable."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from dishka import AsyncContainer, Provider, Scope
from litestar.testing import AsyncTestClient

from devforge.adapters.memory.billing_documents import InMemoryPaidOrders
from devforge.adapters.payments.memory_payment_gateway import InMemoryPaymentGateway
from devforge.application.billing.invoice_ports import OrderRefunds, PaidOrder, PaidOrders
from devforge.application.billing.payment_gateway import PaymentGateway
from devforge.application.billing.when_order_paid_issue_invoice import WhenOrderPaidIssueInvoice
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.identity.roles import Role
from tests.access_world import Actor, session_actor
from tests.integration.http.conftest import build_client
from tests.unit.billing.documents import order_paid_event, paid_order


class World:
    def __init__(self, client: AsyncTestClient, container: AsyncContainer, orders: InMemoryPaidOrders) -> None:
        self.client, self.container, self.orders = client, container, orders
        self.gateway: InMemoryPaymentGateway

    async def paid(self, buyer: Actor) -> PaidOrder:
        clock = await self.container.get(Clock)
        order = replace(paid_order(user_id=buyer.user_id), paid_at=clock.now())
        self.orders.add(order)
        async with self.container() as scope:
            await (await scope.get(WhenOrderPaidIssueInvoice)).handle(order_paid_event(order))
            await (await scope.get(UnitOfWork)).commit()
        return order

    async def get(self, actor: Actor, path: str, **params: Any) -> Any:
        return await self.client.get(path, headers={"Authorization": f"Bearer {actor.token}"}, params=params)

    async def post(self, actor: Actor, path: str, body: dict[str, Any]) -> Any:
        return await self.client.post(path, headers={"Authorization": f"Bearer {actor.token}"}, json=body)


@pytest.fixture
async def world() -> AsyncIterator[World]:
    orders, gateway = InMemoryPaidOrders(), InMemoryPaymentGateway()
    fakes = Provider(scope=Scope.APP)
    fakes.provide(lambda: orders, provides=PaidOrders)
    fakes.provide(lambda: orders, provides=OrderRefunds)
    fakes.provide(lambda: gateway, provides=PaymentGateway)
    client, container, _ = build_client(fakes)
    async with client:
        built = World(client, container, orders)
        built.gateway = gateway
        yield built


async def test_a_customer_reads_their_invoice_as_json_and_pdf_and_pages_through_the_list(world: World) -> None:
    customer = await session_actor(world.container, "buyer", Role.CUSTOMER)
    for _ in range(3):
        await world.paid(customer)
    first = await world.get(customer, "/api/payments/invoices", limit=2)
    assert first.status_code == 200
    page = first.json()
    assert len(page["items"]) == 2 and page["next"]
    rest = (await world.get(customer, "/api/payments/invoices", limit=2, after=page["next"])).json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    numbers = sorted(item["number"] for item in [*page["items"], *rest["items"]])
    assert [number[-6:] for number in numbers] == ["000001", "000002", "000003"]

    invoice_id = page["items"][0]["id"]
    body = (await world.get(customer, f"/api/payments/invoices/{invoice_id}")).json()
    assert body["currency"] == "EUR" and body["currencyExponent"] == 2
    assert body["total"]["gross"] == sum(line["amounts"]["gross"] for line in body["lines"])
    assert {rate["taxRatePercent"] for rate in body["taxByRate"]} == {"19", "7"}
    assert body["refundable"] == body["total"]["gross"]

    pdf = await world.get(customer, f"/api/payments/invoices/{invoice_id}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and body["number"] in pdf.headers["content-disposition"]


async def test_someone_elses_invoice_is_not_found_and_an_admin_sees_it(world: World) -> None:
    owner = await session_actor(world.container, "owner", Role.CUSTOMER)
    stranger = await session_actor(world.container, "stranger", Role.CUSTOMER)
    admin = await session_actor(world.container, "admin", Role.ADMIN, two_factor=True)
    await world.paid(owner)
    [item] = (await world.get(owner, "/api/payments/invoices")).json()["items"]
    for path in (f"/api/payments/invoices/{item['id']}", f"/api/payments/invoices/{item['id']}/pdf"):
        answer = await world.get(stranger, path)
        assert answer.status_code == 404 and answer.json()["code"] == "invoice_not_found"
    assert (await world.get(stranger, "/api/payments/invoices")).json()["items"] == []
    assert (await world.get(admin, f"/api/payments/invoices/{item['id']}")).status_code == 200


async def test_a_malformed_cursor_is_a_problem_naming_the_field(world: World) -> None:
    customer = await session_actor(world.container, "buyer", Role.CUSTOMER)
    answer = await world.get(customer, "/api/payments/invoices", after="not-a-cursor")
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["errors"][0]["field"] == "after"


async def test_refunds_produce_credit_notes_and_stop_at_what_is_refundable(world: World) -> None:
    customer = await session_actor(world.container, "buyer", Role.CUSTOMER)
    order = await world.paid(customer)
    partial = await world.post(customer, "/api/payments/refund", {"orderId": str(order.order_id), "amount": 1500})
    assert partial.status_code == 201, partial.text
    refund = partial.json()
    assert refund["status"] == "succeeded" and refund["creditNote"]["number"].endswith("-000001")

    note = (await world.get(customer, f"/api/payments/credit-notes/{refund['creditNote']['id']}")).json()
    assert note["total"]["gross"] == 1500 and sum(line["gross"] for line in note["lines"]) == 1500
    pdf = await world.get(customer, f"/api/payments/credit-notes/{note['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    too_much = await world.post(customer, "/api/payments/refund", {"orderId": str(order.order_id), "amount": 10**9})
    assert too_much.status_code == 422 and too_much.json()["code"] == "refund_exceeds_remaining"
    rest = await world.post(customer, "/api/payments/refund", {"orderId": str(order.order_id)})
    assert rest.status_code == 201 and rest.json()["creditNote"]["number"].endswith("-000002")
    [item] = (await world.get(customer, "/api/payments/invoices")).json()["items"]
    invoice = (await world.get(customer, f"/api/payments/invoices/{item['id']}")).json()
    assert invoice["refundable"] == 0 and len(invoice["creditNotes"]) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [({"amount": 5}, "orderId"), ({"orderId": "00000000-0000-0000-0000-000000000000", "amount": 0}, "amount")],
)
async def test_bad_refund_bodies_are_problems_naming_the_field(world: World, body: dict[str, Any], field: str) -> None:
    customer = await session_actor(world.container, "buyer", Role.CUSTOMER)
    answer = await world.post(customer, "/api/payments/refund", body)
    assert answer.status_code in (400, 422)
    assert field in answer.text


async def test_someone_elses_order_cannot_be_refunded(world: World) -> None:
    owner = await session_actor(world.container, "owner", Role.CUSTOMER)
    stranger = await session_actor(world.container, "stranger", Role.CUSTOMER)
    order = await world.paid(owner)
    answer = await world.post(stranger, "/api/payments/refund", {"orderId": str(order.order_id)})
    assert answer.status_code == 404 and world.gateway.refunds == {}


async def test_a_refund_retried_with_its_idempotency_key_refunds_once(world: World) -> None:
    customer = await session_actor(world.container, "buyer", Role.CUSTOMER)
    order = await world.paid(customer)
    headers = {"Authorization": f"Bearer {customer.token}", "Idempotency-Key": "refund-try-1"}
    body = {"orderId": str(order.order_id), "amount": 700}
    first = await world.client.post("/api/payments/refund", headers=headers, json=body)
    again = await world.client.post("/api/payments/refund", headers=headers, json=body)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert len(world.gateway.refunds) == 1
