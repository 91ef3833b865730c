"""Bodies of the payout routes. Amounts are integer minor units of their currency, never floats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from devforge.application.billing.list_payouts import PublisherPayouts
from devforge.domain.billing.payout import Payout, PayoutHoldChange, SkippedPayout
from devforge.entrypoints.http.schemas import NO_CONTROL_CHARACTERS, CamelStruct

Minor = Annotated[int, Meta(description="Integer minor units of `currency`", examples=[69300])]
Reason = Literal["held", "negative_balance", "disputed", "below_minimum", "account_not_enabled", "tax_form_missing"]


class PayoutResponse(CamelStruct):
    id: Annotated[str, Meta(examples=["2026-12:6f1c1c3e-8a7b-4d55-9a53-0b9d7c2f1e10:USD"])]
    period: Annotated[str, Meta(examples=["2026-12"], description="The run (a month)")]
    currency: Annotated[str, Meta(examples=["USD"])]
    amount: Annotated[int, Meta(description="Transferred, minor units", examples=[52668])]
    withheld: Annotated[int, Meta(description="Tax withheld from it, minor units", examples=[16632])]
    status: Annotated[
        Literal["pending", "sent", "returned"],
        Meta(description="pending: recorded, the transfer not yet confirmed; returned: back in your balance"),
    ]
    transfer_id: str | None
    created_at: datetime
    sent_at: datetime | None
    returned_at: datetime | None
    return_reason: Annotated[
        str | None, Meta(description="transfer_reversed, payout_failed or transfer_refused", examples=[None])
    ]

    @classmethod
    def of(cls, payout: Payout) -> PayoutResponse:
        return cls(
            payout.id, payout.run_id, payout.currency.code, payout.amount.amount_minor, payout.withheld.amount_minor,
            payout.status.value, payout.transfer_id, payout.created_at, payout.sent_at, payout.returned_at,
            payout.return_reason,
        )  # fmt: skip


class SkippedPayoutResponse(CamelStruct):
    period: Annotated[str, Meta(examples=["2026-12"])]
    currency: Annotated[str, Meta(examples=["EUR"])]
    reason: Annotated[
        Reason,
        Meta(
            description=(
                "held: an administrator holds your payouts; negative_balance: refunds after a payout, paid back "
                "from later earnings first; disputed: an open dispute holds what would be available; "
                "below_minimum: less than the minimum for the currency is available; account_not_enabled: no "
                "payout account, or the provider needs more information; tax_form_missing: no tax profile"
            )
        ),
    ]
    available: Annotated[int, Meta(description="The available balance the run saw, minor units", examples=[4200])]
    decided_at: datetime

    @classmethod
    def of(cls, skipped: SkippedPayout) -> SkippedPayoutResponse:
        return cls(
            skipped.run_id, skipped.currency.code, skipped.reason.value, skipped.available.amount_minor,
            skipped.decided_at,
        )  # fmt: skip


class PublisherPayoutsResponse(CamelStruct):
    publisher_id: UUID
    payouts: list[PayoutResponse]
    skipped: list[SkippedPayoutResponse]

    @classmethod
    def of(cls, found: PublisherPayouts) -> PublisherPayoutsResponse:
        return cls(
            found.publisher_id,
            [PayoutResponse.of(p) for p in found.payouts],
            [SkippedPayoutResponse.of(s) for s in found.skipped],
        )


class PayoutHoldBody(CamelStruct):
    held: Annotated[bool, Meta(description="true: hold this publisher's payouts; false: release them")]
    reason: Annotated[str, NO_CONTROL_CHARACTERS, Meta(min_length=1, max_length=500, examples=["Chargeback review"])]


class PayoutHoldChangeResponse(CamelStruct):
    held: bool
    reason: str
    actor_id: UUID
    at: datetime


class PayoutHoldTrailResponse(CamelStruct):
    publisher_id: UUID
    held: Annotated[bool, Meta(description="Whether the publisher's payouts are held now")]
    trail: Annotated[list[PayoutHoldChangeResponse], Meta(description="Every hold and release, oldest first")]

    @classmethod
    def of(cls, publisher_id: UUID, trail: list[PayoutHoldChange]) -> PayoutHoldTrailResponse:
        changes = [PayoutHoldChangeResponse(c.held, c.reason, c.actor_id, c.at) for c in trail]
        return cls(publisher_id, bool(trail) and trail[-1].held, changes)
