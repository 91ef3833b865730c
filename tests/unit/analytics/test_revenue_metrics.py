"""Revenue's metrics in the catalogue: read through the one entry point (``EvaluateMetric``) over
the seeded year, each is the figure ``RevenueFigures`` computes and the seeded-year test proves,
per month and currency; the reconciliation's sums are the billed and refunded metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricRequest
from devforge.application.analytics.metric_catalogue import MetricCatalogue
from devforge.application.analytics.revenue_figures import RevenueFigures
from devforge.domain.analytics.queries import Filter, Interval
from tests.unit.analytics.test_seeded_revenue_year import ANALYST, MONTHS, mrr_just_before, seeded_year

YEAR_END = datetime(2027, 1, 1, tzinfo=UTC)
FIELDS = {
    "revenue.mrr": "closing",
    "revenue.arr": "arr",
    "revenue.mrr_new": "new",
    "revenue.mrr_expansion": "expansion",
    "revenue.mrr_contraction": "contraction",
    "revenue.mrr_churn": "churn",
    "revenue.mrr_reactivation": "reactivation",
    "revenue.arpa": "arpa",
    "revenue.paying_accounts": "accounts",
}


async def test_the_revenue_metrics_read_through_the_catalogue_are_the_seeded_years_figures() -> None:
    year = await seeded_year()
    async with year.world.container() as scope:
        catalogue, evaluate = await scope.get(MetricCatalogue), await scope.get(EvaluateMetric)
        months = await (await scope.get(RevenueFigures)).months(ANALYST, MONTHS[0], MONTHS[-1])
        figures = {}
        for key in [*FIELDS, "revenue.net_revenue_retention", "revenue.billed", "revenue.refunds"]:
            assert catalogue.get(key) is not None, key
            request = MetricRequest(key, MONTHS[0], YEAR_END, Interval.MONTH, breakdown="properties.currency")
            figures[key] = {(p.bucket, p.breakdown): p.value for p in (await evaluate(ANALYST, request)).points}
        usd_only = MetricRequest(
            "revenue.mrr", MONTHS[0], YEAR_END, Interval.MONTH, filters=(Filter("properties.currency", ("USD",)),)
        )
        usd = (await evaluate(ANALYST, usd_only)).points
    for key, field in FIELDS.items():
        assert figures[key] == {(m.month, m.currency): getattr(m, field) for m in months}, key
    assert {p.breakdown for p in usd} == {"USD"} and len(usd) == 4  # March (new and churn), October to December
    assert figures["revenue.mrr_churn"][(MONTHS[8], "EUR")] > 0
    assert {key: value for key, value in figures["revenue.refunds"].items() if value} == dict(year.refunded)
    assert {key: value for key, value in figures["revenue.billed"].items() if value} == dict(year.billed)
    opening_eur = {m.month: m.opening for m in months if m.currency == "EUR"}
    for (month, currency), ratio in figures["revenue.net_revenue_retention"].items():
        assert currency == "EUR" or month >= MONTHS[9]
        assert 0 <= ratio <= 2 and (currency != "EUR" or opening_eur[month] > 0)


async def test_mrr_by_the_day_closes_each_month_at_the_monthly_figure_of_the_seeded_year() -> None:
    """``revenue.mrr`` version 2 by the day: each month's last day is version 1's figure for the
    month, per currency; version 2 by the month is version 1; and every day's figure is the seeded
    year's own subscriptions active at the day's end (the plain calculation of the seeded-year test)."""
    year = await seeded_year()
    async with year.world.container() as scope:
        evaluate = await scope.get(EvaluateMetric)
        by_month = {}
        for version in (1, 2):
            request = MetricRequest("revenue.mrr", MONTHS[0], YEAR_END, Interval.MONTH, version=version)
            by_month[version] = {(p.bucket, p.breakdown): p.value for p in (await evaluate(ANALYST, request)).points}
        daily = MetricRequest("revenue.mrr", MONTHS[0], YEAR_END, Interval.DAY, breakdown="properties.currency")
        series = await evaluate(ANALYST, daily)
    assert series.definition.version == 2
    by_day = {(p.bucket, p.breakdown): p.value for p in series.points}
    assert by_month[2] == by_month[1] and len(by_month[1]) > 12
    for (month, currency), closing in by_month[1].items():
        last_day = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        assert by_day.get((last_day, currency), 0) == closing, (month, currency)
    day = MONTHS[0]
    while day < YEAR_END:
        end = day + timedelta(days=1)
        for currency in ("EUR", "USD"):
            assert by_day.get((day, currency), 0) == mrr_just_before(year.subs, end, currency), (day, currency)
        day = end
    within = [(d, c) for (d, c), v in by_day.items() if v != by_month[1].get((d.replace(day=1), c), 0)]
    assert within  # the days see the changes within a month that its closing figure does not
