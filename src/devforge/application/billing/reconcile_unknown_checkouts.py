"""Resolve checkouts whose outcome was lost: ask the provider whether the session exists.

Found: the order waits for its payment with that session. Not found after ``give_up_after``:
nothing was created at the provider, so the order is cancelled (the buyer starts again).
Orders younger than ``settle`` are left alone: the provider may still be answering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from devforge.application.billing.payment_gateway import PaymentGateway, PaymentProviderUnavailable
from devforge.application.billing.ports import OrderRepository
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.billing.order import OrderStatus


@dataclass(frozen=True, slots=True)
class ReconcileReport:
    found: int
    cancelled: int
    still_unknown: int


class ReconcileUnknownCheckouts:
    def __init__(self, uow: UnitOfWork, orders: OrderRepository, gateway: PaymentGateway, clock: Clock) -> None:
        self._uow, self._orders, self._gateway, self._clock = uow, orders, gateway, clock

    async def __call__(
        self, *, settle: timedelta = timedelta(minutes=1), give_up_after: timedelta = timedelta(hours=1)
    ) -> ReconcileReport:
        now = self._clock.now()
        found = cancelled = unknown = 0
        for candidate in await self._orders.list_checkout_unknown(older_than=now - settle, limit=100):
            try:
                session = await self._gateway.find_checkout(candidate.id)
            except PaymentProviderUnavailable:
                unknown += 1
                continue
            order = await self._orders.get(candidate.id, for_update=True)
            if order is None or order.status is not OrderStatus.CHECKOUT_UNKNOWN:
                continue
            if session is not None:
                order.checkout_started(session.provider, session.session_id, session.redirect_url, now)
                found += 1
            elif now - order.created_at >= give_up_after:
                order.cancel(now)
                cancelled += 1
            else:
                unknown += 1
                continue
            await self._orders.update(order)
            await self._uow.commit()
        return ReconcileReport(found=found, cancelled=cancelled, still_unknown=unknown)
