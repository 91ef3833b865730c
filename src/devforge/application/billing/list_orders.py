"""A customer's own orders; an administrator's view of anyone's. Someone else's order answers
exactly like a missing one (404), so ids cannot be probed."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.billing.ports import OrderRepository
from devforge.application.billing.views import OrderView
from devforge.domain.billing.errors import OrderNotFound


@dataclass(frozen=True, slots=True)
class OrderReader:
    """Who asks: plain data the shell builds from identity's principal."""

    user_id: UUID
    is_admin: bool = False


class ListOrders:
    def __init__(self, orders: OrderRepository) -> None:
        self._orders = orders

    async def __call__(self, reader: OrderReader, *, limit: int = 50, offset: int = 0) -> list[OrderView]:
        owner = None if reader.is_admin else reader.user_id
        return [OrderView.of(order) for order in await self._orders.list_for_user(owner, limit=limit, offset=offset)]


class GetOrder:
    def __init__(self, orders: OrderRepository) -> None:
        self._orders = orders

    async def __call__(self, reader: OrderReader, order_id: UUID) -> OrderView:
        order = await self._orders.get(order_id)
        if order is None or not (reader.is_admin or order.user_id == reader.user_id):
            raise OrderNotFound("No such order.")
        return OrderView.of(order)
