"""What billing's use cases answer about orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.domain.billing.order import Order, OrderLine, OrderStatus
from devforge.domain.billing.tax import TaxedAmount
from devforge.domain.billing.vat_id import VatIdCheck


@dataclass(frozen=True, slots=True)
class OrderView:
    id: UUID
    user_id: UUID
    status: OrderStatus
    currency: str
    lines: tuple[OrderLine, ...]
    total: TaxedAmount
    refunded: int
    reverse_charge: bool
    redirect_url: str | None
    created_at: datetime
    paid_at: datetime | None
    vat_id_check: VatIdCheck | None = None
    tax_note: str | None = None
    payment_problem: str | None = None

    @classmethod
    def of(cls, order: Order) -> OrderView:
        return cls(
            id=order.id,
            user_id=order.user_id,
            status=order.status,
            currency=order.currency.code,
            lines=order.lines,
            total=order.total,
            refunded=order.refunded_amount.amount_minor,
            reverse_charge=order.reverse_charge,
            redirect_url=order.redirect_url,
            created_at=order.created_at,
            paid_at=order.paid_at,
            vat_id_check=order.vat_id_check,
            tax_note=order.tax_note,
            payment_problem=order.payment_problem,
        )
