"""Bodies of the admin and API-key routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from devforge.application.identity.api_key_views import ApiKeyView, IssuedApiKey
from devforge.application.identity.views import UserView
from devforge.entrypoints.http.identity.authentication_schemas import Code
from devforge.entrypoints.http.identity.schemas import Password
from devforge.entrypoints.http.schemas import NO_CONTROL_CHARACTERS, CamelStruct

Scope = Annotated[str, NO_CONTROL_CHARACTERS, Meta(max_length=64, examples=["extensions:publish"])]


class CreateApiKeyRequest(CamelStruct):
    name: Annotated[
        str, NO_CONTROL_CHARACTERS, Meta(min_length=1, max_length=100, examples=["GitHub Actions publisher"])
    ]
    scopes: Annotated[
        list[Scope],
        Meta(
            max_length=16,
            examples=[["extensions:publish"]],
            description="Part of your own permissions: users:read_self, licenses:read_own, orders:place, "
            "extensions:publish",
        ),
    ]
    expires_in_days: Annotated[int, Meta(ge=1, le=365, examples=[90], description="1 to 365 days")]
    password: Annotated[Password, Meta(description="Your password, to confirm it is you (or send `code`)")] | None = (
        None
    )
    code: Annotated[Code, Meta(description="A fresh code from your authenticator app (two-factor on)")] | None = None


class ApiKeyResponse(CamelStruct):
    id: UUID
    name: str
    prefix: Annotated[str, Meta(description="The key's first 12 characters, to tell keys apart")]
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, view: ApiKeyView) -> ApiKeyResponse:
        return cls(
            view.id,
            view.name,
            view.prefix,
            list(view.scopes),
            view.created_at,
            view.expires_at,
            view.last_used_at,
            view.revoked_at,
        )


class CreatedApiKeyResponse(CamelStruct):
    key: Annotated[
        str,
        Meta(
            description="Shown this once: store it now. Send it as 'Authorization: Bearer <key>'.",
            examples=["dfk_live_3q2Yx5rO0v0s1l0i9kZb4nJf7Jk3J8o9b2bq1W0zY6aQ"],
        ),
    ]
    api_key: ApiKeyResponse

    @classmethod
    def of(cls, issued: IssuedApiKey) -> CreatedApiKeyResponse:
        return cls(issued.secret, ApiKeyResponse.of(issued.key))


class ChangeRoleRequest(CamelStruct):
    role: Annotated[Literal["customer", "developer", "admin", "finance", "analyst"], Meta(examples=["developer"])]


class AdminUserResponse(CamelStruct):
    id: UUID
    email: str
    role: str
    status: str
    email_verified: bool
    two_factor_enabled: bool
    created_at: datetime

    @classmethod
    def of(cls, view: UserView) -> AdminUserResponse:
        return cls(
            view.id, view.email, view.role, view.status, view.email_verified, view.two_factor_enabled, view.created_at
        )
