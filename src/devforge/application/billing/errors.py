"""Errors of billing's use cases besides the domain's own."""

from devforge.domain.shared.errors import NotFound, RuleViolated


class AccountNotFound(NotFound):
    code = "account_not_found"


class ReturnUrlNotAllowed(RuleViolated):
    """A checkout's success or cancel URL off the service's own and the allowed origins."""

    code = "return_url_not_allowed"
