"""Identity's authentication hardening: two-factor, sign-in challenges, per-account throttling,
session management and the authentication audit log."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncEngine

from devforge.adapters.memory.auth_audit import InMemoryAuthAuditLog
from devforge.adapters.memory.two_factor import InMemorySecretBox, InMemoryTwoFactorRepository
from devforge.adapters.memory.unit_of_work import InMemoryUnitOfWork
from devforge.adapters.persistence.auth_audit import SqlaAuthAuditLog
from devforge.adapters.persistence.loop_writes import LoopWrites
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.two_factor import SqlaTwoFactorRepository
from devforge.adapters.security.aes_gcm_secret_box import AesGcmSecretBox
from devforge.adapters.security.pyotp_totp_codes import PyotpTotpCodes
from devforge.application.common.cache import Cache
from devforge.application.common.rate_limiter import RateLimiter
from devforge.application.identity.attempt_throttle import AttemptLimit, AttemptThrottle
from devforge.application.identity.auth_audit import AuthAudit, AuthAuditLog
from devforge.application.identity.confirm_two_factor import ConfirmTwoFactorHandler
from devforge.application.identity.disable_two_factor import DisableTwoFactorHandler
from devforge.application.identity.enroll_two_factor import EnrollTwoFactorHandler
from devforge.application.identity.list_auth_audit import ListAuthAudit
from devforge.application.identity.list_my_sessions import ListMySessions
from devforge.application.identity.log_in_with_two_factor import LogInWithTwoFactorHandler
from devforge.application.identity.login_challenges import LoginChallenges
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.reauthentication import Reauthentication
from devforge.application.identity.recovery_codes import RecoveryCodes
from devforge.application.identity.revoke_my_session import RevokeMySessionHandler
from devforge.application.identity.revoke_other_sessions import RevokeOtherSessionsHandler
from devforge.application.identity.start_session import StartSession
from devforge.application.identity.two_factor_check import TwoFactorCheck
from devforge.application.identity.two_factor_ports import SecretBox, TotpCodes, TwoFactorRepository
from devforge.bootstrap.settings import Settings


class AuthenticationProvider(Provider):
    """Use cases and the technology-free services; every profile."""

    scope = Scope.REQUEST
    use_cases = provide_all(
        StartSession,
        EnrollTwoFactorHandler,
        ConfirmTwoFactorHandler,
        DisableTwoFactorHandler,
        LogInWithTwoFactorHandler,
        ListMySessions,
        RevokeMySessionHandler,
        RevokeOtherSessionsHandler,
        ListAuthAudit,
        AuthAudit,
        Reauthentication,
    )

    @provide(scope=Scope.APP)
    def attempt_limit(self) -> AttemptLimit:
        return AttemptLimit()

    @provide(scope=Scope.APP)
    def throttle(self, limiter: RateLimiter, limit: AttemptLimit) -> AttemptThrottle:
        return AttemptThrottle(limiter, limit)

    @provide(scope=Scope.APP)
    def challenges(self, cache: Cache, opaque_tokens: OpaqueTokens) -> LoginChallenges:
        return LoginChallenges(cache, opaque_tokens)

    @provide(scope=Scope.APP)
    def recovery_codes(self, opaque_tokens: OpaqueTokens) -> RecoveryCodes:
        return RecoveryCodes(opaque_tokens)

    @provide(scope=Scope.APP)
    def totp(self) -> TotpCodes:
        return PyotpTotpCodes()

    @provide(scope=Scope.APP)
    def check(self, totp: TotpCodes, box: SecretBox) -> TwoFactorCheck:
        return TwoFactorCheck(totp, box)


class SqlaAuthenticationProvider(Provider):
    """Enrolments and the audit log in SQL; secrets sealed with AES-GCM under the server key."""

    two_factors = provide(SqlaTwoFactorRepository, provides=TwoFactorRepository, scope=Scope.REQUEST)

    @provide(scope=Scope.APP)
    def audit_log(self, engine: AsyncEngine, reads: ReadPath, writes: LoopWrites) -> AuthAuditLog:
        return SqlaAuthAuditLog(engine, reads, writes)  # reads on the common read path

    @provide(scope=Scope.APP)
    def secret_box(self, settings: Settings) -> SecretBox:
        return AesGcmSecretBox(settings.secret, b"totp")


class MemoryAuthenticationProvider(Provider):
    """Unit tests: enrolments in the memory store, the audit log in a list, a fake secret box."""

    @provide(scope=Scope.REQUEST)
    def two_factors(self, transaction: InMemoryUnitOfWork) -> TwoFactorRepository:
        return InMemoryTwoFactorRepository(transaction.store)

    audit_entries = provide(InMemoryAuthAuditLog, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def audit_log(self, entries: InMemoryAuthAuditLog) -> AuthAuditLog:
        return entries

    @provide(scope=Scope.APP)
    def secret_box(self) -> SecretBox:
        return InMemorySecretBox()
