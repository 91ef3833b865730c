"""Every event consumer of every context, by name. A consumer added to a context is listed
here once; its subscriptions come from its own ``subscribes_to``."""

from __future__ import annotations

from devforge.application.common.consumers import EventConsumer, Subscriptions
from devforge.application.identity.when_account_security_changed_notify import (
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

CONSUMERS: tuple[type[EventConsumer], ...] = (  # type: ignore[assignment]
    WhenUserRegisteredSendWelcomeMail,
    WhenVerificationRequestedSendLink,
    WhenPasswordResetRequestedSendLink,
    WhenSessionStartedSendNewSignInMail,
    WhenTwoFactorChangedSendNotice,
    WhenPasswordChangedSendNotice,
    WhenLicenseChangedForgetCachedLicense,
)

CONSUMERS_BY_NAME: dict[str, type[EventConsumer]] = {consumer.name: consumer for consumer in CONSUMERS}


def subscriptions() -> Subscriptions:
    return Subscriptions({consumer.name: consumer.subscribes_to for consumer in CONSUMERS})
