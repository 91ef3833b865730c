"""The revenue facts analytics keeps from billing's published events, and what the figures read
from them. A fact is known by its uuid (the integration event's id): kept twice, it counts once;
facts may arrive in any order, each is placed by its own moment.

| fact (billing's event) | MRR | billed | refunded |
|---|---|---|---|
| ``subscription_started`` (``SubscriptionStartedV1``) | its monthly amount from then on | its first period, net | |
| ``subscription_renewed`` (``SubscriptionRenewedV1``) | unchanged (charges the same) | the period, the start's net | |
| ``subscription_ended`` (``SubscriptionEndedV1``) | 0 from then on, for good | | |
| ``order_refunded`` (``OrderRefundedV1``) | unchanged (a refund is not churn) | | its amount, tax included |
| ``dispute_lost`` (``DisputeLostV1``) | unchanged | | its amount, tax included |

Billing has no trials (a trial's subscription would start its MRR at its first paid charge)
and no change of plan within a subscription (so no proration): an upgrade is a further
subscription of the same customer (expansion), a downgrade the end of one of several (contraction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.analytics.billings import Charge, GivenBack
from devforge.domain.analytics.mrr import MrrChange, monthly_amount


class RevenueFactKind(StrEnum):
    STARTED = "subscription_started"
    RENEWED = "subscription_renewed"
    ENDED = "subscription_ended"
    REFUNDED = "order_refunded"
    DISPUTE_LOST = "dispute_lost"


@dataclass(frozen=True, slots=True)
class RevenueFact:
    """``order_id`` names the subscription (one per order); ``amount`` is tax included, ``net``
    without (only a start knows it: 0 otherwise); ``interval`` only on a start; ``reference`` a
    renewal's provider invoice."""

    uuid: UUID
    kind: RevenueFactKind
    at: datetime
    order_id: UUID
    user_id: UUID
    currency: str = ""
    amount: int = 0
    net: int = 0
    interval: str = ""
    reference: str = ""


def distinct(facts: Iterable[RevenueFact]) -> list[RevenueFact]:
    """Each uuid once (a redelivered event is the same fact)."""
    return list({fact.uuid: fact for fact in facts}.values())


def _starts(facts: Iterable[RevenueFact]) -> dict[UUID, RevenueFact]:
    starts: dict[UUID, RevenueFact] = {}
    for fact in sorted(facts, key=lambda f: (f.at, f.uuid)):
        if fact.kind is RevenueFactKind.STARTED:
            starts.setdefault(fact.order_id, fact)
    return starts


def mrr_changes(facts: Iterable[RevenueFact]) -> list[MrrChange]:
    """A start and an end per subscription; an end whose start is not known yet changes nothing."""
    kept = distinct(facts)
    starts, changes = _starts(kept), []
    for fact in kept:
        start = starts.get(fact.order_id)
        if start is None:
            continue
        if fact.kind is RevenueFactKind.STARTED and fact is start:
            monthly = monthly_amount(fact.net, fact.interval)
            changes.append(MrrChange(fact.at, fact.order_id, fact.user_id, fact.currency, monthly))
        elif fact.kind is RevenueFactKind.ENDED:
            changes.append(MrrChange(fact.at, fact.order_id, start.user_id, start.currency, 0, final=True))
    return changes


def charges(facts: Iterable[RevenueFact]) -> list[Charge]:
    """Each paid period: the start's, and each renewal's at the start's net (a renewal pays the
    order's total again); a renewal whose start is not known yet is not counted yet."""
    kept = distinct(facts)
    starts, found = _starts(kept), []
    for fact in kept:
        start = starts.get(fact.order_id)
        if start is None:
            continue
        if fact is start:
            found.append(Charge(fact.at, fact.order_id, None, fact.currency, fact.net))
        elif fact.kind is RevenueFactKind.RENEWED:
            found.append(Charge(fact.at, fact.order_id, fact.reference, start.currency, start.net))
    return found


def given_back(facts: Iterable[RevenueFact]) -> list[GivenBack]:
    refunds = (RevenueFactKind.REFUNDED, RevenueFactKind.DISPUTE_LOST)
    return [GivenBack(f.at, f.currency, f.amount) for f in distinct(facts) if f.kind in refunds]
