"""Errors of billing's use cases besides the domain's own."""

from devforge.domain.shared.errors import NotFound


class AccountNotFound(NotFound):
    code = "account_not_found"
