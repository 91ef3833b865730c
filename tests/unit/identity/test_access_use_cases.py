"""API keys and admin user management on in-memory adapters."""

from __future__ import annotations

from datetime import timedelta

import pytest
import structlog
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.change_user_role import ChangeUserRoleHandler
from devforge.application.identity.create_api_key import CreateApiKey, CreateApiKeyHandler
from devforge.application.identity.disable_user import DisableUserHandler
from devforge.application.identity.enable_user import EnableUserHandler
from devforge.application.identity.list_api_keys import ListApiKeys
from devforge.application.identity.list_users import ListUsers, ListUsersQuery
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.revoke_api_key import RevokeApiKeyHandler
from devforge.application.identity.show_user import ShowUser
from devforge.application.identity.signed_in import SignedIn
from devforge.bootstrap.permissions import ROLE_TABLE
from devforge.domain.identity.errors import (
    ApiKeyInvalid,
    ApiKeyRejected,
    PermissionDenied,
    SelfLockoutRefused,
    SessionInvalid,
    TwoFactorRequired,
)
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import UserStatus
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.shared.permissions import Permission
from tests.access_world import PASSWORD, Actor, authenticate, issue_key, session_actor


def authorize(principal: Principal, permission: Permission) -> None:
    """The role table's answer alone (no account read): what a key's scopes allow."""
    if not ROLE_TABLE.grants(principal.role, permission, principal.scopes):
        raise PermissionDenied("not held")


async def run(container: AsyncContainer, use_case: type, *args: object) -> object:
    async with container() as scope:
        return await (await scope.get(use_case))(*args)


async def set_user(container: AsyncContainer, actor: Actor, **changes: object) -> None:
    """Changes the account in the database and drops its near-cached copy, as every use case that
    changes an account does after its commit."""
    async with container() as scope:
        users = await scope.get(UserRepository)
        user = await users.get(actor.user_id)
        assert user is not None
        for name, value in changes.items():
            setattr(user, name, value)
        await users.update(user)
        await (await scope.get(UnitOfWork)).commit()
    await (await container.get(SignedIn)).forget_account(actor.user_id)


async def test_a_key_acts_for_its_owner_within_its_scopes_and_records_use_once_a_minute(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    dev = await session_actor(memory_container, "dev", Role.DEVELOPER)
    key_id, secret = await issue_key(memory_container, dev.principal, ["extensions:publish"])
    principal = await authenticate(memory_container, secret)
    assert (principal.user_id, principal.role, principal.api_key_id) == (dev.user_id, Role.DEVELOPER, key_id)
    authorize(principal, MarketplacePermission.EXTENSIONS_PUBLISH)
    with pytest.raises(PermissionDenied):
        authorize(principal, IdentityPermission.USERS_READ_SELF)  # the owner may, the key may not

    first_use = clock.now()
    clock.advance(timedelta(seconds=30))
    await authenticate(memory_container, secret)
    (listed,) = [k for k in await run(memory_container, ListApiKeys, dev.principal) if k.id == key_id]  # type: ignore[attr-defined]
    assert listed.last_used_at == first_use and not hasattr(listed, "secret")
    clock.advance(timedelta(seconds=31))
    await authenticate(memory_container, secret)
    (listed,) = [k for k in await run(memory_container, ListApiKeys, dev.principal) if k.id == key_id]  # type: ignore[attr-defined]
    assert listed.last_used_at == clock.now()


async def test_a_key_stops_at_revocation_expiry_or_when_its_owner_is_disabled(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    dev = await session_actor(memory_container, "dev", Role.DEVELOPER)
    revoked_id, revoked = await issue_key(memory_container, dev.principal, ["users:read_self"])
    await run(memory_container, RevokeApiKeyHandler, dev.principal, revoked_id)
    with pytest.raises(ApiKeyInvalid):
        await authenticate(memory_container, revoked)
    with pytest.raises(ApiKeyInvalid):
        await authenticate(memory_container, "dfk_live_" + "x" * 43)

    _, alive = await issue_key(memory_container, dev.principal, ["users:read_self"])
    await set_user(memory_container, dev, status=UserStatus.DISABLED)
    with pytest.raises(ApiKeyInvalid):
        await authenticate(memory_container, alive)
    await set_user(memory_container, dev, status=UserStatus.ACTIVE)
    await authenticate(memory_container, alive)
    clock.advance(timedelta(days=30))  # issue_key asks for 30 days
    with pytest.raises(ApiKeyInvalid):
        await authenticate(memory_container, alive)


async def test_a_key_cannot_be_granted_more_than_its_owner_holds(memory_container: AsyncContainer) -> None:
    customer = await session_actor(memory_container, "cus", Role.CUSTOMER)
    for scopes in (["extensions:publish"], ["users:admin"], ["api_keys:manage_own"]):
        with pytest.raises(ApiKeyRejected) as refused:
            await run(
                memory_container,
                CreateApiKeyHandler,
                customer.principal,
                CreateApiKey("ci", scopes, 30, password=PASSWORD),
            )
        assert refused.value.field == "scopes"


async def test_a_demoted_owner_takes_the_scopes_of_their_keys_down_with_them(memory_container: AsyncContainer) -> None:
    dev = await session_actor(memory_container, "dev", Role.DEVELOPER)
    _, secret = await issue_key(memory_container, dev.principal, ["extensions:publish"])
    await set_user(memory_container, dev, role=Role.CUSTOMER)
    with pytest.raises(PermissionDenied):
        authorize(await authenticate(memory_container, secret), MarketplacePermission.EXTENSIONS_PUBLISH)


async def test_admins_list_change_disable_and_enable_accounts(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    admin = await session_actor(memory_container, "admin", Role.ADMIN, two_factor=True)
    clock.advance(timedelta(seconds=1))
    ada = await session_actor(memory_container, "ada", Role.CUSTOMER)
    clock.advance(timedelta(seconds=1))
    bob = await session_actor(memory_container, "bob", Role.DEVELOPER)

    customers = await run(memory_container, ListUsers, admin.principal, ListUsersQuery(role=Role.CUSTOMER))
    assert [u.id for u in customers] == [ada.user_id]  # type: ignore[attr-defined]
    page = await run(memory_container, ListUsers, admin.principal, ListUsersQuery(limit=2, offset=1))
    assert [u.id for u in page] == [ada.user_id, bob.user_id]  # type: ignore[attr-defined]

    changed = await run(memory_container, ChangeUserRoleHandler, admin.principal, ada.user_id, Role.DEVELOPER)
    assert changed.role == "developer"  # type: ignore[attr-defined]

    _, second_token = await issue_key(memory_container, bob.principal, ["users:read_self"])
    disabled = await run(memory_container, DisableUserHandler, admin.principal, bob.user_id)
    assert disabled.status == "disabled"  # type: ignore[attr-defined]
    with pytest.raises(SessionInvalid):
        await authenticate(memory_container, bob.token)  # every session revoked at once
    with pytest.raises(ApiKeyInvalid):
        await authenticate(memory_container, second_token)
    enabled = await run(memory_container, EnableUserHandler, admin.principal, bob.user_id)
    assert enabled.status == "active"  # type: ignore[attr-defined]
    with pytest.raises(SessionInvalid):
        await authenticate(memory_container, bob.token)  # revoked sessions stay revoked
    await authenticate(memory_container, second_token)


async def test_an_admin_cannot_lock_themselves_out(memory_container: AsyncContainer) -> None:
    admin = await session_actor(memory_container, "admin", Role.ADMIN, two_factor=True)
    with pytest.raises(SelfLockoutRefused):
        await run(memory_container, DisableUserHandler, admin.principal, admin.user_id)
    with pytest.raises(SelfLockoutRefused):
        await run(memory_container, ChangeUserRoleHandler, admin.principal, admin.user_id, Role.DEVELOPER)
    still = await run(memory_container, ChangeUserRoleHandler, admin.principal, admin.user_id, Role.ADMIN)
    assert still.role == "admin" and still.status == "active"  # type: ignore[attr-defined]


async def test_admin_rights_are_checked_against_the_account_not_the_token(memory_container: AsyncContainer) -> None:
    admin = await session_actor(memory_container, "admin", Role.ADMIN, two_factor=True)
    await set_user(memory_container, admin, two_factor_enabled=False)
    with pytest.raises(TwoFactorRequired) as refused:
        await run(memory_container, ListUsers, admin.principal, ListUsersQuery())
    assert refused.value.code == "two_factor_required"
    await set_user(memory_container, admin, two_factor_enabled=True, role=Role.DEVELOPER)
    with pytest.raises(PermissionDenied):  # the token still says admin; the account no longer is
        await run(memory_container, ListUsers, admin.principal, ListUsersQuery())


async def test_a_demotion_through_the_use_case_counts_on_the_very_next_admin_request(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    root = await session_actor(memory_container, "root", Role.ADMIN, two_factor=True)
    clock.advance(timedelta(seconds=1))
    admin = await session_actor(memory_container, "admin", Role.ADMIN, two_factor=True)
    await run(memory_container, ListUsers, admin.principal, ListUsersQuery())  # the account is near-cached now
    await run(memory_container, ChangeUserRoleHandler, root.principal, admin.user_id, Role.DEVELOPER)
    with pytest.raises(PermissionDenied):
        await run(memory_container, ListUsers, admin.principal, ListUsersQuery())
    with pytest.raises(PermissionDenied):
        await run(memory_container, ShowUser, admin.principal, root.user_id)


async def test_each_denial_is_logged_with_who_asked_for_what(memory_container: AsyncContainer) -> None:
    customer = await session_actor(memory_container, "cus", Role.CUSTOMER)
    async with memory_container() as scope:
        authorizer = await scope.get(Authorizer)
        with structlog.testing.capture_logs() as logs, pytest.raises(PermissionDenied):
            await authorizer(customer.principal, IdentityPermission.USERS_ADMIN, resource="GET /api/admin/users")
    (entry,) = [e for e in logs if e["event"] == "authorization_denied"]
    assert entry["user_id"] == str(customer.user_id) and entry["role"] == "customer"
    assert (entry["permission"], entry["resource"], entry["log_level"]) == (
        "users:admin",
        "GET /api/admin/users",
        "warning",
    )
