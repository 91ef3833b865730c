"""Identity's own permissions: the caller's account, sessions, two-factor and API keys, and the
administration of accounts. Other contexts declare theirs in their own packages; the role table
(``role_table.py``) is filled by the composition root."""

from __future__ import annotations

from devforge.domain.shared.permissions import Permission


class IdentityPermission:
    USERS_READ_SELF = Permission("users:read_self", on_api_keys=True)
    USERS_MANAGE_SELF = Permission("users:manage_self")
    SESSIONS_MANAGE_OWN = Permission("sessions:manage_own")
    TWO_FACTOR_MANAGE_OWN = Permission("two_factor:manage_own")
    API_KEYS_MANAGE_OWN = Permission("api_keys:manage_own")
    USERS_ADMIN = Permission("users:admin", administrative=True)
    AUDIT_READ = Permission("audit:read", administrative=True)


OWN_ACCOUNT = frozenset(
    {
        IdentityPermission.USERS_READ_SELF,
        IdentityPermission.USERS_MANAGE_SELF,
        IdentityPermission.SESSIONS_MANAGE_OWN,
        IdentityPermission.TWO_FACTOR_MANAGE_OWN,
        IdentityPermission.API_KEYS_MANAGE_OWN,
    }
)
"""What every signed-in account may do to itself."""
