"""Identity: accounts, sessions, two-factor, API keys, account recovery and administration."""

from __future__ import annotations

from collections.abc import Sequence

from dishka import Provider

from devforge.adapters.persistence.tables import api_keys, authentication, one_time_tokens
from devforge.adapters.persistence.tables import identity as identity_tables
from devforge.application.identity.when_account_security_changed_notify import (
    WhenApiKeyCreatedSendNotice,
    WhenPasswordChangedSendNotice,
    WhenSessionStartedSendNewSignInMail,
    WhenTwoFactorChangedSendNotice,
)
from devforge.application.identity.when_password_reset_requested_send_link import WhenPasswordResetRequestedSendLink
from devforge.application.identity.when_user_registered_send_welcome_mail import WhenUserRegisteredSendWelcomeMail
from devforge.application.identity.when_verification_requested_send_link import WhenVerificationRequestedSendLink
from devforge.bootstrap.context import Context, tables_of
from devforge.bootstrap.providers.access import AccessUseCasesProvider, MemoryAccessProvider, SqlaAccessProvider
from devforge.bootstrap.providers.account_recovery import (
    AccountRecoveryProvider,
    MemoryOneTimeTokenProvider,
    SqlaOneTimeTokenProvider,
)
from devforge.bootstrap.providers.authentication import (
    AuthenticationProvider,
    MemoryAuthenticationProvider,
    SqlaAuthenticationProvider,
)
from devforge.bootstrap.providers.identity import (
    IdentitySecurityProvider,
    IdentityUseCasesProvider,
    MemoryIdentityProvider,
    MemoryIdentitySecurityProvider,
    SqlaIdentityProvider,
)
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.identity import IdentitySettings
from devforge.domain.identity.permissions import OWN_ACCOUNT, IdentityPermission
from devforge.domain.identity.roles import Role


def adapters(_: Settings) -> Sequence[Provider]:
    return (IdentitySecurityProvider(),)


CONTEXT = Context(
    name="identity",
    providers=(IdentityUseCasesProvider, AccessUseCasesProvider, AccountRecoveryProvider, AuthenticationProvider),
    sql=(SqlaIdentityProvider, SqlaAccessProvider, SqlaOneTimeTokenProvider, SqlaAuthenticationProvider),
    memory=(
        MemoryIdentitySecurityProvider,
        MemoryIdentityProvider,
        MemoryAccessProvider,
        MemoryOneTimeTokenProvider,
        MemoryAuthenticationProvider,
    ),
    adapters=adapters,
    settings=IdentitySettings,
    consumers=(
        WhenUserRegisteredSendWelcomeMail,
        WhenVerificationRequestedSendLink,
        WhenPasswordResetRequestedSendLink,
        WhenSessionStartedSendNewSignInMail,
        WhenTwoFactorChangedSendNotice,
        WhenPasswordChangedSendNotice,
        WhenApiKeyCreatedSendNotice,
    ),
    http_routes="devforge.entrypoints.http.identity.routes",
    permissions={
        Role.CUSTOMER: OWN_ACCOUNT,
        Role.DEVELOPER: OWN_ACCOUNT,
        Role.FINANCE: OWN_ACCOUNT,
        Role.ANALYST: OWN_ACCOUNT,
        Role.ADMIN: OWN_ACCOUNT | {IdentityPermission.USERS_ADMIN, IdentityPermission.AUDIT_READ},
    },
    tables=(*tables_of(identity_tables, authentication), api_keys, one_time_tokens),
)
