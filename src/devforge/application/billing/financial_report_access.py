"""What every financial report checks first: the caller holds ``finance:read`` (the route's guard
granted it, with two-factor), and the period is one a report may span (``ReportPeriod.of``)."""

from __future__ import annotations

from datetime import datetime

from devforge.application.common.actor import Actor
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.billing.report_period import ReportPeriod
from devforge.domain.shared.errors import NotPermitted


def finance_period(actor: Actor, start: datetime, end: datetime, interval: str) -> ReportPeriod:
    if not actor.may(BillingPermission.FINANCE_READ):
        raise NotPermitted("The financial reports need finance:read.")
    return ReportPeriod.of(start, end, interval)
