"""The role -> permission table: deny by default, keys narrower than their owner, one name per
permission, and every context's permissions registered by the composition root."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.bootstrap.permissions import ROLE_TABLE
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.billing.permissions import BillingPermission
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.role_table import RoleTable
from devforge.domain.identity.roles import Role
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.marketplace.permissions import MarketplacePermission
from devforge.domain.shared.permissions import Permission, declared_in

DECLARED = {
    permission
    for namespace in (
        IdentityPermission,
        LicensingPermission,
        BillingPermission,
        MarketplacePermission,
        AnalyticsPermission,
    )
    for permission in declared_in(namespace)
}
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
        "extensions:sell",
        "publishers:manage",
        "licenses:manage",
        "analytics:own",
    },
}
ADMINISTRATIVE = {
    "users:admin",
    "audit:read",
    "licensing:admin",
    "billing:admin",
    "extensions:review",
    "finance:read",
    "analytics:read",
    "analytics:manage",
    "analytics:erase",
    "analytics_alerts:manage",
    "analytics:export",
}
EXPECTED[Role.ADMIN] = EXPECTED[Role.DEVELOPER] | ADMINISTRATIVE
EXPECTED[Role.FINANCE] = {
    "users:read_self",
    "users:manage_self",
    "sessions:manage_own",
    "two_factor:manage_own",
    "api_keys:manage_own",
    "finance:read",
}
EXPECTED[Role.ANALYST] = EXPECTED[Role.FINANCE] - {"finance:read"} | {
    "analytics:read",
    "analytics:own",
    "analytics_alerts:manage",
    "analytics:export",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_holds_exactly_its_listed_permissions(role: Role) -> None:
    assert {str(p) for p in ROLE_TABLE.permissions_of(role)} == EXPECTED[role]


@given(role=st.sampled_from(list(Role)), permission=st.sampled_from(sorted(DECLARED, key=str)))
def test_a_permission_not_listed_for_a_role_is_refused(role: Role, permission: Permission) -> None:
    assert ROLE_TABLE.grants(role, permission) is (str(permission) in EXPECTED[role])


@given(role=st.sampled_from(list(Role)), name=st.text(max_size=40))
def test_an_unknown_permission_is_refused_to_every_role(role: Role, name: str) -> None:
    if name in ROLE_TABLE.names:
        return
    assert not ROLE_TABLE.grants(role, name)
    assert not ROLE_TABLE.grants(role, name, frozenset({name}))


@given(
    role=st.sampled_from(list(Role)),
    permission=st.sampled_from(sorted(DECLARED, key=str)),
    scopes=st.frozensets(st.sampled_from(sorted(ROLE_TABLE.names))),
)
def test_a_key_holds_what_both_its_scopes_and_its_owners_role_allow(
    role: Role, permission: Permission, scopes: frozenset[str]
) -> None:
    assert ROLE_TABLE.grants(role, permission, scopes) is (
        ROLE_TABLE.grants(role, permission) and permission.name in scopes
    )


def test_keys_never_carry_credential_session_or_admin_permissions() -> None:
    assert {p.name for p in DECLARED if p.on_api_keys} == {
        "users:read_self",
        "licenses:read_own",
        "orders:place",
        "invoices:read_own",
        "extensions:publish",
    }
    assert {p.name for p in DECLARED if p.administrative} == ADMINISTRATIVE
    with pytest.raises(ValueError, match="never goes on an API key"):
        Permission("things:admin", administrative=True, on_api_keys=True)


def test_one_name_is_one_permission_across_contexts() -> None:
    with pytest.raises(ValueError, match="two different permissions"):
        RoleTable.of(
            {Role.ADMIN: [Permission("licenses:manage")]},
            {Role.ADMIN: [Permission("licenses:manage", administrative=True)]},
        )
    assert len({p.name for p in DECLARED}) == len(DECLARED)


def test_identity_declares_only_its_own_permissions() -> None:
    nouns = {p.name.split(":")[0] for p in declared_in(IdentityPermission)}
    assert nouns == {"users", "sessions", "two_factor", "api_keys", "audit"}
