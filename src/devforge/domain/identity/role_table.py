"""What each role may do, by named permission, for every context.

Deny by default: a role holds exactly the permissions registered for it, and anything not
registered (a new permission, an unknown role) is refused until someone adds it on purpose.
The table is built once by the composition root from each context's grants, so identity never
lists another context's permissions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from devforge.domain.identity.roles import Role
from devforge.domain.shared.permissions import Permission

RoleGrants = Mapping[Role, Iterable[Permission]]
"""One context's contribution: which of its permissions each role holds."""


class RoleTable:
    def __init__(self, held: Mapping[Role, frozenset[Permission]]) -> None:
        self._held = MappingProxyType(dict(held))
        self._by_name = {permission.name: permission for permissions in held.values() for permission in permissions}

    @classmethod
    def of(cls, *contexts: RoleGrants) -> RoleTable:
        """Merges the contexts' grants. One name is one permission: two declarations of a name
        that differ (another context's, or the same with other marks) are a wiring mistake."""
        held: dict[Role, set[Permission]] = {role: set() for role in Role}
        named: dict[str, Permission] = {}
        for grants in contexts:
            for role, permissions in grants.items():
                for permission in permissions:
                    if named.setdefault(permission.name, permission) != permission:
                        raise ValueError(f"two different permissions are named {permission.name!r}")
                    held[role].add(permission)
        return cls({role: frozenset(permissions) for role, permissions in held.items()})

    def permissions_of(self, role: Role) -> frozenset[Permission]:
        return self._held.get(role, frozenset())

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self._by_name)

    def named(self, name: str) -> Permission | None:
        """The registered permission of this name, None for a name no role holds."""
        return self._by_name.get(name)

    def grants(self, role: Role, permission: Permission | str, scopes: frozenset[str] | None = None) -> bool:
        """The role must hold the permission; a caller holding a key is further limited to its scopes."""
        name = str(permission)
        held = self._by_name.get(name)
        return held is not None and held in self.permissions_of(role) and (scopes is None or name in scopes)
