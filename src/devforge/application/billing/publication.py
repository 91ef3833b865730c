"""Billing's domain events as it publishes them (``published.py``), written by ``record_events``."""

from __future__ import annotations

from devforge.application.billing import published
from devforge.application.common.publication import Mirror, Publication
from devforge.domain.billing import events
from devforge.domain.billing.invoice import InvoiceIssued
from devforge.domain.billing.payout import PayoutReturned

PUBLICATION = Publication(
    {
        events.OrderPaid: Mirror(published.OrderPaidV1),
        events.PaymentMismatched: Mirror(published.PaymentMismatchedV1),
        events.OrderRefunded: Mirror(published.OrderRefundedV1),
        events.DisputeOpened: Mirror(published.DisputeOpenedV1),
        events.DisputeWon: Mirror(published.DisputeWonV1),
        events.DisputeLost: Mirror(published.DisputeLostV1),
        events.SubscriptionStarted: Mirror(published.SubscriptionStartedV1),
        events.SubscriptionRenewed: Mirror(published.SubscriptionRenewedV1),
        events.SubscriptionPaymentFailed: Mirror(published.SubscriptionPaymentFailedV1),
        events.SubscriptionEnded: Mirror(published.SubscriptionEndedV1),
        events.ProviderEventReceived: Mirror(published.ProviderEventReceivedV1),
        InvoiceIssued: Mirror(published.InvoiceIssuedV1),
        PayoutReturned: Mirror(published.PayoutReturnedV1),
        events.SellerEarningsPosted: Mirror(published.SellerEarningsPostedV1),
    }
)

# What the use cases call: their aggregates' pending events into the outbox, in their transaction.
record_events = PUBLICATION.record
