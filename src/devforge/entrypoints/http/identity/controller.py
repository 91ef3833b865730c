"""``/api/auth``: sign up, sign in, refresh, sign out, who am I."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from devforge.application.identity.authenticate import Principal
from devforge.application.identity.get_current_user import GetCurrentUser
from devforge.application.identity.log_in import LogIn, LogInHandler
from devforge.application.identity.log_out import LogOutHandler
from devforge.application.identity.login_challenges import TwoFactorChallenge
from devforge.application.identity.refresh_session import RefreshSession, RefreshSessionHandler
from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.authorization import BEARER, GRANTED, require
from devforge.entrypoints.http.identity.authentication_schemas import TwoFactorChallengeResponse
from devforge.entrypoints.http.identity.schemas import (
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
    TokenResponse,
    UserResponse,
)
from devforge.entrypoints.http.openapi_docs import problems


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post(
        "/register",
        status_code=HTTP_201_CREATED,
        summary="Create an account",
        description="Creates a customer (default) or developer account and queues a welcome mail.",
        responses=problems(400, 409, 422, 429),
        opt={"rate_limit": "auth"},
    )
    async def register(self, data: JSONBody[RegisterRequest], handler: FromDishka[RegisterUserHandler]) -> UserResponse:
        view = await handler(RegisterUser(email=data.email, password=data.password, role=Role(data.role)))
        return UserResponse.of(view)

    @post(
        "/login",
        status_code=HTTP_200_OK,
        summary="Sign in",
        description=(
            "Starts a session: a 15-minute access token and a rotating refresh token. When the account has "
            "two-factor on, answers `twoFactorRequired: true` with a 5-minute `challengeToken` instead; "
            "send it with a code to `/login/2fa`. After 5 failed attempts in 5 minutes from one address an "
            "account answers 429 with Retry-After to that address, right password or not; past 100 failures "
            "an hour from anywhere, only addresses the account signed in from lately get through."
        ),
        responses=problems(400, 401, 403, 429),
        opt={"rate_limit": "auth", "answers_secrets": True},
    )
    async def login(
        self, data: JSONBody[LoginRequest], request: Request[Any, Any, Any], handler: FromDishka[LogInHandler]
    ) -> TokenResponse | TwoFactorChallengeResponse:
        client = request.client.host if request.client else ""
        answer = await handler(
            LogIn(data.email, data.password, ip=client, device=request.headers.get("user-agent", ""))
        )
        if isinstance(answer, TwoFactorChallenge):
            return TwoFactorChallengeResponse.of(answer)
        return TokenResponse.of(answer)

    @post(
        "/refresh",
        status_code=HTTP_200_OK,
        summary="Rotate the refresh token",
        description="Answers a new token pair. A refresh token works once: replaying it revokes the session.",
        responses=problems(400, 401, 429),
        opt={"rate_limit": "auth", "answers_secrets": True},
    )
    async def refresh(
        self, data: JSONBody[RefreshRequest], handler: FromDishka[RefreshSessionHandler]
    ) -> TokenResponse:
        return TokenResponse.of(await handler(RefreshSession(data.refresh_token)))

    @post(
        "/logout",
        status_code=HTTP_204_NO_CONTENT,
        summary="Sign out",
        description="Revokes the caller's session; its access and refresh tokens stop working at once.",
        guards=[require(IdentityPermission.SESSIONS_MANAGE_OWN)],
        dependencies=GRANTED,
        security=BEARER,
        responses=problems(400, 401, 403, 429),
    )
    async def logout(self, principal: NamedDependency[Principal], handler: FromDishka[LogOutHandler]) -> None:
        await handler(principal)

    @get(
        "/me",
        summary="The caller's account",
        description="Needs `users:read_self`: a session, or an API key with that scope.",
        guards=[require(IdentityPermission.USERS_READ_SELF)],
        dependencies=GRANTED,
        security=BEARER,
        responses=problems(400, 401, 403, 429),
    )
    async def me(self, principal: NamedDependency[Principal], handler: FromDishka[GetCurrentUser]) -> UserResponse:
        return UserResponse.of(await handler(principal))
