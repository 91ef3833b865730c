"""Roles a user holds. Deny by default: a role grants only what is listed for it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    DEVELOPER = "developer"
    CUSTOMER = "customer"
    FINANCE = "finance"
    """Reads the platform's financial reports (an account of the finance team): its own account
    and ``finance:read``, nothing else."""
    ANALYST = "analyst"
    """Reads the platform's figures (analytics), nothing else of anyone's."""

    @property
    def self_assignable(self) -> bool:
        """Anyone may sign up as a customer or a developer; admins, finance accounts and analysts
        are only made by admins."""
        return self not in (Role.ADMIN, Role.FINANCE, Role.ANALYST)
