"""Sign in with email and password: a session, or a challenge when two-factor is on."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.attempt_throttle import AttemptThrottle, address_key
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAudit
from devforge.application.identity.login_challenges import LoginChallenges, TwoFactorChallenge
from devforge.application.identity.ports import PasswordHasher, SessionRepository, UserRepository
from devforge.application.identity.start_session import StartSession
from devforge.application.identity.views import TokenPair
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import AccountDisabled, CredentialsInvalid, EmailInvalid
from devforge.domain.identity.user import User
from devforge.domain.shared.errors import TooManyAttempts

FAMILIAR_FOR = timedelta(days=90)
"""How recently an address must have held a session of the account to pass the ceiling."""


@dataclass(frozen=True, slots=True)
class LogIn:
    email: str
    password: str
    ip: str = ""
    device: str = ""


class LogInHandler:
    """An unknown email, a malformed one and a wrong password get the same answer after the same
    work (a dummy hash is checked), so sign-in does not reveal which accounts exist; the
    throttle is keyed by the normalized email whether or not it has an account.
    Failures count per (account, client address), 5 in any 5 minutes, so a stranger guessing
    from elsewhere cannot lock the owner out; and per account across all addresses, 100 in any
    hour, against guessing from many addresses. Past that ceiling only an address the account
    had a session from in the last 90 days gets through (its own limit still applies), so even a
    distributed attack does not lock the owner out of their usual places.
    A hash made with weaker parameters than today's is replaced on a successful sign-in. With
    two-factor on, the password only earns a 5-minute challenge, not a session. Every attempt
    is audited, refused ones included."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        hasher: PasswordHasher,
        start_session: StartSession,
        challenges: LoginChallenges,
        sessions: SessionRepository,
        throttle: AttemptThrottle,
        audit: AuthAudit,
        clock: Clock,
    ) -> None:
        self._uow, self._users, self._hasher, self._start = uow, users, hasher, start_session
        self._challenges, self._throttle, self._audit, self._clock = challenges, throttle, audit, clock
        self._sessions = sessions

    async def __call__(self, command: LogIn) -> TokenPair | TwoFactorChallenge:
        self._hasher.ensure_room()  # a full hashing queue refuses now: no lookup, no count, no audit line
        email = _normalized(command.email)
        account_key = f"login:{self._audit.email_digest(email)}"
        from_here = f"{account_key}:{address_key(command.ip)}"
        try:
            await self._throttle.ensure_allowed(from_here)
            await self._ensure_under_ceiling(account_key, email, command.ip)
        except TooManyAttempts:
            await self._record(AuditOutcome.THROTTLED, command, email)
            raise
        user, verified = await self._check_password(command, email)
        if user is None or not verified:
            await self._throttle.failed(from_here)
            await self._throttle.failed(account_key, ceiling=True)
            await self._record(AuditOutcome.FAILURE, command, email, user, detail="credentials_invalid")
            raise CredentialsInvalid("The email or password is incorrect.")
        try:
            user.ensure_may_log_in()
        except AccountDisabled:
            await self._record(AuditOutcome.FAILURE, command, email, user, detail="account_disabled")
            raise
        if self._hasher.needs_rehash(user.password_hash):
            user.change_password_hash(await self._hasher.hash(command.password))
            await self._users.replace_password_hash(user.id, user.password_hash)
        if user.two_factor_enabled:
            await self._uow.commit()
            challenge = await self._challenges.issue(user.id, self._clock.now())
            await self._record(AuditOutcome.CHALLENGED, command, email, user)
            return challenge
        pair = await self._start(user, ip=command.ip, device=command.device)
        await self._record(AuditOutcome.SUCCESS, command, email, user, detail=f"session {pair.session_id}")
        return pair

    async def _ensure_under_ceiling(self, account_key: str, email: str, ip: str) -> None:
        try:
            await self._throttle.ensure_allowed(account_key, ceiling=True)
        except TooManyAttempts:
            if not await self._signed_in_from_before(email, ip):
                raise

    async def _signed_in_from_before(self, email: str, ip: str) -> bool:
        try:
            user = await self._users.get_by_email(EmailAddress.parse(email))
        except EmailInvalid:
            return False
        if user is None or not ip:
            return False
        since, here = self._clock.now() - FAMILIAR_FOR, address_key(ip)
        sessions = await self._sessions.list_for_user(user.id)
        return any(address_key(s.ip) == here and s.last_used_at >= since for s in sessions)

    async def _record(
        self, outcome: AuditOutcome, command: LogIn, email: str, user: User | None = None, detail: str = ""
    ) -> None:
        user_id = user.id if user else None
        await self._audit(
            AuditKind.LOGIN,
            outcome,
            user_id=user_id,
            email=email,
            ip=command.ip,
            user_agent=command.device,
            detail=detail,
        )

    async def _check_password(self, command: LogIn, email: str) -> tuple[User | None, bool]:
        """The account, if any, and whether the password is its own (a dummy hash is checked
        when there is no account, so both paths cost the same)."""
        try:
            user = await self._users.get_by_email(EmailAddress.parse(email))
        except EmailInvalid:
            user = None
        return user, await self._hasher.verify(user.password_hash if user else None, command.password)


def _normalized(raw: str) -> str:
    """The account's email when well-formed; otherwise the same normalization, bounded, so a
    malformed address is throttled and audited like any other."""
    try:
        return EmailAddress.parse(raw).value
    except EmailInvalid:
        return unicodedata.normalize("NFKC", raw).strip().lower()[:320]
