"""Notifications: who is told what, by mail, on behalf of the other contexts. It owns no
storage (mail goes through the platform's mail outbox)."""

from __future__ import annotations

from devforge.application.notifications.when_alert_fired_mail_subscribers import WhenAlertFiredMailSubscribers
from devforge.application.notifications.when_license_expired_mail_owner import WhenLicenseExpiredMailOwner
from devforge.application.notifications.when_license_expiring_soon_mail_owner import (
    WhenLicenseExpiringSoonMailOwner,
)
from devforge.application.notifications.when_payout_returned_mail_owner import WhenPayoutReturnedMailOwner
from devforge.application.notifications.when_report_run_ready_mail_subscribers import (
    WhenReportRunReadyMailSubscribers,
)
from devforge.application.notifications.when_review_checks_crashed_mail_admins import (
    WhenReviewChecksCrashedMailAdmins,
)
from devforge.bootstrap.context import Context
from devforge.bootstrap.providers.notifications import NotificationsProvider

CONTEXT = Context(
    name="notifications",
    providers=(NotificationsProvider,),
    consumers=(
        WhenLicenseExpiringSoonMailOwner,
        WhenLicenseExpiredMailOwner,
        WhenReviewChecksCrashedMailAdmins,
        WhenPayoutReturnedMailOwner,
        WhenAlertFiredMailSubscribers,
        WhenReportRunReadyMailSubscribers,
    ),
)
