"""Roles a user holds. Deny by default: a role grants only what is listed for it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    DEVELOPER = "developer"
    CUSTOMER = "customer"

    @property
    def self_assignable(self) -> bool:
        """Anyone may sign up as a customer or a developer; admins are only made by admins."""
        return self is not Role.ADMIN
