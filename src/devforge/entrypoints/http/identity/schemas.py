from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from devforge.application.identity.views import TokenPair, UserView
from devforge.domain.identity.password_policy import MAX_LENGTH, MIN_LENGTH
from devforge.entrypoints.http.schemas import NO_CONTROL_CHARACTERS, CamelStruct
from devforge.entrypoints.http.stated_rules import EMAIL, EMAIL_MAX_LENGTH, stated

Email = Annotated[
    str,
    NO_CONTROL_CHARACTERS,
    Meta(max_length=320, examples=["ada@example.com"], description="Normalized before use"),
    stated(pattern=EMAIL, maxLength=EMAIL_MAX_LENGTH),
]
Password = Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=1024, examples=["correct horse battery staple"])]
NewPassword = Annotated[
    Password,
    Meta(description="8 to 128 characters, not a common password"),
    stated(minLength=MIN_LENGTH, maxLength=MAX_LENGTH),
]


class RegisterRequest(CamelStruct):
    email: Email
    password: NewPassword
    role: Literal["customer", "developer"] = "customer"


class LoginRequest(CamelStruct):
    email: Email
    password: Password


class RefreshRequest(CamelStruct):
    refresh_token: Annotated[
        str, NO_CONTROL_CHARACTERS, Meta(max_length=256, examples=["q3Yx5rO0v0s1l0i9kZb4nJf7Jk3J8o9b2bq1W0zY6aQ"])
    ]


class UserResponse(CamelStruct):
    id: UUID
    email: str
    role: str
    status: str
    email_verified: bool
    created_at: datetime

    @classmethod
    def of(cls, view: UserView) -> UserResponse:
        return cls(view.id, view.email, view.role, view.status, view.email_verified, view.created_at)


class TokenResponse(CamelStruct):
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime
    session_id: UUID
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret

    @classmethod
    def of(cls, pair: TokenPair) -> TokenResponse:
        return cls(
            pair.access_token, pair.access_expires_at, pair.refresh_token, pair.refresh_expires_at, pair.session_id
        )
