"""Identity rule violations, named ``<Noun><Problem>``."""

from devforge.domain.shared.errors import Conflict, NotAuthenticated, NotFound, NotPermitted, RuleViolated


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


class PermissionDenied(NotPermitted):
    """The caller's role (or key) does not hold the permission the action needs."""

    code = "permission_denied"


class TwoFactorRequired(NotPermitted):
    """Administrative actions need an account protected by two-factor authentication."""

    code = "two_factor_required"


class ResourceNotFound(NotFound):
    """Also the answer for someone else's resource, so its existence is not revealed."""

    code = "not_found"


class SelfLockoutRefused(NotPermitted):
    """An admin may not disable or demote themselves (there might be no admin left): refused to
    this caller whatever the input, while another admin may do it, so 403 like any other refusal."""

    code = "self_lockout_refused"


class ApiKeyInvalid(NotAuthenticated):
    """Unknown, revoked or expired key, or one whose owner is disabled: one answer for all."""

    code = "api_key_invalid"


class ApiKeyRejected(RuleViolated):
    """A key request breaking a rule (name, scopes, lifetime); ``field`` names the input."""

    code = "api_key_rejected"


class ApiKeyLimitReached(Conflict):
    code = "api_key_limit_reached"


class EmailAlreadyVerified(Conflict):
    code = "email_already_verified"


class TokenInvalid(RuleViolated):
    """A verification or reset link that is unknown or meant for something else."""

    code = "token_invalid"


class TokenExpired(TokenInvalid):
    code = "token_expired"


class TokenAlreadyUsed(TokenInvalid):
    code = "token_already_used"


class TokenSuperseded(TokenInvalid):
    """A newer link was sent, or (for a reset link) the password changed since it was sent."""

    code = "token_superseded"


class TwoFactorCodeInvalid(RuleViolated):
    """A wrong code, a code from outside the accepted window, or one already used."""

    code = "two_factor_code_invalid"


class TwoFactorNotEnrolled(Conflict):
    code = "two_factor_not_enrolled"


class TwoFactorAlreadyEnabled(Conflict):
    code = "two_factor_already_enabled"


class TwoFactorChangedConcurrently(TwoFactorCodeInvalid):
    """Another request used a code of this account between our read and our write."""

    code = "two_factor_changed_concurrently"


class TwoFactorChallengeInvalid(NotAuthenticated):
    """The login challenge is unknown, expired or already turned into a session."""

    code = "two_factor_challenge_invalid"


class TwoFactorSecretUnreadable(RuleViolated):
    """The sealed authenticator secret does not open under the current server key."""

    code = "two_factor_secret_unreadable"


class ReauthenticationRequired(NotPermitted):
    """A sensitive action (minting an API key) needs the account's password or a fresh
    authenticator code with the request: a stolen access token alone is not enough."""

    code = "reauthentication_required"


class ReauthenticationFailed(RuleViolated):
    """The password or code given to confirm a sensitive action is wrong (or the code was used)."""

    code = "reauthentication_failed"
