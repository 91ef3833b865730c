"""Identity rule violations, named ``<Noun><Problem>``."""

from devforge.domain.shared.errors import Conflict, NotAuthenticated, NotPermitted, RuleViolated


class EmailInvalid(RuleViolated):
    code = "email_invalid"


class PasswordRejected(RuleViolated):
    code = "password_rejected"


class RoleNotSelfAssignable(RuleViolated):
    code = "role_not_self_assignable"


class EmailAlreadyRegistered(Conflict):
    code = "email_already_registered"


class CredentialsInvalid(NotAuthenticated):
    """One answer for an unknown email and a wrong password, so accounts cannot be enumerated."""

    code = "credentials_invalid"


class SessionInvalid(NotAuthenticated):
    code = "session_invalid"


class SessionChangedConcurrently(SessionInvalid):
    """Another request changed the session between our read and our write."""

    code = "session_changed_concurrently"


class RefreshTokenReused(NotAuthenticated):
    """A rotated refresh token came back: someone holds a stolen copy, so the family is revoked."""

    code = "refresh_token_reused"


class AccountDisabled(NotPermitted):
    code = "account_disabled"


class EmailNotVerified(NotPermitted):
    code = "email_not_verified"
