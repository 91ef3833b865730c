"""The role -> permission table: deny by default, keys narrower than their owner, ownership."""

from __future__ import annotations

from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.identity.permissions import ROLE_PERMISSIONS, Permission, grants, may_touch, permissions_of
from devforge.domain.identity.roles import Role

EXPECTED = {
    Role.CUSTOMER: {
        "users:read_self",
        "users:manage_self",
        "sessions:manage_own",
        "two_factor:manage_own",
        "api_keys:manage_own",
        "licenses:read_own",
        "orders:place",
        "invoices:read_own",
        "refunds:request",
    },
    Role.DEVELOPER: {
        "users:read_self",
        "users:manage_self",
        "sessions:manage_own",
        "two_factor:manage_own",
        "api_keys:manage_own",
        "licenses:read_own",
        "orders:place",
        "invoices:read_own",
        "refunds:request",
        "extensions:publish",
        "publishers:manage",
        "licenses:manage",
    },
}
EXPECTED[Role.ADMIN] = EXPECTED[Role.DEVELOPER] | {"users:admin", "audit:read", "extensions:review"}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_exactly_its_listed_permissions(role: Role) -> None:
    assert {str(p) for p in permissions_of(role)} == EXPECTED[role]
    assert set(ROLE_PERMISSIONS) == set(Role)


@given(role=st.sampled_from(list(Role)), permission=st.sampled_from(list(Permission)))
def test_a_permission_not_listed_for_a_role_is_refused(role: Role, permission: Permission) -> None:
    assert grants(role, permission) is (str(permission) in EXPECTED[role])


@given(role=st.sampled_from(list(Role)), name=st.text(max_size=40))
def test_an_unknown_permission_is_refused_to_every_role(role: Role, name: str) -> None:
    if name in {str(p) for p in Permission}:
        return
    assert not grants(role, name)
    assert not grants(role, name, frozenset({name}))


@given(
    role=st.sampled_from(list(Role)),
    permission=st.sampled_from(list(Permission)),
    scopes=st.frozensets(st.sampled_from([str(p) for p in Permission])),
)
def test_a_key_holds_what_both_its_scopes_and_its_owners_role_allow(
    role: Role, permission: Permission, scopes: frozenset[str]
) -> None:
    assert grants(role, permission, scopes) is (grants(role, permission) and permission in scopes)


def test_keys_never_carry_credential_session_or_admin_permissions() -> None:
    grantable = {p for p in Permission if p.grantable_to_api_keys}
    assert grantable == {
        Permission.USERS_READ_SELF,
        Permission.LICENSES_READ_OWN,
        Permission.ORDERS_PLACE,
        Permission.INVOICES_READ_OWN,
        Permission.EXTENSIONS_PUBLISH,
    }
    assert {p for p in Permission if p.administrative} == {
        Permission.USERS_ADMIN,
        Permission.AUDIT_READ,
        Permission.EXTENSIONS_REVIEW,
    }
    assert not any(p.administrative and p.grantable_to_api_keys for p in Permission)


def test_a_resource_is_reached_by_its_owner_or_through_a_named_override_only() -> None:
    me, other = uuid4(), uuid4()
    assert may_touch(actor_id=me, role=Role.CUSTOMER, owner_id=me)
    assert not may_touch(actor_id=me, role=Role.CUSTOMER, owner_id=other)
    assert not may_touch(actor_id=me, role=Role.ADMIN, owner_id=other)
    assert may_touch(actor_id=me, role=Role.ADMIN, owner_id=other, override=Permission.USERS_ADMIN)
    assert not may_touch(actor_id=me, role=Role.DEVELOPER, owner_id=other, override=Permission.USERS_ADMIN)
    assert not may_touch(
        actor_id=me, role=Role.ADMIN, owner_id=other, override=Permission.USERS_ADMIN, scopes=frozenset()
    )
