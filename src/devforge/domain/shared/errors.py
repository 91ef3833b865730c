"""Base classes for business-rule violations.

The HTTP shell maps each family to one status: a rule a caller broke with bad input is a
``RuleViolated`` (422), a missing thing is ``NotFound`` (404), a clash with existing state is
``Conflict`` (409), a refused identity is ``NotAuthenticated`` (401), a refused action is
``NotPermitted`` (403), input past a size limit is ``TooLarge`` (413). ``field`` names the input at
fault, when there is one.
"""

from __future__ import annotations


class DomainError(Exception):
    code: str = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class RuleViolated(DomainError):
    code = "rule_violated"


class TooLarge(RuleViolated):
    """Input past a size limit (an upload over its cap): 413."""

    code = "too_large"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class NotAuthenticated(DomainError):
    code = "not_authenticated"


class NotPermitted(DomainError):
    code = "not_permitted"


class TooManyAttempts(NotPermitted):
    """Refused for now, not for good: too many recent attempts. The HTTP shell answers 429 with
    ``Retry-After: retry_after_seconds``."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after_seconds: int, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.retry_after_seconds = max(1, retry_after_seconds)
