"""A provider event as plain JSON (the inbox keeps it that way) and back. Fields added later are
read with a default, so entries stored before them still load."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from devforge.application.billing.payment_gateway import ProviderEvent


def event_to_json(event: ProviderEvent) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "type": event.type,
        "created": event.created.isoformat(),
        "order_id": str(event.order_id) if event.order_id else None,
        "object_id": event.object_id,
        "amount": event.amount,
        "currency": event.currency,
        "payment_id": event.payment_id,
        "subscription_id": event.subscription_id,
        "period_end": event.period_end.isoformat() if event.period_end else None,
        "outcome": event.outcome,
        "charge_id": event.charge_id,
        "invoice_id": event.invoice_id,
        "account": event.account,
    }


def event_from_json(data: dict[str, Any]) -> ProviderEvent:
    return ProviderEvent(
        event_id=data["event_id"],
        type=data["type"],
        created=datetime.fromisoformat(data["created"]),
        order_id=UUID(data["order_id"]) if data["order_id"] else None,
        object_id=data["object_id"],
        amount=data["amount"],
        currency=data["currency"],
        payment_id=data["payment_id"],
        subscription_id=data["subscription_id"],
        period_end=datetime.fromisoformat(data["period_end"]) if data["period_end"] else None,
        outcome=data.get("outcome"),
        charge_id=data.get("charge_id"),
        invoice_id=data.get("invoice_id"),
        account=data.get("account"),
    )
