"""Every event consumer of every context, by name. A consumer added to a context is listed
here once; its subscriptions come from its own ``subscribes_to``."""

from __future__ import annotations

from devforge.application.billing.process_provider_event import ProcessProviderEvent
from devforge.application.billing.record_dispute import (
    WhenDisputeLostPostToLedger,
    WhenDisputeOpenedHoldInLedger,
    WhenDisputeWonReleaseHold,
)
from devforge.application.billing.when_order_fulfilled_send_receipt import WhenOrderFulfilledSendReceipt
from devforge.application.billing.when_order_paid_issue_invoice import WhenOrderPaidIssueInvoice
from devforge.application.billing.when_order_refunded_issue_credit_note import WhenOrderRefundedIssueCreditNote
from devforge.application.billing.when_order_taken_back_cancel_subscription import (
    WhenOrderTakenBackCancelSubscription,
)
from devforge.application.billing.when_subscription_payment_failed_send_dunning_mail import (
    WhenSubscriptionPaymentFailedSendDunningMail,
)
from devforge.application.billing.when_subscription_renewed_issue_invoice import WhenSubscriptionRenewedIssueInvoice
from devforge.application.billing.when_subscription_renewed_send_receipt import WhenSubscriptionRenewedSendReceipt
from devforge.application.common.consumers import EventConsumer, Subscriptions
from devforge.application.common.send_queued_mail import WhenMailQueuedSendIt
from devforge.application.identity.when_account_security_changed_notify import (
    WhenApiKeyCreatedSendNotice,
    WhenPasswordChangedSendNotice,
    WhenSessionStartedSendNewSignInMail,
    WhenTwoFactorChangedSendNotice,
)
from devforge.application.identity.when_password_reset_requested_send_link import WhenPasswordResetRequestedSendLink
from devforge.application.identity.when_user_registered_send_welcome_mail import WhenUserRegisteredSendWelcomeMail
from devforge.application.identity.when_verification_requested_send_link import WhenVerificationRequestedSendLink
from devforge.application.licensing.when_license_changed_forget_cached_license import (
    WhenLicenseChangedForgetCachedLicense,
)
from devforge.application.licensing.when_order_paid_issue_license import WhenOrderPaidIssueLicense
from devforge.application.licensing.when_order_refunded_revoke_license import WhenOrderRefundedRevokeLicense
from devforge.application.licensing.when_subscription_payment_failed_suspend_license import (
    WhenSubscriptionPaymentFailedSuspendLicense,
)
from devforge.application.licensing.when_subscription_renewed_renew_license import (
    WhenSubscriptionRenewedRenewLicense,
)
from devforge.application.marketplace.run_review import WhenVersionUploadedRunReview
from devforge.application.marketplace.when_version_reviewed_mail_publisher import WhenVersionReviewedMailPublisher
from devforge.application.marketplace.withdraw import WhenArchiveWithdrawnPurgeCdn

CONSUMERS: tuple[type[EventConsumer], ...] = (  # type: ignore[assignment]
    WhenMailQueuedSendIt,
    WhenVersionUploadedRunReview,
    WhenVersionReviewedMailPublisher,
    WhenArchiveWithdrawnPurgeCdn,
    WhenUserRegisteredSendWelcomeMail,
    WhenVerificationRequestedSendLink,
    WhenPasswordResetRequestedSendLink,
    WhenSessionStartedSendNewSignInMail,
    WhenTwoFactorChangedSendNotice,
    WhenPasswordChangedSendNotice,
    WhenApiKeyCreatedSendNotice,
    WhenLicenseChangedForgetCachedLicense,
    ProcessProviderEvent,
    WhenOrderPaidIssueInvoice,
    WhenOrderRefundedIssueCreditNote,
    WhenDisputeOpenedHoldInLedger,
    WhenDisputeWonReleaseHold,
    WhenDisputeLostPostToLedger,
    WhenOrderFulfilledSendReceipt,
    WhenSubscriptionRenewedIssueInvoice,
    WhenSubscriptionRenewedSendReceipt,
    WhenSubscriptionPaymentFailedSendDunningMail,
    WhenOrderTakenBackCancelSubscription,
    WhenOrderPaidIssueLicense,
    WhenOrderRefundedRevokeLicense,
    WhenSubscriptionRenewedRenewLicense,
    WhenSubscriptionPaymentFailedSuspendLicense,
)

CONSUMERS_BY_NAME: dict[str, type[EventConsumer]] = {consumer.name: consumer for consumer in CONSUMERS}


def subscriptions() -> Subscriptions:
    return Subscriptions({consumer.name: consumer.subscribes_to for consumer in CONSUMERS})
