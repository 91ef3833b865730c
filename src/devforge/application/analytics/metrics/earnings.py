"""A publisher's earnings from sales, per currency: billing's ``seller_earnings_posted`` facts
(the share credited at each sale and renewal, less what refunds and lost disputes gave back),
summed in minor units. They equal the movement of the publisher's payable account in billing's
ledger from sales, to the minor unit (``tests/unit/analytics/test_developer_earnings.py``)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from devforge.application.analytics.metric_catalogue import Metric, MetricPoint, MetricWindow
from devforge.application.analytics.metric_shapes import Count
from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.metrics import CURRENCY_DIMENSION, PUBLISHER_DIMENSION, MetricDefinition, Scope, Unit
from devforge.domain.analytics.queries import Interval, Measure

EARNINGS_FACT = "seller_earnings_posted"


@dataclass(frozen=True, slots=True)
class PerCurrency:
    """``count`` with every point one currency's (``breakdown`` the currency code): money is never
    added across currencies, whatever breakdown was asked."""

    count: Count

    @property
    def shape(self) -> str:
        return f"{self.count.shape}, per {CURRENCY_DIMENSION}"

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        return await self.count(store, replace(window, breakdown=CURRENCY_DIMENSION))


EARNINGS = Metric(
    MetricDefinition(
        key="developers.earnings",
        version=1,
        title="Earnings",
        definition=(
            "A publisher's earnings from sales in the bucket, per currency, in minor units (cents): the share "
            "of each sale and renewal credited to them (billing's seller_earnings_posted fact, movement sale) "
            "less what refunds and lost disputes gave back of it (movements refund and dispute_lost), when "
            "billing posted it. Equal to the credits on the publisher's payable account in billing's ledger "
            "less their give-backs, to the cent; payouts (paying out what was earned) and service payments "
            "are not earnings from sales and are left out. Never converted between currencies. Kept as long "
            "as the analytics events (DEVFORGE_ANALYTICS_RETENTION_DAYS): billing's ledger is the record."
        ),
        unit=Unit.MINOR_UNITS,
        intervals=frozenset(Interval),
        filters=frozenset({PUBLISHER_DIMENSION, CURRENCY_DIMENSION, "properties.movement"}),
        breakdowns=frozenset({CURRENCY_DIMENSION}),
        scope=Scope.PUBLISHER,
    ),
    PerCurrency(Count((EARNINGS_FACT,), Measure.SUM, summed="properties.amount")),
)
