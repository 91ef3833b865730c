"""A customer's own orders; an administrator's view of anyone's. Someone else's order answers
exactly like a missing one (404), so ids cannot be probed. Plain reads of committed orders
(``OrderReader``: no unit of work)."""

from __future__ import annotations

from uuid import UUID

from devforge.application.billing.ports import OrderReader
from devforge.application.billing.views import OrderView
from devforge.application.common.actor import Actor
from devforge.domain.billing.errors import OrderNotFound
from devforge.domain.billing.permissions import BillingPermission


class ListOrders:
    def __init__(self, orders: OrderReader) -> None:
        self._orders = orders

    async def __call__(self, actor: Actor, *, limit: int = 50, offset: int = 0) -> list[OrderView]:
        owner = None if actor.may(BillingPermission.ADMIN) else actor.user_id
        return [OrderView.of(order) for order in await self._orders.orders_for(owner, limit=limit, offset=offset)]


class GetOrder:
    def __init__(self, orders: OrderReader) -> None:
        self._orders = orders

    async def __call__(self, actor: Actor, order_id: UUID) -> OrderView:
        order = await self._orders.order(order_id)
        if order is None or not (actor.may(BillingPermission.ADMIN) or order.user_id == actor.user_id):
            raise OrderNotFound("No such order.")
        return OrderView.of(order)
