"""Revenue: MRR, its movements, ARR, ARPA, net revenue retention, subscriptions billed and refunds,
per calendar month (UTC) and currency (MRR, from its version 2, also per UTC day), from billing's
revenue facts (the definitions in full: ``domain/analytics/mrr.py``, ``revenue_months.py``,
``billings.py``; architecture.md, "Revenue").
Money is in the currency's minor units, tax excluded except refunds; every point is one currency's
(``breakdown`` is the currency code: no exchange rates are guessed). Platform figures: admins and
analysts. They reconcile with billing's ledger (``ReconcileRevenue``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from devforge.application.analytics.metric_catalogue import Computation, Metric, MetricPoint, MetricWindow
from devforge.application.analytics.ports import AnalyticsStore
from devforge.domain.analytics.billings import monthly_money
from devforge.domain.analytics.metrics import CURRENCY_DIMENSION, MetricDefinition, Unit
from devforge.domain.analytics.queries import Interval, bucket_of
from devforge.domain.analytics.revenue_facts import charges, given_back, mrr_changes
from devforge.domain.analytics.revenue_months import (
    BASIS_POINTS,
    closing_mrr,
    months_between,
    net_revenue_retention,
    next_month,
    revenue_months,
)

CURRENCY = CURRENCY_DIMENSION
_MONTHLY, _BY_CURRENCY = frozenset({Interval.MONTH}), frozenset({CURRENCY})
_DAILY_OR_MONTHLY = frozenset({Interval.DAY, Interval.MONTH})
_LAST = timedelta(microseconds=1)


def _currencies(window: MetricWindow) -> set[str] | None:
    """The currencies a filter asks for (None: every one)."""
    wanted = [set(f.values) for f in window.filters if f.dimension == CURRENCY]
    return set.intersection(*wanted) if wanted else None


def _kept(points: list[MetricPoint], window: MetricWindow) -> list[MetricPoint]:
    currencies = _currencies(window)
    return [p for p in points if currencies is None or p.breakdown in currencies]


@dataclass(frozen=True, slots=True)
class MonthlyRevenue:
    """One field of ``RevenueMonth`` (``mrr`` is the month's closing MRR) per month and currency."""

    figure: str

    @property
    def shape(self) -> str:
        return f"{self.figure} of each month and currency, from the revenue facts (revenue_months)"

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        months = months_between(window.start, window.end - _LAST)
        found = revenue_months(mrr_changes(await store.revenue_facts()), months)
        field = "closing" if self.figure == "mrr" else self.figure
        return _kept([MetricPoint(m.month, getattr(m, field), m.currency) for m in found], window)


@dataclass(frozen=True, slots=True)
class ClosingMrrByBucket:
    """MRR at the end of each day or month of the window, per currency (``closing_mrr``): a month's
    is the monthly ``MonthlyRevenue("mrr")``'s figure, a day's the same rules at the day's end."""

    @property
    def shape(self) -> str:
        return "mrr at the end of each day or month and currency, from the revenue facts (closing_mrr)"

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        if window.interval is Interval.MONTH:
            starts = months_between(window.start, window.end - _LAST)
            end = next_month(starts[-1])
        else:
            starts, at = [], bucket_of(window.start, Interval.DAY)
            while at < window.end:
                starts.append(at)
                at += timedelta(days=1)
            end = at
        found = closing_mrr(mrr_changes(await store.revenue_facts()), starts, end)
        return _kept([MetricPoint(c.bucket, c.mrr, c.currency) for c in found], window)


@dataclass(frozen=True, slots=True)
class MonthlyMoney:
    """Subscriptions ``billed`` (net) or ``refunded`` (tax included) per month and currency."""

    figure: str

    @property
    def shape(self) -> str:
        return f"{self.figure} of each month and currency, from the revenue facts (monthly_money)"

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        facts = await store.revenue_facts()
        points = [
            MetricPoint(m.month, getattr(m, self.figure), m.currency)
            for m in monthly_money(charges(facts), given_back(facts))
            if window.start <= m.month < window.end
        ]
        return _kept(points, window)


@dataclass(frozen=True, slots=True)
class MonthlyRetention:
    @property
    def shape(self) -> str:
        return "net revenue retention of each month and currency, from the revenue facts (net_revenue_retention)"

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        changes = mrr_changes(await store.revenue_facts())
        currencies = sorted({c.currency for c in changes})
        points = []
        for month in months_between(window.start, window.end - _LAST):
            for currency in currencies:
                kept = net_revenue_retention(changes, month, next_month(month), currency)
                if kept is not None:
                    points.append(MetricPoint(month, kept / BASIS_POINTS, currency))
        return _kept(points, window)


def _metric(
    key: str,
    title: str,
    definition: str,
    computation: Computation,
    unit: Unit = Unit.MINOR_UNITS,
    version: int = 1,
    intervals: frozenset[Interval] = _MONTHLY,
) -> Metric:
    return Metric(
        MetricDefinition(
            key=f"revenue.{key}",
            version=version,
            title=title,
            definition=definition,
            unit=unit,
            intervals=intervals,
            filters=_BY_CURRENCY,
            breakdowns=_BY_CURRENCY,
        ),
        computation,
    )


_MRR = (
    "A subscription's MRR is its net charge per month, tax excluded (a yearly plan: floor(net / 12), the "
    "remainder never counted), from its start (billing's subscription_started) until its end "
    "(subscription_ended); renewals, failed renewals and refunds leave it as is. Per currency, no conversion."
)
_MOVE = (
    " A movement is each moment a customer's MRR in a currency changes (changes at one moment net out): "
    "from 0 is new the first time and reactivation after; to 0 is churn; else up is expansion, down contraction."
)
REVENUE_METRICS = (
    _metric("mrr", "MRR", "Monthly recurring revenue at the end of the month. " + _MRR, MonthlyRevenue("mrr")),
    _metric(
        "mrr",
        "MRR",
        "Monthly recurring revenue at the end of the bucket: of the UTC day, or of the month (the same figure as "
        "version 1 by the month; a month's last day has its figure). " + _MRR,
        ClosingMrrByBucket(),
        version=2,
        intervals=_DAILY_OR_MONTHLY,
    ),
    _metric("arr", "ARR", "Annual recurring revenue: 12 x MRR at the end of the month. " + _MRR, MonthlyRevenue("arr")),
    *(
        _metric(
            f"mrr_{kind}",
            f"MRR movement: {kind}",
            f"The MRR moved by {kind} movements in the month (a positive amount). " + _MRR + _MOVE,
            MonthlyRevenue(kind),
        )
        for kind in ("new", "expansion", "contraction", "churn", "reactivation")
    ),
    _metric(
        "arpa",
        "ARPA",
        "Average revenue per account: floor(MRR / customers paying in the currency) at the end of the month. " + _MRR,
        MonthlyRevenue("arpa"),
    ),
    _metric(
        "paying_accounts",
        "Paying accounts",
        "Customers with MRR above 0 in the currency at the end of the month. " + _MRR,
        MonthlyRevenue("accounts"),
        Unit.PEOPLE,
    ),
    _metric(
        "net_revenue_retention",
        "Net revenue retention",
        "Of the customers paying in the currency at the start of the month, their MRR at its end over their MRR "
        "at its start (expansion, contraction, churn and any return counted; newcomers left out); above 1 when "
        "expansion outweighs churn. Basis points floored, as a ratio. " + _MRR,
        MonthlyRetention(),
        Unit.RATIO,
    ),
    _metric(
        "billed",
        "Subscriptions billed",
        "Subscriptions' paid periods in the month, tax excluded: each first period (subscription_started) and "
        "renewal (subscription_renewed) once. Equals the ledger's recognised subscription sales.",
        MonthlyMoney("billed"),
    ),
    _metric(
        "refunds",
        "Refunds",
        "Money given back to buyers in the month, tax included: refunds of any order (order_refunded) and lost "
        "disputes (dispute_lost). Equals the ledger's refund and lost-dispute postings.",
        MonthlyMoney("refunded"),
    ),
)
