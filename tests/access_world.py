"""A cast of callers for authorization tests: one account per role (an admin with and one
without two-factor, a finance account and an analyst with two-factor), API keys with narrow scopes, and a
victim whose resources the others try to reach. Sessions are started directly (not through
sign-in), so the cast does not depend on the sign-in flow; two-factor is switched on through
the repository, as the brief says."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID, uuid4

from dishka import AsyncContainer

from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.create_api_key import CreateApiKey, CreateApiKeyHandler
from devforge.application.identity.ports import AccessTokens, PasswordHasher, SessionRepository, UserRepository
from devforge.application.identity.principal import Principal
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.roles import Role
from devforge.domain.identity.session import Session
from devforge.domain.identity.user import User
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.entrypoints.http.auth import authenticate_bearer

PASSWORD = "correct horse battery staple"
"""Every account's password: creating an API key asks for it."""


@dataclass
class Actor:
    name: str
    user_id: UUID
    token: str
    principal: Principal
    session_id: UUID
    own_key_id: UUID | None = None
    extra: dict[str, UUID] = field(default_factory=dict)


async def add_account(
    container: AsyncContainer, email: str, role: Role, *, two_factor: bool = False, user_id: UUID | None = None
) -> UUID:
    clock = await container.get(Clock)
    password_hash = await (await container.get(PasswordHasher)).hash(PASSWORD)
    user = User(
        id=user_id or uuid4(), email=EmailAddress(email), password_hash=password_hash, role=role, created_at=clock.now()
    )
    user.verify_email(clock.now())
    user.set_two_factor(enabled=two_factor)
    async with container() as scope:
        await (await scope.get(UserRepository)).add(user)
        await (await scope.get(UnitOfWork)).commit()
    return user.id


async def start_session(container: AsyncContainer, user_id: UUID, role: Role) -> tuple[str, UUID]:
    clock = await container.get(Clock)
    session = Session.start(
        session_id=uuid4(),
        user_id=user_id,
        token_digest=secrets.token_hex(32),
        now=clock.now(),
        lifetime=timedelta(days=30),
        ip="192.0.2.7",
        device="authorization tests",
    )
    async with container() as scope:
        await (await scope.get(SessionRepository)).add(session)
        await (await scope.get(UnitOfWork)).commit()
    issued = (await container.get(AccessTokens)).issue(
        user_id=user_id, session_id=session.id, role=role, now=clock.now()
    )
    return issued.token, session.id


async def authenticate(container: AsyncContainer, token: str) -> Principal:
    async with container() as scope:
        return await authenticate_bearer(scope, token)


async def session_actor(container: AsyncContainer, name: str, role: Role, *, two_factor: bool = False) -> Actor:
    user_id = await add_account(container, f"{name.replace('_', '-')}@example.com", role, two_factor=two_factor)
    token, session_id = await start_session(container, user_id, role)
    actor = Actor(name, user_id, token, await authenticate(container, token), session_id)
    actor.own_key_id = await create_key(container, actor.principal, [IdentityPermission.USERS_READ_SELF.name])
    return actor


async def create_key(container: AsyncContainer, principal: Principal, scopes: list[str]) -> UUID:
    return (await issue_key(container, principal, scopes))[0]


async def issue_key(container: AsyncContainer, principal: Principal, scopes: list[str]) -> tuple[UUID, str]:
    async with container() as scope:
        issued = await (await scope.get(CreateApiKeyHandler))(
            principal, CreateApiKey("ci", scopes, 30, password=PASSWORD)
        )
    return issued.key.id, issued.secret


async def key_actor(container: AsyncContainer, name: str, owner: Actor, scopes: list[str]) -> Actor:
    key_id, secret = await issue_key(container, owner.principal, scopes)
    principal = await authenticate(container, secret)
    return Actor(name, owner.user_id, secret, principal, owner.session_id, own_key_id=key_id)


@dataclass
class Cast:
    actors: list[Actor]
    victim: Actor

    def by_name(self, name: str) -> Actor:
        return next(actor for actor in self.actors if actor.name == name)


async def build_cast(container: AsyncContainer) -> Cast:
    customer = await session_actor(container, "customer", Role.CUSTOMER)
    developer = await session_actor(container, "developer", Role.DEVELOPER)
    admin_without_2fa = await session_actor(container, "admin_without_2fa", Role.ADMIN)
    admin = await session_actor(container, "admin_with_2fa", Role.ADMIN, two_factor=True)
    finance = await session_actor(container, "finance", Role.FINANCE, two_factor=True)
    analyst = await session_actor(container, "analyst", Role.ANALYST, two_factor=True)
    victim = await session_actor(container, "victim", Role.CUSTOMER)
    developer_key = await key_actor(
        container,
        "developer_key",
        developer,
        [IdentityPermission.USERS_READ_SELF.name, MarketplacePermission.EXTENSIONS_PUBLISH.name],
    )
    admin_key = await key_actor(container, "admin_key", admin, [IdentityPermission.USERS_READ_SELF.name])
    # Keys act before their owners: an owner signing out everywhere revokes their keys.
    return Cast([developer_key, admin_key, customer, developer, admin_without_2fa, admin, finance, analyst], victim)
