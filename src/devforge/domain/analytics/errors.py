from __future__ import annotations

from devforge.domain.shared.errors import NotAuthenticated, NotFound, RuleViolated, TooLarge, TooManyAttempts


class IngestionCredentialRefused(NotAuthenticated):
    """No ingestion key or license key, or one that is unknown or revoked."""

    code = "ingestion_credential_refused"


class IngestionKeyNotFound(NotFound):
    code = "ingestion_key_not_found"


class BatchTooLarge(TooLarge):
    """Too many events or bytes in one batch (413 naming ``batch``)."""

    code = "batch_too_large"


class BatchEmpty(RuleViolated):
    code = "batch_empty"


class QueryOverBudget(RuleViolated):
    """A figure's query ran past its time budget and was stopped (422 naming ``range``: a
    shorter range, a coarser interval or fewer series answers in time)."""

    code = "query_over_budget"


class MetricNotFound(NotFound):
    """No such metric or version, or one the caller may not read (the same answer: 404)."""

    code = "metric_not_found"


class MetricRequestRefused(RuleViolated):
    """A range, interval, filter or breakdown the metric or the limits do not allow (422 naming it)."""

    code = "metric_request_refused"


class TooManyLiveStreams(TooManyAttempts):
    """A principal holds at most ``analytics_live_streams_per_user`` live streams in one process
    (429 with Retry-After)."""

    code = "too_many_live_streams"


class ForecastNotFound(NotFound):
    """No forecast of that metric yet (the worker computes them once a day, with enough history)."""

    code = "forecast_not_found"


class AlertRuleNotFound(NotFound):
    code = "alert_rule_not_found"
