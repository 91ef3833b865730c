"""``/api/auth``: verify an email address, reset a forgotten password."""

from __future__ import annotations

from dishka.integrations.litestar import FromDishka
from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from devforge.application.identity.principal import Principal
from devforge.application.identity.request_password_reset import RequestPasswordReset, RequestPasswordResetHandler
from devforge.application.identity.resend_verification import ResendVerificationHandler
from devforge.application.identity.reset_password import ResetPassword, ResetPasswordHandler
from devforge.application.identity.verify_email import VerifyEmail, VerifyEmailHandler
from devforge.domain.identity.permissions import IdentityPermission
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.identity.recovery_schemas import (
    AcceptedResponse,
    ConfirmResetRequest,
    ResetPasswordRequest,
    VerifyEmailRequest,
)
from devforge.entrypoints.http.openapi_docs import problems

RESET_REQUESTED = AcceptedResponse(
    "If an account uses this address, a reset link is on its way. It works once, for 1 hour."
)
VERIFICATION_QUEUED = AcceptedResponse("A new verification link is on its way. It works once, for 24 hours.")


class AccountRecoveryController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post(
        "/verify-email",
        status_code=HTTP_204_NO_CONTENT,
        summary="Verify an email address",
        description=(
            "Marks the account's address verified with the token from the verification mail. "
            "A token works once, for 24 hours; a newer link supersedes older ones. No sign-in needed."
        ),
        responses=problems(400, 422, 429),
        opt={"rate_limit": "auth"},
    )
    async def verify_email(self, data: JSONBody[VerifyEmailRequest], handler: FromDishka[VerifyEmailHandler]) -> None:
        await handler(VerifyEmail(data.token))

    @post(
        "/verify-email/resend",
        status_code=HTTP_202_ACCEPTED,
        summary="Send a new verification link",
        description=(
            "Mails the caller a new verification link, superseding older ones; at most 3 an hour. "
            "Refused with 409 when the address is already verified."
        ),
        guards=[require(IdentityPermission.USERS_MANAGE_SELF)],
        dependencies=GRANTED,
        security=BEARER,
        responses=problems(400, 401, 403, 409, 429),
        opt={"rate_limit": "auth"},
    )
    async def resend_verification(
        self, principal: NamedDependency[Principal], handler: FromDishka[ResendVerificationHandler]
    ) -> AcceptedResponse:
        await handler(principal)
        return VERIFICATION_QUEUED

    @post(
        "/reset-password",
        status_code=HTTP_202_ACCEPTED,
        summary="Ask for a password-reset link",
        description=(
            "Always answers 202 with the same body, whether or not an account uses the address, so "
            "accounts cannot be discovered; a link is mailed only to an existing account, at most 3 an hour. "
            "The link is built from the configured public URL and works once, for 1 hour."
        ),
        responses=problems(400, 422, 429),
        opt={"rate_limit": "auth"},
    )
    async def request_reset(
        self, data: JSONBody[ResetPasswordRequest], handler: FromDishka[RequestPasswordResetHandler]
    ) -> AcceptedResponse:
        await handler(RequestPasswordReset(data.email))
        return RESET_REQUESTED

    @post(
        "/reset-password/confirm",
        status_code=HTTP_204_NO_CONTENT,
        summary="Set a new password with a reset token",
        description=(
            "Sets the password and signs the account out everywhere (every session is revoked). The token "
            "works once, for 1 hour, and not after the password changed. It starts no session: signing in "
            "afterwards still asks for two-factor when the account has it."
        ),
        responses=problems(400, 403, 422, 429),
        opt={"rate_limit": "auth"},
    )
    async def confirm_reset(
        self, data: JSONBody[ConfirmResetRequest], handler: FromDishka[ResetPasswordHandler]
    ) -> None:
        await handler(ResetPassword(data.token, data.new_password))
