"""One Actor: the guard builds the caller once through the ``Authorizer``, and administrative
grants need an admin's session with two-factor in every context alike; a key never gets one."""

from __future__ import annotations

from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.signed_in import SignedIn
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.identity.errors import PermissionDenied, TwoFactorRequired
from devforge.domain.identity.roles import Role
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.shared.permissions import Permission
from devforge.entrypoints.http.authorization import require
from tests.access_world import Actor as CastMember
from tests.access_world import build_cast, key_actor

ROUTES = [  # (what the route needs, the administrative override that widens it)
    (LicensingPermission.LICENSES_MANAGE, LicensingPermission.ADMIN),
    (LicensingPermission.LICENSES_READ_OWN, LicensingPermission.ADMIN),
    (BillingPermission.INVOICES_READ_OWN, BillingPermission.ADMIN),
    (BillingPermission.ORDERS_PLACE, BillingPermission.ADMIN),
    (MarketplacePermission.EXTENSIONS_PUBLISH, MarketplacePermission.EXTENSIONS_REVIEW),
]


async def actor_of(container: AsyncContainer, who: CastMember, needs: Permission, override: Permission | None) -> Actor:
    async with container() as scope:
        return await (await scope.get(Authorizer)).actor(who.principal, needs, override=override)


@pytest.mark.parametrize(("needs", "override"), ROUTES, ids=lambda p: str(p))
async def test_an_admin_with_two_factor_gets_the_override_and_without_it_is_refused(
    memory_container: AsyncContainer, needs: Permission, override: Permission
) -> None:
    cast = await build_cast(memory_container)
    admin = await actor_of(memory_container, cast.by_name("admin_with_2fa"), needs, override)
    assert admin.may(override) and admin.may(needs) and not admin.via_api_key
    with pytest.raises(TwoFactorRequired):
        await actor_of(memory_container, cast.by_name("admin_without_2fa"), needs, override)


@pytest.mark.parametrize(("needs", "override"), [r for r in ROUTES if r[0].on_api_keys], ids=lambda p: str(p))
async def test_an_admins_api_key_acts_as_its_owner_never_as_an_admin(
    memory_container: AsyncContainer, needs: Permission, override: Permission
) -> None:
    cast = await build_cast(memory_container)
    admin = cast.by_name("admin_with_2fa")
    key = await key_actor(memory_container, "admin_key", admin, [needs.name])
    actor = await actor_of(memory_container, key, needs, override)
    assert actor.via_api_key and actor.may(needs) and not actor.may(override)
    assert not any(permission.administrative for permission in actor.grants)
    assert actor.grants == {needs}  # narrowed to the key's scopes


async def test_an_administrative_permission_is_held_only_where_the_route_names_it(
    memory_container: AsyncContainer,
) -> None:
    cast = await build_cast(memory_container)
    admin = await actor_of(memory_container, cast.by_name("admin_with_2fa"), LicensingPermission.LICENSES_MANAGE, None)
    assert admin.may(LicensingPermission.LICENSES_MANAGE)
    assert not any(permission.administrative for permission in admin.grants)
    without_2fa = await actor_of(
        memory_container, cast.by_name("admin_without_2fa"), BillingPermission.ORDERS_PLACE, None
    )
    assert without_2fa.may(BillingPermission.ORDERS_PLACE)  # a plain route: nothing administrative asked


async def test_a_developer_on_a_widened_route_acts_as_themself(memory_container: AsyncContainer) -> None:
    cast = await build_cast(memory_container)
    developer = cast.by_name("developer")
    actor = await actor_of(memory_container, developer, LicensingPermission.LICENSES_MANAGE, LicensingPermission.ADMIN)
    assert actor.user_id == developer.user_id and not actor.may(LicensingPermission.ADMIN)
    with pytest.raises(PermissionDenied):
        await actor_of(memory_container, cast.by_name("customer"), LicensingPermission.LICENSES_MANAGE, None)


async def test_a_demoted_admin_acts_as_the_role_they_have_now(memory_container: AsyncContainer) -> None:
    cast = await build_cast(memory_container)
    admin = cast.by_name("admin_with_2fa")
    async with memory_container() as scope:
        users = await scope.get(UserRepository)
        account = await users.get(admin.user_id)
        assert account is not None
        account.role = Role.DEVELOPER
        await users.update(account)
        await (await scope.get(UnitOfWork)).commit()
    await (await memory_container.get(SignedIn)).forget_account(admin.user_id)  # as ChangeUserRole does
    actor = await actor_of(memory_container, admin, LicensingPermission.LICENSES_MANAGE, LicensingPermission.ADMIN)
    assert not actor.may(LicensingPermission.ADMIN)  # the token still says admin; the account does not


def test_only_an_administrative_permission_widens_a_route() -> None:
    with pytest.raises(ValueError, match="no override"):
        require(LicensingPermission.LICENSES_READ_OWN, override=LicensingPermission.LICENSES_MANAGE)


def test_an_actor_reaches_its_own_records_and_others_only_through_the_override() -> None:
    me, other = Actor(uuid4()), uuid4()
    assert me.owns_or_may(me.user_id, LicensingPermission.ADMIN)
    assert not me.owns_or_may(other, LicensingPermission.ADMIN)
    admin = Actor.holding(me.user_id, LicensingPermission.ADMIN)
    assert admin.owns_or_may(other, LicensingPermission.ADMIN) and not admin.owns_or_may(other, BillingPermission.ADMIN)
