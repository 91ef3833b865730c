"""Errors of billing's use cases besides the domain's own."""

from devforge.domain.shared.errors import NotFound, RuleViolated


class AccountNotFound(NotFound):
    code = "account_not_found"


class ReturnUrlNotAllowed(RuleViolated):
    """A checkout's success or cancel URL off the service's own and the allowed origins."""

    code = "return_url_not_allowed"


class SubscriptionNotYetKnown(Exception):
    """A renewal of a subscription whose first payment is not applied yet: raised so the delivery
    is retried (with backoff) once the first payment's event has been applied."""
