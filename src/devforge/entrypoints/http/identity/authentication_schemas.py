"""Bodies of two-factor, sign-in challenge, session and audit routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from devforge.application.identity.auth_audit import AuthAuditEntry
from devforge.application.identity.list_my_sessions import SessionView
from devforge.application.identity.login_challenges import TwoFactorChallenge
from devforge.entrypoints.http.schemas import NO_CONTROL_CHARACTERS, CamelStruct

Code = Annotated[
    str, NO_CONTROL_CHARACTERS, Meta(max_length=16, examples=["492039"], description="The 6 digits your app shows now")
]
RecoveryCode = Annotated[
    str, NO_CONTROL_CHARACTERS, Meta(max_length=32, examples=["k7m2q-x9p4d"], description="One of your recovery codes")
]
ChallengeToken = Annotated[
    str, NO_CONTROL_CHARACTERS, Meta(max_length=256, examples=["mQ3rX8...challenge"], description="From /login")
]


class TwoFactorChallengeResponse(CamelStruct):
    """What /login answers instead of tokens when the account has two-factor on."""

    challenge_token: str
    challenge_expires_at: datetime
    two_factor_required: Literal[True] = True

    @classmethod
    def of(cls, challenge: TwoFactorChallenge) -> TwoFactorChallengeResponse:
        return cls(challenge.challenge_token, challenge.expires_at)


class LoginTwoFactorRequest(CamelStruct):
    challenge_token: ChallengeToken
    code: Code | None = None
    recovery_code: RecoveryCode | None = None


class EnrollmentResponse(CamelStruct):
    secret: Annotated[str, Meta(examples=["JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"])]
    otpauth_uri: Annotated[
        str, Meta(examples=["otpauth://totp/Dev%20Forge:ada%40example.com?secret=JBSW...&issuer=Dev%20Forge"])
    ]


class TwoFactorCodeRequest(CamelStruct):
    code: Code
    revoke_other_sessions: Annotated[bool, Meta(description="Also sign out every other session")] = False


class RecoveryCodesResponse(CamelStruct):
    recovery_codes: Annotated[list[str], Meta(description="Shown this once; each works once")]


class SessionResponse(CamelStruct):
    id: UUID
    device: str
    ip: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    current: bool
    active: bool

    @classmethod
    def of(cls, view: SessionView) -> SessionResponse:
        return cls(
            view.id,
            view.device,
            view.ip,
            view.created_at,
            view.last_used_at,
            view.expires_at,
            view.current,
            view.active,
        )


class RevokedSessionsResponse(CamelStruct):
    revoked: Annotated[int, Meta(description="Sessions signed out")]
    revoked_api_keys: Annotated[int, Meta(description="API keys revoked")]


class AuthAuditEntryResponse(CamelStruct):
    id: UUID
    at: datetime
    kind: str
    outcome: str
    user_id: UUID | None
    email_digest: str
    ip: str
    user_agent: str
    detail: str

    @classmethod
    def of(cls, entry: AuthAuditEntry) -> AuthAuditEntryResponse:
        return cls(
            entry.id,
            entry.at,
            entry.kind.value,
            entry.outcome.value,
            entry.user_id,
            entry.email_digest,
            entry.ip,
            entry.user_agent,
            entry.detail,
        )
