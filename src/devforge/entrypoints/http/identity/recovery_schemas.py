"""Bodies of the email-verification and password-reset endpoints."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from devforge.entrypoints.http.identity.schemas import Email, NewPassword
from devforge.entrypoints.http.schemas import NO_CONTROL_CHARACTERS, CamelStruct

LinkToken = Annotated[
    str,
    NO_CONTROL_CHARACTERS,
    Meta(
        min_length=1,
        max_length=256,
        examples=["Jk3J8o9b2bq1W0zY6aQq3Yx5rO0v0s1l0i9kZb4nJf7"],
        description="The token from the link in the mail (after `#token=`)",
    ),
]


class VerifyEmailRequest(CamelStruct):
    token: LinkToken


class ResetPasswordRequest(CamelStruct):
    email: Email


class ConfirmResetRequest(CamelStruct):
    token: LinkToken
    new_password: Annotated[NewPassword, Meta(examples=["a new correct horse battery staple"])]


class AcceptedResponse(CamelStruct):
    """The request was taken; what follows happens by mail."""

    detail: Annotated[str, Meta(examples=["If an account uses this address, a reset link is on its way."])]
