"""``/api/auth/2fa/*`` and the second sign-in step ``/api/auth/login/2fa``."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from devforge.application.identity.confirm_two_factor import ConfirmTwoFactor, ConfirmTwoFactorHandler
from devforge.application.identity.disable_two_factor import DisableTwoFactor, DisableTwoFactorHandler
from devforge.application.identity.enroll_two_factor import EnrollTwoFactorHandler
from devforge.application.identity.log_in_with_two_factor import LogInWithTwoFactor, LogInWithTwoFactorHandler
from devforge.application.identity.principal import Principal
from devforge.domain.identity.permissions import IdentityPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.identity.authentication_schemas import (
    EnrollmentResponse,
    LoginTwoFactorRequest,
    RecoveryCodesResponse,
    TwoFactorCodeRequest,
)
from devforge.entrypoints.http.identity.schemas import TokenResponse
from devforge.entrypoints.http.openapi_docs import problems

OWN_TWO_FACTOR = [require(IdentityPermission.TWO_FACTOR_MANAGE_OWN)]


class TwoFactorController(Controller):
    path = "/api/auth"
    tags = ["auth", "two-factor"]

    @post(
        "/2fa/enroll",
        status_code=HTTP_200_OK,
        summary="Start turning two-factor on",
        description=(
            "Answers a new TOTP secret and its `otpauth://` URI (issuer Dev Forge, your email) for an "
            "authenticator app; nothing is on until `/2fa/confirm`. Enrolling again replaces a pending secret."
        ),
        responses=problems(400, 401, 403, 409, 429),
        guards=OWN_TWO_FACTOR,
        dependencies=GRANTED,
        security=BEARER,
        opt={"answers_secrets": True},
    )
    async def enroll(
        self, principal: NamedDependency[Principal], handler: FromDishka[EnrollTwoFactorHandler]
    ) -> EnrollmentResponse:
        enrollment = await handler(principal)
        return EnrollmentResponse(enrollment.secret, enrollment.otpauth_uri)

    @post(
        "/2fa/confirm",
        status_code=HTTP_200_OK,
        summary="Turn two-factor on",
        description=(
            "A current code from the app turns two-factor on and answers 10 recovery codes, shown this "
            "once. `revokeOtherSessions` signs out every other session. Wrong codes are throttled (429)."
        ),
        responses=problems(400, 401, 403, 409, 422, 429),
        guards=OWN_TWO_FACTOR,
        dependencies=GRANTED,
        security=BEARER,
        opt={"answers_secrets": True},
    )
    async def confirm(
        self,
        data: JSONBody[TwoFactorCodeRequest],
        principal: NamedDependency[Principal],
        handler: FromDishka[ConfirmTwoFactorHandler],
    ) -> RecoveryCodesResponse:
        codes = await handler(principal, ConfirmTwoFactor(data.code, data.revoke_other_sessions))
        return RecoveryCodesResponse(codes)

    @post(
        "/2fa/disable",
        status_code=HTTP_204_NO_CONTENT,
        summary="Turn two-factor off",
        description="Needs a fresh code from the app (not one used before); deletes the secret and recovery codes.",
        responses=problems(400, 401, 403, 409, 422, 429),
        guards=OWN_TWO_FACTOR,
        dependencies=GRANTED,
        security=BEARER,
    )
    async def disable(
        self,
        data: JSONBody[TwoFactorCodeRequest],
        principal: NamedDependency[Principal],
        handler: FromDishka[DisableTwoFactorHandler],
    ) -> None:
        await handler(principal, DisableTwoFactor(data.code, data.revoke_other_sessions))

    @post(
        "/login/2fa",
        status_code=HTTP_200_OK,
        summary="Sign in: second step",
        description=(
            "Trades the challenge from `/login` and a code from the app (`code`) or a recovery code "
            "(`recoveryCode`) for a token pair. Each code works once; the challenge lasts 5 minutes and "
            "yields one session; wrong codes are throttled per account (429 with Retry-After)."
        ),
        responses=problems(400, 401, 403, 422, 429),
        opt={"rate_limit": "auth", "answers_secrets": True},
    )
    async def log_in_with_two_factor(
        self,
        data: JSONBody[LoginTwoFactorRequest],
        request: Request[Any, Any, Any],
        handler: FromDishka[LogInWithTwoFactorHandler],
    ) -> TokenResponse:
        command = LogInWithTwoFactor(
            data.challenge_token,
            code=data.code,
            recovery_code=data.recovery_code,
            ip=request.client.host if request.client else "",
            device=request.headers.get("user-agent", ""),
        )
        return TokenResponse.of(await handler(command))
